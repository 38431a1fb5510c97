// Conversions as the execution switch calls them: FP to integer (FCVT[NPMZA][SU], fixed point
// included), integer to FP (SCVTF/UCVTF), FRINT*, and FCVT between half, single and double.
// Fast paths use the host where it agrees with the ARM ARM (see FPArith.swift); everything else
// goes to the exact model in FPSoft*.swift.

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
