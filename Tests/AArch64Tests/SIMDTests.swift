import Memory
import Testing
@testable import AArch64

// Advanced SIMD, directed. Instruction words were assembled with GNU as 2.40
// (aarch64-linux-gnu-as -march=armv8-a, extensions where named) and read back with objdump.
// Expected values are worked by hand from the ARM ARM (DDI 0487) pseudocode of each instruction
// (element 0 is the least significant; 64-bit forms clear bits 127:64 of the destination).

/// One core with a code page at 0x10000 and a data page at 0x20000 (0x21000 is unmapped).
struct SIMDMachine {
    static let code: UInt64 = 0x10000
    static let data: UInt64 = 0x20000
    let cpu: AArch64CPU
    let space: AddressSpace

    init(_ words: [UInt32]) throws {
        let ram = try PhysicalMemory(size: 1 << 20)
        let space = AddressSpace(physical: ram)
        try space.map(Self.code, length: 0x1000, permissions: .rwx)
        try space.map(Self.data, length: 0x1000, permissions: [.read, .write])
        var bytes: [UInt8] = []
        for w in words { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: w >> (8 * UInt32(k)))) } }
        bytes.withUnsafeBytes { _ = space.write(Self.code, bytes: $0, force: true) }
        self.space = space
        cpu = AArch64CPU(space: space)
        cpu.pc = Self.code
    }

    func store(_ bytes: [UInt8], at address: UInt64) {
        bytes.withUnsafeBytes { _ = space.write(address, bytes: $0, force: true) }
    }

    func load(_ address: UInt64, count: Int) -> [UInt8] { space.read(address, count: count)! }

    /// Runs one instruction word with the given V registers ([n: (lo, hi)]).
    static func run(_ word: UInt32, _ regs: [Int: (UInt64, UInt64)], x: [Int: UInt64] = [:]) throws -> SIMDMachine {
        let m = try SIMDMachine([word])
        for (n, v) in regs { m.cpu.setVector(n, lo: v.0, hi: v.1) }
        for (n, v) in x { m.cpu[x: n] = v }
        #expect(m.cpu.step() == .limit)
        return m
    }
}

/// Bytes 0, 1, ..., 15 as a vector (lo, hi).
let iota: (UInt64, UInt64) = (0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908)

@Suite("Advanced SIMD")
struct SIMDTests {
    func v(_ m: SIMDMachine, _ n: Int) -> (UInt64, UInt64) { let q = m.cpu.vector(n); return (q.lo, q.hi) }

    @Test("SIMDOp raw values are dense case indices (executeSIMD bit-casts them)")
    func opLayout() {
        for raw in 0...SIMDOp.last.rawValue {
            #expect(SIMDOp(rawValue: raw) != nil)
        }
        #expect(SIMDOp(rawValue: SIMDOp.last.rawValue + 1) == nil)
    }

    @Test("integer arithmetic wraps per lane; 64-bit forms clear the top half")
    func arithmetic() throws {
        var m = try SIMDMachine.run(0x4E22_8420, [1: (0xFF01_FF01_FF01_FF01, 0x80), 2: (0x0101_0101_0101_0101, 0x80)])  // add v0.16b
        #expect(v(m, 0) == (0x0002_0002_0002_0002, 0))  // 0x80 + 0x80 wraps to 0
        m = try SIMDMachine.run(0x5EE2_8420, [1: (5, 7), 2: (UInt64.max, 9), 0: (1, 1)])  // add d0, d1, d2
        #expect(v(m, 0) == (4, 0))
        m = try SIMDMachine.run(0x4EA2_9C20, [1: (0x0000_0003_FFFF_FFFF, 0x8000_0000_0000_0002), 2: (0x0000_0005_0000_0002, 0x0000_0002_0000_0003)])  // mul v0.4s
        #expect(v(m, 0) == (0x0000_000F_FFFF_FFFE, 0x0000_0000_0000_0006))
        m = try SIMDMachine.run(0x6FA2_0020, [0: (1, 2), 1: (0x0000_0002_0000_0003, 0), 2: (0x0000_000A_0000_0000, 0)])  // mla v0.4s, v1.4s, v2.s[1]
        #expect(v(m, 0) == (0x0000_0014_0000_001F, 2))  // lanes: 1 + 3·10, 0 + 2·10, 2 + 0, 0
    }

