import Memory
import Testing
@testable import AArch64

// Instruction words in this file were assembled with GNU as 2.40 (Debian's aarch64-linux-gnu-as,
// -march=armv8.2-a+lse+rcpc), linked at 0x400000 with aarch64-linux-gnu-ld -Ttext=0x400000 where a
// PC matters, and read back with aarch64-linux-gnu-objdump -d. Unallocated words were checked the same
// way (objdump prints them as ".inst ... ; undefined"). Expected values come from the ARM ARM (DDI 0487)
// pseudocode, worked by hand, unless a comment says otherwise.

/// One evlsim core with a code page and a data page, for single-instruction tests.
struct TestMachine {
    static let codeBase: UInt64 = 0x40_0000
    static let dataBase: UInt64 = 0x50_0000
    let cpu: AArch64CPU
    let space: AddressSpace

    init(code: [UInt32], at base: UInt64 = codeBase) throws {
        let ram = try PhysicalMemory(size: 1 << 20)
        let space = AddressSpace(physical: ram)
        try space.map(base & ~0xFFF, length: 0x1000, permissions: .rwx)
        try space.map(Self.dataBase, length: 0x1000, permissions: [.read, .write])
        code.withUnsafeBytes { _ = space.write(base, bytes: $0, force: true) }
        self.space = space
        cpu = AArch64CPU(space: space)
        cpu.pc = base
    }

    func store(_ value: UInt64, at address: UInt64, bytes: Int) {
        withUnsafeBytes(of: value.littleEndian) { _ = space.write(address, bytes: UnsafeRawBufferPointer(rebasing: $0[0..<bytes]), force: true) }
    }

    func load(_ address: UInt64, bytes: Int) -> UInt64 {
        let b = space.read(address, count: bytes)!
        return b.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
    }
}

/// The fields of a logical-immediate or bitfield word: N (bit 22), immr (21:16), imms (15:10).
private func maskFields(_ w: UInt32) -> (n: Bool, immr: UInt32, imms: UInt32) {
    ((w >> 22) & 1 == 1, (w >> 16) & 0x3F, (w >> 10) & 0x3F)
}

@Suite("Logical immediates (DecodeBitMasks with immediate = TRUE)")
struct LogicalImmediateTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var word: UInt32
        var width: Int
        var value: UInt64
        var testDescription: String { text }
    }

    static let known: [Case] = [
        Case(text: "and x0, x1, #0x5555555555555555", word: 0x9200_F020, width: 64, value: 0x5555_5555_5555_5555),
        Case(text: "and x0, x1, #0xff", word: 0x9240_1C20, width: 64, value: 0xFF),
        Case(text: "and x0, x1, #0xfffffffffffffffe", word: 0x927F_F820, width: 64, value: 0xFFFF_FFFF_FFFF_FFFE),
        Case(text: "and w0, w1, #0x0f0f0f0f", word: 0x1200_CC20, width: 32, value: 0x0F0F_0F0F),
        Case(text: "mov x3, #0xaaaaaaaaaaaaaaaa (orr x3, xzr, #...)", word: 0xB201_F3E3, width: 64, value: 0xAAAA_AAAA_AAAA_AAAA),
    ]

    @Test("assembled encodings decode to the assembler's value", arguments: known)
    func known(_ c: Case) {
        let f = maskFields(c.word)
        #expect(decodeLogicalImmediate(n: f.n, imms: f.imms, immr: f.immr, width: c.width) == c.value)
    }

    @Test("reserved encodings are rejected")
    func reserved() {
        // N:NOT(imms) = 0: no element size.
        #expect(decodeLogicalImmediate(n: false, imms: 0b111111, immr: 0, width: 64) == nil)
        // NOT(imms) = 000001: element size 1 bit, below the minimum of 2.
        #expect(decodeLogicalImmediate(n: false, imms: 0b111110, immr: 0, width: 64) == nil)
        // All ones in the element (imms = levels): 2-bit, 32-bit and 64-bit elements.
        #expect(decodeLogicalImmediate(n: false, imms: 0b111101, immr: 0, width: 64) == nil)
        #expect(decodeLogicalImmediate(n: false, imms: 0b011111, immr: 3, width: 32) == nil)
        #expect(decodeLogicalImmediate(n: true, imms: 0b111111, immr: 0, width: 64) == nil)
        // N = 1 is unallocated for the 32-bit forms.
        #expect(decodeLogicalImmediate(n: true, imms: 0b000000, immr: 0, width: 32) == nil)
        // and the decoder turns the reserved word into UNDEFINED.
        #expect(A64Decoder.decode(0x9200_FC20, pc: 0).op == .undefined)
    }

    @Test("element sizes replicate and rotate")
    func replication() {
        // 8-bit element, 3 ones (imms = 110 010), rotated right by 1: 0b1000_0011 per byte.
        #expect(decodeLogicalImmediate(n: false, imms: 0b110010, immr: 1, width: 64) == 0x8383_8383_8383_8383)
        // 16-bit element, 1 one, rotated right by 15: bit 1 of each halfword; in 32 bits.
        #expect(decodeLogicalImmediate(n: false, imms: 0b100000, immr: 15, width: 32) == 0x0002_0002)
        // 64-bit element, 63 ones (imms = 62), rotated right by 63 (= left by 1).
        #expect(decodeLogicalImmediate(n: true, imms: 62, immr: 63, width: 64) == 0xFFFF_FFFF_FFFF_FFFE)
    }
}

