// Floating-point execution: the FP lanes of Advanced SIMD and the scalar FP data-processing
// instructions that share them (a scalar is one lane: `s2` = the element size in bytes), then the
// scalar-only instructions (FPScalar section below). Lane records: `s1` = log2 of the element size
// (2 = single, 3 = double), `s2` = bytes processed, payload = per-op immediate.
// ARM ARM C7.2; lane semantics are FPAdd, FPMul... from FPArith.swift / FPSoft*.swift.

/// A two-source FP lane operation.
protocol FPLaneOp2 {
    static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T
}

/// An FP lane operation that also reads the destination lane (FMLA, FMLS).
protocol FPLaneOp3 {
    static func apply<T: FPLane>(_ c: AArch64CPU, _ d: T, _ a: T, _ b: T) -> T
}

/// A one-source FP lane operation with an immediate (rounding mode, fixed-point bits...).
protocol FPLaneOp1 {
    static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ imm: Int) -> T
}

enum FAddOp: FPLaneOp2 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { T.fpAdd(c, a, b) } }
enum FSubOp: FPLaneOp2 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { T.fpSub(c, a, b) } }
enum FMulOp: FPLaneOp2 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { T.fpMul(c, a, b) } }
enum FDivOp: FPLaneOp2 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { T.fpDiv(c, a, b) } }
/// FNMUL: the negated product (NaN results are negated too, as the ARM ARM's FPNeg does).
enum FNMulOp: FPLaneOp2 {
    @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { T.fpMul(c, a, b) ^ T(truncatingIfNeeded: T.format.signBit) }
}
enum FMaxOp: FPLaneOp2 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { c.fpMaxMin(a, b, .max) } }
enum FMinOp: FPLaneOp2 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { c.fpMaxMin(a, b, .min) } }
enum FMaxNMOp: FPLaneOp2 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { c.fpMaxMin(a, b, .maxNum) } }
enum FMinNMOp: FPLaneOp2 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { c.fpMaxMin(a, b, .minNum) } }
/// FABD: FPAbs(FPSub(a, b)), NaN results included.
enum FAbdOp: FPLaneOp2 {
    @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { T.fpSub(c, a, b) & ~T(truncatingIfNeeded: T.format.signBit) }
}
enum FMulXOp: FPLaneOp2 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { c.fpMulX(a, b) } }
enum FRecpsOp: FPLaneOp2 { static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { c.fpBinarySlow(.recipStep, a, b) } }
enum FRsqrtsOp: FPLaneOp2 { static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { c.fpBinarySlow(.rsqrtStep, a, b) } }

/// FCMEQ/FCMGE/FCMGT/FACGE/FACGT (register): all-ones when the compare holds.
enum FCmEqOp: FPLaneOp2 { static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { fpMask(c, a, b, 0, false) } }
enum FCmGeOp: FPLaneOp2 { static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { fpMask(c, a, b, 1, false) } }
enum FCmGtOp: FPLaneOp2 { static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { fpMask(c, a, b, 2, false) } }
enum FAcGeOp: FPLaneOp2 { static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { fpMask(c, a, b, 1, true) } }
enum FAcGtOp: FPLaneOp2 { static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T) -> T { fpMask(c, a, b, 2, true) } }

@inline(__always) func fpMask<T: FPLane>(_ c: AArch64CPU, _ a: T, _ b: T, _ kind: Int, _ absolute: Bool) -> T {
    let signBit = T(truncatingIfNeeded: T.format.signBit), inf = T(truncatingIfNeeded: T.format.infinity)
    let x = absolute ? a & ~signBit : a, y = absolute ? b & ~signBit : b
    // No NaN (and no denormal to flush): compare order-preserving keys; +0 and -0 are equal.
    if _fastPath(c.fpcr & FPCRBits.fz == 0 && x & ~signBit <= inf && y & ~signBit <= inf) {
        let bothZero = (x | y) & ~signBit == 0
        let kx = x & signBit != 0 ? ~x : x | signBit, ky = y & signBit != 0 ? ~y : y | signBit
        let holds: Bool
        switch kind {
        case 0: holds = bothZero || x == y
        case 1: holds = bothZero || kx >= ky
        default: holds = !bothZero && kx > ky
        }
        return holds ? T.max : 0
    }
    return c.fpCompareLane(UInt64(a), UInt64(b), T.format, kind: kind, absolute: absolute) ? T.max : 0
}

/// FMLA: d + a × b; FMLS: d + (-a) × b (FPMulAdd with the first factor negated).
enum FMlaOp: FPLaneOp3 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ d: T, _ a: T, _ b: T) -> T { T.fpMulAdd(c, d, a, b) } }
enum FMlsOp: FPLaneOp3 {
    @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ d: T, _ a: T, _ b: T) -> T {
        T.fpMulAdd(c, d, a ^ T(truncatingIfNeeded: T.format.signBit), b)
    }
}

