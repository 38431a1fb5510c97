// Floating-point arithmetic and conversions as the execution switch calls them: host-FPU fast
// paths with the ARM ARM's results and FPSR flags, falling back to the exact software model
// (FPSoft*.swift). Conversions: FP to integer (FCVT[NPMZA][SU], fixed point included), integer to
// FP (SCVTF/UCVTF), FRINT*, and FCVT between half, single and double.
//
// A fast path is taken only when the host's IEEE result is provably the ARM result:
// - FPCR.FZ = 0 and FPCR.RMode = round to nearest (`FPCRBits.slowPath` clear);
// - no NaN operand or NaN result (the host's NaN propagation and default NaN differ from ARM's);
// - the result is finite, and either not tiny or exact (ARM detects tininess before rounding,
//   x86 after; we never ask the host, so there is no residual difference).
// Inexact is then computed exactly with error-free transformations (TwoSum; the residual of a
// fused multiply-add for products, quotients and roots, valid where the residual cannot underflow,
// hence the 2^-960 bounds), or for single precision by redoing the operation exactly in double.
// The host's own exception flags and rounding mode are never read or changed.

/// A floating-point lane: the bit pattern of a single (UInt32) or double (UInt64) value.
protocol FPLane: FixedWidthInteger & UnsignedInteger {
    static var format: FPFormat { get }
    static func fpAdd(_ c: AArch64CPU, _ a: Self, _ b: Self) -> Self
    static func fpSub(_ c: AArch64CPU, _ a: Self, _ b: Self) -> Self
    static func fpMul(_ c: AArch64CPU, _ a: Self, _ b: Self) -> Self
    static func fpDiv(_ c: AArch64CPU, _ a: Self, _ b: Self) -> Self
    /// addend + a × b, fused.
    static func fpMulAdd(_ c: AArch64CPU, _ addend: Self, _ a: Self, _ b: Self) -> Self
    static func fpSqrt(_ c: AArch64CPU, _ a: Self) -> Self
}

extension UInt32: FPLane {
    static var format: FPFormat { .single }
    @inline(__always) static func fpAdd(_ c: AArch64CPU, _ a: UInt32, _ b: UInt32) -> UInt32 { c.fpAddS(a, b, negate: 0) }
    @inline(__always) static func fpSub(_ c: AArch64CPU, _ a: UInt32, _ b: UInt32) -> UInt32 { c.fpAddS(a, b, negate: 0x8000_0000) }
    @inline(__always) static func fpMul(_ c: AArch64CPU, _ a: UInt32, _ b: UInt32) -> UInt32 { c.fpMulS(a, b) }
    @inline(__always) static func fpDiv(_ c: AArch64CPU, _ a: UInt32, _ b: UInt32) -> UInt32 { c.fpDivS(a, b) }
    @inline(__always) static func fpMulAdd(_ c: AArch64CPU, _ addend: UInt32, _ a: UInt32, _ b: UInt32) -> UInt32 { c.fpMulAddS(addend, a, b) }
    @inline(__always) static func fpSqrt(_ c: AArch64CPU, _ a: UInt32) -> UInt32 { c.fpSqrtS(a) }
}

extension UInt64: FPLane {
    static var format: FPFormat { .double }
    @inline(__always) static func fpAdd(_ c: AArch64CPU, _ a: UInt64, _ b: UInt64) -> UInt64 { c.fpAddD(a, b, negate: 0) }
    @inline(__always) static func fpSub(_ c: AArch64CPU, _ a: UInt64, _ b: UInt64) -> UInt64 { c.fpAddD(a, b, negate: 1 << 63) }
    @inline(__always) static func fpMul(_ c: AArch64CPU, _ a: UInt64, _ b: UInt64) -> UInt64 { c.fpMulD(a, b) }
    @inline(__always) static func fpDiv(_ c: AArch64CPU, _ a: UInt64, _ b: UInt64) -> UInt64 { c.fpDivD(a, b) }
    @inline(__always) static func fpMulAdd(_ c: AArch64CPU, _ addend: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 { c.fpMulAddD(addend, a, b) }
    @inline(__always) static func fpSqrt(_ c: AArch64CPU, _ a: UInt64) -> UInt64 { c.fpSqrtD(a) }
}

/// The unbiased exponent of a normal double.
@inline(__always) func fpExponent(_ bits: UInt64) -> Int { Int((bits >> 52) & 0x7FF) - 1023 }

/// The exponent of the lowest set bit of a finite nonzero double's value.
@inline(__always) func fpLowestBit(_ bits: UInt64) -> Int {
    let e = Int((bits >> 52) & 0x7FF)
    let m = bits & 0x000F_FFFF_FFFF_FFFF
    let significand = e == 0 ? m : m | 1 << 52
    return max(e, 1) - 1075 + significand.trailingZeroBitCount
}

/// The operations of the out-of-line exact path.
enum FPSlowOp: UInt8 {
    case add, sub, mul, mulx, div, max, min, maxNum, minNum, sqrt, recipEstimate, rsqrtEstimate,
         recipStep, rsqrtStep, recpX
}

extension AArch64CPU {
    /// Whether FPCR lets the host FPU compute (round to nearest, no flush to zero).
    @inline(__always) var fpFast: Bool { fpcr & FPCRBits.slowPath == 0 }