@Suite("Bitfield masks (DecodeBitMasks with immediate = FALSE) and the aliases")
struct BitfieldMaskTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var word: UInt32
        var immr: UInt32
        var imms: UInt32
        var wmask: UInt64
        var tmask: UInt64
        /// Rd after running on X1 = 0x1234_5678_9ABC_DEF0 (X0 = 0xFFFF_FFFF_FFFF_FFFF before, for BFI).
        var result: UInt64
        var testDescription: String { text }
    }

    static let source: UInt64 = 0x1234_5678_9ABC_DEF0

    static let aliases: [Case] = [
        // UBFM x0, x1, #4, #11: Ones(12) ROR 4; field bits 11:4 = 0xEF.
        Case(text: "ubfx x0, x1, #4, #8", word: 0xD344_2C20, immr: 4, imms: 11,
             wmask: 0xF000_0000_0000_00FF, tmask: 0xFF, result: 0xEF),
        // SBFM w0, w1, #3, #7 (32-bit): Ones(8) ROR 3 = 0xE000001F; bits 7:3 of 0xF0 = 0b11110 -> sign-extended.
        Case(text: "sbfx w0, w1, #3, #5", word: 0x1303_1C20, immr: 3, imms: 7,
             wmask: 0xE000_001F, tmask: 0x1F, result: 0xFFFF_FFFE),
        // BFM x0, x1, #56, #15: Ones(16) ROL 8; bits 15:0 of x1 (0xDEF0) into bits 23:8 of x0.
        Case(text: "bfi x0, x1, #8, #16", word: 0xB378_3C20, immr: 56, imms: 15,
             wmask: 0x00FF_FF00, tmask: 0xFF_FFFF, result: 0xFFFF_FFFF_FFDE_F0FF),
        // UBFM x0, x1, #61, #60.
        Case(text: "lsl x0, x1, #3", word: 0xD37D_F020, immr: 61, imms: 60,
             wmask: 0xFFFF_FFFF_FFFF_FFF8, tmask: ~0, result: 0x91A2_B3C4_D5E6_F780),
        // UBFM w0, w1, #7, #31.
        Case(text: "lsr w0, w1, #7", word: 0x5307_7C20, immr: 7, imms: 31,
             wmask: 0xFFFF_FFFF, tmask: 0x01FF_FFFF, result: 0x0135_79BD),
        // SBFM x0, x1, #63, #63: only the sign bit survives, replicated.
        Case(text: "asr x0, x1, #63", word: 0x937F_FC20, immr: 63, imms: 63,
             wmask: ~0, tmask: 1, result: 0),
    ]

    @Test("masks and results of the bitfield aliases", arguments: aliases)
    func alias(_ c: Case) throws {
        let f = maskFields(c.word)
        #expect(f.immr == c.immr && f.imms == c.imms, "fields of the assembled word")
        let width = c.word >> 31 == 1 ? 64 : 32
        let masks = try #require(decodeBitMasks(n: f.n, imms: f.imms, immr: f.immr, immediate: false, width: width))
        #expect(masks.wmask == c.wmask)
        #expect(masks.tmask == c.tmask)

        let m = try TestMachine(code: [c.word])
        m.cpu.x[0] = ~0
        m.cpu.x[1] = Self.source
        #expect(m.cpu.step() == .limit)
        #expect(m.cpu.x[0] == c.result)
    }

    @Test("bitfield masks accept imms = all ones, which logical immediates reject")
    func allOnesAllowed() {
        #expect(decodeBitMasks(n: true, imms: 63, immr: 0, immediate: false, width: 64) != nil)
        #expect(decodeBitMasks(n: true, imms: 63, immr: 0, immediate: true, width: 64) == nil)
    }
}