    @Test("compares produce all-ones lanes; CMHS/CMHI are unsigned, CMGT signed")
    func compares() throws {
        var m = try SIMDMachine.run(0x6E22_8C20, [1: iota, 2: (0x0706_0504_FF02_0100, 0)])  // cmeq v0.16b
        #expect(v(m, 0) == (0xFFFF_FFFF_00FF_FFFF, 0))
        m = try SIMDMachine.run(0x6E22_3C20, [1: (0x80_7F_00_01, 0xFF), 2: (0x7F_80_00_02, 0xFE)])  // cmhs v0.16b
        #expect(v(m, 0) == (0xFFFF_FFFF_FF00_FF00, 0xFFFF_FFFF_FFFF_FFFF))
        m = try SIMDMachine.run(0x6E22_3420, [1: (0x80_7F_00_01, 0xFF), 2: (0x7F_80_00_02, 0xFE)])  // cmhi v0.16b
        #expect(v(m, 0) == (0x0000_0000_FF00_0000, 0x0000_0000_0000_00FF))
        m = try SIMDMachine.run(0x4EA2_3420, [1: (0x8000_0000_0000_0001, 0), 2: (0x7FFF_FFFF_0000_0000, 0xFFFF_FFFF_FFFF_FFFF)])  // cmgt v0.4s
        #expect(v(m, 0) == (0x0000_0000_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF))
        m = try SIMDMachine.run(0x0E20_9820, [1: (0x0000_FF00_0100_0000, 0x1234)])  // cmeq v0.8b, v1.8b, #0
        #expect(v(m, 0) == (0xFFFF_00FF_00FF_FFFF, 0))
        m = try SIMDMachine.run(0x0E22_8C20, [1: (0x0F, 0), 2: (0x10_01, 0)])  // cmtst v0.8b
        #expect(v(m, 0) == (0xFF, 0))
    }

    @Test("pairwise and across-lane reductions")
    func reductions() throws {
        let a: (UInt64, UInt64) = (0x0102_0304_0506_0708, 0x90A0_B0C0_D0E0_F0FF), b: (UInt64, UInt64) = (0xFF00_0000_0000_00FF, 0x0000_0000_0000_0001)
        var m = try SIMDMachine.run(0x6E22_A420, [1: a, 2: b])  // umaxp v0.16b
        #expect(v(m, 0) == (0xA0C0_E0FF_0204_0608, 0x0000_0001_FF00_00FF))
        m = try SIMDMachine.run(0x6E22_AC20, [1: a, 2: b])  // uminp
        #expect(v(m, 0) == (0x90B0_D0F0_0103_0507, 0x0000_0000_0000_0000))
        m = try SIMDMachine.run(0x4E22_BC20, [1: a, 2: b])  // addp: byte sums wrap
        #expect(v(m, 0) == (0x3070_B0EF_0307_0B0F, 0x0000_0001_FF00_00FF))
        m = try SIMDMachine.run(0x5EF1_B820, [1: (5, UInt64.max)])  // addp d0, v1.2d
        #expect(v(m, 0) == (4, 0))
        m = try SIMDMachine.run(0x6E30_A820, [1: iota])  // umaxv b0, v1.16b
        #expect(v(m, 0) == (0x0F, 0))
        m = try SIMDMachine.run(0x6E71_A820, [1: (0xFFFF_0005_0003_0009, 0x0004_0008_0007_0006)])  // uminv h0, v1.8h
        #expect(v(m, 0) == (3, 0))
        m = try SIMDMachine.run(0x4EB1_B820, [1: (0xFFFF_FFFF_0000_0002, 0x0000_0001_0000_0003)])  // addv s0, v1.4s
        #expect(v(m, 0) == (5, 0))
        m = try SIMDMachine.run(0x6E30_3820, [1: (UInt64.max, UInt64.max)])  // uaddlv h0, v1.16b: 16 × 255
        #expect(v(m, 0) == (0x0FF0, 0))
        m = try SIMDMachine.run(0x6E60_2820, [1: (0xFFFF_FFFF_0002_0001, 0)])  // uaddlp v0.4s, v1.8h
        #expect(v(m, 0) == (0x0001_FFFE_0000_0003, 0))
    }