    @inline(__always) func fpRaise(_ flags: UInt32) {
        if flags != 0 { fpsr |= UInt64(flags) }
    }

    // MARK: The exact path

    @inline(never)
    func fpSlow(_ op: FPSlowOp, _ a: UInt64, _ b: UInt64, _ f: FPFormat) -> UInt64 {
        var flags: UInt32 = 0
        let r: UInt64
        switch op {
        case .add: r = fpSoftAdd(a, b, subtract: false, f, fpcr, &flags)
        case .sub: r = fpSoftAdd(a, b, subtract: true, f, fpcr, &flags)
        case .mul: r = fpSoftMul(a, b, f, fpcr, &flags)
        case .mulx: r = fpSoftMulX(a, b, f, fpcr, &flags)
        case .div: r = fpSoftDiv(a, b, f, fpcr, &flags)
        case .max: r = fpSoftMaxMin(a, b, f, max: true, numeric: false, fpcr, &flags)
        case .min: r = fpSoftMaxMin(a, b, f, max: false, numeric: false, fpcr, &flags)
        case .maxNum: r = fpSoftMaxMin(a, b, f, max: true, numeric: true, fpcr, &flags)
        case .minNum: r = fpSoftMaxMin(a, b, f, max: false, numeric: true, fpcr, &flags)
        case .sqrt: r = fpSoftSqrt(a, f, fpcr, &flags)
        case .recipEstimate: r = fpRecipEstimate(a, f, fpcr, &flags)
        case .rsqrtEstimate: r = fpRSqrtEstimate(a, f, fpcr, &flags)
        case .recipStep: r = fpStepFused(a, b, f, sqrt: false, fpcr, &flags)
        case .rsqrtStep: r = fpStepFused(a, b, f, sqrt: true, fpcr, &flags)
        case .recpX: r = fpRecpX(a, f, fpcr, &flags)
        }
        fpRaise(flags)
        return r
    }

    @inline(never)
    func fpSlowMulAdd(_ c: UInt64, _ a: UInt64, _ b: UInt64, _ f: FPFormat) -> UInt64 {
        var flags: UInt32 = 0
        let r = fpSoftMulAdd(c, a, b, f, fpcr, &flags)
        fpRaise(flags)
        return r
    }

    // MARK: Double precision

    /// FPAdd (negate = 0) or FPSub (negate = sign bit).
    @inline(__always) func fpAddD(_ a: UInt64, _ b: UInt64, negate: UInt64) -> UInt64 {
        let x = Double(bitPattern: a), y = Double(bitPattern: b ^ negate)
        let s = x + y
        if _fastPath(fpFast && s.isFinite) {
            let bb = s - x
            let err = (x - (s - bb)) + (y - bb)   // TwoSum: exact
            if err != 0 { fpsr |= UInt64(FPSRBits.ixc) }
            return s.bitPattern
        }
        return fpSlow(negate == 0 ? .add : .sub, a, b, .double)
    }

    @inline(__always) func fpMulD(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let x = Double(bitPattern: a), y = Double(bitPattern: b)
        let p = x * y
        if _fastPath(fpFast && p.isFinite) {
            // Not tiny: the product is exact iff it fits in 53 bits above its lowest set bit.
            if p.magnitude > 0x1p-1022 {
                if fpExponent(p.bitPattern) >= fpLowestBit(a) + fpLowestBit(b) + 53 { fpsr |= UInt64(FPSRBits.ixc) }
                return p.bitPattern
            }
            if x == 0 || y == 0 { return p.bitPattern }
        }
        return fpSlow(.mul, a, b, .double)
    }

