// Hand encoding of the few A64 instructions the board tests write directly (ARM ARM C6.2).

/// MOVZ Xd, #(imm >> shift & 0xFFFF), LSL #shift.
func movz(_ rd: UInt32, _ imm: UInt64, shift: UInt32) -> UInt32 {
    0xD280_0000 | (shift / 16) << 21 | UInt32(imm >> UInt64(shift) & 0xFFFF) << 5 | rd
}

/// MOVK Xd, #(imm >> shift & 0xFFFF), LSL #shift.
func movk(_ rd: UInt32, _ imm: UInt64, shift: UInt32) -> UInt32 {
    0xF280_0000 | (shift / 16) << 21 | UInt32(imm >> UInt64(shift) & 0xFFFF) << 5 | rd
}

/// Loads the low `halfwords` 16-bit halves of `value` into Xd: a MOVZ, then MOVKs.
func loadImmediate(_ rd: UInt32, _ value: UInt64, halfwords: Int) -> [UInt32] {
    [movz(rd, value, shift: 0)] + (1..<halfwords).map { movk(rd, value, shift: UInt32($0 * 16)) }
}

/// Instruction words as the little-endian bytes a loader copies into RAM.
func littleEndianBytes(_ words: [UInt32]) -> [UInt8] {
    words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> ($0 * 8)) } }
}