    @Test("narrowing and widening: SHRN, XTN2 keeps the low half, UXTL2, SXTL")
    func narrowWiden() throws {
        var m = try SIMDMachine.run(0x0F0C_8420, [1: (0x1234_5678_9ABC_DEF0, 0x0FF0_F00F_0001_FFFF)])  // shrn v0.8b, v1.8h, #4
        #expect(v(m, 0) == (0xFF00_00FF_2367_ABEF, 0))
        m = try SIMDMachine.run(0x4F0C_8420, [0: (0x1111, 0x2222), 1: (0x1234_5678_9ABC_DEF0, 0x0FF0_F00F_0001_FFFF)])  // shrn2
        #expect(v(m, 0) == (0x1111, 0xFF00_00FF_2367_ABEF))
        m = try SIMDMachine.run(0x4E21_2820, [0: (0xAAAA, 0xBBBB), 1: (0x0102_0304_0506_0708, 0x090A_0B0C_0D0E_0F10)])  // xtn2 v0.16b
        #expect(v(m, 0) == (0xAAAA, 0x0A0C_0E10_0204_0608))
        m = try SIMDMachine.run(0x6F10_A420, [1: (0, 0x8000_7FFF_0001_FFFF)])  // uxtl2 v0.4s, v1.8h
        #expect(v(m, 0) == (0x0000_0001_0000_FFFF, 0x0000_8000_0000_7FFF))
        m = try SIMDMachine.run(0x0F20_A420, [1: (0x8000_0000_7FFF_FFFF, 0)])  // sxtl v0.2d, v1.2s
        #expect(v(m, 0) == (0x7FFF_FFFF, 0xFFFF_FFFF_8000_0000))
        m = try SIMDMachine.run(0x2EA2_C020, [1: (0xFFFF_FFFF_0000_0002, 0), 2: (0x0000_0002_0000_0003, 0)])  // umull v0.2d
        #expect(v(m, 0) == (6, 0x0000_0001_FFFF_FFFE))
        m = try SIMDMachine.run(0x4E62_C020, [1: (0, 0x0000_0000_0000_FFFF), 2: (0, 0x0000_0000_0000_0003)])  // smull2 v0.4s
        #expect(v(m, 0) == (0xFFFF_FFFD, 0))
        m = try SIMDMachine.run(0x2E21_4820, [1: (0x0100_00FF_FFFF_0080, 0x1234)])  // uqxtn v0.8b, v1.8h
        #expect(v(m, 0) == (0x0000_00FF_FFFF_FF80, 0) && m.cpu.fpsr == 1 << 27)
    }

    @Test("shifts by immediate, including whole-element shifts and inserts")
    func shifts() throws {
        var m = try SIMDMachine.run(0x6F08_0420, [1: (UInt64.max, UInt64.max)])  // ushr v0.16b, #8
        #expect(v(m, 0) == (0, 0))
        m = try SIMDMachine.run(0x4F20_0420, [1: (0x8000_0000_7FFF_FFFF, 0)])  // sshr v0.4s, #32
        #expect(v(m, 0) == (0xFFFF_FFFF_0000_0000, 0))
        m = try SIMDMachine.run(0x7F41_0420, [1: (0x8000_0000_0000_0000, 5)])  // ushr d0, d1, #63
        #expect(v(m, 0) == (1, 0))
        m = try SIMDMachine.run(0x6F1C_4420, [0: (0xFFFF_FFFF_FFFF_FFFF, 0), 1: (0x1234_1234_1234_1234, 0)])  // sri v0.8h, #4
        #expect(v(m, 0) == (0xF123_F123_F123_F123, 0))
        m = try SIMDMachine.run(0x6F14_5420, [0: (0xFFFF_FFFF_FFFF_FFFF, 0), 1: (0x1234_1234_1234_1234, 0)])  // sli v0.8h, #4
        #expect(v(m, 0) == (0x234F_234F_234F_234F, 0))
        m = try SIMDMachine.run(0x6F3F_1420, [0: (1, 0), 1: (0x0000_0004_0000_0003, 0)])  // usra v0.4s, #1
        #expect(v(m, 0) == (0x0000_0002_0000_0002, 0))
    }