    @inline(__always) func fpDivD(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let x = Double(bitPattern: a), y = Double(bitPattern: b)
        let q = x / y
        if _fastPath(fpFast && q.isFinite) {
            if q.magnitude > 0x1p-1022 && x.magnitude >= 0x1p-960 {
                if x.addingProduct(-q, y) != 0 { fpsr |= UInt64(FPSRBits.ixc) }
                return q.bitPattern
            }
            if x == 0 { return q.bitPattern }
        }
        return fpSlow(.div, a, b, .double)
    }

    @inline(__always) func fpSqrtD(_ a: UInt64) -> UInt64 {
        let x = Double(bitPattern: a)
        if _fastPath(fpFast && x >= 0x1p-960 && x < .infinity) {
            let s = x.squareRoot()
            if x.addingProduct(-s, s) != 0 { fpsr |= UInt64(FPSRBits.ixc) }
            return s.bitPattern
        }
        return fpSlow(.sqrt, a, 0, .double)
    }

    /// FPMulAdd(addend, a, b) = addend + a × b with one rounding.
    ///
    /// Exactness without a second rounding: a·b is an odd multiple of 2^(La+Lb) and c of 2^Lc
    /// (L = the exponent of the lowest set bit). When La+Lb != Lc, the exact sum is an odd multiple
    /// of 2^min(La+Lb, Lc), so it is representable iff it is below 2^(min + 53), and (rounding being
    /// monotonic) iff the rounded result is. Equal lowest bits take the exact path.
    @inline(__always) func fpMulAddD(_ c: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
        let x = Double(bitPattern: a), y = Double(bitPattern: b), z = Double(bitPattern: c)
        if _fastPath(fpFast && x.isFinite && y.isFinite && z.isFinite) {
            let r = z.addingProduct(x, y)
            if x == 0 || y == 0 { return r.bitPattern }  // exactly z + ±0, signed zeros as IEEE (= ARM) rules
            if r.isFinite && r.magnitude > 0x1p-1022 {
                let product = fpLowestBit(a) + fpLowestBit(b)
                let lowest: Int
                if z == 0 {
                    lowest = product
                } else {
                    let addend = fpLowestBit(c)
                    if addend != product {
                        lowest = min(product, addend)
                    } else {
                        return fpSlowMulAdd(c, a, b, .double)
                    }
                }
                if fpExponent(r.bitPattern) >= lowest + 53 { fpsr |= UInt64(FPSRBits.ixc) }
                return r.bitPattern
            }
        }
        return fpSlowMulAdd(c, a, b, .double)
    }

    // MARK: Single precision (exactness checked in double)

    @inline(__always) func fpAddS(_ a: UInt32, _ b: UInt32, negate: UInt32) -> UInt32 {
        let x = Float(bitPattern: a), y = Float(bitPattern: b ^ negate)
        let s = x + y
        if _fastPath(fpFast && s.isFinite) {
            let bb = s - x
            let err = (x - (s - bb)) + (y - bb)
            if err != 0 { fpsr |= UInt64(FPSRBits.ixc) }
            return s.bitPattern
        }
        return UInt32(truncatingIfNeeded: fpSlow(negate == 0 ? .add : .sub, UInt64(a), UInt64(b), .single))
    }

    @inline(__always) func fpMulS(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let x = Float(bitPattern: a), y = Float(bitPattern: b)
        let p = x * y
        if _fastPath(fpFast && p.isFinite) {
            let exact = Double(x) * Double(y)
            if exact.magnitude >= 0x1p-126 || exact == 0 {
                if Double(p) != exact { fpsr |= UInt64(FPSRBits.ixc) }
                return p.bitPattern
            }
        }
        return UInt32(truncatingIfNeeded: fpSlow(.mul, UInt64(a), UInt64(b), .single))
    }

    @inline(__always) func fpDivS(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let x = Float(bitPattern: a), y = Float(bitPattern: b)
        let q = x / y
        if _fastPath(fpFast && q.isFinite) {
            if q.magnitude > 0x1p-126 {
                if Double(q) * Double(y) != Double(x) { fpsr |= UInt64(FPSRBits.ixc) }
                return q.bitPattern
            }
            if x == 0 { return q.bitPattern }
        }
        return UInt32(truncatingIfNeeded: fpSlow(.div, UInt64(a), UInt64(b), .single))
    }

