import Memory
import Testing
@testable import AArch64

// Scalar floating point, directed. Instruction words were assembled with GNU as 2.40
// (aarch64-linux-gnu-as -march=armv8-a) and read back with objdump. Expected results and FPSR
// flags are worked by hand from the ARM ARM (DDI 0487) shared pseudocode: FPAdd/FPMul/FPDiv/
// FPMulAdd (with FPProcessNaNs/FPProcessNaNs3), FPRound (tininess detected before rounding),
// FPUnpack (FPCR.FZ flushes inputs, raising IDC), FPCompare, FPMax/FPMin/FPMaxNum/FPMinNum,
// FPToFixed, FixedToFP, FPRoundInt and FPConvert. FPSR bits: IOC 1, DZC 2, OFC 4, UFC 8, IXC 0x10, IDC 0x80.

enum FPBits {
    static let one: UInt64 = 0x3FF0_0000_0000_0000
    static let two: UInt64 = 0x4000_0000_0000_0000
    static let half: UInt64 = 0x3FE0_0000_0000_0000
    static let qnan: UInt64 = 0x7FF8_0000_0000_0000      // the default NaN
    static let inf: UInt64 = 0x7FF0_0000_0000_0000
    static let negZero: UInt64 = 0x8000_0000_0000_0000
    static let oneS: UInt64 = 0x3F80_0000
    static let rp: UInt64 = 1 << 22, rm: UInt64 = 2 << 22, rz: UInt64 = 3 << 22
    static let fz: UInt64 = 1 << 24, dn: UInt64 = 1 << 25, ahp: UInt64 = 1 << 26
}

@Suite("Scalar floating point")
struct SIMDScalarFPTests {  // named so that `--filter SIMD` selects it too
    /// Runs `word` once with d1, d2, d3 (low 64 bits) and FPCR set; returns the machine.
    func fp(_ word: UInt32, _ a: UInt64, _ b: UInt64 = 0, _ c: UInt64 = 0, fpcr: UInt64 = 0, nzcv: UInt64 = 0,
            x1: UInt64 = 0) throws -> SIMDMachine {
        let m = try SIMDMachine([word])
        m.cpu.setVector(1, lo: a, hi: 0xDEAD)
        m.cpu.setVector(2, lo: b, hi: 0xBEEF)
        m.cpu.setVector(3, lo: c, hi: 0)
        m.cpu.setVector(0, lo: 0x5555_5555_5555_5555, hi: 0x5555_5555_5555_5555)
        m.cpu.fpcr = fpcr
        m.cpu.nzcv = nzcv
        m.cpu[x: 1] = x1
        #expect(m.cpu.step() == .limit)
        return m
    }

    @Test("FADD rounds per FPCR.RMode and raises Inexact (1 + 2^-53 is a tie)")
    func addRounding() throws {
        let word: UInt32 = 0x1E62_2820  // fadd d0, d1, d2
        let tiny: UInt64 = 0x3CA0_0000_0000_0000  // 2^-53
        var m = try fp(word, FPBits.one, tiny)
        #expect(m.cpu.vector(0) == (FPBits.one, 0))  // ties to even; scalar writes zero the top half
        #expect(m.cpu.fpsr == 0x10)
        m = try fp(word, FPBits.one, tiny, fpcr: FPBits.rp)
        #expect(m.cpu.vector(0).lo == FPBits.one + 1)
        m = try fp(word, FPBits.one | 1 << 63, tiny | 1 << 63, fpcr: FPBits.rm)  // -1 - 2^-53 toward -inf
        #expect(m.cpu.vector(0).lo == (FPBits.one | 1 << 63) + 1)
        m = try fp(word, FPBits.one, tiny, fpcr: FPBits.rz)
        #expect(m.cpu.vector(0).lo == FPBits.one)
        // An exact zero sum is +0, except -0 when rounding toward minus infinity.
        m = try fp(word, FPBits.one, FPBits.one | 1 << 63)
        #expect(m.cpu.vector(0).lo == 0 && m.cpu.fpsr == 0)
        m = try fp(word, FPBits.one, FPBits.one | 1 << 63, fpcr: FPBits.rm)
        #expect(m.cpu.vector(0).lo == FPBits.negZero)
    }

