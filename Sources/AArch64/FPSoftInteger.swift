// Exact software semantics, continued: conversions to and from integers (FPToFixed, FixedToFP),
// FPRoundInt, comparisons, FPMax/FPMin and their NaN-suppressing variants, and the reciprocal
// estimates and steps (FPRecipEstimate, FPRSqrtEstimate, FPRecipStepFused, FPRSqrtStepFused,
// FPRecpX). All follow the ARM ARM shared pseudocode (DDI 0487, chapter J1) with FPCR.AH = 0.

/// Rounds the magnitude m + fraction (given as its half bit and the OR of the bits below) per
/// `rounding`, for a value of sign `sign`: the FPToFixed/FPRoundInt rounding on sign-magnitude.
@inline(__always)
func roundMagnitude(_ m: UInt64, half: Bool, rest: Bool, sign: Bool, rounding: Int) -> (UInt64, carry: Bool) {
    let inexact = half || rest
    let up: Bool
    switch rounding {
    case FPRounding.tieEven: up = half && (rest || m & 1 != 0)
    case FPRounding.posInf: up = inexact && !sign
    case FPRounding.negInf: up = inexact && sign
    case FPRounding.tieAway: up = half
    default: up = false
    }
    if up {
        let (r, o) = m.addingReportingOverflow(1)
        return (r, o)
    }
    return (m, false)
}

/// Splits sig·2^exp into its integer magnitude and fraction bits; `big` when the integer part
/// needs more than 64 bits.
@inline(__always)
func splitInteger(_ sig: UInt64, _ exp: Int) -> (m: UInt64, half: Bool, rest: Bool, big: Bool) {
    if exp >= 0 {
        if exp >= 64 || sig.leadingZeroBitCount < exp { return (0, false, false, true) }
        return (sig << UInt64(exp), false, false, false)
    }
    let s = -exp
    if s > 64 { return (0, false, true, false) }
    if s == 64 { return (0, sig >> 63 != 0, sig << 1 != 0, false) }
    return (sig >> UInt64(s), (sig >> UInt64(s - 1)) & 1 != 0, sig & lowMask(s - 1) != 0, false)
}

/// FPToFixed: `a` (format `f`) × 2^fbits rounded to an integer of `bits` bits, saturating.
/// NaN gives 0; out of range saturates; both raise Invalid Operation. Returns the integer
/// zero-extended from `bits`.
func fpToFixed(_ a: UInt64, _ f: FPFormat, fbits: Int, unsigned: Bool, bits: Int, rounding: Int,
               _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    let x = fpUnpack(a, f, fz: fz, &flags)
    let maxPositive: UInt64 = unsigned ? lowMask(bits) : lowMask(bits - 1)
    let minNegativeMagnitude: UInt64 = unsigned ? 0 : 1 << UInt64(bits - 1)
    let mask = lowMask(bits)
    switch x.kind {
    case .qnan, .snan:
        flags |= FPSRBits.ioc
        return 0
    case .zero:
        return 0
    case .infinity:
        flags |= FPSRBits.ioc
        return x.sign ? (0 &- minNegativeMagnitude) & mask : maxPositive
    case .finite:
        let parts = splitInteger(x.sig, x.exp + fbits)
        var (m, carry) = roundMagnitude(parts.m, half: parts.half, rest: parts.rest, sign: x.sign, rounding: rounding)
        if parts.big { carry = true }
        if x.sign {
            if carry || m > minNegativeMagnitude { flags |= FPSRBits.ioc; return (0 &- minNegativeMagnitude) & mask }
            m = (0 &- m) & mask
        } else if carry || m > maxPositive {
            flags |= FPSRBits.ioc; return maxPositive
        }
        if parts.half || parts.rest { flags |= FPSRBits.ixc }
        return m
    }
}