enum FAbsOp: FPLaneOp1 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ i: Int) -> T { a & ~T(truncatingIfNeeded: T.format.signBit) } }
enum FNegOp: FPLaneOp1 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ i: Int) -> T { a ^ T(truncatingIfNeeded: T.format.signBit) } }
enum FSqrtOp: FPLaneOp1 { @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ i: Int) -> T { T.fpSqrt(c, a) } }
/// FRINT*: imm = FPRounding value, or 7 for FPCR's; bit 3 = exact (FRINTX).
enum FRintOp: FPLaneOp1 {
    @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ i: Int) -> T {
        let rounding = i & 7 == 7 ? fpcrRounding(c.fpcr) : i & 7
        return c.fpRoundToInt(a, rounding: rounding, exact: i & 8 != 0)
    }
}
/// FCVT[NPMZA][SU] (vector): imm = rounding (7: FPCR's) | unsigned << 3 | fbits << 8.
enum FCvtToIntOp: FPLaneOp1 {
    @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ i: Int) -> T {
        let rounding = i & 7 == 7 ? fpcrRounding(c.fpcr) : i & 7
        return T(truncatingIfNeeded: c.fpToInt(a, fbits: i >> 8, unsigned: i & 8 != 0, bits: T.bitWidth, rounding: rounding))
    }
}
/// SCVTF/UCVTF (vector): imm = unsigned << 3 | fbits << 8.
enum FCvtFromIntOp: FPLaneOp1 {
    @inline(__always) static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ i: Int) -> T {
        c.intToFP(UInt64(a), fbits: i >> 8, unsigned: i & 8 != 0, bits: T.bitWidth, as: T.self)
    }
}
enum FRecpeOp: FPLaneOp1 { static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ i: Int) -> T { c.fpBinarySlow(.recipEstimate, a, 0) } }
enum FRsqrteOp: FPLaneOp1 { static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ i: Int) -> T { c.fpBinarySlow(.rsqrtEstimate, a, 0) } }
enum FRecpxOp: FPLaneOp1 { static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ i: Int) -> T { c.fpBinarySlow(.recpX, a, 0) } }
/// Compares against zero: imm 0 EQ, 1 GE, 2 GT, 3 LE (0 >= a), 4 LT (0 > a).
enum FCmZeroOp: FPLaneOp1 {
    static func apply<T: FPLane>(_ c: AArch64CPU, _ a: T, _ i: Int) -> T {
        switch i {
        case 0, 1, 2: return fpMask(c, a, 0, i, false)
        case 3: return fpMask(c, 0, a, 1, false)
        default: return fpMask(c, 0, a, 2, false)
        }
    }
}

extension AArch64CPU {
    @inline(__always)
    func fpLoop2<T: FPLane, O: FPLaneOp2>(_: T.Type, _: O.Type, _ r: DecodedInstruction) {
        let d = vreg(r.rd), n = vreg(r.rn), m = vreg(r.rm), bytes = Int(r.s2)
        var i = 0
        while i < bytes {
            let a = n.load(fromByteOffset: i, as: T.self), b = m.load(fromByteOffset: i, as: T.self)
            d.storeBytes(of: O.apply(self, a, b), toByteOffset: i, as: T.self)
            i &+= MemoryLayout<T>.size
        }
        clearHigh(d, from: bytes)
    }

    @inline(__always)
    func fpLoop3<T: FPLane, O: FPLaneOp3>(_: T.Type, _: O.Type, _ r: DecodedInstruction) {
        let d = vreg(r.rd), n = vreg(r.rn), m = vreg(r.rm), bytes = Int(r.s2)
        var i = 0
        while i < bytes {
            let a = n.load(fromByteOffset: i, as: T.self), b = m.load(fromByteOffset: i, as: T.self)
            d.storeBytes(of: O.apply(self, d.load(fromByteOffset: i, as: T.self), a, b), toByteOffset: i, as: T.self)
            i &+= MemoryLayout<T>.size
        }
        clearHigh(d, from: bytes)
    }

    @inline(__always)
    func fpLoop1<T: FPLane, O: FPLaneOp1>(_: T.Type, _: O.Type, _ r: DecodedInstruction) {
        let d = vreg(r.rd), n = vreg(r.rn), bytes = Int(r.s2), imm = Self.payload(r)
        var i = 0
        while i < bytes {
            d.storeBytes(of: O.apply(self, n.load(fromByteOffset: i, as: T.self), imm), toByteOffset: i, as: T.self)
            i &+= MemoryLayout<T>.size
        }
        clearHigh(d, from: bytes)
    }

    @inline(__always) func fpVector2<O: FPLaneOp2>(_ r: DecodedInstruction, _: O.Type) {
        if r.s1 == 2 { fpLoop2(UInt32.self, O.self, r) } else { fpLoop2(UInt64.self, O.self, r) }
    }

    @inline(__always) func fpVector3<O: FPLaneOp3>(_ r: DecodedInstruction, _: O.Type) {
        if r.s1 == 2 { fpLoop3(UInt32.self, O.self, r) } else { fpLoop3(UInt64.self, O.self, r) }
    }

