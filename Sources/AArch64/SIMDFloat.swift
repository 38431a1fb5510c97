// Floating-point lanes of Advanced SIMD and the scalar FP data-processing instructions that
// share them (a scalar is one lane: `s2` = the element size in bytes). Records: `s1` = log2 of the
// element size (2 = single, 3 = double), `s2` = bytes processed, payload = per-op immediate.
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
    c.fpCompareLane(UInt64(a), UInt64(b), T.format, kind: kind, absolute: absolute) ? T.max : 0
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