    @inline(__always) func fpSqrtS(_ a: UInt32) -> UInt32 {
        let x = Float(bitPattern: a)
        if _fastPath(fpFast && x >= 0x1p-126 && x < .infinity) {
            let s = x.squareRoot()
            if Double(s) * Double(s) != Double(x) { fpsr |= UInt64(FPSRBits.ixc) }
            return s.bitPattern
        }
        return UInt32(truncatingIfNeeded: fpSlow(.sqrt, UInt64(a), 0, .single))
    }

    @inline(__always) func fpMulAddS(_ c: UInt32, _ a: UInt32, _ b: UInt32) -> UInt32 {
        let x = Float(bitPattern: a), y = Float(bitPattern: b), z = Float(bitPattern: c)
        if _fastPath(fpFast) {
            let r = z.addingProduct(x, y)
            if r.isFinite {
                // The exact value is p + zd = s + e (TwoSum in double; p is exact).
                let p = Double(x) * Double(y), zd = Double(z)
                let s = p + zd
                let bb = s - p
                let e = (p - (s - bb)) + (zd - bb)
                if r.magnitude > 0x1p-126 || (s == 0 && e == 0) {
                    if Double(r) != s || e != 0 { fpsr |= UInt64(FPSRBits.ixc) }
                    return r.bitPattern
                }
            }
        }
        return UInt32(truncatingIfNeeded: fpSlowMulAdd(UInt64(c), UInt64(a), UInt64(b), .single))
    }

    // MARK: Operations without a host shortcut worth having

    /// FPMax/FPMin/FPMaxNum/FPMinNum on either precision.
    @inline(__always) func fpMaxMin<T: FPLane>(_ a: T, _ b: T, _ op: FPSlowOp) -> T {
        let f = T.format
        let expMask = T(truncatingIfNeeded: f.infinity)
        // Neither operand a NaN (nor, with FZ, a denormal): compare as sign-magnitude integers.
        if _fastPath(fpcr & FPCRBits.fz == 0 && (a & ~T(truncatingIfNeeded: f.signBit)) <= expMask
                     && (b & ~T(truncatingIfNeeded: f.signBit)) <= expMask) {
            let signBit = T(truncatingIfNeeded: f.signBit)
            // Map to an order-preserving unsigned key (negative values reversed).
            let ka = a & signBit != 0 ? ~a : a | signBit
            let kb = b & signBit != 0 ? ~b : b | signBit
            let isMax = op == .max || op == .maxNum
            let aZero = a & ~signBit == 0, bZero = b & ~signBit == 0
            if aZero && bZero { return isMax ? (a & b) : (a | b) }
            return isMax ? (ka > kb ? a : b) : (ka < kb ? a : b)
        }
        return T(truncatingIfNeeded: fpSlow(op, UInt64(a), UInt64(b), f))
    }

    @inline(__always) func fpBinarySlow<T: FPLane>(_ op: FPSlowOp, _ a: T, _ b: T) -> T {
        T(truncatingIfNeeded: fpSlow(op, UInt64(a), UInt64(b), T.format))
    }

    /// FPMulX: multiply where infinity × zero is ±2.
    @inline(__always) func fpMulX<T: FPLane>(_ a: T, _ b: T) -> T {
        let f = T.format
        let inf = T(truncatingIfNeeded: f.infinity)
        let ea = a & inf, eb = b & inf
        // Only an infinity or NaN (exponent all ones) can behave differently from FPMul.
        if ea != inf && eb != inf { return T.fpMul(self, a, b) }
        return fpBinarySlow(.mulx, a, b)
    }

    /// FPCompare for FCMP/FCMPE: the NZCV value.
    @inline(__always) func fpCompareFlags<T: FPLane>(_ a: T, _ b: T, signalling: Bool) -> UInt64 {
        let f = T.format
        let mag = ~T(truncatingIfNeeded: f.signBit), inf = T(truncatingIfNeeded: f.infinity)
        if _fastPath(fpcr & FPCRBits.fz == 0 && a & mag <= inf && b & mag <= inf) {
            let signBit = T(truncatingIfNeeded: f.signBit)
            if a & mag == 0 && b & mag == 0 { return 0b0110 }
            let ka = a & signBit != 0 ? ~a : a | signBit
            let kb = b & signBit != 0 ? ~b : b | signBit
            return ka == kb ? 0b0110 : ka < kb ? 0b1000 : 0b0010
        }
        return fpCompareSlow(UInt64(a), UInt64(b), f, signalling: signalling)
    }