/// FixedToFP: the `bits`-bit integer `value` / 2^fbits, rounded to format `f`.
func fixedToFP(_ value: UInt64, fbits: Int, unsigned: Bool, bits: Int, _ f: FPFormat, rounding: Int,
               _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    var v = value & lowMask(bits)
    var sign = false
    if !unsigned && v >> UInt64(bits - 1) != 0 {
        sign = true
        v = (0 &- v) & lowMask(bits)
        if v == 0 { v = 1 << UInt64(bits - 1) }  // the most negative value
    }
    if v == 0 { return 0 }
    return fpRound(sign: sign, exp: -fbits, sig: v, f, fz: fpcr & FPCRBits.fz != 0 && f != .half,
                   rounding: rounding, &flags)
}

/// FPRoundInt: rounds to an integral value in the same format; `exact` (FRINTX) raises Inexact.
func fpRoundInt(_ a: UInt64, _ f: FPFormat, rounding: Int, exact: Bool, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    let x = fpUnpack(a, f, fz: fz, &flags)
    switch x.kind {
    case .qnan, .snan: return fpProcessNaN(a, x.kind, f, fpcr, &flags)
    case .infinity: return fpInfinity(x.sign, f)
    case .zero: return fpZero(x.sign, f)
    case .finite:
        if x.exp >= 0 { return a }  // already an integer
        let parts = splitInteger(x.sig, x.exp)
        let (m, _) = roundMagnitude(parts.m, half: parts.half, rest: parts.rest, sign: x.sign, rounding: rounding)
        if exact && (parts.half || parts.rest) { flags |= FPSRBits.ixc }
        if m == 0 { return fpZero(x.sign, f) }
        var none: UInt32 = 0
        return fpRound(sign: x.sign, exp: 0, sig: m, f, fz: false, rounding: FPRounding.zero, &none)
    }
}

/// FPCompare: NZCV for (a, b). Unordered is 0011 and raises Invalid Operation for a signalling
/// NaN, or for any NaN when `signalling` (FCMPE).
func fpCompare(_ a: UInt64, _ b: UInt64, _ f: FPFormat, signalling: Bool, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    let x = fpUnpack(a, f, fz: fz, &flags), y = fpUnpack(b, f, fz: fz, &flags)
    if x.isNaN || y.isNaN {
        if signalling || x.kind == .snan || y.kind == .snan { flags |= FPSRBits.ioc }
        return 0b0011
    }
    let order = fpOrder(x, y)
    return order == 0 ? 0b0110 : order < 0 ? 0b1000 : 0b0010
}

/// The order of two non-NaN unpacked values: -1, 0 or 1.
func fpOrder(_ x: FPValue, _ y: FPValue) -> Int {
    let vx = fpHostValue(x), vy = fpHostValue(y)
    return vx == vy ? 0 : vx < vy ? -1 : 1
}

/// An unpacked non-NaN value as a host Double (exact for half, single and double operands).
@inline(__always) func fpHostValue(_ x: FPValue) -> Double {
    switch x.kind {
    case .zero: return x.sign ? -0.0 : 0.0
    case .infinity: return x.sign ? -.infinity : .infinity
    default:
        let m = Double(sign: x.sign ? .minus : .plus, exponent: x.exp, significand: Double(x.sig))
        return m
    }
}

/// The compare of FCMEQ/FCMGE/FCMGT (and FACGE/FACGT on absolute values): all-ones or zero.
/// `kind`: 0 = EQ (signals on signalling NaNs only), 1 = GE, 2 = GT (signal on any NaN).
func fpCompareMask(_ a: UInt64, _ b: UInt64, _ f: FPFormat, kind: Int, absolute: Bool, _ fpcr: UInt64,
                   _ flags: inout UInt32) -> Bool {
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    var x = fpUnpack(a, f, fz: fz, &flags), y = fpUnpack(b, f, fz: fz, &flags)
    if x.isNaN || y.isNaN {
        if kind != 0 || x.kind == .snan || y.kind == .snan { flags |= FPSRBits.ioc }
        return false
    }
    if absolute { x.sign = false; y.sign = false }
    let order = fpOrder(x, y)
    switch kind {
    case 0: return order == 0
    case 1: return order >= 0
    default: return order > 0
    }
}

