// Scalar floating-point instructions that are not lane operations (ARM ARM C7.2): FMOV
// (immediate, general), FMADD and its negated forms, FCMP/FCMPE, FCCMP/FCCMPE, FCSEL, FCVT between
// precisions, and conversions between FP and general registers.
//
// Record layouts (see the decoders in FPDecode.swift):
// - fmovImm: rd; s1 = log2 size; payload = the top 16 bits of the expanded value.
// - fmadd: rd = ra' + rn' × rm, payload bit 0 negates ra, bit 1 negates rn; s1 = log2 size.
// - fcmp: rn, rm; payload bit 0 = compare with +0.0, bit 1 = signalling (FCMPE); s1.
// - fccmp: rn, rm; condition mask in s1/s2; payload = nzcv | signalling << 4 | log2 size << 8.
// - fcsel: rd, rn, rm; condition mask in s1/s2; payload = log2 size.
// - fcvt: rd, rn; payload = log2 source size | log2 destination size << 4.
// - fcvtToGP: rd = X slot, rn = V; s1 = log2 FP size; s2 = integer bits;
//   payload = rounding (7: FPCR's) | unsigned << 3 | fbits << 8.
// - gpToFP: rd = V, rn = X slot; s1 = log2 FP size; s2 = integer bits; payload = unsigned << 3 | fbits << 8.
// - fmovFromGP: rd = V, rn = X slot; s2 = bytes written (the rest of the register is zeroed).

extension AArch64CPU {
    /// The format of a log2 element size: 1 half, 2 single, 3 double.
    @inline(__always) static func format(log2: Int) -> FPFormat {
        log2 == 3 ? .double : log2 == 2 ? .single : .half
    }

    @inline(__always) func fmovImmediate(_ r: DecodedInstruction) {
        let p = UInt64(Self.payload(r))
        store(r.rd, lo: r.s1 == 3 ? p << 48 : p << 16, hi: 0, bytes: 8)
    }

    /// FMADD, FMSUB (negate rn), FNMADD (negate ra and rn), FNMSUB (negate ra).
    @inline(__always) func fmadd(_ r: DecodedInstruction) {
        let flags = Self.payload(r)
        if r.s1 == 3 {
            let sign: UInt64 = 1 << 63
            let a = vreg(r.ra).load(as: UInt64.self) ^ (flags & 1 != 0 ? sign : 0)
            let n = vreg(r.rn).load(as: UInt64.self) ^ (flags & 2 != 0 ? sign : 0)
            let m = vreg(r.rm).load(as: UInt64.self)
            store(r.rd, lo: fpMulAddD(a, n, m), hi: 0, bytes: 8)
        } else {
            let sign: UInt32 = 1 << 31
            let a = vreg(r.ra).load(as: UInt32.self) ^ (flags & 1 != 0 ? sign : 0)
            let n = vreg(r.rn).load(as: UInt32.self) ^ (flags & 2 != 0 ? sign : 0)
            let m = vreg(r.rm).load(as: UInt32.self)
            store(r.rd, lo: UInt64(fpMulAddS(a, n, m)), hi: 0, bytes: 8)
        }
    }

    @inline(__always) func fcmp(_ r: DecodedInstruction) -> UInt64 {
        let p = Self.payload(r)
        let zero = p & 1 != 0, signalling = p & 2 != 0
        if r.s1 == 3 {
            let a = vreg(r.rn).load(as: UInt64.self), b = zero ? 0 : vreg(r.rm).load(as: UInt64.self)
            return fpCompareFlags(a, b, signalling: signalling)
        }
        let a = vreg(r.rn).load(as: UInt32.self), b = zero ? 0 : vreg(r.rm).load(as: UInt32.self)
        return fpCompareFlags(a, b, signalling: signalling)
    }

