// Advanced SIMD data movement: permutes (ZIP/UZP/TRN), EXT, TBL/TBX, REV*, the copy class
// (DUP, INS, UMOV, SMOV, and the FMOV forms between general and FP registers), the
// modified-immediate class (MOVI/MVNI/ORR/BIC/FMOV vector), and the bitwise three-same group.
// ARM ARM C7.2; element numbering as in the pseudocode (lane 0 at the lowest address).
//
// Results are built in the scratch slot (V32) or in locals and stored last, because the
// destination may be one of the sources.

extension AArch64CPU {
    /// The scratch vector slot: one past V31, never architecturally visible.
    @inline(__always) var scratch: UnsafeMutableRawPointer { v + 32 * 16 }

    /// Copies the scratch slot into V`d`, zeroing the top half for 8-byte results.
    @inline(__always) func commitScratch(_ d: UInt8, bytes: Int) {
        let s = scratch
        store(d, lo: s.load(as: UInt64.self), hi: s.load(fromByteOffset: 8, as: UInt64.self), bytes: bytes)
    }

    /// Replicates the low `size` bytes of `x` over 64 bits.
    @inline(__always) static func replicate(_ x: UInt64, log2Size: UInt8) -> UInt64 {
        switch log2Size {
        case 0: return (x & 0xFF) &* 0x0101_0101_0101_0101
        case 1: return (x & 0xFFFF) &* 0x0001_0001_0001_0001
        case 2: return (x & 0xFFFF_FFFF) &* 0x0000_0001_0000_0001
        default: return x
        }
    }

    /// Reads lane `index` of size 1 << log2 from V register pointer `p`, zero-extended.
    @inline(__always) static func lane(_ p: UnsafeMutableRawPointer, _ index: Int, log2: UInt8) -> UInt64 {
        switch log2 {
        case 0: return UInt64(p.load(fromByteOffset: index, as: UInt8.self))
        case 1: return UInt64(p.load(fromByteOffset: index << 1, as: UInt16.self))
        case 2: return UInt64(p.load(fromByteOffset: index << 2, as: UInt32.self))
        default: return p.load(fromByteOffset: index << 3, as: UInt64.self)
        }
    }

    @inline(__always) static func setLane(_ p: UnsafeMutableRawPointer, _ index: Int, log2: UInt8, _ x: UInt64) {
        switch log2 {
        case 0: p.storeBytes(of: UInt8(truncatingIfNeeded: x), toByteOffset: index, as: UInt8.self)
        case 1: p.storeBytes(of: UInt16(truncatingIfNeeded: x), toByteOffset: index << 1, as: UInt16.self)
        case 2: p.storeBytes(of: UInt32(truncatingIfNeeded: x), toByteOffset: index << 2, as: UInt32.self)
        default: p.storeBytes(of: x, toByteOffset: index << 3, as: UInt64.self)
        }
    }

    // MARK: Permutes

    /// ZIP1/ZIP2 (`part` 0/1), UZP1/UZP2 (`kind` 1), TRN1/TRN2 (`kind` 2).
    func permute(_ r: DecodedInstruction, kind: Int, part: Int) {
        let n = vreg(r.rn), m = vreg(r.rm), out = scratch
        let bytes = Int(r.s2), log2 = r.s1
        let lanes = bytes >> Int(log2)
        var i = 0
        while i < lanes {
            let value: UInt64
            switch kind {
            case 0: // ZIP: interleave the lower (part 0) or upper halves.
                let src = (lanes >> 1) * part + (i >> 1)
                value = Self.lane(i & 1 == 0 ? n : m, src, log2: log2)
            case 1: // UZP: even (part 0) or odd elements of the concatenation m:n.
                let k = 2 * i + part
                value = k < lanes ? Self.lane(n, k, log2: log2) : Self.lane(m, k - lanes, log2: log2)
            default: // TRN: even (part 0) or odd elements of each pair, n then m.
                value = Self.lane(i & 1 == 0 ? n : m, (i & ~1) + part, log2: log2)
            }
            Self.setLane(out, i, log2: log2, value)
            i += 1
        }
        commitScratch(r.rd, bytes: bytes)
    }

