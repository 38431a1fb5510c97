/// Small pure helpers for A64 field decoding (ARM ARM "shared pseudocode").

@inline(__always) func bits(_ w: UInt32, _ hi: Int, _ lo: Int) -> UInt32 {
    (w >> UInt32(lo)) & ((1 << UInt32(hi - lo + 1)) - 1)
}

@inline(__always) func bit(_ w: UInt32, _ n: Int) -> Bool { (w >> UInt32(n)) & 1 == 1 }

/// Sign-extends the low `width` bits of `v`.
@inline(__always) func signExtend(_ v: UInt64, _ width: Int) -> UInt64 {
    let s = UInt64(64 - width)
    return UInt64(bitPattern: Int64(bitPattern: v << s) >> Int64(s))
}

/// A mask of the low `n` bits (n in 0...64).
@inline(__always) func lowMask(_ n: Int) -> UInt64 { n >= 64 ? ~0 : (UInt64(1) << UInt64(n)) &- 1 }

@inline(__always) func rotateRight(_ v: UInt64, _ amount: Int, width: Int) -> UInt64 {
    let a = amount % width
    if a == 0 { return v & lowMask(width) }
    return ((v >> UInt64(a)) | (v << UInt64(width - a))) & lowMask(width)
}

/// DecodeBitMasks from the ARM ARM: the (wmask, tmask) pair of a logical-immediate or bitfield encoding.
/// Returns nil for reserved encodings.
public func decodeBitMasks(n: Bool, imms: UInt32, immr: UInt32, immediate: Bool, width: Int) -> (wmask: UInt64, tmask: UInt64)? {
    let combined = (n ? 0x40 : 0) | (~imms & 0x3F)
    guard combined != 0 else { return nil }
    // len = HighestSetBit(N:NOT(imms)), on a 7-bit field.
    let hsb = 7 - UInt8(combined).leadingZeroBitCount
    guard hsb >= 1 else { return nil }
    let esize = 1 << hsb
    let levels = UInt32(esize - 1)
    if immediate && (imms & levels) == levels { return nil }
    let s = Int(imms & levels), r = Int(immr & levels)
    let d = (s - r) & Int(levels)
    let welem = lowMask(s + 1)
    let telem = lowMask(d + 1)
    let wrot = rotateRight(welem, r, width: esize)
    var wmask: UInt64 = 0, tmask: UInt64 = 0
    var i = 0
    while i < width {
        wmask |= wrot << UInt64(i)
        tmask |= telem << UInt64(i)
        i += esize
    }
    return (wmask & lowMask(width), tmask & lowMask(width))
}

/// The logical-immediate value of an AND/ORR/EOR/ANDS (immediate) encoding, or nil if reserved.
public func decodeLogicalImmediate(n: Bool, imms: UInt32, immr: UInt32, width: Int) -> UInt64? {
    if width == 32 && n { return nil }
    return decodeBitMasks(n: n, imms: imms, immr: immr, immediate: true, width: width)?.wmask
}

/// The 16-bit NZCV mask of an A64 condition: bit `nzcv` is set when the condition holds.
public func conditionMask(_ cond: UInt32) -> UInt16 {
    var mask: UInt16 = 0
    for f in 0..<16 {
        let n = f & 8 != 0, z = f & 4 != 0, c = f & 2 != 0, v = f & 1 != 0
        var r: Bool
        switch cond >> 1 {
        case 0: r = z
        case 1: r = c
        case 2: r = n
        case 3: r = v
        case 4: r = c && !z
        case 5: r = n == v
        case 6: r = n == v && !z
        default: r = true
        }
        if cond & 1 == 1 && cond != 15 { r = !r }
        if r { mask |= 1 << UInt16(f) }
    }
    return mask
}

/// VFPExpandImm: the 8-bit FMOV immediate as a single- or double-precision bit pattern.
public func expandFPImmediate(_ imm8: UInt32, double: Bool) -> UInt64 {
    let sign = UInt64(imm8 >> 7)
    let b6 = UInt64((imm8 >> 6) & 1)
    let low6 = UInt64(imm8 & 0x3F)
    if double {
        let exp = ((b6 ^ 1) << 10) | ((b6 == 1 ? 0xFF : 0) << 2) | (low6 >> 4)
        return (sign << 63) | (exp << 52) | ((low6 & 0xF) << 48)
    } else {
        let exp = ((b6 ^ 1) << 7) | ((b6 == 1 ? 0x1F : 0) << 2) | (low6 >> 4)
        return (sign << 31) | (exp << 23) | ((low6 & 0xF) << 19)
    }
}
