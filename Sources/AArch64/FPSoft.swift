// Exact floating point in software: the ARM ARM's FPUnpack, FPRound and the arithmetic built on
// them (FPAdd, FPMul, FPDiv, FPSqrt, FPMulAdd, FPConvert), for half, single and double precision.
//
// This is the reference semantics. The hot paths in FPArith.swift use the host FPU and fall back
// to these functions whenever the host could disagree with the ARM ARM: a NaN or infinity is
// involved, the result is tiny or overflows, FPCR.FZ is set or FPCR.RMode is not round-to-nearest.
// Everything here runs on integer arithmetic, so it does not depend on the host's rounding mode or
// exception flags, and detects tininess *before* rounding, as the ARM ARM's FPRound does.
//
// Naming: `fp*` functions take and return raw bit patterns (zero-extended to UInt64) and a
// format; exception flags accumulate into an `inout UInt32` in FPSR bit positions (`FPSRBits`).

/// The FPSR cumulative exception bits (ARM ARM D19.2 "FPSR, Floating-point Status Register").
enum FPSRBits {
    static let ioc: UInt32 = 1 << 0    // Invalid Operation
    static let dzc: UInt32 = 1 << 1    // Divide by Zero
    static let ofc: UInt32 = 1 << 2    // Overflow
    static let ufc: UInt32 = 1 << 3    // Underflow
    static let ixc: UInt32 = 1 << 4    // Inexact
    static let idc: UInt32 = 1 << 7    // Input Denormal
    static let qc: UInt64 = 1 << 27    // saturation (Advanced SIMD)
}

/// The FPCR fields this model honours (ARM ARM D19.2 "FPCR, Floating-point Control Register").
enum FPCRBits {
    static let ahp: UInt64 = 1 << 26   // alternative half precision
    static let dn: UInt64 = 1 << 25    // default NaN
    static let fz: UInt64 = 1 << 24    // flush to zero (single and double)
    static let rmodeShift: UInt64 = 22
    /// The bits that force the exact software path: FZ and a non-nearest RMode.
    static let slowPath: UInt64 = fz | (3 << 22)
}

/// FPRounding: the rounding of one operation. The first four match FPCR.RMode.
enum FPRounding {
    static let tieEven = 0, posInf = 1, negInf = 2, zero = 3, tieAway = 4, odd = 5
}

/// An IEEE binary format: its field widths.
struct FPFormat: Equatable {
    /// F: fraction bits; E: exponent bits.
    let frac: Int, exp: Int
    var width: Int { 1 + exp + frac }
    var bias: Int { (1 << (exp - 1)) - 1 }
    /// The exponent of the smallest normal number.
    var minExp: Int { 1 - bias }
    var expMask: UInt64 { (1 << UInt64(exp)) - 1 }
    var fracMask: UInt64 { (1 << UInt64(frac)) - 1 }
    var signBit: UInt64 { 1 << UInt64(exp + frac) }
    var quietBit: UInt64 { 1 << UInt64(frac - 1) }
    var infinity: UInt64 { expMask << UInt64(frac) }
    /// FPDefaultNaN: positive, quiet, zero payload.
    var defaultNaN: UInt64 { infinity | quietBit }
    var maxNormal: UInt64 { infinity - 1 }

    static let half = FPFormat(frac: 10, exp: 5)
    static let single = FPFormat(frac: 23, exp: 8)
    static let double = FPFormat(frac: 52, exp: 11)
}

/// FPType of an unpacked operand.
enum FPKind: UInt8 {
    case zero, finite, infinity, qnan, snan
}

/// An unpacked operand: value = sig × 2^exp when `kind == .finite` (sig != 0).
struct FPValue {
    var kind: FPKind
    var sign: Bool
    var exp: Int
    var sig: UInt64

    var isNaN: Bool { kind == .qnan || kind == .snan }
}