    @Test("saturating arithmetic clamps and sets FPSR.QC")
    func saturation() throws {
        var m = try SIMDMachine.run(0x4E22_0C20, [1: (0x7F_80_01, 0), 2: (0x01_FF_01, 0)])  // sqadd v0.16b
        #expect(v(m, 0) == (0x7F_80_02, 0))
        #expect(m.cpu.fpsr == 1 << 27)
        m = try SIMDMachine.run(0x6E62_2C20, [1: (0x0001_0005, 0), 2: (0x0002_0003, 0)])  // uqsub v0.8h
        #expect(v(m, 0) == (0x0000_0002, 0) && m.cpu.fpsr == 1 << 27)
        m = try SIMDMachine.run(0x4E62_B420, [1: (0x8000, 0), 2: (0x8000, 0)])  // sqdmulh v0.8h: (-1)·(-1) doubled saturates
        #expect(v(m, 0) == (0x7FFF, 0) && m.cpu.fpsr == 1 << 27)
    }

    @Test("MOVI/MVNI/ORR/BIC (vector, immediate) and FMOV (vector)")
    func immediates() throws {
        let junk: (UInt64, UInt64) = (0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210)
        #expect(v(try SIMDMachine.run(0x4F05_E560, [0: junk]), 0) == (0xABAB_ABAB_ABAB_ABAB, 0xABAB_ABAB_ABAB_ABAB))  // movi v0.16b, #0xab
        #expect(v(try SIMDMachine.run(0x4F00_2640, [0: junk]), 0) == (0x0000_1200_0000_1200, 0x0000_1200_0000_1200))  // movi .4s, lsl #8
        #expect(v(try SIMDMachine.run(0x4F00_D640, [0: junk]), 0) == (0x0012_FFFF_0012_FFFF, 0x0012_FFFF_0012_FFFF))  // movi .4s, msl #16
        #expect(v(try SIMDMachine.run(0x6F01_8680, [0: junk]), 0) == (0xFFCB_FFCB_FFCB_FFCB, 0xFFCB_FFCB_FFCB_FFCB))  // mvni .8h, #0x34
        #expect(v(try SIMDMachine.run(0x6F05_E4C0, [0: junk]), 0) == (0xFF00_FF00_00FF_FF00, 0xFF00_FF00_00FF_FF00))  // movi .2d
        #expect(v(try SIMDMachine.run(0x2F04_E400, [0: junk]), 0) == (0xFF00_0000_0000_0000, 0))                      // movi d0
        #expect(v(try SIMDMachine.run(0x4F04_7400, [0: (1, 2)]), 0) == (0x8000_0000_8000_0001, 0x8000_0000_8000_0002))  // orr .4s, #0x80, lsl #24
        #expect(v(try SIMDMachine.run(0x6F07_97E0, [0: (0x1234_5678_9ABC_DEF0, UInt64.max)]), 0) == (0x1200_5600_9A00_DE00, 0xFF00_FF00_FF00_FF00))  // bic .8h, #0xff
        #expect(v(try SIMDMachine.run(0x6F04_F480, [0: junk]), 0) == (0xC004_0000_0000_0000, 0xC004_0000_0000_0000))  // fmov v0.2d, #-2.5
        #expect(v(try SIMDMachine.run(0x4F03_F400, [0: junk]), 0) == (0x3F00_0000_3F00_0000, 0x3F00_0000_3F00_0000))  // fmov v0.4s, #0.5
    }

    @Test("DUP, INS, UMOV, SMOV")
    func copies() throws {
        #expect(v(try SIMDMachine.run(0x4E0B_0420, [1: iota]), 0) == (0x0505_0505_0505_0505, 0x0505_0505_0505_0505))  // dup v0.16b, v1.b[5]
        #expect(v(try SIMDMachine.run(0x4E04_0C20, [:], x: [1: 0xFFFF_FFFF_8765_4321]), 0) == (0x8765_4321_8765_4321, 0x8765_4321_8765_4321))
        #expect(v(try SIMDMachine.run(0x4E08_0C20, [:], x: [1: 42]), 0) == (42, 42))  // dup v0.2d, x1
        #expect(v(try SIMDMachine.run(0x4E1C_1C20, [0: (1, 2)], x: [1: 0xAABB_CCDD]), 0) == (1, 0xAABB_CCDD_0000_0002))  // mov v0.s[3], w1
        #expect(v(try SIMDMachine.run(0x6E06_6420, [0: (0, 0), 1: iota]), 0) == (0x0D0C_0000, 0))  // mov v0.h[1], v1.h[6]
        #expect(try SIMDMachine.run(0x0E1F_3C20, [1: iota]).cpu[x: 0] == 0x0F)                        // umov w0, v1.b[15]
        #expect(try SIMDMachine.run(0x4E18_3C20, [1: (1, 0x8000_0000_0000_0001)]).cpu[x: 0] == 0x8000_0000_0000_0001)
        #expect(try SIMDMachine.run(0x4E0E_2C20, [1: (0x8001_0000_0000_0000, 0)]).cpu[x: 0] == 0xFFFF_FFFF_FFFF_8001)  // smov x0, v1.h[3]
        #expect(try SIMDMachine.run(0x0E03_2C20, [1: (0x8000, 0)]).cpu[x: 0] == 0xFFFF_FF80)          // smov w0, v1.b[1]
    }

