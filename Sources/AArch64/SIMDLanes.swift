// The lane engine of Advanced SIMD execution: raw access to the V register file and generic
// element loops, specialised per element type and per operation at compile time.
//
// Naming scheme:
// - `*Op` enums (AddOp, SMaxOp...) are operations on one lane; they conform to `IntLaneOp2`
//   (two sources), `IntLaneOp3` (destination as a third source) or `IntLaneOp1` (one source).
// - `AArch64CPU.vector*` functions dispatch on the record's element size (`s1`, log2 bytes) and run
//   one loop over `s2` bytes, then clear the rest of the destination register as the ARM ARM's
//   V[d] write does.
// Loops read lane i of every source before writing lane i of the destination, so any register may
// alias any other for same-shape operations. Shape-changing operations (widen, narrow, permute)
// build their result in two 64-bit locals and store it at the end.

/// An integer lane type (UInt8, UInt16, UInt32, UInt64), unsigned; signed views are explicit.
typealias IntLane = FixedWidthInteger & UnsignedInteger

extension FixedWidthInteger where Self: UnsignedInteger {
    /// The lane's top bit.
    @inline(__always) static var topBit: Self { 1 << (bitWidth - 1) }
    /// The lane read as a signed value, in 128 bits.
    @inline(__always) var signedWide: Int128 { Int128(truncatingIfNeeded: Int64(bitPattern: signExtend(UInt64(self), Self.bitWidth))) }
    /// The lane read as an unsigned value, in 128 bits.
    @inline(__always) var unsignedWide: Int128 { Int128(UInt64(self)) }
    /// Order-preserving key for signed comparison.
    @inline(__always) var signedKey: Self { self ^ Self.topBit }
    /// Arithmetic shift right (n < bitWidth).
    @inline(__always) func sar(_ n: Int) -> Self {
        let s = self >> n
        return self & Self.topBit != 0 ? s | ~(Self.max >> n) : s
    }
}

/// Saturates an exact value to a signed lane of type T.
@inline(__always) func saturateSigned<T: IntLane>(_ v: Int128, _ sat: inout Bool) -> T {
    let hi = Int128(1) << (T.bitWidth - 1)
    if v >= hi { sat = true; return T.max >> 1 }
    if v < -hi { sat = true; return T.topBit }
    return T(truncatingIfNeeded: v)
}

/// Saturates an exact value to an unsigned lane of type T.
@inline(__always) func saturateUnsigned<T: IntLane>(_ v: Int128, _ sat: inout Bool) -> T {
    if v < 0 { sat = true; return 0 }
    if v > Int128(UInt64(T.max)) { sat = true; return T.max }
    return T(truncatingIfNeeded: v)
}

/// A two-source lane operation; `sat` is set when the result saturated (FPSR.QC).
protocol IntLaneOp2 {
    static func apply<T: IntLane>(_ a: T, _ b: T, _ sat: inout Bool) -> T
}

/// A lane operation that also reads the destination lane (accumulate, insert).
protocol IntLaneOp3 {
    static func apply<T: IntLane>(_ d: T, _ a: T, _ b: T, _ sat: inout Bool) -> T
}

/// A one-source lane operation.
protocol IntLaneOp1 {
    static func apply<T: IntLane>(_ a: T, _ sat: inout Bool) -> T
}

/// A lane operation with an immediate (shift amount).
protocol IntLaneOpImm {
    static func apply<T: IntLane>(_ d: T, _ a: T, _ imm: Int, _ sat: inout Bool) -> T
}

extension AArch64CPU {
    /// V register `n` (0–31; 32 is the scratch slot).
    @inline(__always) func vreg(_ n: UInt8) -> UnsafeMutableRawPointer { v + Int(n) &* 16 }

    /// The record's 16-bit immediate payload.
    @inline(__always) static func payload(_ r: DecodedInstruction) -> Int { Int(truncatingIfNeeded: (r.imm >> 16) & 0xFFFF) }

    /// Zeroes V register bytes [bytes, 16) after a write of `bytes` bytes.
    @inline(__always) func clearHigh(_ p: UnsafeMutableRawPointer, from bytes: Int) {
        if bytes >= 16 { return }
        if bytes == 8 { p.storeBytes(of: 0, toByteOffset: 8, as: UInt64.self); return }
        clearTail(p, from: bytes)
    }

    @inline(never) func clearTail(_ p: UnsafeMutableRawPointer, from bytes: Int) {
        var i = bytes
        while i < 16 { p.storeBytes(of: 0, toByteOffset: i, as: UInt8.self); i += 1 }
    }