    /// EXT: bytes [pos, pos + bytes) of the concatenation Vm:Vn.
    func extract(_ r: DecodedInstruction) {
        let n = vreg(r.rn), m = vreg(r.rm), out = scratch
        let bytes = Int(r.s2), pos = Self.payload(r)
        for i in 0..<bytes {
            let j = pos + i
            out.storeBytes(of: j < bytes ? n.load(fromByteOffset: j, as: UInt8.self) : m.load(fromByteOffset: j - bytes, as: UInt8.self),
                           toByteOffset: i, as: UInt8.self)
        }
        commitScratch(r.rd, bytes: bytes)
    }

    /// TBL/TBX: table registers Vn..Vn+ra-1 (modulo 32), indices in Vm.
    func tableLookup(_ r: DecodedInstruction, extend: Bool) {
        let m = vreg(r.rm), d = vreg(r.rd), out = scratch
        let bytes = Int(r.s2), count = Int(r.ra)
        for i in 0..<bytes {
            let index = Int(m.load(fromByteOffset: i, as: UInt8.self))
            let byte: UInt8
            if index < 16 * count {
                let reg = (Int(r.rn) + index >> 4) & 31
                byte = v.load(fromByteOffset: reg * 16 + (index & 15), as: UInt8.self)
            } else {
                byte = extend ? d.load(fromByteOffset: i, as: UInt8.self) : 0
            }
            out.storeBytes(of: byte, toByteOffset: i, as: UInt8.self)
        }
        commitScratch(r.rd, bytes: bytes)
    }

    /// REV16/REV32/REV64: reverse `s1`-sized elements within containers of `payload` bytes.
    func reverseElements(_ r: DecodedInstruction) {
        let n = vreg(r.rn), out = scratch
        let bytes = Int(r.s2), esize = 1 << Int(r.s1), container = Self.payload(r)
        for i in 0..<bytes {
            let c = i - i % container
            let e = (i % container) / esize
            let src = c + (container / esize - 1 - e) * esize + i % esize
            out.storeBytes(of: n.load(fromByteOffset: src, as: UInt8.self), toByteOffset: i, as: UInt8.self)
        }
        commitScratch(r.rd, bytes: bytes)
    }

    // MARK: Copy class

    /// DUP (element): lane `payload` of Vn to every lane.
    @inline(__always) func dupElement(_ r: DecodedInstruction) {
        let value = Self.replicate(Self.lane(vreg(r.rn), Self.payload(r), log2: r.s1), log2Size: r.s1)
        store(r.rd, lo: value, hi: value, bytes: Int(r.s2))
    }

    /// DUP (general): X/W register slot rn to every lane.
    @inline(__always) func dupGeneral(_ r: DecodedInstruction) {
        let value = Self.replicate(x[Int(r.rn)], log2Size: r.s1)
        store(r.rd, lo: value, hi: value, bytes: Int(r.s2))
    }

    /// MOVI/MVNI/FMOV (vector): the 64-bit pattern to store in every doubleword.
    @inline(__always) static func immediatePattern(_ r: DecodedInstruction) -> UInt64 {
        let p = UInt64(payload(r))
        switch r.ra {
        case 0: // a 32-bit pattern: bits 0-15 in the payload, 16-23 in rn, 24-31 in rm
            let word = p | UInt64(r.rn) << 16 | UInt64(r.rm) << 24
            return word | word << 32
        case 1: // MOVI 64-bit: each bit of imm8 selects a byte of ones
            var out: UInt64 = 0
            for i in 0..<8 where (p >> UInt64(i)) & 1 != 0 { out |= 0xFF << UInt64(8 * i) }
            return out
        default: // FMOV .2D: the top 16 bits of a double
            return p << 48
        }
    }
}