    @Test("EXT, TBL/TBX, ZIP/UZP/TRN, REV")
    func permutes() throws {
        let b: (UInt64, UInt64) = (0x1716_1514_1312_1110, 0x1F1E_1D1C_1B1A_1918)
        #expect(v(try SIMDMachine.run(0x6E02_1820, [1: iota, 2: b]), 0) == (0x0A09_0807_0605_0403, 0x1211_100F_0E0D_0C0B))  // ext #3
        #expect(v(try SIMDMachine.run(0x2E02_3820, [1: iota, 2: b]), 0) == (0x1615_1413_1211_1007, 0))  // ext v0.8b, #7
        // tbl with one table register: index 16 and up give 0.
        #expect(v(try SIMDMachine.run(0x4E02_0020, [1: b, 2: (0x0010_FF0F_0001, 0x0203)]), 0) == (0x1010_1000_001F_1011, 0x1010_1010_1010_1213))
        // tbx keeps the destination byte for out-of-range indices.
        #expect(v(try SIMDMachine.run(0x0E02_1020, [0: (0xAAAA_AAAA_AAAA_AAAA, 7), 1: b, 2: (0x0001_2030_4050_6001, 0)]), 0) == (0x1011_AAAA_AAAA_AA11, 0))
        // tbl with three registers wrapping V31 → V0: index 0x21 is byte 1 of V0.
        #expect(v(try SIMDMachine.run(0x4E02_43C0, [30: iota, 31: b, 0: (0xEEDD, 0), 2: (0x3021_1000, 0)]), 0) == (0x00EE_1000, 0))
        #expect(v(try SIMDMachine.run(0x4E02_3820, [1: iota, 2: b]), 0) == (0x1303_1202_1101_1000, 0x1707_1606_1505_1404))  // zip1 .16b
        #expect(v(try SIMDMachine.run(0x4E82_7820, [1: iota, 2: b]), 0) == (0x1B1A_1918_0B0A_0908, 0x1F1E_1D1C_0F0E_0D0C))  // zip2 .4s
        #expect(v(try SIMDMachine.run(0x4E42_1820, [1: iota, 2: b]), 0) == (0x0D0C_0908_0504_0100, 0x1D1C_1918_1514_1110))  // uzp1 .8h
        #expect(v(try SIMDMachine.run(0x4E02_5820, [1: iota, 2: b]), 0) == (0x0F0D_0B09_0705_0301, 0x1F1D_1B19_1715_1311))  // uzp2 .16b
        #expect(v(try SIMDMachine.run(0x4E82_2820, [1: iota, 2: b]), 0) == (0x1312_1110_0302_0100, 0x1B1A_1918_0B0A_0908))  // trn1 .4s
        #expect(v(try SIMDMachine.run(0x4EC2_6820, [1: iota, 2: b]), 0) == (iota.1, b.1))                                   // trn2 .2d
        #expect(v(try SIMDMachine.run(0x4E20_0820, [1: iota]), 0) == (0x0001_0203_0405_0607, 0x0809_0A0B_0C0D_0E0F))       // rev64 .16b
        #expect(v(try SIMDMachine.run(0x6E60_0820, [1: iota]), 0) == (0x0504_0706_0100_0302, 0x0D0C_0F0E_0908_0B0A))       // rev32 .8h
        #expect(v(try SIMDMachine.run(0x4E20_1820, [1: iota]), 0) == (0x0607_0405_0203_0001, 0x0E0F_0C0D_0A0B_0809))       // rev16 .16b
    }

