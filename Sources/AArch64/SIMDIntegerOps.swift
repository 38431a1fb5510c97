// Integer lane operations of Advanced SIMD (ARM ARM C7.2, "Advanced SIMD three same", "two-register
// miscellaneous", "shift by immediate"). Each enum is one lane of one instruction; signed forms
// reinterpret the unsigned lane. Saturating forms compute the exact result in 128 bits (the
// pseudocode's unbounded integers) and saturate, setting `sat` (FPSR.QC).

// MARK: - Arithmetic

enum AddOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a &+ b } }
enum SubOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a &- b } }
enum MulOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a &* b } }
enum MlaOp: IntLaneOp3 { @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ b: T, _ s: inout Bool) -> T { d &+ a &* b } }
enum MlsOp: IntLaneOp3 { @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ b: T, _ s: inout Bool) -> T { d &- a &* b } }

/// PMUL: polynomial (carry-less) multiply over GF(2), bytes only.
enum PMulOp: IntLaneOp2 {
    @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T {
        var r: T = 0
        for i in 0..<T.bitWidth where (b >> i) & 1 != 0 { r ^= a << i }
        return r
    }
}

enum UMaxOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a > b ? a : b } }
enum UMinOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a < b ? a : b } }
enum SMaxOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a.signedKey > b.signedKey ? a : b } }
enum SMinOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a.signedKey < b.signedKey ? a : b } }
enum UAbdOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a > b ? a &- b : b &- a } }
enum SAbdOp: IntLaneOp2 {
    @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a.signedKey > b.signedKey ? a &- b : b &- a }
}
enum UAbaOp: IntLaneOp3 {
    @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ b: T, _ s: inout Bool) -> T { d &+ UAbdOp.apply(a, b, &s) }
}
enum SAbaOp: IntLaneOp3 {
    @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ b: T, _ s: inout Bool) -> T { d &+ SAbdOp.apply(a, b, &s) }
}

/// Halving and rounding-halving adds and subtracts, computed without the extra carry bit.
enum UHAddOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { (a & b) &+ ((a ^ b) >> 1) } }
enum SHAddOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { (a & b) &+ (a ^ b).sar(1) } }
enum URHAddOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { (a | b) &- ((a ^ b) >> 1) } }
enum SRHAddOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { (a | b) &- (a ^ b).sar(1) } }
enum UHSubOp: IntLaneOp2 {
    @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { ((a &- b) >> 1) | (a < b ? T.topBit : 0) }
}
enum SHSubOp: IntLaneOp2 {
    @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T {
        ((a &- b) >> 1) | (a.signedKey < b.signedKey ? T.topBit : 0)
    }
}

// MARK: - Saturating arithmetic

enum SQAddOp: IntLaneOp2 { static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { saturateSigned(a.signedWide + b.signedWide, &s) } }
enum UQAddOp: IntLaneOp2 { static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { saturateUnsigned(a.unsignedWide + b.unsignedWide, &s) } }
enum SQSubOp: IntLaneOp2 { static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { saturateSigned(a.signedWide - b.signedWide, &s) } }
enum UQSubOp: IntLaneOp2 { static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { saturateUnsigned(a.unsignedWide - b.unsignedWide, &s) } }
/// SUQADD: signed accumulator + unsigned operand; USQADD: unsigned accumulator + signed operand.
enum SUQAddOp: IntLaneOp3 { static func apply<T: IntLane>(_ d: T, _ a: T, _ b: T, _ s: inout Bool) -> T { saturateSigned(d.signedWide + a.unsignedWide, &s) } }
enum USQAddOp: IntLaneOp3 { static func apply<T: IntLane>(_ d: T, _ a: T, _ b: T, _ s: inout Bool) -> T { saturateUnsigned(d.unsignedWide + a.signedWide, &s) } }

/// SQDMULH / SQRDMULH: high half of the doubled product, optionally rounded.
enum SQDMulHOp: IntLaneOp2 {
    static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T {
        saturateSigned((2 * a.signedWide * b.signedWide) >> T.bitWidth, &s)
    }
}
enum SQRDMulHOp: IntLaneOp2 {
    static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T {
        saturateSigned((2 * a.signedWide * b.signedWide + (Int128(1) << (T.bitWidth - 1))) >> T.bitWidth, &s)
    }
}