    @Test("FDIV: x/0 is infinity with DZC; 0/0 is the default NaN with IOC")
    func divide() throws {
        let word: UInt32 = 0x1E62_1820  // fdiv d0, d1, d2
        var m = try fp(word, FPBits.one, 0)
        #expect(m.cpu.vector(0).lo == FPBits.inf && m.cpu.fpsr == 0x2)
        m = try fp(word, 0, 0)
        #expect(m.cpu.vector(0).lo == FPBits.qnan && m.cpu.fpsr == 0x1)
        m = try fp(word, FPBits.one, 0x4008_0000_0000_0000)  // 1/3
        #expect(m.cpu.vector(0).lo == 0x3FD5_5555_5555_5555 && m.cpu.fpsr == 0x10)
    }

    @Test("NaN operands: signalling before quiet, operand 1 before 2; DN gives the default NaN")
    func nanPropagation() throws {
        let word: UInt32 = 0x1E62_2820  // fadd d0, d1, d2
        var m = try fp(word, 0x7FF8_0000_0000_0001, 0x7FF0_0000_0000_0002)
        #expect(m.cpu.vector(0).lo == 0x7FF8_0000_0000_0002 && m.cpu.fpsr == 0x1)
        m = try fp(word, 0xFFF8_0000_0000_0005, FPBits.one)
        #expect(m.cpu.vector(0).lo == 0xFFF8_0000_0000_0005 && m.cpu.fpsr == 0)
        m = try fp(word, 0x7FF8_0000_0000_0001, 0x7FF8_0000_0000_0002)
        #expect(m.cpu.vector(0).lo == 0x7FF8_0000_0000_0001)
        m = try fp(word, 0x7FF0_0000_0000_0002, FPBits.one, fpcr: FPBits.dn)
        #expect(m.cpu.vector(0).lo == FPBits.qnan && m.cpu.fpsr == 0x1)
        // inf - inf is invalid: the default NaN (positive, unlike x86's).
        m = try fp(0x1E62_3820, FPBits.inf, FPBits.inf)  // fsub d0, d1, d2
        #expect(m.cpu.vector(0).lo == FPBits.qnan && m.cpu.fpsr == 0x1)
    }

    @Test("FPCR.FZ flushes denormal inputs (IDC) and tiny results (UFC, no IXC)")
    func flushToZero() throws {
        var m = try fp(0x1E22_2820, 0x0000_0001, 0, fpcr: FPBits.fz)  // fadd s0, s1, s2
        #expect(m.cpu.vector(0).lo == 0 && m.cpu.fpsr == 0x80)
        m = try fp(0x1E22_0820, 0x0080_0000, 0x3F00_0000, fpcr: FPBits.fz)  // fmul s0: 2^-126 × 0.5
        #expect(m.cpu.vector(0).lo == 0 && m.cpu.fpsr == 0x8)
        m = try fp(0x1E22_0820, 0x0080_0000, 0x3F00_0000)  // without FZ: the exact denormal 2^-127
        #expect(m.cpu.vector(0).lo == 0x0040_0000 && m.cpu.fpsr == 0)
    }

    @Test("Underflow is detected before rounding: 2^-126 × (1 - 2^-24) rounds up to 2^-126 with UFC")
    func tininessBeforeRounding() throws {
        let m = try fp(0x1E22_0820, 0x0080_0000, 0x3F7F_FFFF)  // fmul s0, s1, s2
        #expect(m.cpu.vector(0).lo == 0x0080_0000)
        #expect(m.cpu.fpsr == 0x18)  // x86 would report only inexact here
    }