/// FPMax / FPMin (`max` selects); with `numeric`, FPMaxNum / FPMinNum (a single quiet NaN loses).
func fpSoftMaxMin(_ a0: UInt64, _ b0: UInt64, _ f: FPFormat, max: Bool, numeric: Bool, _ fpcr: UInt64,
              _ flags: inout UInt32) -> UInt64 {
    var a = a0, b = b0
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    if numeric {
        var none: UInt32 = 0
        let ka = fpUnpack(a, f, fz: false, &none).kind, kb = fpUnpack(b, f, fz: false, &none).kind
        // The quiet NaN becomes the infinity that always loses.
        if ka == .qnan && kb != .qnan { a = fpInfinity(max, f) }
        else if ka != .qnan && kb == .qnan { b = fpInfinity(max, f) }
    }
    let x = fpUnpack(a, f, fz: fz, &flags), y = fpUnpack(b, f, fz: fz, &flags)
    if let nan = fpProcessNaNs(a, x.kind, b, y.kind, f, fpcr, &flags) { return nan }
    let order = fpOrder(x, y)
    let first = max ? order > 0 : order < 0
    let chosen = first ? x : y
    switch chosen.kind {
    case .infinity: return fpInfinity(chosen.sign, f)
    case .zero: return fpZero(max ? (x.sign && y.sign) : (x.sign || y.sign), f)
    default: return first ? a : b
    }
}

// MARK: - Reciprocal estimates and steps

/// RecipEstimate: a 9-bit reciprocal of a in [256, 512) (units of 1/512), in [256, 512).
@inline(__always) func recipEstimate(_ a0: Int) -> Int {
    let a = a0 * 2 + 1
    let b = (1 << 19) / a
    return (b + 1) / 2
}

/// RecipSqrtEstimate: a 9-bit reciprocal square root of a in [128, 512).
func recipSqrtEstimate(_ a0: Int) -> Int {
    var a = a0
    if a < 256 { a = a * 2 + 1 } else { a = (a >> 1) << 1; a = (a + 1) * 2 }
    var b = 512
    while a * (b + 1) * (b + 1) < 1 << 28 { b += 1 }
    return (b + 1) / 2
}

/// FPRecipEstimate (FRECPE), single and double precision.
func fpRecipEstimate(_ a: UInt64, _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0
    let x = fpUnpack(a, f, fz: fz, &flags)
    switch x.kind {
    case .qnan, .snan: return fpProcessNaN(a, x.kind, f, fpcr, &flags)
    case .infinity: return fpZero(x.sign, f)
    case .zero: flags |= FPSRBits.dzc; return fpInfinity(x.sign, f)
    case .finite: break
    }
    let tinyLimit = f == .single ? -128 : -1024
    let msbExp = x.exp + 63 - x.sig.leadingZeroBitCount
    if msbExp < tinyLimit {
        let rounding = fpcrRounding(fpcr)
        let toInf = rounding == FPRounding.tieEven || (rounding == FPRounding.posInf && !x.sign)
            || (rounding == FPRounding.negInf && x.sign)
        flags |= FPSRBits.ofc | FPSRBits.ixc
        return toInf ? fpInfinity(x.sign, f) : (x.sign ? f.signBit : 0) | f.maxNormal
    }
    if fz && msbExp >= (f == .single ? 126 : 1022) {
        flags |= FPSRBits.ufc
        return fpZero(x.sign, f)
    }
    // Work on a double-precision-shaped 52-bit fraction, as the pseudocode does.
    var fraction = (a & f.fracMask) << UInt64(52 - f.frac)
    var exp = Int((a >> UInt64(f.frac)) & f.expMask)
    if exp == 0 {
        if fraction >> 51 & 1 == 0 { exp = -1; fraction = (fraction << 2) & lowMask(52) }
        else { fraction = (fraction << 1) & lowMask(52) }
    }
    let scaled = Int(0x100 | (fraction >> 44))
    var resultExp = (f == .single ? 253 : 2045) - exp
    let estimate = UInt64(recipEstimate(scaled))
    fraction = (estimate & 0xFF) << 44
    if resultExp == 0 {
        fraction = (1 << 51) | (fraction >> 1)
    } else if resultExp == -1 {
        fraction = (1 << 50) | (fraction >> 2)
        resultExp = 0
    }
    let sign: UInt64 = x.sign ? f.signBit : 0
    return sign | (UInt64(resultExp) << UInt64(f.frac)) | (fraction >> UInt64(52 - f.frac))
}