@Suite("FMOV immediates (VFPExpandImm)")
struct FPImmediateTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var word: UInt32
        var double: Bool
        /// The expected bit pattern, from Swift's own IEEE encoding of the literal.
        var bits: UInt64
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(text: "fmov d0, #1.0", word: 0x1E6E_1000, double: true, bits: (1.0 as Double).bitPattern),
        Case(text: "fmov d0, #-2.5", word: 0x1E70_9000, double: true, bits: (-2.5 as Double).bitPattern),
        Case(text: "fmov d0, #0.125", word: 0x1E68_1000, double: true, bits: (0.125 as Double).bitPattern),
        Case(text: "fmov s0, #1.0", word: 0x1E2E_1000, double: false, bits: UInt64((1.0 as Float).bitPattern)),
        Case(text: "fmov s0, #-31.0", word: 0x1E37_F000, double: false, bits: UInt64((-31.0 as Float).bitPattern)),
    ]

    @Test("imm8 (bits 20:13) expands to the assembler's constant", arguments: cases)
    func expand(_ c: Case) {
        let imm8 = (c.word >> 13) & 0xFF
        #expect(expandFPImmediate(imm8, double: c.double) == c.bits)
    }

    @Test("known patterns")
    func patterns() {
        #expect(expandFPImmediate(0x70, double: true) == 0x3FF0_0000_0000_0000)
        #expect(expandFPImmediate(0x00, double: false) == 0x4000_0000) // 2.0: the smallest-exponent-flip case
        #expect(expandFPImmediate(0x7F, double: false) == 0x3FF8_0000) // 1.9375
    }
}

@Suite("Condition masks (ConditionHolds)")
struct ConditionMaskTests {
    /// ARM ARM ConditionHolds, cond<3:1> then the cond<0> inversion (except 1111), on named flags.
    static func holds(_ cond: UInt32, n: Bool, z: Bool, c: Bool, v: Bool) -> Bool {
        let table: [Bool] = [z, c, n, v, c && !z, n == v, n == v && !z, true]
        let r = table[Int(cond >> 1)]
        return (cond & 1 == 1 && cond != 0b1111) ? !r : r
    }

    @Test("every condition against every NZCV value")
    func table() {
        for cond in UInt32(0)..<16 {
            let mask = conditionMask(cond)
            for f in 0..<16 {
                let expected = Self.holds(cond, n: f & 8 != 0, z: f & 4 != 0, c: f & 2 != 0, v: f & 1 != 0)
                #expect((mask >> UInt16(f)) & 1 == (expected ? 1 : 0), "cond \(cond), nzcv \(f)")
            }
        }
    }

    @Test("known masks")
    func known() {
        #expect(conditionMask(0b0000) == 0xF0F0) // EQ: Z (value 4) set
        #expect(conditionMask(0b0001) == 0x0F0F) // NE
        #expect(conditionMask(0b0010) == 0xCCCC) // CS: C (value 2) set
        #expect(conditionMask(0b0100) == 0xFF00) // MI: N (value 8) set
        #expect(conditionMask(0b0110) == 0xAAAA) // VS: V (value 1) set
        #expect(conditionMask(0b1110) == 0xFFFF) // AL
        #expect(conditionMask(0b1111) == 0xFFFF) // NV behaves as AL in A64
    }
}