    @inline(never)
    func fpCompareSlow(_ a: UInt64, _ b: UInt64, _ f: FPFormat, signalling: Bool) -> UInt64 {
        var flags: UInt32 = 0
        let r = fpCompare(a, b, f, signalling: signalling, fpcr, &flags)
        fpRaise(flags)
        return r
    }

    /// FCMEQ/FCMGE/FCMGT/FACGE/FACGT lane result (kind 0 EQ, 1 GE, 2 GT).
    @inline(never)
    func fpCompareLane(_ a: UInt64, _ b: UInt64, _ f: FPFormat, kind: Int, absolute: Bool) -> Bool {
        var flags: UInt32 = 0
        let r = fpCompareMask(a, b, f, kind: kind, absolute: absolute, fpcr, &flags)
        fpRaise(flags)
        return r
    }
}

// MARK: - Conversions

extension AArch64CPU {
    /// The host rounding rule for an FPRounding value.
    @inline(__always) static func hostRule(_ rounding: Int) -> FloatingPointRoundingRule {
        switch rounding {
        case FPRounding.tieEven: return .toNearestOrEven
        case FPRounding.posInf: return .up
        case FPRounding.negInf: return .down
        case FPRounding.zero: return .towardZero
        default: return .toNearestOrAwayFromZero
        }
    }