/// FPRSqrtEstimate (FRSQRTE), single and double precision.
func fpRSqrtEstimate(_ a: UInt64, _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0
    let x = fpUnpack(a, f, fz: fz, &flags)
    switch x.kind {
    case .qnan, .snan: return fpProcessNaN(a, x.kind, f, fpcr, &flags)
    case .zero: flags |= FPSRBits.dzc; return fpInfinity(x.sign, f)
    default: break
    }
    if x.sign { flags |= FPSRBits.ioc; return f.defaultNaN }
    if x.kind == .infinity { return 0 }
    var fraction = (a & f.fracMask) << UInt64(52 - f.frac)
    var exp = Int((a >> UInt64(f.frac)) & f.expMask)
    if exp == 0 {
        while fraction >> 51 & 1 == 0 { fraction = (fraction << 1) & lowMask(52); exp -= 1 }
        fraction = (fraction << 1) & lowMask(52)
    }
    let scaled = exp & 1 != 0 ? Int(0x80 | (fraction >> 45)) : Int(0x100 | (fraction >> 44))
    let resultExp = ((f == .single ? 380 : 3068) - exp) >> 1   // DIV 2 (floor); always positive here
    let estimate = UInt64(recipSqrtEstimate(scaled))
    return (UInt64(resultExp) << UInt64(f.frac)) | ((estimate & 0xFF) << UInt64(f.frac - 8))
}

/// FPRecipStepFused (FRECPS: 2 - a·b) and FPRSqrtStepFused (FRSQRTS: (3 - a·b) / 2), fused.
func fpStepFused(_ a0: UInt64, _ b: UInt64, _ f: FPFormat, sqrt: Bool, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let a = a0 ^ f.signBit   // op1 = FPNeg(op1), before NaN processing
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    let rounding = fpcrRounding(fpcr)
    let x = fpUnpack(a, f, fz: fz, &flags), y = fpUnpack(b, f, fz: fz, &flags)
    if let nan = fpProcessNaNs(a, x.kind, b, y.kind, f, fpcr, &flags) { return nan }
    let infX = x.kind == .infinity, infY = y.kind == .infinity
    if (infX && y.kind == .zero) || (x.kind == .zero && infY) {
        // FPTwo('0') or FPOnePointFive('0')
        return sqrt ? (UInt64(f.bias) << UInt64(f.frac)) | (1 << UInt64(f.frac - 1)) : UInt64(f.bias + 1) << UInt64(f.frac)
    }
    if infX || infY { return fpInfinity(x.sign != y.sign, f) }
    let zeroP = x.kind == .zero || y.kind == .zero
    let product: UInt128 = zeroP ? 0 : UInt128(x.sig) * UInt128(y.sig)
    guard let s = fpAddMagnitudes(x.sign != y.sign, x.exp + y.exp, product, false, sqrt ? 0 : 1, sqrt ? 3 : 1) else {
        return fpZero(rounding == FPRounding.negInf, f)
    }
    return fpRound128(sign: s.sign, exp: sqrt ? s.exp - 1 : s.exp, sig: s.sig, f, fz: fz, rounding: rounding, &flags)
}

/// FPRecpX (FRECPX): an exponent-only reciprocal estimate.
func fpRecpX(_ a: UInt64, _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0
    let x = fpUnpack(a, f, fz: fz, &flags)
    if x.isNaN { return fpProcessNaN(a, x.kind, f, fpcr, &flags) }
    let sign: UInt64 = x.sign ? f.signBit : 0
    let exp = (a >> UInt64(f.frac)) & f.expMask
    if exp == 0 { return sign | ((f.expMask - 1) << UInt64(f.frac)) }
    return sign | ((~exp & f.expMask) << UInt64(f.frac))
}