    @Test("FMADD is fused; FMSUB negates operand 1 before NaN processing")
    func fusedMultiplyAdd() throws {
        // (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 exactly; an unfused multiply would round to 1 and give 0.
        var m = try fp(0x1F42_0C20, 0x3FF0_0000_0040_0000, 0x3FEF_FFFF_FF80_0000, FPBits.one | 1 << 63)
        #expect(m.cpu.vector(0).lo == 0xBC30_0000_0000_0000 && m.cpu.fpsr == 0)
        m = try fp(0x1F42_8C20, FPBits.qnan, FPBits.one, FPBits.one)  // fmsub d0, d1, d2, d3
        #expect(m.cpu.vector(0).lo == FPBits.qnan | 1 << 63)
        // FNMADD: -(a) - n·m = -(1) - 2·3 = -7 (single precision)
        m = try fp(0x1F22_0C20, 0x4000_0000, 0x4040_0000, FPBits.oneS)  // fnmadd s0, s1, s2, s3
        #expect(m.cpu.vector(0).lo == 0xC0E0_0000)
        // FNMSUB: n·m - a = 6 - 1 = 5
        m = try fp(0x1F22_8C20, 0x4000_0000, 0x4040_0000, FPBits.oneS)
        #expect(m.cpu.vector(0).lo == 0x40A0_0000)
        // Infinity × 0 plus a quiet NaN is the default NaN with IOC (FPMulAdd's special case).
        m = try fp(0x1F42_0C20, FPBits.inf, 0, 0x7FF8_0000_0000_0009)
        #expect(m.cpu.vector(0).lo == FPBits.qnan && m.cpu.fpsr == 0x1)
    }

    @Test("FMAX/FMIN order -0 below +0; FMAXNM/FMINNM prefer a number to a quiet NaN")
    func maxMin() throws {
        var m = try fp(0x1E62_5820, 0, FPBits.negZero)  // fmin d0, d1, d2
        #expect(m.cpu.vector(0).lo == FPBits.negZero)
        m = try fp(0x1E62_4820, FPBits.negZero, 0)  // fmax
        #expect(m.cpu.vector(0).lo == 0)
        m = try fp(0x1E62_6820, FPBits.qnan, FPBits.one)  // fmaxnm
        #expect(m.cpu.vector(0).lo == FPBits.one && m.cpu.fpsr == 0)
        m = try fp(0x1E62_4820, FPBits.qnan, FPBits.one)  // fmax
        #expect(m.cpu.vector(0).lo == FPBits.qnan)
        m = try fp(0x1E22_7820, 0x7F80_0001, FPBits.oneS)  // fminnm s: a signalling NaN still wins
        #expect(m.cpu.vector(0).lo == 0x7FC0_0001 && m.cpu.fpsr == 0x1)
    }

    @Test("FCMP/FCMPE set NZCV (less 1000, equal 0110, greater 0010, unordered 0011)")
    func compare() throws {
        let fcmp: UInt32 = 0x1E62_2020, fcmpe: UInt32 = 0x1E22_2030, fcmpZero: UInt32 = 0x1E60_2028
        #expect(try fp(fcmp, FPBits.one, FPBits.two).cpu.nzcv == 0b1000)
        #expect(try fp(fcmp, FPBits.two, FPBits.two).cpu.nzcv == 0b0110)
        #expect(try fp(fcmp, FPBits.two, FPBits.one).cpu.nzcv == 0b0010)
        var m = try fp(fcmp, FPBits.qnan, FPBits.one)
        #expect(m.cpu.nzcv == 0b0011 && m.cpu.fpsr == 0)
        m = try fp(fcmp, 0x7FF0_0000_0000_0001, FPBits.one)
        #expect(m.cpu.nzcv == 0b0011 && m.cpu.fpsr == 0x1)
        m = try fp(fcmpe, 0x7FC0_0000, FPBits.oneS)  // FCMPE signals on quiet NaNs too
        #expect(m.cpu.nzcv == 0b0011 && m.cpu.fpsr == 0x1)
        #expect(try fp(fcmpZero, FPBits.negZero).cpu.nzcv == 0b0110)
    }