    @Test("bitwise selects, CNT, CLZ, NOT")
    func bitwise() throws {
        let mask: (UInt64, UInt64) = (0xFF00_FF00_FF00_FF00, 0x0F0F_0F0F_0F0F_0F0F)
        let a: (UInt64, UInt64) = (0x1111_1111_1111_1111, 0x2222_2222_2222_2222), b: (UInt64, UInt64) = (0x3333_3333_3333_3333, 0x4444_4444_4444_4444)
        #expect(v(try SIMDMachine.run(0x6E62_1C20, [0: mask, 1: a, 2: b]), 0) == (0x1133_1133_1133_1133, 0x4242_4242_4242_4242))  // bsl
        #expect(v(try SIMDMachine.run(0x6EA2_1C20, [0: a, 1: b, 2: mask]), 0) == (0x3311_3311_3311_3311, 0x2424_2424_2424_2424))  // bit
        #expect(v(try SIMDMachine.run(0x6EE2_1C20, [0: a, 1: b, 2: mask]), 0) == (0x1133_1133_1133_1133, 0x4242_4242_4242_4242))  // bif
        #expect(v(try SIMDMachine.run(0x0E20_5820, [1: (0xFF0F_0301_0000_0080, 5)]), 0) == (0x0804_0201_0000_0001, 0))  // cnt .8b
        #expect(v(try SIMDMachine.run(0x6EA0_4820, [1: (0x0000_0001_0000_0000, 0xFFFF_FFFF_0001_0000)]), 0) == (0x0000_001F_0000_0020, 0x0000_0000_0000_000F))  // clz .4s
        #expect(v(try SIMDMachine.run(0x6E20_5820, [1: (0, UInt64.max)]), 0) == (UInt64.max, 0))  // not
        #expect(v(try SIMDMachine.run(0x2E22_1C20, [1: a, 2: b]), 0) == (0x2222_2222_2222_2222, 0))  // eor .8b
    }