    /// Stores a 128-bit result built in locals, zeroing the top half for 64-bit results.
    @inline(__always) func store(_ d: UInt8, lo: UInt64, hi: UInt64, bytes: Int) {
        let p = vreg(d)
        p.storeBytes(of: lo, as: UInt64.self)
        p.storeBytes(of: bytes == 16 ? hi : 0, toByteOffset: 8, as: UInt64.self)
    }

    @inline(__always) func setQC(_ sat: Bool) {
        if sat { fpsr |= FPSRBits.qc }
    }

    // MARK: Loops

    @inline(__always)
    func loop2<T: IntLane, O: IntLaneOp2>(_: T.Type, _: O.Type, _ d: UnsafeMutableRawPointer, _ n: UnsafeMutableRawPointer,
                                          _ m: UnsafeMutableRawPointer, _ bytes: Int) -> Bool {
        var sat = false
        var i = 0
        while i < bytes {
            let a = n.load(fromByteOffset: i, as: T.self), b = m.load(fromByteOffset: i, as: T.self)
            d.storeBytes(of: O.apply(a, b, &sat), toByteOffset: i, as: T.self)
            i &+= MemoryLayout<T>.size
        }
        return sat
    }

    @inline(__always)
    func loop3<T: IntLane, O: IntLaneOp3>(_: T.Type, _: O.Type, _ d: UnsafeMutableRawPointer, _ n: UnsafeMutableRawPointer,
                                          _ m: UnsafeMutableRawPointer, _ bytes: Int) -> Bool {
        var sat = false
        var i = 0
        while i < bytes {
            let a = n.load(fromByteOffset: i, as: T.self), b = m.load(fromByteOffset: i, as: T.self)
            let acc = d.load(fromByteOffset: i, as: T.self)
            d.storeBytes(of: O.apply(acc, a, b, &sat), toByteOffset: i, as: T.self)
            i &+= MemoryLayout<T>.size
        }
        return sat
    }

    @inline(__always)
    func loop1<T: IntLane, O: IntLaneOp1>(_: T.Type, _: O.Type, _ d: UnsafeMutableRawPointer, _ n: UnsafeMutableRawPointer,
                                          _ bytes: Int) -> Bool {
        var sat = false
        var i = 0
        while i < bytes {
            d.storeBytes(of: O.apply(n.load(fromByteOffset: i, as: T.self), &sat), toByteOffset: i, as: T.self)
            i &+= MemoryLayout<T>.size
        }
        return sat
    }

    @inline(__always)
    func loopImm<T: IntLane, O: IntLaneOpImm>(_: T.Type, _: O.Type, _ d: UnsafeMutableRawPointer, _ n: UnsafeMutableRawPointer,
                                              _ imm: Int, _ bytes: Int) -> Bool {
        var sat = false
        var i = 0
        while i < bytes {
            let a = n.load(fromByteOffset: i, as: T.self), acc = d.load(fromByteOffset: i, as: T.self)
            d.storeBytes(of: O.apply(acc, a, imm, &sat), toByteOffset: i, as: T.self)
            i &+= MemoryLayout<T>.size
        }
        return sat
    }

    // MARK: Dispatch on element size

    /// Vd = op(Vn, Vm) per lane: esize `s1`, `s2` bytes.
    @inline(__always) func vectorBinary<O: IntLaneOp2>(_ r: DecodedInstruction, _: O.Type) {
        let d = vreg(r.rd), n = vreg(r.rn), m = vreg(r.rm), bytes = Int(r.s2)
        let sat: Bool
        switch r.s1 {
        case 0: sat = loop2(UInt8.self, O.self, d, n, m, bytes)
        case 1: sat = loop2(UInt16.self, O.self, d, n, m, bytes)
        case 2: sat = loop2(UInt32.self, O.self, d, n, m, bytes)
        default: sat = loop2(UInt64.self, O.self, d, n, m, bytes)
        }
        setQC(sat)
        clearHigh(d, from: bytes)
    }

    /// Vd = op(Vd, Vn, Vm) per lane.
    @inline(__always) func vectorTernary<O: IntLaneOp3>(_ r: DecodedInstruction, _: O.Type) {
        let d = vreg(r.rd), n = vreg(r.rn), m = vreg(r.rm), bytes = Int(r.s2)
        let sat: Bool
        switch r.s1 {
        case 0: sat = loop3(UInt8.self, O.self, d, n, m, bytes)
        case 1: sat = loop3(UInt16.self, O.self, d, n, m, bytes)
        case 2: sat = loop3(UInt32.self, O.self, d, n, m, bytes)
        default: sat = loop3(UInt64.self, O.self, d, n, m, bytes)
        }
        setQC(sat)
        clearHigh(d, from: bytes)
    }