    @Test("FCCMP compares when the condition holds, else sets #nzcv; FCSEL picks by condition")
    func conditional() throws {
        let fccmp: UInt32 = 0x1E62_0425  // fccmp d1, d2, #0b0101, eq
        #expect(try fp(fccmp, FPBits.one, FPBits.two, nzcv: 0b0100).cpu.nzcv == 0b1000)
        #expect(try fp(fccmp, FPBits.one, FPBits.two, nzcv: 0b0000).cpu.nzcv == 0b0101)
        let fcsel: UInt32 = 0x1E62_1C20  // fcsel d0, d1, d2, ne
        #expect(try fp(fcsel, FPBits.one, FPBits.two, nzcv: 0).cpu.vector(0) == (FPBits.one, 0))
        #expect(try fp(fcsel, FPBits.one, FPBits.two, nzcv: 0b0100).cpu.vector(0) == (FPBits.two, 0))
    }

    @Test("FCVT between precisions: overflow, round to nearest, half precision and AHP")
    func convertPrecision() throws {
        let toSingle: UInt32 = 0x1E62_4020  // fcvt s0, d1
        var m = try fp(toSingle, 0x7E37_E43C_8800_759C)  // 1e300
        #expect(m.cpu.vector(0).lo == 0x7F80_0000 && m.cpu.fpsr == 0x14)
        m = try fp(toSingle, 0x7E37_E43C_8800_759C, fpcr: FPBits.rz)
        #expect(m.cpu.vector(0).lo == 0x7F7F_FFFF && m.cpu.fpsr == 0x14)
        m = try fp(toSingle, 0x3FD5_5555_5555_5555)
        #expect(m.cpu.vector(0).lo == 0x3EAA_AAAB && m.cpu.fpsr == 0x10)
        m = try fp(0x1E22_C020, 0x7F80_0001)  // fcvt d0, s1: signalling NaN quietened, payload moved up
        #expect(m.cpu.vector(0).lo == 0x7FF8_0000_2000_0000 && m.cpu.fpsr == 0x1)
        let toHalf: UInt32 = 0x1E23_C020  // fcvt h0, s1
        #expect(try fp(toHalf, FPBits.oneS).cpu.vector(0).lo == 0x3C00)
        m = try fp(toHalf, 0x477F_F000)  // 65520 rounds past the largest half (65504)
        #expect(m.cpu.vector(0).lo == 0x7C00 && m.cpu.fpsr == 0x14)
        m = try fp(toHalf, 0x7FC0_0000, fpcr: FPBits.ahp)  // no NaNs in the alternative format
        #expect(m.cpu.vector(0).lo == 0 && m.cpu.fpsr == 0x1)
        let fromHalf: UInt32 = 0x1EE2_C020  // fcvt d0, h1
        #expect(try fp(fromHalf, 0x0001).cpu.vector(0).lo == 0x3E70_0000_0000_0000)  // 2^-24, exact
        #expect(try fp(fromHalf, 0x7E00).cpu.vector(0).lo == FPBits.qnan)
    }

    @Test("SCVTF/UCVTF round per FPCR, with fixed-point scaling")
    func integerToFP() throws {
        var m = try fp(0x9E62_0020, 0, x1: (1 << 53) + 1)  // scvtf d0, x1
        #expect(m.cpu.vector(0).lo == 0x4340_0000_0000_0000 && m.cpu.fpsr == 0x10)
        m = try fp(0x9E62_0020, 0, fpcr: FPBits.rp, x1: (1 << 53) + 1)
        #expect(m.cpu.vector(0).lo == 0x4340_0000_0000_0001)
        m = try fp(0x9E62_0020, 0, x1: UInt64(bitPattern: -3))
        #expect(m.cpu.vector(0).lo == 0xC008_0000_0000_0000 && m.cpu.fpsr == 0)
        m = try fp(0x9E42_F020, 0, x1: 24)  // scvtf d0, x1, #4: 24 / 16
        #expect(m.cpu.vector(0).lo == 0x3FF8_0000_0000_0000)
        m = try fp(0x1E23_0020, 0, x1: 0xFFFF_FFFF)  // ucvtf s0, w1
        #expect(m.cpu.vector(0).lo == 0x4F80_0000 && m.cpu.fpsr == 0x10)
    }