/// FPUnpack: classifies `bits`; with FZ (not for half precision) a denormal reads as zero and
/// raises Input Denormal. With `ahp`, a half-precision all-ones exponent is an ordinary number.
@inline(__always)
func fpUnpack(_ bits: UInt64, _ f: FPFormat, fz: Bool, ahp: Bool = false, _ flags: inout UInt32) -> FPValue {
    let sign = bits & f.signBit != 0
    let e = (bits >> UInt64(f.frac)) & f.expMask
    let m = bits & f.fracMask
    if e == 0 {
        if m == 0 { return FPValue(kind: .zero, sign: sign, exp: 0, sig: 0) }
        if fz {
            flags |= FPSRBits.idc
            return FPValue(kind: .zero, sign: sign, exp: 0, sig: 0)
        }
        return FPValue(kind: .finite, sign: sign, exp: f.minExp - f.frac, sig: m)
    }
    if e == f.expMask && !ahp {
        if m == 0 { return FPValue(kind: .infinity, sign: sign, exp: 0, sig: 0) }
        return FPValue(kind: m & f.quietBit != 0 ? .qnan : .snan, sign: sign, exp: 0, sig: 0)
    }
    return FPValue(kind: .finite, sign: sign, exp: Int(e) - f.bias - f.frac, sig: m | (1 << UInt64(f.frac)))
}

/// FPProcessNaN: quietens a NaN (Invalid Operation if it was signalling); FPCR.DN gives the default NaN.
@inline(__always)
func fpProcessNaN(_ bits: UInt64, _ kind: FPKind, _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    if kind == .snan { flags |= FPSRBits.ioc }
    if fpcr & FPCRBits.dn != 0 { return f.defaultNaN }
    return bits | f.quietBit
}

/// FPProcessNaNs: the first signalling NaN, else the first quiet NaN, of (a, b); nil if neither is a NaN.
@inline(__always)
func fpProcessNaNs(_ a: UInt64, _ ka: FPKind, _ b: UInt64, _ kb: FPKind, _ f: FPFormat, _ fpcr: UInt64,
                   _ flags: inout UInt32) -> UInt64? {
    if ka == .snan { return fpProcessNaN(a, ka, f, fpcr, &flags) }
    if kb == .snan { return fpProcessNaN(b, kb, f, fpcr, &flags) }
    if ka == .qnan { return fpProcessNaN(a, ka, f, fpcr, &flags) }
    if kb == .qnan { return fpProcessNaN(b, kb, f, fpcr, &flags) }
    return nil
}