    @Test("FP lanes: FADD, FMLA and FMUL by element, FADDP, conversions, compares")
    func floatLanes() throws {
        let ones: (UInt64, UInt64) = (0x4000_0000_3F80_0000, 0x4080_0000_4040_0000)  // 1, 2, 3, 4
        #expect(v(try SIMDMachine.run(0x4E22_D420, [1: ones, 2: ones]), 0) == (0x4080_0000_4000_0000, 0x4100_0000_40C0_0000))  // fadd .4s
        // fmla v0.2d, v1.2d, v2.d[1]: 1 + 2·3 and 10 + 4·3
        #expect(v(try SIMDMachine.run(0x4FC2_1820, [0: (0x3FF0_0000_0000_0000, 0x4024_0000_0000_0000), 1: (0x4000_0000_0000_0000, 0x4010_0000_0000_0000),
                                                   2: (0, 0x4008_0000_0000_0000)]), 0) == (0x401C_0000_0000_0000, 0x4036_0000_0000_0000))
        #expect(v(try SIMDMachine.run(0x4FA2_9820, [1: ones, 2: (0, 0x4000_0000_0000_0000)]), 0) == (0x4080_0000_4000_0000, 0x4100_0000_40C0_0000))  // fmul by s[3] = 2
        #expect(v(try SIMDMachine.run(0x6E22_D420, [1: ones, 2: ones]), 0) == (0x40E0_0000_4040_0000, 0x40E0_0000_4040_0000))  // faddp .4s
        #expect(v(try SIMDMachine.run(0x7E30_D820, [1: (0x4000_0000_3F80_0000, 7)]), 0) == (0x4040_0000, 0))  // faddp s0, v1.2s
        #expect(v(try SIMDMachine.run(0x4EA1_B820, [1: (0xBFC0_0000_4F80_0000, 0x7FC0_0000_4049_0FDB)]), 0) == (0xFFFF_FFFF_7FFF_FFFF, 0x0000_0000_0000_0003))  // fcvtzs .4s
        #expect(v(try SIMDMachine.run(0x4E61_D820, [1: (UInt64(bitPattern: -2), 1 << 53)]), 0) == (0xC000_0000_0000_0000, 0x4340_0000_0000_0000))  // scvtf .2d
        #expect(v(try SIMDMachine.run(0x4EA0_C820, [1: (0x8000_0000_3F80_0000, 0x7FC0_0000_0000_0001)]), 0) == (0x0000_0000_FFFF_FFFF, 0x0000_0000_FFFF_FFFF))  // fcmgt #0
        #expect(v(try SIMDMachine.run(0x6E30_C820, [1: (0x7FC0_0000_3F80_0000, 0xC000_0000_4000_0000)]), 0) == (0x4000_0000, 0))  // fmaxnmv
        #expect(v(try SIMDMachine.run(0x4EA1_D820, [1: (0x4000_0000_3F80_0000, 0)]), 0).0 == 0x3EFF_8000_3F7F_8000)  // frecpe: 1 → 0.998, 2 → 0.499
        #expect(v(try SIMDMachine.run(0x7EE1_D820, [1: (0x4010_0000_0000_0000, 0)]), 0) == (0x3FDF_F000_0000_0000, 0))  // frsqrte d: 4 → 0.4995
    }

    @Test("structure loads and stores, with post-indexing")
    func loadStore() throws {
        let base = SIMDMachine.data
        func machine(_ word: UInt32) throws -> SIMDMachine {
            let m = try SIMDMachine([word])
            m.store((0..<64).map { UInt8($0) }, at: base)
            m.cpu[x: 1] = base
            return m
        }
        var m = try machine(0x4CDF_2020)  // ld1 {v0.16b-v3.16b}, [x1], #64
        #expect(m.cpu.step() == .limit)
        #expect(v(m, 0) == iota && v(m, 3) == (0x3736_3534_3332_3130, 0x3F3E_3D3C_3B3A_3938) && m.cpu[x: 1] == base + 64)
        m = try machine(0x0CC2_A020)  // ld1 {v0.8b, v1.8b}, [x1], x2
        m.cpu[x: 2] = 3
        m.cpu.setVector(1, lo: 9, hi: 9)
        #expect(m.cpu.step() == .limit)
        #expect(v(m, 1) == (0x0F0E_0D0C_0B0A_0908, 0) && m.cpu[x: 1] == base + 3)
        m = try machine(0x4C40_8420)  // ld2 {v0.8h, v1.8h}, [x1]: halfwords de-interleaved
        #expect(m.cpu.step() == .limit)
        #expect(v(m, 0) == (0x0D0C_0908_0504_0100, 0x1D1C_1918_1514_1110) && v(m, 1) == (0x0F0E_0B0A_0706_0302, 0x1F1E_1B1A_1716_1312))
        m = try machine(0x4D40_9020)  // ld1 {v0.s}[3], [x1]: other lanes kept
        m.cpu.setVector(0, lo: 1, hi: 2)
        #expect(m.cpu.step() == .limit)
        #expect(v(m, 0) == (1, 0x0302_0100_0000_0002))
        m = try machine(0x4DDF_C420)  // ld1r {v0.8h}, [x1], #2
        #expect(m.cpu.step() == .limit)
        #expect(v(m, 0) == (0x0100_0100_0100_0100, 0x0100_0100_0100_0100) && m.cpu[x: 1] == base + 2)
        m = try machine(0x0D40_E820)  // ld3r {v0.2s-v2.2s}, [x1]
        #expect(m.cpu.step() == .limit)
        #expect(v(m, 2) == (0x0B0A_0908_0B0A_0908, 0))
        m = try machine(0x4C00_8820)  // st2 {v0.4s, v1.4s}, [x1]: words interleaved
        m.cpu.setVector(0, lo: 0x0000_0001_0000_0000, hi: 0x0000_0003_0000_0002)
        m.cpu.setVector(1, lo: 0x0000_0011_0000_0010, hi: 0x0000_0013_0000_0012)
        #expect(m.cpu.step() == .limit)
        #expect(m.load(base, count: 12) == [0, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0])
        m = try machine(0x4D9F_8420)  // st1 {v0.d}[1], [x1], #8
        m.cpu.setVector(0, lo: 0, hi: 0x8877_6655_4433_2211)
        #expect(m.cpu.step() == .limit)
        #expect(m.load(base, count: 8) == [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88] && m.cpu[x: 1] == base + 8)
    }

    @Test("a structure load that faults changes no register; a faulting store writes nothing")
    func faults() throws {
        let m = try SIMDMachine([0x4C40_0820, 0x4C00_A020])  // ld4 {v0.4s-v3.4s}, [x1]; st1 {v0.16b, v1.16b}, [x1]
        m.cpu[x: 1] = SIMDMachine.data + 0x1000 - 32  // the last 32 bytes of the page, then unmapped
        for r in 0..<4 { m.cpu.setVector(r, lo: UInt64(r), hi: 0) }
        guard case .dataAbort = m.cpu.step() else { Issue.record("ld4 should fault"); return }
        for r in 0..<4 { #expect(m.cpu.vector(r) == (UInt64(r), 0)) }
        #expect(m.cpu.pc == SIMDMachine.code)
        m.cpu.pc = SIMDMachine.code + 4
        m.cpu[x: 1] = SIMDMachine.data + 0x1000 - 16
        guard case .dataAbort = m.cpu.step() else { Issue.record("st1 should fault"); return }
        #expect(m.load(SIMDMachine.data + 0x1000 - 16, count: 16) == [UInt8](repeating: 0, count: 16))
    }

    @Test("unmodelled extensions decode as UNDEFINED and raise SIGILL naming the word")
    func undefinedExtensions() throws {
        // as -march=armv8.6-a+fp16+dotprod+rdm+crypto+sha2+aes+fp16fml+bf16+i8mm
        let words: [UInt32] = [
            0x1EE2_2820,  // fadd h0, h1, h2
            0x6E42_1C20,  // fmul v0.8h, v1.8h, v2.8h
            0x4E82_9420,  // sdot v0.4s, v1.16b, v2.16b
            0x6E42_8420,  // sqrdmlah v0.8h, v1.8h, v2.8h
            0x4E28_4820,  // aese v0.16b, v1.16b
            0x5E02_4020,  // sha256h q0, q1, v2.4s
            0x6E82_CC20,  // fcmla v0.4s, v1.4s, v2.4s, #90
            0x4E21_E820,  // frint32z v0.4s, v1.4s
            0x1E7E_0020,  // fjcvtzs w0, d1
            0x0EA1_6820,  // bfcvtn v0.4h, v1.4s
            0x4E22_EC20,  // fmlal v0.4s, v1.4h, v2.4h
            0x0EE0_8400,  // add v0.1d (reserved arrangement)
        ]
        for w in words {
            #expect(A64Decoder.decode(w, pc: 0).op == .undefined, "\(String(w, radix: 16))")
            let m = try SIMDMachine([w])
            #expect(m.cpu.step() == .undefinedInstruction(word: w))
        }
    }

    @Test("byte fast paths agree with the lane loops")
    func fastPathsAgree() throws {
        let m = try SIMDMachine([])
        let cpu = m.cpu
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var a = (UInt64.random(in: 0...UInt64.max, using: &rng), UInt64.random(in: 0...UInt64.max, using: &rng))
            let b = (UInt64.random(in: 0...UInt64.max, using: &rng), UInt64.random(in: 0...UInt64.max, using: &rng))
            if Bool.random(using: &rng) { a.0 = b.0 ^ (1 << UInt64.random(in: 0..<64, using: &rng)) }
            cpu.setVector(1, lo: a.0, hi: a.1)
            cpu.setVector(2, lo: b.0, hi: b.1)
            for bytes: UInt8 in [8, 16] {
                let r = DecodedInstruction(op: .simd, rd: 0, rn: 1, rm: 2, s1: 0, s2: bytes, imm: 4 << 16)
                let checks: [(String, () -> Void, () -> Void)] = [
                    ("cmeq", { cpu.byteCompare(r, 0) }, { cpu.vectorBinary(r, CmEqOp.self) }),
                    ("cmhs", { cpu.byteCompare(r, 1) }, { cpu.vectorBinary(r, CmHsOp.self) }),
                    ("cmhi", { cpu.byteCompare(r, 2) }, { cpu.vectorBinary(r, CmHiOp.self) }),
                    ("umaxp", { cpu.bytePairwise(r, 0) }, { cpu.vectorPairwise(r, UMaxOp.self) }),
                    ("uminp", { cpu.bytePairwise(r, 1) }, { cpu.vectorPairwise(r, UMinOp.self) }),
                    ("addp", { cpu.bytePairwise(r, 2) }, { cpu.vectorPairwise(r, AddOp.self) }),
                    ("shrn", { cpu.shiftNarrowBytes(r) }, { cpu.narrow(r, ShrnOp.self) }),
                ]
                for (name, fast, slow) in checks {
                    cpu.setVector(0, lo: 0x5A5A, hi: 0xA5A5)
                    fast()
                    let f = cpu.vector(0)
                    cpu.setVector(0, lo: 0x5A5A, hi: 0xA5A5)
                    slow()
                    let s = cpu.vector(0)
                    #expect(f == s, "\(name) .\(bytes) on \(a), \(b)")
                }
            }
        }
    }
}