    /// Vd = op(Vn) per lane.
    @inline(__always) func vectorUnary<O: IntLaneOp1>(_ r: DecodedInstruction, _: O.Type) {
        let d = vreg(r.rd), n = vreg(r.rn), bytes = Int(r.s2)
        let sat: Bool
        switch r.s1 {
        case 0: sat = loop1(UInt8.self, O.self, d, n, bytes)
        case 1: sat = loop1(UInt16.self, O.self, d, n, bytes)
        case 2: sat = loop1(UInt32.self, O.self, d, n, bytes)
        default: sat = loop1(UInt64.self, O.self, d, n, bytes)
        }
        setQC(sat)
        clearHigh(d, from: bytes)
    }

    /// Vd = op(Vd, Vn, imm) per lane, imm = the payload.
    @inline(__always) func vectorImmediate<O: IntLaneOpImm>(_ r: DecodedInstruction, _: O.Type) {
        let d = vreg(r.rd), n = vreg(r.rn), bytes = Int(r.s2), imm = Self.payload(r)
        let sat: Bool
        switch r.s1 {
        case 0: sat = loopImm(UInt8.self, O.self, d, n, imm, bytes)
        case 1: sat = loopImm(UInt16.self, O.self, d, n, imm, bytes)
        case 2: sat = loopImm(UInt32.self, O.self, d, n, imm, bytes)
        default: sat = loopImm(UInt64.self, O.self, d, n, imm, bytes)
        }
        setQC(sat)
        clearHigh(d, from: bytes)
    }

    /// Pairwise: lanes of Vn:Vm concatenated, result lane i = op(pair i).
    @inline(__always) func vectorPairwise<O: IntLaneOp2>(_ r: DecodedInstruction, _: O.Type) {
        switch r.s1 {
        case 0: pairwise(UInt8.self, O.self, r)
        case 1: pairwise(UInt16.self, O.self, r)
        case 2: pairwise(UInt32.self, O.self, r)
        default: pairwise(UInt64.self, O.self, r)
        }
    }

    @inline(__always) func pairwise<T: IntLane, O: IntLaneOp2>(_: T.Type, _: O.Type, _ r: DecodedInstruction) {
        let n = vreg(r.rn), m = vreg(r.rm), bytes = Int(r.s2)
        let size = MemoryLayout<T>.size, half = bytes / 2
        var out = (UInt64(0), UInt64(0))
        var sat = false
        var i = 0
        while i < bytes {
            // Result byte offset i takes the pair at 2i of the concatenation Vm:Vn.
            let src = i < half ? n : m
            let j = (i < half ? i : i - half) * 2
            let v = O.apply(src.load(fromByteOffset: j, as: T.self), src.load(fromByteOffset: j + size, as: T.self), &sat)
            let bits = UInt64(truncatingIfNeeded: v) << UInt64((i & 7) * 8)
            if i < 8 { out.0 |= bits } else { out.1 |= bits }
            i &+= size
        }
        store(r.rd, lo: out.0, hi: out.1, bytes: bytes)
    }

    /// Across lanes: op folded over the lanes of Vn, result in lane 0 of Vd (rest zero).
    @inline(__always) func vectorReduce<O: IntLaneOp2>(_ r: DecodedInstruction, _: O.Type) {
        switch r.s1 {
        case 0: reduce(UInt8.self, O.self, r)
        case 1: reduce(UInt16.self, O.self, r)
        default: reduce(UInt32.self, O.self, r)
        }
    }

    @inline(__always) func reduce<T: IntLane, O: IntLaneOp2>(_: T.Type, _: O.Type, _ r: DecodedInstruction) {
        let n = vreg(r.rn), bytes = Int(r.s2), size = MemoryLayout<T>.size
        var acc = n.load(as: T.self)
        var sat = false
        var i = size
        while i < bytes { acc = O.apply(acc, n.load(fromByteOffset: i, as: T.self), &sat); i &+= size }
        store(r.rd, lo: UInt64(truncatingIfNeeded: acc), hi: 0, bytes: 16)
    }
}

// MARK: - Byte-lane fast paths
//
// Byte-lane fast paths for the Advanced SIMD operations glibc's string and memory routines run
// in their inner loops (measured with `evlsim run --trace` on guests/build/string_funcs:
// UMAXP/UMINP/ADDP .16B, CMEQ/CMHS .16B, SHRN .8B from .8H). They work on 64-bit halves with
// SWAR arithmetic instead of a 16-iteration lane loop, and are checked against the generic lane
// loops by SIMDTests ("byte fast paths agree with the lane loops").