    @Test("FCVT*S/U saturate, give 0 for NaN (IOC) and round per their mode")
    func fpToInteger() throws {
        let zsW: UInt32 = 0x1E78_0020  // fcvtzs w0, d1
        var m = try fp(zsW, 0x4202_A05F_2000_0000)  // 1e10
        #expect(m.cpu[x: 0] == 0x7FFF_FFFF && m.cpu.fpsr == 0x1)
        m = try fp(zsW, 0xC202_A05F_2000_0000)  // -1e10: the W result is zero-extended
        #expect(m.cpu[x: 0] == 0x8000_0000 && m.cpu.fpsr == 0x1)
        m = try fp(zsW, FPBits.qnan)
        #expect(m.cpu[x: 0] == 0 && m.cpu.fpsr == 0x1)
        m = try fp(zsW, 0xBFE0_0000_0000_0000)  // -0.5 truncates to 0, inexact
        #expect(m.cpu[x: 0] == 0 && m.cpu.fpsr == 0x10)
        m = try fp(0x1E79_0020, FPBits.one | 1 << 63)  // fcvtzu w0, d1: -1 saturates to 0
        #expect(m.cpu[x: 0] == 0 && m.cpu.fpsr == 0x1)
        #expect(try fp(0x9E60_0020, 0x4004_0000_0000_0000).cpu[x: 0] == 2)  // fcvtns x0, d1: 2.5 → 2 (even)
        #expect(try fp(0x9E60_0020, 0x400C_0000_0000_0000).cpu[x: 0] == 4)  // 3.5 → 4
        #expect(try fp(0x9E64_0020, 0x4004_0000_0000_0000).cpu[x: 0] == 3)  // fcvtas: ties away
        #expect(try fp(0x9E64_0020, 0xC004_0000_0000_0000).cpu[x: 0] == UInt64(bitPattern: -3))
        #expect(try fp(0x1E30_0020, 0xBFC0_0000).cpu[x: 0] == 0xFFFF_FFFE)  // fcvtms w0, s1: -1.5 → -2
        #expect(try fp(0x1E28_0020, 0xBFC0_0000).cpu[x: 0] == 0xFFFF_FFFF)  // fcvtps w0, s1: -1.5 → -1
        #expect(try fp(0x9E58_E020, 0x3FF8_0000_0000_0000).cpu[x: 0] == 384)  // fcvtzs x0, d1, #8
        #expect(try fp(0x9E38_0020, 0x5F00_0000).cpu[x: 0] == 0x7FFF_FFFF_FFFF_FFFF)  // fcvtzs x0, s1: 2^63 saturates
    }

    @Test("FRINT*: rounding modes, signed zeros, FRINTX inexact, FRINTI from FPCR")
    func roundToIntegral() throws {
        let twoAndHalf: UInt64 = 0x4004_0000_0000_0000
        #expect(try fp(0x1E64_4020, twoAndHalf).cpu.vector(0).lo == FPBits.two)             // frintn
        #expect(try fp(0x1E66_4020, twoAndHalf).cpu.vector(0).lo == 0x4008_0000_0000_0000)  // frinta
        #expect(try fp(0x1E66_4020, 0xBFD9_9999_9999_999A).cpu.vector(0).lo == FPBits.negZero)  // frinta -0.4
        var m = try fp(0x1E67_4020, twoAndHalf)  // frintx
        #expect(m.cpu.vector(0).lo == FPBits.two && m.cpu.fpsr == 0x10)
        m = try fp(0x1E67_C020, 0x4000_CCCC_CCCC_CCCD, fpcr: FPBits.rp)  // frinti 2.1, toward +inf
        #expect(m.cpu.vector(0).lo == 0x4008_0000_0000_0000 && m.cpu.fpsr == 0)
        #expect(try fp(0x1E25_4020, 0xBF00_0000).cpu.vector(0).lo == 0xBF80_0000)  // frintm s: -0.5 → -1
        #expect(try fp(0x1E25_C020, 0xBF00_0000).cpu.vector(0).lo == 0x8000_0000)  // frintz s: -0.5 → -0
    }

