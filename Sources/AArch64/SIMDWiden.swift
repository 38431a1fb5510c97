// Advanced SIMD operations that change the element size (ARM ARM C7.2: "three different",
// "shift by immediate" long and narrow forms, "two-register miscellaneous" XTN/SQXTN/SHLL,
// pairwise long adds and long reductions).
//
// Widening records: `s1` = log2 of the narrow size, `s2` = byte offset of the narrow source
// half (0, or 8 for the "2" forms), `ra` = lanes for scalar forms (0 = a whole vector).
// Narrowing records: `s1` = log2 of the narrow size, `s2` = byte offset of the destination half
// (8 for the "2" forms, which keep the low half), `ra` = lanes for scalar forms.
// Values are computed exactly in 128 bits, then truncated or saturated.

/// A widening lane operation on exact values: `d` the destination lane, `w` Vn's wide lane
/// (the W forms), `a`/`b` the extended narrow lanes of Vn/Vm.
protocol WideningOp {
    static var signed: Bool { get }
    /// Whether the result saturates to the wide size (SQDMULL and friends) instead of wrapping.
    static var saturating: Bool { get }
    static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ shift: Int) -> Int128
}

extension WideningOp {
    static var saturating: Bool { false }
}

enum SAddLOp: WideningOp { static let signed = true; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { a + b } }
enum UAddLOp: WideningOp { static let signed = false; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { a + b } }
enum SSubLOp: WideningOp { static let signed = true; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { a - b } }
enum USubLOp: WideningOp { static let signed = false; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { a - b } }
enum SAddWOp: WideningOp { static let signed = true; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { w + b } }
enum UAddWOp: WideningOp { static let signed = false; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { w + b } }
enum SSubWOp: WideningOp { static let signed = true; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { w - b } }
enum USubWOp: WideningOp { static let signed = false; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { w - b } }
enum SAbdLOp: WideningOp { static let signed = true; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { abs(a - b) } }
enum UAbdLOp: WideningOp { static let signed = false; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { abs(a - b) } }
enum SAbaLOp: WideningOp { static let signed = true; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { d + abs(a - b) } }
enum UAbaLOp: WideningOp { static let signed = false; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { d + abs(a - b) } }
enum SMulLOp: WideningOp { static let signed = true; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { a * b } }
enum UMulLOp: WideningOp { static let signed = false; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { a * b } }
enum SMlaLOp: WideningOp { static let signed = true; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { d + a * b } }
enum UMlaLOp: WideningOp { static let signed = false; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { d + a * b } }
enum SMlsLOp: WideningOp { static let signed = true; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { d - a * b } }
enum UMlsLOp: WideningOp { static let signed = false; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { d - a * b } }
enum SShlLOp: WideningOp { static let signed = true; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { a << s } }
enum UShlLOp: WideningOp { static let signed = false; static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { a << s } }
/// SQDMULL/SQDMLAL/SQDMLSL: the doubled product saturates first, then the accumulate saturates.
enum SQDMulLOp: WideningOp {
    static let signed = true, saturating = true
    static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 { 2 * a * b }
}
enum PMulLOp: WideningOp {
    static let signed = false
    static func apply(_ d: Int128, _ w: Int128, _ a: Int128, _ b: Int128, _ s: Int) -> Int128 {
        var r: Int128 = 0
        for i in 0..<64 where (b >> i) & 1 != 0 { r ^= a << i }
        return r
    }
}

/// A narrowing lane operation on exact values (`a`, `b` the wide lanes of Vn and Vm).
protocol NarrowingOp {
    static var signedSource: Bool { get }
    /// nil: truncate; true: saturate signed; false: saturate unsigned.
    static var saturateSigned: Bool? { get }
    static func apply(_ a: Int128, _ b: Int128, _ shift: Int, _ narrowBits: Int) -> Int128
}