/// SWAR helpers on eight byte lanes in a UInt64.
enum ByteLanes {
    static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    static let high: UInt64 = 0x8080_8080_8080_8080
    static let evenBytes: UInt64 = 0x00FF_00FF_00FF_00FF

    /// 0xFF in every byte where a == b.
    @inline(__always) static func equal(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let x = a ^ b
        let zero = ~(((x & low7) &+ low7) | x | low7)   // top bit set where the byte of x is 0
        return (zero >> 7) &* 0xFF
    }

    /// 0xFF in every byte where a >= b (unsigned).
    @inline(__always) static func greaterOrEqual(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let d = (a | high) &- (b & low7)                   // top bit: low 7 bits of a >= those of b
        let ge = ((a & ~b) | (~(a ^ b) & d)) & high
        return (ge >> 7) &* 0xFF
    }

    /// 0xFF in every byte where a > b (unsigned).
    @inline(__always) static func greater(_ a: UInt64, _ b: UInt64) -> UInt64 {
        ~greaterOrEqual(b, a)
    }

    /// Packs the low byte of each 16-bit lane into the low 32 bits.
    @inline(__always) static func packEven(_ x: UInt64) -> UInt64 {
        var p = x & evenBytes
        p = (p | (p >> 8)) & 0x0000_FFFF_0000_FFFF
        return (p | (p >> 16)) & 0xFFFF_FFFF
    }

    /// Pairwise max / min / add of adjacent bytes of `w`, packed into 4 bytes.
    @inline(__always) static func pairwise(_ w: UInt64, _ kind: Int) -> UInt64 {
        let e = w & evenBytes, o = (w >> 8) & evenBytes
        switch kind {
        case 0, 1:
            let ge = (((e | 0x0100_0100_0100_0100) &- o) >> 8) & 0x0001_0001_0001_0001   // e >= o
            let m = ge &* 0xFFFF
            return packEven(kind == 0 ? (e & m) | (o & ~m) : (o & m) | (e & ~m))
        default:
            return packEven(e &+ o)
        }
    }
}

extension AArch64CPU {
    /// CMEQ/CMHS/CMHI on byte lanes (kind 0, 1, 2).
    @inline(__always) func byteCompare(_ r: DecodedInstruction, _ kind: Int) {
        let n = vreg(r.rn), m = vreg(r.rm)
        let a0 = n.load(as: UInt64.self), b0 = m.load(as: UInt64.self)
        let a1 = n.load(fromByteOffset: 8, as: UInt64.self), b1 = m.load(fromByteOffset: 8, as: UInt64.self)
        let lo: UInt64, hi: UInt64
        switch kind {
        case 0: lo = ByteLanes.equal(a0, b0); hi = ByteLanes.equal(a1, b1)
        case 1: lo = ByteLanes.greaterOrEqual(a0, b0); hi = ByteLanes.greaterOrEqual(a1, b1)
        default: lo = ByteLanes.greater(a0, b0); hi = ByteLanes.greater(a1, b1)
        }
        store(r.rd, lo: lo, hi: hi, bytes: Int(r.s2))
    }

    /// UMAXP/UMINP/ADDP on byte lanes (kind 0, 1, 2).
    @inline(__always) func bytePairwise(_ r: DecodedInstruction, _ kind: Int) {
        let n = vreg(r.rn), m = vreg(r.rm)
        if r.s2 == 16 {
            let lo = ByteLanes.pairwise(n.load(as: UInt64.self), kind) | ByteLanes.pairwise(n.load(fromByteOffset: 8, as: UInt64.self), kind) << 32
            let hi = ByteLanes.pairwise(m.load(as: UInt64.self), kind) | ByteLanes.pairwise(m.load(fromByteOffset: 8, as: UInt64.self), kind) << 32
            store(r.rd, lo: lo, hi: hi, bytes: 16)
        } else {
            let lo = ByteLanes.pairwise(n.load(as: UInt64.self), kind) | ByteLanes.pairwise(m.load(as: UInt64.self), kind) << 32
            store(r.rd, lo: lo, hi: 0, bytes: 8)
        }
    }

    /// SHRN/SHRN2 from 16-bit to 8-bit lanes (shift 1...8).
    @inline(__always) func shiftNarrowBytes(_ r: DecodedInstruction) {
        let n = vreg(r.rn), s = UInt64(Self.payload(r))
        let out = ByteLanes.packEven(n.load(as: UInt64.self) >> s) | ByteLanes.packEven(n.load(fromByteOffset: 8, as: UInt64.self) >> s) << 32
        if r.s2 == 8 {
            vreg(r.rd).storeBytes(of: out, toByteOffset: 8, as: UInt64.self)
        } else {
            store(r.rd, lo: out, hi: 0, bytes: 8)
        }
    }
}