    @Test("FSQRT: inexact roots, the default NaN for negatives, -0 stays -0")
    func squareRoot() throws {
        var m = try fp(0x1E61_C020, FPBits.two)
        #expect(m.cpu.vector(0).lo == 0x3FF6_A09E_667F_3BCD && m.cpu.fpsr == 0x10)
        m = try fp(0x1E61_C020, FPBits.one | 1 << 63)
        #expect(m.cpu.vector(0).lo == FPBits.qnan && m.cpu.fpsr == 0x1)
        #expect(try fp(0x1E61_C020, FPBits.negZero).cpu.vector(0).lo == FPBits.negZero)
    }

    @Test("FMOV: immediates, general registers, the top doubleword, FNMUL, FABS/FNEG")
    func moves() throws {
        #expect(try fp(0x1E6E_1000, 0).cpu.vector(0) == (FPBits.one, 0))        // fmov d0, #1.0
        #expect(try fp(0x1E39_1000, 0).cpu.vector(0) == (0xBE40_0000, 0))       // fmov s0, #-0.1875
        let m = try SIMDMachine([0x9EAE_0020, 0x9EAF_0020, 0x9E67_0020])  // fmov x0, v1.d[1]; fmov v0.d[1], x1; fmov d0, x1
        m.cpu.setVector(1, lo: 1, hi: 0x1234)
        m.cpu.setVector(0, lo: 7, hi: 8)
        m.cpu[x: 1] = 0xABCD
        #expect(m.cpu.step() == .limit && m.cpu[x: 0] == 0x1234)
        #expect(m.cpu.step() == .limit && m.cpu.vector(0) == (7, 0xABCD))   // the low half is kept
        #expect(m.cpu.step() == .limit && m.cpu.vector(0) == (0xABCD, 0))   // the top half is cleared
        #expect(try fp(0x1E62_8820, FPBits.two, 0x4008_0000_0000_0000).cpu.vector(0).lo == 0xC018_0000_0000_0000)  // fnmul: -6
        #expect(try fp(0x1E60_C020, 0xFFF0_0000_0000_0001).cpu.vector(0).lo == 0x7FF0_0000_0000_0001)  // fabs keeps the sNaN, no IOC
        #expect(try fp(0x1E21_4020, 0x7FC0_0000).cpu.vector(0).lo == 0xFFC0_0000)  // fneg s0, s1
    }