    /// An FP lane as a host Double (exact for both precisions).
    @inline(__always) static func hostDouble<T: FPLane>(_ a: T) -> Double {
        T.self == UInt32.self ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: a))) : Double(bitPattern: UInt64(a))
    }

    /// FPToFixed: the lane `a` × 2^fbits, rounded per `rounding` (an FPRounding value), saturated to
    /// `bits` (32 or 64) bits; the result is zero-extended.
    @inline(__always)
    func fpToInt<T: FPLane>(_ a: T, fbits: Int, unsigned: Bool, bits: Int, rounding: Int) -> UInt64 {
        if _fastPath(fpcr & FPCRBits.fz == 0) {
            var x = Self.hostDouble(a)
            if fbits != 0 { x *= Double(sign: .plus, exponent: fbits, significand: 1) }
            let t = x.rounded(Self.hostRule(rounding))
            let limit: Double = bits == 64 ? 0x1p64 : 0x1p32
            if unsigned {
                if t >= 0 && t < limit {
                    if t != x { fpsr |= UInt64(FPSRBits.ixc) }
                    return UInt64(t)
                }
            } else if t >= -limit / 2 && t < limit / 2 {
                if t != x { fpsr |= UInt64(FPSRBits.ixc) }
                return UInt64(bitPattern: Int64(t)) & lowMask(bits)
            }
        }
        return fpToIntSlow(UInt64(a), T.format, fbits: fbits, unsigned: unsigned, bits: bits, rounding: rounding)
    }

    @inline(never)
    func fpToIntSlow(_ a: UInt64, _ f: FPFormat, fbits: Int, unsigned: Bool, bits: Int, rounding: Int) -> UInt64 {
        var flags: UInt32 = 0
        let r = fpToFixed(a, f, fbits: fbits, unsigned: unsigned, bits: bits, rounding: rounding, fpcr, &flags)
        fpRaise(flags)
        return r
    }

    /// FixedToFP: the `bits`-bit integer `value` / 2^fbits as a lane of type T, rounded per FPCR.
    @inline(__always)
    func intToFP<T: FPLane>(_ value: UInt64, fbits: Int, unsigned: Bool, bits: Int, as: T.Type) -> T {
        let v = value & lowMask(bits)
        if _fastPath(fpcr & (3 << FPCRBits.rmodeShift) == 0) {
            let negative = !unsigned && v >> UInt64(bits - 1) != 0
            let magnitude = negative ? (0 &- v) & lowMask(bits) : v
            let span = magnitude == 0 ? 0 : 64 - magnitude.leadingZeroBitCount - magnitude.trailingZeroBitCount
            let precision = T.self == UInt32.self ? 24 : 53
            let signed = bits == 64 ? Int64(bitPattern: v) : Int64(Int32(truncatingIfNeeded: v))
            if span > precision { fpsr |= UInt64(FPSRBits.ixc) }
            if T.self == UInt32.self {
                var r = unsigned ? Float(v) : Float(signed)
                if fbits != 0 { r *= Float(sign: .plus, exponent: -fbits, significand: 1) }
                return T(truncatingIfNeeded: r.bitPattern)
            }
            var r = unsigned ? Double(v) : Double(signed)
            if fbits != 0 { r *= Double(sign: .plus, exponent: -fbits, significand: 1) }
            return T(truncatingIfNeeded: r.bitPattern)
        }
        return T(truncatingIfNeeded: intToFPSlow(v, fbits: fbits, unsigned: unsigned, bits: bits, T.format))
    }

    @inline(never)
    func intToFPSlow(_ v: UInt64, fbits: Int, unsigned: Bool, bits: Int, _ f: FPFormat) -> UInt64 {
        var flags: UInt32 = 0
        let r = fixedToFP(v, fbits: fbits, unsigned: unsigned, bits: bits, f, rounding: fpcrRounding(fpcr), fpcr, &flags)
        fpRaise(flags)
        return r
    }

    /// FPRoundInt (FRINTN/P/M/Z/A; FRINTX and FRINTI pass FPCR's rounding, FRINTX with `exact`).
    @inline(__always)
    func fpRoundToInt<T: FPLane>(_ a: T, rounding: Int, exact: Bool) -> T {
        let f = T.format
        let mag = a & ~T(truncatingIfNeeded: f.signBit)
        if _fastPath(fpcr & FPCRBits.fz == 0 && mag <= T(truncatingIfNeeded: f.infinity)) {
            if T.self == UInt32.self {
                let x = Float(bitPattern: UInt32(truncatingIfNeeded: a))
                let r = x.rounded(Self.hostRule(rounding))
                if exact && r != x { fpsr |= UInt64(FPSRBits.ixc) }
                return T(truncatingIfNeeded: r.bitPattern)
            }
            let x = Double(bitPattern: UInt64(a))
            let r = x.rounded(Self.hostRule(rounding))
            if exact && r != x { fpsr |= UInt64(FPSRBits.ixc) }
            return T(truncatingIfNeeded: r.bitPattern)
        }
        return T(truncatingIfNeeded: fpRoundIntSlow(UInt64(a), f, rounding: rounding, exact: exact))
    }

    @inline(never)
    func fpRoundIntSlow(_ a: UInt64, _ f: FPFormat, rounding: Int, exact: Bool) -> UInt64 {
        var flags: UInt32 = 0
        let r = fpRoundInt(a, f, rounding: rounding, exact: exact, fpcr, &flags)
        fpRaise(flags)
        return r
    }

    /// FCVT from single to double precision.
    @inline(__always) func fpWidenSD(_ a: UInt32) -> UInt64 {
        let mag = a & 0x7FFF_FFFF
        // Not a NaN, and no denormal to flush: the host conversion is exact.
        if _fastPath(mag <= 0x7F80_0000 && (fpcr & FPCRBits.fz == 0 || mag >= 0x0080_0000 || mag == 0)) {
            return Double(Float(bitPattern: a)).bitPattern
        }
        return fpConvertSlow(UInt64(a), from: .single, to: .double)
    }

    /// FCVT from double to single precision.
    @inline(__always) func fpNarrowDS(_ a: UInt64) -> UInt32 {
        let x = Double(bitPattern: a)
        if _fastPath(fpFast) {
            let r = Float(x)
            if r.isFinite && (r.magnitude > 0x1p-126 || x == 0) {
                if Double(r) != x { fpsr |= UInt64(FPSRBits.ixc) }
                return r.bitPattern
            }
        }
        return UInt32(truncatingIfNeeded: fpConvertSlow(a, from: .double, to: .single))
    }

    @inline(never)
    func fpConvertSlow(_ a: UInt64, from: FPFormat, to: FPFormat, rounding: Int? = nil) -> UInt64 {
        var flags: UInt32 = 0
        let r = fpSoftConvert(a, from: from, to: to, fpcr, rounding: rounding ?? fpcrRounding(fpcr), &flags)
        fpRaise(flags)
        return r
    }
}