/// FPProcessNaNs3, in operand order (for FPMulAdd: addend, then the two factors).
func fpProcessNaNs3(_ a: UInt64, _ ka: FPKind, _ b: UInt64, _ kb: FPKind, _ c: UInt64, _ kc: FPKind,
                    _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64? {
    if ka == .snan { return fpProcessNaN(a, ka, f, fpcr, &flags) }
    if kb == .snan { return fpProcessNaN(b, kb, f, fpcr, &flags) }
    if kc == .snan { return fpProcessNaN(c, kc, f, fpcr, &flags) }
    if ka == .qnan { return fpProcessNaN(a, ka, f, fpcr, &flags) }
    if kb == .qnan { return fpProcessNaN(b, kb, f, fpcr, &flags) }
    if kc == .qnan { return fpProcessNaN(c, kc, f, fpcr, &flags) }
    return nil
}

@inline(__always) func fpZero(_ sign: Bool, _ f: FPFormat) -> UInt64 { sign ? f.signBit : 0 }
@inline(__always) func fpInfinity(_ sign: Bool, _ f: FPFormat) -> UInt64 { (sign ? f.signBit : 0) | f.infinity }

/// The rounding FPCR.RMode selects.
@inline(__always) func fpcrRounding(_ fpcr: UInt64) -> Int { Int((fpcr >> FPCRBits.rmodeShift) & 3) }

/// FPRound (ARM ARM shared pseudocode FPRoundBase): rounds the nonzero value
/// (sig + sticky·ε) × 2^exp to format `f`, where `sticky` stands for nonzero bits below sig's
/// lowest bit. Tininess is detected before rounding; FZ flushes tiny results to zero (Underflow,
/// no Inexact); `ahp` selects the alternative half-precision format (no infinities: overflow is
/// Invalid Operation and saturates).
func fpRound(sign: Bool, exp exp0: Int, sig sig0: UInt64, sticky: Bool = false, _ f: FPFormat,
             fz: Bool, ahp: Bool = false, rounding: Int, _ flags: inout UInt32) -> UInt64 {
    precondition(sig0 != 0, "fpRound of zero")
    let signBits: UInt64 = sign ? f.signBit : 0
    let msb = 63 - sig0.leadingZeroBitCount
    let exponent = exp0 + msb                       // value in [2^exponent, 2^(exponent+1))
    if fz && exponent < f.minExp {
        flags |= FPSRBits.ufc
        return signBits
    }
    // Capped so the field arithmetic below cannot wrap; anything this large overflows anyway.
    let biasedExp = min(max(exponent - f.minExp + 1, 0), Int(f.expMask) + 2)
    let lsbExp = max(exponent, f.minExp) - f.frac   // weight of the result's last mantissa bit
    let shift = lsbExp - exp0
    var mant: UInt64
    var half = false, rest = sticky
    if shift <= 0 {
        mant = sig0 << UInt64(-shift)
    } else if shift >= 65 {
        mant = 0; rest = true
    } else if shift == 64 {
        mant = 0; half = sig0 >> 63 != 0; rest = rest || sig0 << 1 != 0
    } else {
        mant = sig0 >> UInt64(shift)
        half = (sig0 >> UInt64(shift - 1)) & 1 != 0
        rest = rest || sig0 & lowMask(shift - 1) != 0
    }
    let inexact = half || rest
    if biasedExp == 0 && inexact { flags |= FPSRBits.ufc }
    let roundUp: Bool
    var overflowToInfinity = true
    switch rounding {
    case FPRounding.tieEven: roundUp = half && (rest || mant & 1 != 0)
    case FPRounding.posInf: roundUp = inexact && !sign; overflowToInfinity = !sign
    case FPRounding.negInf: roundUp = inexact && sign; overflowToInfinity = sign
    case FPRounding.tieAway: roundUp = half
    default: roundUp = false; overflowToInfinity = false   // zero, odd
    }
    if roundUp { mant &+= 1 }
    if rounding == FPRounding.odd && inexact { mant |= 1 }
    // A normal mantissa carries its hidden bit, which adds one to the exponent field: a carry out of
    // the mantissa, or a denormal rounding up to the smallest normal, lands in the right place.
    var result = (biasedExp == 0 ? 0 : UInt64(biasedExp - 1) << UInt64(f.frac)) &+ mant
    if ahp && f == .half {
        if result >> UInt64(f.frac) > f.expMask {
            flags |= FPSRBits.ioc
            return signBits | 0x7FFF
        }
    } else if result >> UInt64(f.frac) >= f.expMask {
        flags |= FPSRBits.ofc | FPSRBits.ixc
        return signBits | (overflowToInfinity ? f.infinity : f.maxNormal)
    }
    if inexact { flags |= FPSRBits.ixc }
    result |= signBits
    return result
}

/// fpRound for a 128-bit significand.
func fpRound128(sign: Bool, exp: Int, sig: UInt128, sticky: Bool = false, _ f: FPFormat,
                fz: Bool, ahp: Bool = false, rounding: Int, _ flags: inout UInt32) -> UInt64 {
    let high = UInt64(truncatingIfNeeded: sig >> 64)
    if high == 0 {
        return fpRound(sign: sign, exp: exp, sig: UInt64(truncatingIfNeeded: sig), sticky: sticky, f,
                       fz: fz, ahp: ahp, rounding: rounding, &flags)
    }
    let drop = 64 - high.leadingZeroBitCount
    let kept = UInt64(truncatingIfNeeded: sig >> UInt128(drop))
    let lost = sig & ((1 << UInt128(drop)) - 1) != 0
    return fpRound(sign: sign, exp: exp + drop, sig: kept, sticky: sticky || lost, f,
                   fz: fz, ahp: ahp, rounding: rounding, &flags)
}

/// Shifts right by `n`, ORing every bit shifted out into bit 0 ("jamming").
@inline(__always) func shiftRightJam(_ x: UInt128, _ n: Int) -> UInt128 {
    if n <= 0 { return x }
    if n >= 128 { return x == 0 ? 0 : 1 }
    let lost = x & ((1 << UInt128(n)) - 1) != 0
    return (x >> UInt128(n)) | (lost ? 1 : 0)
}

/// Adds two signed magnitudes sa·2^ea and sb·2^eb (either may be zero) exactly enough to round once:
/// returns (sign, sig, exp) of the sum with a jammed sticky bit, or nil for an exact zero.
func fpAddMagnitudes(_ signA: Bool, _ ea: Int, _ a: UInt128, _ signB: Bool, _ eb: Int, _ b: UInt128)
    -> (sign: Bool, exp: Int, sig: UInt128)? {
    // Bring both to a frame with the top bit at 125 (two bits of headroom for the carry).
    func normalize(_ e: Int, _ s: UInt128) -> (Int, UInt128) {
        if s == 0 { return (Int.min / 2, 0) }
        let shift = s.leadingZeroBitCount - 2
        return (e - shift, s << UInt128(shift))
    }
    var (xa, sa) = normalize(ea, a), (xb, sb) = normalize(eb, b)
    if sb == 0 || (sa != 0 && xa >= xb) {
        sb = shiftRightJam(sb, xa - xb); xb = xa
    } else {
        sa = shiftRightJam(sa, xb - xa); xa = xb
    }
    // Now both share exponent xa.
    var sign: Bool, sum: UInt128
    if signA == signB {
        sign = signA; sum = sa + sb
    } else if sa >= sb {
        sign = signA; sum = sa - sb
    } else {
        sign = signB; sum = sb - sa
    }
    if sum == 0 { return nil }
    return (sign, xa, sum)
}

// MARK: - Arithmetic (ARM ARM FPAdd, FPMul, FPDiv, FPSqrt, FPMulAdd)

/// FPAdd (or FPSub when `subtract`).
func fpSoftAdd(_ a: UInt64, _ b0: UInt64, subtract: Bool, _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    let rounding = fpcrRounding(fpcr)
    let x = fpUnpack(a, f, fz: fz, &flags), y = fpUnpack(b0, f, fz: fz, &flags)
    // NaNs propagate unnegated: FPSub processes the original operand 2.
    if let nan = fpProcessNaNs(a, x.kind, b0, y.kind, f, fpcr, &flags) { return nan }
    let signY = subtract ? !y.sign : y.sign
    let infX = x.kind == .infinity, infY = y.kind == .infinity
    if infX && infY && x.sign != signY { flags |= FPSRBits.ioc; return f.defaultNaN }
    if infX { return fpInfinity(x.sign, f) }
    if infY { return fpInfinity(signY, f) }
    if x.kind == .zero && y.kind == .zero && x.sign == signY { return fpZero(x.sign, f) }
    guard let s = fpAddMagnitudes(x.sign, x.exp, UInt128(x.sig), signY, y.exp, UInt128(y.sig)) else {
        return fpZero(rounding == FPRounding.negInf, f)
    }
    return fpRound128(sign: s.sign, exp: s.exp, sig: s.sig, f, fz: fz, rounding: rounding, &flags)
}

/// FPMul.
func fpSoftMul(_ a: UInt64, _ b: UInt64, _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    let x = fpUnpack(a, f, fz: fz, &flags), y = fpUnpack(b, f, fz: fz, &flags)
    if let nan = fpProcessNaNs(a, x.kind, b, y.kind, f, fpcr, &flags) { return nan }
    let sign = x.sign != y.sign
    if (x.kind == .infinity && y.kind == .zero) || (x.kind == .zero && y.kind == .infinity) {
        flags |= FPSRBits.ioc; return f.defaultNaN
    }
    if x.kind == .infinity || y.kind == .infinity { return fpInfinity(sign, f) }
    if x.kind == .zero || y.kind == .zero { return fpZero(sign, f) }
    let p = UInt128(x.sig) * UInt128(y.sig)
    return fpRound128(sign: sign, exp: x.exp + y.exp, sig: p, f, fz: fz, rounding: fpcrRounding(fpcr), &flags)
}

/// FPMulX: FPMul, except that infinity × zero is 2.0 with the product's sign.
func fpSoftMulX(_ a: UInt64, _ b: UInt64, _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    var scratch: UInt32 = 0
    let x = fpUnpack(a, f, fz: fz, &scratch), y = fpUnpack(b, f, fz: fz, &scratch)
    if !x.isNaN && !y.isNaN &&
        ((x.kind == .infinity && y.kind == .zero) || (x.kind == .zero && y.kind == .infinity)) {
        flags |= scratch
        return ((x.sign != y.sign) ? f.signBit : 0) | (UInt64(f.bias + 1) << UInt64(f.frac))
    }
    return fpSoftMul(a, b, f, fpcr, &flags)
}

/// FPDiv.
func fpSoftDiv(_ a: UInt64, _ b: UInt64, _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    let x = fpUnpack(a, f, fz: fz, &flags), y = fpUnpack(b, f, fz: fz, &flags)
    if let nan = fpProcessNaNs(a, x.kind, b, y.kind, f, fpcr, &flags) { return nan }
    let sign = x.sign != y.sign
    if (x.kind == .infinity && y.kind == .infinity) || (x.kind == .zero && y.kind == .zero) {
        flags |= FPSRBits.ioc; return f.defaultNaN
    }
    if x.kind == .infinity || y.kind == .zero {
        if x.kind != .infinity { flags |= FPSRBits.dzc }
        return fpInfinity(sign, f)
    }
    if x.kind == .zero || y.kind == .infinity { return fpZero(sign, f) }
    // Normalise both significands to 53 bits, then take a quotient of at least 72 bits.
    let na = x.sig.leadingZeroBitCount - 11, nb = y.sig.leadingZeroBitCount - 11
    let sa = x.sig << UInt64(na), sb = y.sig << UInt64(nb)
    let dividend = UInt128(sa) << 72
    let (q, r) = dividend.quotientAndRemainder(dividingBy: UInt128(sb))
    return fpRound128(sign: sign, exp: (x.exp - na) - 72 - (y.exp - nb), sig: q, sticky: r != 0, f,
                      fz: fz, rounding: fpcrRounding(fpcr), &flags)
}

/// The integer square root: floor(sqrt(n)).
func isqrt128(_ n: UInt128) -> UInt128 {
    if n == 0 { return 0 }
    var r = UInt128(Double(n).squareRoot())
    // One Newton step from a 53-bit estimate, then at most a unit either way.
    if r == 0 { r = 1 }
    r = (r + n / r) >> 1
    while r * r > n { r -= 1 }
    while (r + 1) * (r + 1) <= n { r += 1 }
    return r
}

/// FPSqrt.
func fpSoftSqrt(_ a: UInt64, _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    let x = fpUnpack(a, f, fz: fz, &flags)
    if x.isNaN { return fpProcessNaN(a, x.kind, f, fpcr, &flags) }
    if x.kind == .zero { return fpZero(x.sign, f) }
    if x.kind == .infinity && !x.sign { return f.infinity }
    if x.sign { flags |= FPSRBits.ioc; return f.defaultNaN }
    // value = sig·2^exp; make the exponent even and widen to ~124 bits so the root has ~62.
    let n = x.sig.leadingZeroBitCount - 11
    var sig = UInt128(x.sig << UInt64(n)), exp = x.exp - n
    if exp & 1 != 0 { sig <<= 1; exp -= 1 }
    sig <<= 70
    exp -= 70
    let root = isqrt128(sig)
    return fpRound128(sign: false, exp: exp / 2, sig: root, sticky: root * root != sig, f,
                      fz: fz, rounding: fpcrRounding(fpcr), &flags)
}

/// FPMulAdd: addend + op1 × op2 with a single rounding. The caller applies FMSUB/FNMADD/FNMSUB
/// negations to the operands first (as the ARM ARM does), so NaN signs follow them.
func fpSoftMulAdd(_ c: UInt64, _ a: UInt64, _ b: UInt64, _ f: FPFormat, _ fpcr: UInt64, _ flags: inout UInt32) -> UInt64 {
    let fz = fpcr & FPCRBits.fz != 0 && f != .half
    let rounding = fpcrRounding(fpcr)
    let z = fpUnpack(c, f, fz: fz, &flags)
    let x = fpUnpack(a, f, fz: fz, &flags), y = fpUnpack(b, f, fz: fz, &flags)
    let infX = x.kind == .infinity, infY = y.kind == .infinity
    let zeroX = x.kind == .zero, zeroY = y.kind == .zero
    let nan = fpProcessNaNs3(c, z.kind, a, x.kind, b, y.kind, f, fpcr, &flags)
    if z.kind == .qnan && ((infX && zeroY) || (zeroX && infY)) {
        flags |= FPSRBits.ioc
        return f.defaultNaN
    }
    if let nan { return nan }
    let signP = x.sign != y.sign
    let infP = infX || infY, zeroP = zeroX || zeroY
    let infZ = z.kind == .infinity, zeroZ = z.kind == .zero
    if (infX && zeroY) || (zeroX && infY) || (infZ && infP && z.sign != signP) {
        flags |= FPSRBits.ioc; return f.defaultNaN
    }
    if (infZ && !z.sign) || (infP && !signP) { return f.infinity }
    if (infZ && z.sign) || (infP && signP) { return fpInfinity(true, f) }
    if zeroZ && zeroP && z.sign == signP { return fpZero(z.sign, f) }
    let product: UInt128 = zeroP ? 0 : UInt128(x.sig) * UInt128(y.sig)
    guard let s = fpAddMagnitudes(signP, x.exp + y.exp, product, z.sign, z.exp, UInt128(z.sig)) else {
        return fpZero(rounding == FPRounding.negInf, f)
    }
    return fpRound128(sign: s.sign, exp: s.exp, sig: s.sig, f, fz: fz, rounding: rounding, &flags)
}

// MARK: - Conversions between formats (ARM ARM FPConvert)

/// FPConvert from format `from` to format `to`. Half-precision operands are never flushed;
/// FPCR.AHP applies to whichever side is half precision.
func fpSoftConvert(_ a: UInt64, from: FPFormat, to: FPFormat, _ fpcr: UInt64, rounding: Int,
                   _ flags: inout UInt32) -> UInt64 {
    let ahp = fpcr & FPCRBits.ahp != 0
    let fzIn = fpcr & FPCRBits.fz != 0 && from != .half
    let fzOut = fpcr & FPCRBits.fz != 0 && to != .half
    let x = fpUnpack(a, from, fz: fzIn, ahp: ahp && from == .half, &flags)
    let ahpOut = ahp && to == .half
    switch x.kind {
    case .qnan, .snan:
        if ahpOut { flags |= FPSRBits.ioc; return fpZero(x.sign, to) }
        if x.kind == .snan { flags |= FPSRBits.ioc }
        if fpcr & FPCRBits.dn != 0 { return to.defaultNaN }
        // FPConvertNaN: keep the sign and the top payload bits, set the quiet bit.
        let payload = a & from.fracMask
        let moved = to.frac >= from.frac ? payload << UInt64(to.frac - from.frac) : payload >> UInt64(from.frac - to.frac)
        return (x.sign ? to.signBit : 0) | to.infinity | to.quietBit | moved
    case .infinity:
        if ahpOut { flags |= FPSRBits.ioc; return (x.sign ? to.signBit : 0) | 0x7FFF }
        return fpInfinity(x.sign, to)
    case .zero:
        return fpZero(x.sign, to)
    case .finite:
        return fpRound(sign: x.sign, exp: x.exp, sig: x.sig, to, fz: fzOut, ahp: ahpOut, rounding: rounding, &flags)
    }
}