// MARK: - Compares (all-ones or zero)

enum CmGtOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a.signedKey > b.signedKey ? T.max : 0 } }
enum CmGeOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a.signedKey >= b.signedKey ? T.max : 0 } }
enum CmHiOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a > b ? T.max : 0 } }
enum CmHsOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a >= b ? T.max : 0 } }
enum CmEqOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a == b ? T.max : 0 } }
enum CmTstOp: IntLaneOp2 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { a & b != 0 ? T.max : 0 } }
enum CmGtZOp: IntLaneOp1 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { a != 0 && a & T.topBit == 0 ? T.max : 0 } }
enum CmGeZOp: IntLaneOp1 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { a & T.topBit == 0 ? T.max : 0 } }
enum CmEqZOp: IntLaneOp1 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { a == 0 ? T.max : 0 } }
enum CmLeZOp: IntLaneOp1 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { a == 0 || a & T.topBit != 0 ? T.max : 0 } }
enum CmLtZOp: IntLaneOp1 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { a & T.topBit != 0 ? T.max : 0 } }

// MARK: - One-source

enum AbsOp: IntLaneOp1 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { a & T.topBit != 0 ? 0 &- a : a } }
enum NegOp: IntLaneOp1 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { 0 &- a } }
enum SQAbsOp: IntLaneOp1 { static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { saturateSigned(abs(a.signedWide), &s) } }
enum SQNegOp: IntLaneOp1 { static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { saturateSigned(-a.signedWide, &s) } }
enum CntOp: IntLaneOp1 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { T(truncatingIfNeeded: a.nonzeroBitCount) } }
enum ClzOp: IntLaneOp1 { @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T { T(truncatingIfNeeded: a.leadingZeroBitCount) } }
enum ClsOp: IntLaneOp1 {
    @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T {
        T(truncatingIfNeeded: (((a >> 1) ^ a) & (T.max >> 1)).leadingZeroBitCount - 1)
    }
}
enum RbitOp: IntLaneOp1 {
    @inline(__always) static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T {
        T(truncatingIfNeeded: reverseBits64(UInt64(a)) >> UInt64(64 - T.bitWidth))
    }
}

// MARK: - Shifts by register (the low byte of each Vm lane, signed)

/// ShiftReg for SSHL/USHL/SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL: the exact shifted value.
@inline(__always) func shiftByRegister(_ value: Int128, _ shift: Int, rounding: Bool) -> Int128 {
    if shift >= 0 {
        // |value| < 2^64, so shifts below 64 are exact; larger ones only need to be "huge" with
        // the right sign (saturating forms) and zero in the low 64 bits (truncating forms).
        if shift >= 64 { return value == 0 ? 0 : value > 0 ? Int128(1) << 100 : -(Int128(1) << 100) }
        return value << shift
    }
    let n = -shift
    if n > 64 { return value < 0 && !rounding ? -1 : 0 }
    if rounding { return (value + (Int128(1) << (n - 1))) >> n }
    return value >> n
}

@inline(__always) func laneShift<T: IntLane>(_ b: T) -> Int { Int(Int8(truncatingIfNeeded: b)) }

enum UShlOp: IntLaneOp2 {
    @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T {
        let sh = laneShift(b)
        if sh >= 0 { return sh >= T.bitWidth ? 0 : a << sh }
        return -sh >= T.bitWidth ? 0 : a >> -sh
    }
}
enum SShlOp: IntLaneOp2 {
    @inline(__always) static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T {
        let sh = laneShift(b)
        if sh >= 0 { return sh >= T.bitWidth ? 0 : a << sh }
        return a.sar(min(-sh, T.bitWidth - 1))
    }
}
enum URShlOp: IntLaneOp2 {
    static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { T(truncatingIfNeeded: shiftByRegister(a.unsignedWide, laneShift(b), rounding: true)) }
}
enum SRShlOp: IntLaneOp2 {
    static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { T(truncatingIfNeeded: shiftByRegister(a.signedWide, laneShift(b), rounding: true)) }
}
enum UQShlOp: IntLaneOp2 {
    static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { saturateUnsigned(shiftByRegister(a.unsignedWide, laneShift(b), rounding: false), &s) }
}
enum SQShlOp: IntLaneOp2 {
    static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { saturateSigned(shiftByRegister(a.signedWide, laneShift(b), rounding: false), &s) }
}
enum UQRShlOp: IntLaneOp2 {
    static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { saturateUnsigned(shiftByRegister(a.unsignedWide, laneShift(b), rounding: true), &s) }
}
enum SQRShlOp: IntLaneOp2 {
    static func apply<T: IntLane>(_ a: T, _ b: T, _ s: inout Bool) -> T { saturateSigned(shiftByRegister(a.signedWide, laneShift(b), rounding: true), &s) }
}