enum XtnOp: NarrowingOp {
    static let signedSource = false; static let saturateSigned: Bool? = nil
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { a }
}
enum SQXtnOp: NarrowingOp {
    static let signedSource = true; static let saturateSigned: Bool? = true
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { a }
}
enum UQXtnOp: NarrowingOp {
    static let signedSource = false; static let saturateSigned: Bool? = false
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { a }
}
enum SQXtunOp: NarrowingOp {
    static let signedSource = true; static let saturateSigned: Bool? = false
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { a }
}
/// The shift-right-narrow family; `R` forms round.
enum ShrnOp: NarrowingOp {
    static let signedSource = false; static let saturateSigned: Bool? = nil
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { a >> s }
}
enum RShrnOp: NarrowingOp {
    static let signedSource = false; static let saturateSigned: Bool? = nil
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { (a + (Int128(1) << (s - 1))) >> s }
}
enum SQShrnOp: NarrowingOp {
    static let signedSource = true; static let saturateSigned: Bool? = true
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { a >> s }
}
enum UQShrnOp: NarrowingOp {
    static let signedSource = false; static let saturateSigned: Bool? = false
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { a >> s }
}
enum SQRShrnOp: NarrowingOp {
    static let signedSource = true; static let saturateSigned: Bool? = true
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { (a + (Int128(1) << (s - 1))) >> s }
}
enum UQRShrnOp: NarrowingOp {
    static let signedSource = false; static let saturateSigned: Bool? = false
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { (a + (Int128(1) << (s - 1))) >> s }
}
enum SQShrunOp: NarrowingOp {
    static let signedSource = true; static let saturateSigned: Bool? = false
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { a >> s }
}
enum SQRShrunOp: NarrowingOp {
    static let signedSource = true; static let saturateSigned: Bool? = false
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { (a + (Int128(1) << (s - 1))) >> s }
}
/// ADDHN/SUBHN and their rounding forms: the high half of the wide sum or difference.
enum AddHnOp: NarrowingOp {
    static let signedSource = false; static let saturateSigned: Bool? = nil
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { (a + b) >> n }
}
enum RAddHnOp: NarrowingOp {
    static let signedSource = false; static let saturateSigned: Bool? = nil
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { (a + b + (Int128(1) << (n - 1))) >> n }
}
enum SubHnOp: NarrowingOp {
    static let signedSource = false; static let saturateSigned: Bool? = nil
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { (a - b) >> n }
}
enum RSubHnOp: NarrowingOp {
    static let signedSource = false; static let saturateSigned: Bool? = nil
    static func apply(_ a: Int128, _ b: Int128, _ s: Int, _ n: Int) -> Int128 { (a - b + (Int128(1) << (n - 1))) >> n }
}

extension AArch64CPU {
    /// Reads the lane of size 1 << log2 at `byteOffset` of `p` as an exact value.
    @inline(__always) static func exactLane(_ p: UnsafeMutableRawPointer, byteOffset: Int, log2: Int, signed: Bool) -> Int128 {
        let raw: UInt64
        switch log2 {
        case 0: raw = UInt64(p.load(fromByteOffset: byteOffset, as: UInt8.self))
        case 1: raw = UInt64(p.load(fromByteOffset: byteOffset, as: UInt16.self))
        case 2: raw = UInt64(p.load(fromByteOffset: byteOffset, as: UInt32.self))
        default: raw = p.load(fromByteOffset: byteOffset, as: UInt64.self)
        }
        if signed { return Int128(Int64(bitPattern: signExtend(raw, 8 << log2))) }
        return Int128(raw)
    }

    @inline(__always) static func saturate(_ v: Int128, bits: Int, signed: Bool, _ sat: inout Bool) -> Int128 {
        let hi: Int128 = signed ? (Int128(1) << (bits - 1)) - 1 : (Int128(1) << bits) - 1
        let lo: Int128 = signed ? -(Int128(1) << (bits - 1)) : 0
        if v > hi { sat = true; return hi }
        if v < lo { sat = true; return lo }
        return v
    }