    @inline(__always) func fccmp(_ r: DecodedInstruction, _ flags: UInt64) -> UInt64 {
        let p = Self.payload(r)
        guard conditionHolds(r, flags) else { return UInt64(p & 0xF) }
        let signalling = p & 0x10 != 0
        if (p >> 8) == 3 {
            return fpCompareFlags(vreg(r.rn).load(as: UInt64.self), vreg(r.rm).load(as: UInt64.self), signalling: signalling)
        }
        return fpCompareFlags(vreg(r.rn).load(as: UInt32.self), vreg(r.rm).load(as: UInt32.self), signalling: signalling)
    }

    @inline(__always) func fcsel(_ r: DecodedInstruction, _ flags: UInt64) {
        let src = vreg(conditionHolds(r, flags) ? r.rn : r.rm)
        let value = Self.payload(r) == 3 ? src.load(as: UInt64.self) : UInt64(src.load(as: UInt32.self))
        store(r.rd, lo: value, hi: 0, bytes: 8)
    }

    /// FCVT between half, single and double precision.
    func fcvt(_ r: DecodedInstruction) {
        let p = Self.payload(r)
        let from = p & 0xF, to = p >> 4
        let n = vreg(r.rn)
        let result: UInt64
        switch (from, to) {
        case (2, 3): result = fpWidenSD(n.load(as: UInt32.self))
        case (3, 2): result = UInt64(fpNarrowDS(n.load(as: UInt64.self)))
        default:
            let a: UInt64 = from == 3 ? n.load(as: UInt64.self) : from == 2 ? UInt64(n.load(as: UInt32.self)) : UInt64(n.load(as: UInt16.self))
            result = fpConvertSlow(a, from: Self.format(log2: from), to: Self.format(log2: to))
        }
        store(r.rd, lo: result, hi: 0, bytes: 8)
    }

    /// FCVT[NPMZA][SU] to a general register (scalar, incl. fixed point).
    @inline(__always) func fcvtToGeneral(_ r: DecodedInstruction) {
        let p = Self.payload(r)
        let rounding = p & 7 == 7 ? fpcrRounding(fpcr) : p & 7
        let bits = Int(r.s2)
        let n = vreg(r.rn)
        let value: UInt64
        if r.s1 == 3 {
            value = fpToInt(n.load(as: UInt64.self), fbits: p >> 8, unsigned: p & 8 != 0, bits: bits, rounding: rounding)
        } else if r.s1 == 2 {
            value = fpToInt(n.load(as: UInt32.self), fbits: p >> 8, unsigned: p & 8 != 0, bits: bits, rounding: rounding)
        } else {
            var flags: UInt32 = 0
            value = fpToFixed(UInt64(n.load(as: UInt16.self)), .half, fbits: p >> 8, unsigned: p & 8 != 0, bits: bits,
                              rounding: rounding, fpcr, &flags)
            fpRaise(flags)
        }
        x[Int(r.rd)] = value
    }

    /// SCVTF/UCVTF from a general register (scalar, incl. fixed point).
    @inline(__always) func generalToFP(_ r: DecodedInstruction) {
        let p = Self.payload(r)
        let source = x[Int(r.rn)]
        let bits = Int(r.s2), unsigned = p & 8 != 0, fbits = p >> 8
        let result: UInt64
        if r.s1 == 3 {
            result = intToFP(source, fbits: fbits, unsigned: unsigned, bits: bits, as: UInt64.self)
        } else if r.s1 == 2 {
            result = UInt64(intToFP(source, fbits: fbits, unsigned: unsigned, bits: bits, as: UInt32.self))
        } else {
            result = intToFPSlow(source & lowMask(bits), fbits: fbits, unsigned: unsigned, bits: bits, .half)
        }
        store(r.rd, lo: result, hi: 0, bytes: 8)
    }

    /// FMOV from a general register into the low `s2` bytes (the rest zeroed).
    @inline(__always) func fmovFromGeneral(_ r: DecodedInstruction) {
        let value = x[Int(r.rn)] & lowMask(Int(r.s2) * 8)
        store(r.rd, lo: value, hi: 0, bytes: 8)
    }
}