// MARK: - Shifts by immediate (imm = shift amount; right shifts 1...esize, left 0...esize-1)

enum ShlImmOp: IntLaneOpImm { @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { a << n } }
enum UShrOp: IntLaneOpImm {
    @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { n >= T.bitWidth ? 0 : a >> n }
}
enum SShrOp: IntLaneOpImm {
    @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { a.sar(min(n, T.bitWidth - 1)) }
}
enum USraOp: IntLaneOpImm {
    @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { d &+ UShrOp.apply(d, a, n, &s) }
}
enum SSraOp: IntLaneOpImm {
    @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { d &+ a.sar(min(n, T.bitWidth - 1)) }
}
enum URShrOp: IntLaneOpImm {
    static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { T(truncatingIfNeeded: shiftByRegister(a.unsignedWide, -n, rounding: true)) }
}
enum SRShrOp: IntLaneOpImm {
    static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { T(truncatingIfNeeded: shiftByRegister(a.signedWide, -n, rounding: true)) }
}
enum URSraOp: IntLaneOpImm {
    static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { d &+ URShrOp.apply(d, a, n, &s) }
}
enum SRSraOp: IntLaneOpImm {
    static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { d &+ SRShrOp.apply(d, a, n, &s) }
}
/// SRI: shift right and insert (the top n bits of the destination are kept).
enum SriOp: IntLaneOpImm {
    @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T {
        if n >= T.bitWidth { return d }
        let mask = T.max >> n
        return (d & ~mask) | (a >> n)
    }
}
/// SLI: shift left and insert (the low n bits of the destination are kept).
enum SliOp: IntLaneOpImm {
    @inline(__always) static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T {
        let mask = T.max << n
        return (d & ~mask) | (a << n)
    }
}
enum SQShlImmOp: IntLaneOpImm {
    static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { saturateSigned(a.signedWide << n, &s) }
}
enum UQShlImmOp: IntLaneOpImm {
    static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { saturateUnsigned(a.unsignedWide << n, &s) }
}
/// SQSHLU: signed source, unsigned saturated result.
enum SQShlUOp: IntLaneOpImm {
    static func apply<T: IntLane>(_ d: T, _ a: T, _ n: Int, _ s: inout Bool) -> T { saturateUnsigned(a.signedWide << n, &s) }
}

// MARK: - Unsigned estimates (32-bit lanes only)

/// URECPE: UnsignedRecipEstimate (operands below 0.5 give all ones).
enum URecpeOp: IntLaneOp1 {
    static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T {
        let x = UInt32(truncatingIfNeeded: a)
        if x >> 31 == 0 { return T(truncatingIfNeeded: UInt32.max) }
        return T(truncatingIfNeeded: UInt32(recipEstimate(Int(x >> 23))) << 23)
    }
}

/// URSQRTE: UnsignedRSqrtEstimate (operands below 0.25 give all ones).
enum URsqrteOp: IntLaneOp1 {
    static func apply<T: IntLane>(_ a: T, _ s: inout Bool) -> T {
        let x = UInt32(truncatingIfNeeded: a)
        if x >> 30 == 0 { return T(truncatingIfNeeded: UInt32.max) }
        return T(truncatingIfNeeded: UInt32(recipSqrtEstimate(Int(x >> 23))) << 23)
    }
}