    /// A widening operation: 64 bits of narrow lanes in, 128 bits of wide lanes out.
    func widen<O: WideningOp>(_ r: DecodedInstruction, _: O.Type) {
        let log2 = Int(r.s1), part = Int(r.s2), size = 1 << log2
        let n = vreg(r.rn), m = vreg(r.rm), d = vreg(r.rd)
        let lanes = r.ra == 0 ? 8 >> log2 : Int(r.ra)
        let wideBits = 16 << log2
        var out = (UInt64(0), UInt64(0))
        var sat = false
        for i in 0..<lanes {
            let a = Self.exactLane(n, byteOffset: part + i * size, log2: log2, signed: O.signed)
            let b = Self.exactLane(m, byteOffset: part + i * size, log2: log2, signed: O.signed)
            let wideOffset = i * 2 * size
            let w = Self.exactLane(n, byteOffset: wideOffset, log2: log2 + 1, signed: O.signed)
            let acc = Self.exactLane(d, byteOffset: wideOffset, log2: log2 + 1, signed: O.signed)
            var value: Int128
            if O.saturating {
                // SQDMULL: saturate the doubled product; SQDMLAL/SQDMLSL then add or subtract it.
                let product = Self.saturate(O.apply(0, 0, a, b, 0), bits: wideBits, signed: true, &sat)
                switch Self.payload(r) {
                case 1: value = Self.saturate(acc + product, bits: wideBits, signed: true, &sat)
                case 2: value = Self.saturate(acc - product, bits: wideBits, signed: true, &sat)
                default: value = product
                }
            } else {
                value = O.apply(acc, w, a, b, Self.payload(r))
            }
            if wideBits == 128 {
                out = (UInt64(truncatingIfNeeded: value), UInt64(truncatingIfNeeded: value >> 64))
            } else {
                let bits = UInt64(truncatingIfNeeded: value) & lowMask(wideBits)
                if wideOffset < 8 { out.0 |= bits << UInt64(wideOffset * 8) } else { out.1 |= bits << UInt64((wideOffset - 8) * 8) }
            }
        }
        setQC(sat)
        // Scalar forms leave zeros above their single lane: `out` holds nothing else.
        store(r.rd, lo: out.0, hi: out.1, bytes: lanes * 2 * size > 8 ? 16 : 8)
    }

    /// A narrowing operation: wide lanes of Vn (and Vm) in, one 64-bit half of narrow lanes out.
    func narrow<O: NarrowingOp>(_ r: DecodedInstruction, _: O.Type) {
        let log2 = Int(r.s1), size = 1 << log2, half = Int(r.s2)
        let n = vreg(r.rn), m = vreg(r.rm), d = vreg(r.rd)
        let lanes = r.ra == 0 ? 8 >> log2 : Int(r.ra)
        let bits = 8 << log2
        var out: UInt64 = 0
        var sat = false
        for i in 0..<lanes {
            let a = Self.exactLane(n, byteOffset: i * 2 * size, log2: log2 + 1, signed: O.signedSource)
            let b = Self.exactLane(m, byteOffset: i * 2 * size, log2: log2 + 1, signed: O.signedSource)
            var value = O.apply(a, b, Self.payload(r), bits)
            if let signed = O.saturateSigned { value = Self.saturate(value, bits: bits, signed: signed, &sat) }
            out |= (UInt64(truncatingIfNeeded: value) & lowMask(bits)) << UInt64(i * bits)
        }
        setQC(sat)
        if half == 8 {
            d.storeBytes(of: out, toByteOffset: 8, as: UInt64.self)
        } else {
            store(r.rd, lo: out, hi: 0, bytes: 8)
        }
    }

    /// SADDLP/UADDLP (`accumulate` false) and SADALP/UADALP: pairwise long adds.
    func pairwiseLong(_ r: DecodedInstruction, signed: Bool, accumulate: Bool) {
        let log2 = Int(r.s1), size = 1 << log2, bytes = Int(r.s2)
        let n = vreg(r.rn), d = vreg(r.rd)
        let wideBits = 16 << log2
        var out = (UInt64(0), UInt64(0))
        var i = 0
        while i < bytes {
            var value = Self.exactLane(n, byteOffset: i, log2: log2, signed: signed)
                + Self.exactLane(n, byteOffset: i + size, log2: log2, signed: signed)
            if accumulate { value += Self.exactLane(d, byteOffset: i, log2: log2 + 1, signed: signed) }
            let field = (UInt64(truncatingIfNeeded: value) & lowMask(wideBits))
            if i < 8 { out.0 |= field << UInt64(i * 8) } else { out.1 |= field << UInt64((i - 8) * 8) }
            i += 2 * size
        }
        store(r.rd, lo: out.0, hi: out.1, bytes: bytes)
    }

    /// SADDLV/UADDLV: the sum of all lanes, widened.
    func addLongAcross(_ r: DecodedInstruction, signed: Bool) {
        let log2 = Int(r.s1), size = 1 << log2, bytes = Int(r.s2)
        let n = vreg(r.rn)
        var sum: Int128 = 0
        var i = 0
        while i < bytes { sum += Self.exactLane(n, byteOffset: i, log2: log2, signed: signed); i += size }
        store(r.rd, lo: UInt64(truncatingIfNeeded: sum) & lowMask(16 << log2), hi: 0, bytes: 16)
    }
}