@Suite("Decoding assembled words into records")
struct DecodeRecordTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var word: UInt32
        var pc: UInt64
        var expected: DecodedInstruction
        var testDescription: String { text }
    }

    static func cond(_ c: UInt32, _ d: DecodedInstruction) -> DecodedInstruction {
        var d = d
        let m = conditionMask(c)
        d.s1 = UInt8(m & 0xFF); d.s2 = UInt8(m >> 8)
        return d
    }

    static let zero = RegisterSlot.zero, sink = RegisterSlot.sink, sp = RegisterSlot.sp

    // PCs are the addresses objdump printed for the linked file (labels: lit = 0x4000b8,
    // back = 0x4000c0, far = 0x405000).
    static let cases: [Case] = [
        Case(text: "adrp x0, far", word: 0xB000_0020, pc: 0x40_0040, expected: .init(op: .movImm, rd: 0, imm: 0x40_5000)),
        Case(text: "b.ne back", word: 0x5400_03E1, pc: 0x40_0044, expected: cond(0b0001, .init(op: .bcond, imm: 0x40_00C0))),
        Case(text: "ldr x0, lit", word: 0x5800_0380, pc: 0x40_0048,
             expected: .init(op: .ldrX, rd: 0, rn: zero, s1: AddressMode.offset, imm: 0x40_00B8)),
        Case(text: "stp x29, x30, [sp, #-16]!", word: 0xA9BF_7BFD, pc: 0x40_004C,
             expected: .init(op: .stpX, rd: 29, rn: sp, ra: 30, s1: AddressMode.preIndex, imm: UInt64(bitPattern: -16))),
        Case(text: "ldp x29, x30, [sp], #16", word: 0xA8C1_7BFD, pc: 0x40_0050,
             expected: .init(op: .ldpX, rd: 29, rn: sp, ra: 30, s1: AddressMode.postIndex, imm: 16)),
        Case(text: "ldr w2, [x3, x4, lsl #2]", word: 0xB864_7862, pc: 0x40_0054,
             expected: .init(op: .ldrW, rd: 2, rn: 3, rm: 4, ra: 2, s1: AddressMode.register, s2: 0b011)),
        Case(text: "ldrsb x5, [x6, #-1]!", word: 0x389F_FCC5, pc: 0x40_0058,
             expected: .init(op: .ldrsbX, rd: 5, rn: 6, s1: AddressMode.preIndex, imm: ~0)),
        Case(text: "mov x1, #0x123400000000 (movz lsl #32)", word: 0xD2C2_4681, pc: 0x40_005C,
             expected: .init(op: .movImm, rd: 1, imm: 0x1234_0000_0000)),
        Case(text: "mov w2, #0xffffffff (movn w2, #0)", word: 0x1280_0002, pc: 0x40_0060,
             expected: .init(op: .movImm, rd: 2, imm: 0xFFFF_FFFF)),
        Case(text: "movk x3, #0xbeef, lsl #16", word: 0xF2B7_DDE3, pc: 0x40_0064,
             expected: .init(op: .movkX, rd: 3, s1: 16, imm: 0xBEEF_0000)),
        Case(text: "cbz w7, back", word: 0x3400_02C7, pc: 0x40_0068, expected: .init(op: .cbzW, rd: 7, imm: 0x40_00C0)),
        Case(text: "tbnz x8, #40, back", word: 0xB740_02A8, pc: 0x40_006C, expected: .init(op: .tbnz, rd: 8, s1: 40, imm: 0x40_00C0)),
        Case(text: "bl back", word: 0x9400_0014, pc: 0x40_0070, expected: .init(op: .bl, imm: 0x40_00C0)),
        Case(text: "ret", word: 0xD65F_03C0, pc: 0x40_0074, expected: .init(op: .ret, rn: 30)),
        Case(text: "ldapr x0, [x1]", word: 0xF8BF_C020, pc: 0x40_0078,
             expected: .init(op: .ldrX, rd: 0, rn: 1, s1: AddressMode.offset)),
        Case(text: "csinc w0, w1, w2, ge", word: 0x1A82_A420, pc: 0x40_0098,
             expected: cond(0b1010, .init(op: .csincW, rd: 0, rn: 1, rm: 2))),
        Case(text: "ccmp x1, #5, #2, ne", word: 0xFA45_1822, pc: 0x40_009C,
             expected: cond(0b0001, .init(op: .ccmpX, rn: 1, rm: zero, ra: 2, imm: 5))),
        Case(text: "add x0, sp, w1, uxtw #2", word: 0x8B21_4BE0, pc: 0x40_00A0,
             expected: .init(op: .addExtX, rd: 0, rn: sp, rm: 1, s1: 0b010, s2: 2)),
        Case(text: "mrs x0, tpidr_el0", word: 0xD53B_D040, pc: 0x40_00A4,
             expected: .init(op: .mrs, rd: 0, s1: SystemRegister.tpidrEL0.rawValue)),
        Case(text: "dc zva, x2", word: 0xD50B_7422, pc: 0x40_00A8, expected: .init(op: .dcZVA, rd: 2)),
        Case(text: "casp x0, x1, x2, x3, [x4]", word: 0x4820_7C82, pc: 0x40_00AC,
             expected: .init(op: .casp, rd: 2, rn: 4, rm: 0, s2: 3)),
        Case(text: "ldaxr x5, [x6]", word: 0xC85F_FCC5, pc: 0x40_00B0, expected: .init(op: .ldxr, rd: 5, rn: 6, s2: 3)),
        Case(text: "stlxr w7, x8, [x9]", word: 0xC807_FD28, pc: 0x40_00B4, expected: .init(op: .stxr, rd: 8, rn: 9, rm: 7, s2: 3)),
        Case(text: "and x0, x1, #0xff", word: 0x9240_1C20, pc: 0x40_0004, expected: .init(op: .andImm, rd: 0, rn: 1, imm: 0xFF)),
        Case(text: "ldsmaxh w26, w15, [x11]", word: 0x783A_416F, pc: 0x40_007C,
             expected: .init(op: .ldAtomic, rd: 15, rn: 11, rm: 26, s1: AtomicOp.smax.rawValue, s2: 1)),
    ]

    @Test("the record holds the resolved operands", arguments: cases)
    func decode(_ c: Case) {
        #expect(A64Decoder.decode(c.word, pc: c.pc) == c.expected)
    }

    @Test("XZR and SP: the same field number means different slots")
    func registerSlots() {
        // add x0, sp, #0 (mov x0, sp) = 0x910003e0: Rn 31 is SP.
        #expect(A64Decoder.decode(0x9100_03E0, pc: 0).rn == RegisterSlot.sp)
        // adds xzr, x1, #1 (cmn x1, #1) = 0xb100043f: Rd 31 is the sink.
        #expect(A64Decoder.decode(0xB100_043F, pc: 0).rd == RegisterSlot.sink)
        // orr x0, xzr, x1 (mov x0, x1) = 0xaa0103e0.
        #expect(A64Decoder.decode(0xAA01_03E0, pc: 0) == .init(op: .movRegX, rd: 0, rm: 1))
    }
}

@Suite("Unallocated encodings")
struct UndefinedEncodingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var word: UInt32
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(text: "udf #0", word: 0x0000_0000),
        Case(text: "move wide with opc = 01", word: 0x3280_0002),
        Case(text: "logical immediate with N:NOT(imms) = 0", word: 0x9200_FC20),
        Case(text: "exception generation opc 000 LL 00", word: 0xD400_0000),
        // Found by the lockstep test: PRFM has no unprivileged (LDTR-style) form; evlsim ran it as PRFUM.
        Case(text: "size 11 opc 10 in the unprivileged form", word: 0xF89D_D8E5),
        Case(text: "LDNP with opc 01 (there is no LDNPSW)", word: 0x6840_8820),
    ]

    @Test("decodes to .undefined and stops without retiring", arguments: cases)
    func undefined(_ c: Case) throws {
        #expect(A64Decoder.decode(c.word, pc: TestMachine.codeBase) == .undefined(c.word))
        let m = try TestMachine(code: [c.word])
        let retired = m.cpu.retired
        #expect(m.cpu.step() == .undefinedInstruction(word: c.word))
        #expect(m.cpu.pc == TestMachine.codeBase)
        #expect(m.cpu.retired == retired)
    }
}