    /// The host fast paths against the exact software model, on operands that probe their limits.
    @Test("fast paths agree with the software model (results and FPSR)")
    func fastPathsAgree() throws {
        let m = try SIMDMachine([])
        let cpu = m.cpu
        var rng = SystemRandomNumberGenerator()
        func operand64() -> UInt64 {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: return UInt64.random(in: 0...UInt64.max, using: &rng)
            case 1: return UInt64.random(in: 0...0x001F_FFFF_FFFF_FFFF, using: &rng) | (UInt64.random(in: 0...1, using: &rng) << 63)
            case 2: return (UInt64.random(in: 0...0x000F_FFFF_FFFF_FFFF, using: &rng)) | (UInt64.random(in: 0x030...0x060, using: &rng) << 52)
            case 3: return UInt64.random(in: 0...0x000F_FFFF_FFFF_FFFF, using: &rng) | (UInt64.random(in: 0x3F0...0x40F, using: &rng) << 52)
            case 4: return UInt64.random(in: 0...0x000F_FFFF_FFFF_FFFF, using: &rng) | (UInt64.random(in: 0x7C0...0x7FF, using: &rng) << 52)
            default: return UInt64.random(in: 0...0x000F_FFFF_FFFF_FFFF, using: &rng) | (UInt64.random(in: 0x1F0...0x210, using: &rng) << 52)
            }
        }
        func operand32() -> UInt32 {
            let e = UInt32.random(in: 0...255, using: &rng)
            return UInt32.random(in: 0...0x807F_FFFF, using: &rng) & 0x807F_FFFF | (Int.random(in: 0..<3, using: &rng) == 0 ? e : UInt32.random(in: 0x60...0x90, using: &rng)) << 23
        }
        for _ in 0..<40_000 {
            let a = operand64(), b = operand64()
            var c = operand64()
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: c = (Double(bitPattern: a) * Double(bitPattern: b)).bitPattern ^ 1 << 63  // fma(a, b, -a·b): the exact error
            case 1: c = (Double(bitPattern: a) * Double(bitPattern: b)).bitPattern ^ 1 << 63 ^ UInt64.random(in: 0...3, using: &rng)
            case 2: c = a & ~0xFFFF  // shares low bits with the product now and then
            default: break
            }
            for op in 0..<6 {
                cpu.fpsr = 0
                let fast: UInt64
                switch op {
                case 0: fast = cpu.fpAddD(a, b, negate: 0)
                case 1: fast = cpu.fpMulD(a, b)
                case 2: fast = cpu.fpDivD(a, b)
                case 3: fast = cpu.fpSqrtD(a)
                case 4: fast = cpu.fpMulAddD(c, a, b)
                default: fast = UInt64(cpu.fpNarrowDS(a))
                }
                let fastFlags = cpu.fpsr
                var flags: UInt32 = 0
                let exact: UInt64
                switch op {
                case 0: exact = fpSoftAdd(a, b, subtract: false, .double, 0, &flags)
                case 1: exact = fpSoftMul(a, b, .double, 0, &flags)
                case 2: exact = fpSoftDiv(a, b, .double, 0, &flags)
                case 3: exact = fpSoftSqrt(a, .double, 0, &flags)
                case 4: exact = fpSoftMulAdd(c, a, b, .double, 0, &flags)
                default: exact = fpSoftConvert(a, from: .double, to: .single, 0, rounding: 0, &flags)
                }
                #expect(fast == exact && fastFlags == UInt64(flags), "op \(op) on \(lsHex(a)), \(lsHex(b)), \(lsHex(c))")
            }
            let x = operand32(), y = operand32(), z = operand32()
            for op in 0..<5 {
                cpu.fpsr = 0
                let fast: UInt32
                switch op {
                case 0: fast = cpu.fpAddS(x, y, negate: 0)
                case 1: fast = cpu.fpMulS(x, y)
                case 2: fast = cpu.fpDivS(x, y)
                case 3: fast = cpu.fpSqrtS(x)
                default: fast = cpu.fpMulAddS(z, x, y)
                }
                let fastFlags = cpu.fpsr
                var flags: UInt32 = 0
                let exact: UInt64
                switch op {
                case 0: exact = fpSoftAdd(UInt64(x), UInt64(y), subtract: false, .single, 0, &flags)
                case 1: exact = fpSoftMul(UInt64(x), UInt64(y), .single, 0, &flags)
                case 2: exact = fpSoftDiv(UInt64(x), UInt64(y), .single, 0, &flags)
                case 3: exact = fpSoftSqrt(UInt64(x), .single, 0, &flags)
                default: exact = fpSoftMulAdd(UInt64(z), UInt64(x), UInt64(y), .single, 0, &flags)
                }
                #expect(UInt64(fast) == exact && fastFlags == UInt64(flags), "single op \(op) on \(lsHex(UInt64(x))), \(lsHex(UInt64(y))), \(lsHex(UInt64(z)))")
            }
        }
    }
}