    @inline(__always) func fpVector1<O: FPLaneOp1>(_ r: DecodedInstruction, _: O.Type) {
        if r.s1 == 2 { fpLoop1(UInt32.self, O.self, r) } else { fpLoop1(UInt64.self, O.self, r) }
    }

    /// FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP (vector): pairs of the concatenation Vm:Vn.
    func fpPairwise<O: FPLaneOp2>(_ r: DecodedInstruction, _: O.Type) {
        if r.s1 == 2 { fpPairwiseLanes(UInt32.self, O.self, r) } else { fpPairwiseLanes(UInt64.self, O.self, r) }
    }

    func fpPairwiseLanes<T: FPLane, O: FPLaneOp2>(_: T.Type, _: O.Type, _ r: DecodedInstruction) {
        let n = vreg(r.rn), m = vreg(r.rm), out = scratch, bytes = Int(r.s2)
        let size = MemoryLayout<T>.size, half = bytes / 2
        var i = 0
        while i < bytes {
            let src = i < half ? n : m
            let j = (i < half ? i : i - half) * 2
            out.storeBytes(of: O.apply(self, src.load(fromByteOffset: j, as: T.self), src.load(fromByteOffset: j + size, as: T.self)),
                           toByteOffset: i, as: T.self)
            i += size
        }
        commitScratch(r.rd, bytes: bytes)
    }

    /// FADDP/FMAXP... (scalar): op(Vn[0], Vn[1]).
    func fpPairScalar<O: FPLaneOp2>(_ r: DecodedInstruction, _: O.Type) {
        let n = vreg(r.rn)
        if r.s1 == 2 {
            let v = O.apply(self, n.load(as: UInt32.self), n.load(fromByteOffset: 4, as: UInt32.self))
            store(r.rd, lo: UInt64(v), hi: 0, bytes: 8)
        } else {
            let v = O.apply(self, n.load(as: UInt64.self), n.load(fromByteOffset: 8, as: UInt64.self))
            store(r.rd, lo: v, hi: 0, bytes: 8)
        }
    }

    /// FMAXV/FMINV/FMAXNMV/FMINNMV (4S): the ARM ARM's Reduce, a balanced tree.
    func fpAcross<O: FPLaneOp2>(_ r: DecodedInstruction, _: O.Type) {
        let n = vreg(r.rn)
        let e0 = n.load(as: UInt32.self), e1 = n.load(fromByteOffset: 4, as: UInt32.self)
        let e2 = n.load(fromByteOffset: 8, as: UInt32.self), e3 = n.load(fromByteOffset: 12, as: UInt32.self)
        let v = O.apply(self, O.apply(self, e0, e1), O.apply(self, e2, e3))
        store(r.rd, lo: UInt64(v), hi: 0, bytes: 8)
    }

    /// FCVTL/FCVTL2: widen half→single (s1 = 1) or single→double (s1 = 2) from byte offset s2.
    func fpConvertLong(_ r: DecodedInstruction) {
        let n = vreg(r.rn), out = scratch, part = Int(r.s2)
        if r.s1 == 2 {
            for i in 0..<2 {
                out.storeBytes(of: fpWidenSD(n.load(fromByteOffset: part + 4 * i, as: UInt32.self)), toByteOffset: 8 * i, as: UInt64.self)
            }
        } else {
            for i in 0..<4 {
                let h = UInt64(n.load(fromByteOffset: part + 2 * i, as: UInt16.self))
                out.storeBytes(of: UInt32(truncatingIfNeeded: fpConvertSlow(h, from: .half, to: .single)), toByteOffset: 4 * i, as: UInt32.self)
            }
        }
        commitScratch(r.rd, bytes: 16)
    }

    /// FCVTN/FCVTN2 (s1 = 1: single→half, 2: double→single) and FCVTXN (payload 1: round to odd),
    /// into byte offset s2 (8 keeps the low half); `ra` = 1 for the scalar FCVTXN.
    func fpConvertNarrow(_ r: DecodedInstruction) {
        let n = vreg(r.rn), d = vreg(r.rd), half = Int(r.s2)
        let odd = Self.payload(r) == 1
        var out: UInt64 = 0
        if r.s1 == 2 {
            let lanes = r.ra == 1 ? 1 : 2
            for i in 0..<lanes {
                let a = n.load(fromByteOffset: 8 * i, as: UInt64.self)
                let s = odd ? UInt32(truncatingIfNeeded: fpConvertSlow(a, from: .double, to: .single, rounding: FPRounding.odd))
                            : fpNarrowDS(a)
                out |= UInt64(s) << UInt64(32 * i)
            }
        } else {
            for i in 0..<4 {
                let a = UInt64(n.load(fromByteOffset: 4 * i, as: UInt32.self))
                out |= (fpConvertSlow(a, from: .single, to: .half) & 0xFFFF) << UInt64(16 * i)
            }
        }
        if half == 8 {
            d.storeBytes(of: out, toByteOffset: 8, as: UInt64.self)
        } else {
            store(r.rd, lo: out, hi: 0, bytes: 8)
        }
    }
}

// MARK: - Scalar-only instructions
//
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
