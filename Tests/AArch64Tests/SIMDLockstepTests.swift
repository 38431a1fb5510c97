// Lockstep groups for Advanced SIMD and floating point (contract: LockstepHarness.swift).
//
// Encodings follow the ARM ARM (DDI 0487) "A64 instruction set encoding" tables for the
// "Data Processing -- Scalar Floating-Point and Advanced SIMD" group and the Advanced SIMD
// structure loads and stores; field positions are written out in each generator.
//
// The harness randomises V0–V31 with raw 64-bit values, so FP operands are rarely special. Cases
// that read FP values therefore first load chosen bit patterns (zeros, infinities, quiet and
// signalling NaNs with payloads, denormals, integer-conversion limits, ties) with FMOV Dn, Xk and
// FMOV Vn.D[1], Xk from pinned X registers; those FMOVs are compared too.
//
// Extensions evlsim decodes as UNDEFINED on purpose (half-precision arithmetic, dot product,
// RDM, complex, FHM, BF16, FRINTTS, JSCVT, crypto) are kept out of the generators: Unicorn's "max"
// CPU implements them, so both engines would disagree by design. Architecturally unallocated
// neighbours are generated, and both engines must reject them.

import Testing
@testable import AArch64

/// FP bit patterns that exercise the corners of the ARM ARM pseudocode.
enum FPValues {
    static let doubles: [UInt64] = [
        0, 0x8000_0000_0000_0000, 0x3FF0_0000_0000_0000, 0xBFF0_0000_0000_0000, 0x3FE0_0000_0000_0000,
        0x3FF8_0000_0000_0000, 0x4004_0000_0000_0000, 0xC004_0000_0000_0000, 0x4008_0000_0000_0000,
        0x3FD5_5555_5555_5555, 0x4009_21FB_5444_2D18, 0x7FEF_FFFF_FFFF_FFFF, 0xFFEF_FFFF_FFFF_FFFF,
        0x0010_0000_0000_0000, 0x0000_0000_0000_0001, 0x800F_FFFF_FFFF_FFFF, 0x000F_FFFF_FFFF_FFFF,
        0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000, 0x7FF8_0000_0000_0123,
        0x7FF0_0000_0000_0456, 0xFFF8_0000_0000_0000, 0xFFF4_0000_0000_0001, 0x4340_0000_0000_0000,
        0x43E0_0000_0000_0000, 0xC3E0_0000_0000_0000, 0x43F0_0000_0000_0000, 0x41DF_FFFF_FFE0_0000,
        0xC1E0_0000_0010_0000, 0x41EF_FFFF_FFE0_0000, 0x3FDF_FFFF_FFFF_FFFF, 0x4330_0000_0000_0001,
        0xBFE0_0000_0000_0000, 0x4016_0000_0000_0000, 0x0010_0000_0000_0001, 0x001F_FFFF_FFFF_FFFF,
        0x3CA0_0000_0000_0000, 0x7FE0_0000_0000_0000, 0x3690_0000_0000_0000, 0x0350_0000_0000_0000,
    ]
    static let singles: [UInt32] = [
        0, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x3F00_0000, 0x3FC0_0000, 0x4020_0000, 0xC020_0000,
        0x4040_0000, 0x3EAA_AAAB, 0x4049_0FDB, 0x7F7F_FFFF, 0xFF7F_FFFF, 0x0080_0000, 0x0000_0001,
        0x807F_FFFF, 0x007F_FFFF, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0x7FC0_0123, 0x7F80_0456,
        0xFFC0_0000, 0xFFA0_0001, 0x4B80_0000, 0x5F00_0000, 0xDF00_0000, 0x5F80_0000, 0x4F00_0000,
        0xCF00_0001, 0x3EFF_FFFF, 0x4B00_0001, 0x4F7F_FFFF, 0xBF00_0000, 0x40B0_0000, 0x0080_0001,
        0x3380_0000, 0x7F00_0000, 0x1F80_0000, 0x2080_0000,
    ]
}

extension LockstepContext {
    /// A double-precision operand: a corner case, a random double near 1, or random bits.
    mutating func fpDouble() -> UInt64 {
        switch below(10) {
        case 0..<6: return pick(FPValues.doubles)
        case 6, 7: return (next() & 0x800F_FFFF_FFFF_FFFF) | (UInt64(0x3F0 + below(32)) << 52)
        default: return next()
        }
    }

    mutating func fpSingle() -> UInt64 {
        switch below(10) {
        case 0..<6: return UInt64(pick(FPValues.singles))
        case 6, 7: return (next() & 0x807F_FFFF) | (UInt64(0x70 + below(32)) << 23)
        default: return next() & 0xFFFF_FFFF
        }
    }

    /// A 64-bit half of a vector: one double or two singles.
    mutating func fpHalf(double: Bool) -> UInt64 {
        double ? fpDouble() : fpSingle() | fpSingle() << 32
    }

    /// An X register for a pin, not in `avoid`; remembered so later pins do not reuse it.
    mutating func scratchX(_ avoid: inout [UInt32]) -> UInt32 {
        let r = register(excluding: avoid + [31])
        avoid.append(r)
        return r
    }

    /// Loads V`reg` with FP operands: FMOV Dreg, Xk (zeroes the top half), and with `full`
    /// FMOV Vreg.D[1], Xk as well.
    mutating func loadFP(_ reg: UInt32, double: Bool, full: Bool, _ avoid: inout [UInt32]) {
        let lo = scratchX(&avoid)
        pin(lo, fpHalf(double: double))
        emit(0x9E67_0000 | lo << 5 | reg)          // fmov d<reg>, x<lo>
        if full {
            let hi = scratchX(&avoid)
            pin(hi, fpHalf(double: double))
            emit(0x9EAF_0000 | hi << 5 | reg)      // fmov v<reg>.d[1], x<hi>
        }
    }
}

extension LockstepGroup {
    /// FPCR.AHP, DN, FZ and RMode: randomised per state in every FP group.
    static let fpcrBits: UInt64 = 0x07C0_0000

    static let simd: [LockstepGroup] = [
        // Advanced SIMD three same: 0 Q U 01110 size 1 Rm opcode 1 Rn Rd. FP opcodes (11xxx) get FP operands.
        // Avoided: U=0 opcode 11101 and U=1 opcode 11001 (FMLAL/FMLSL, FEAT_FHM).
        LockstepGroup(name: "simd-three-same", count: 6000, vectors: true, fpcrMask: fpcrBits) { ctx in
            var opcode = ctx.bits(5)
            let u = ctx.bits(1)
            while (u == 0 && opcode == 0b11101) || (u == 1 && opcode == 0b11001) { opcode = ctx.bits(5) }
            let q = ctx.bits(1), size = ctx.bits(2)
            let rn = ctx.register(), rm = ctx.register(), rd = ctx.register()
            if opcode >= 0b11000 {
                var used: [UInt32] = []
                let double = size & 1 == 1
                ctx.loadFP(rn, double: double, full: q == 1, &used)
                if rm != rn { ctx.loadFP(rm, double: double, full: false, &used) }
            }
            ctx.emit(enc(q << 30, u << 29, 0b01110 << 24, size << 22, 1 << 21, rm << 16, opcode << 11, 1 << 10, rn << 5, rd))
        },

        // Scalar three same: 01 U 11110 size 1 Rm opcode 1 Rn Rd.
        LockstepGroup(name: "simd-scalar-three-same", count: 3000, vectors: true, fpcrMask: fpcrBits) { ctx in
            var opcode = ctx.bits(5)
            let u = ctx.bits(1)
            while (u == 0 && opcode == 0b11101) || (u == 1 && opcode == 0b11001) { opcode = ctx.bits(5) }
            let size = ctx.bits(2)
            let rn = ctx.register(), rm = ctx.register(), rd = ctx.register()
            if opcode >= 0b11000 {
                var used: [UInt32] = []
                ctx.loadFP(rn, double: size & 1 == 1, full: false, &used)
                if rm != rn { ctx.loadFP(rm, double: size & 1 == 1, full: false, &used) }
            }
            ctx.emit(enc(0b01 << 30, u << 29, 0b11110 << 24, size << 22, 1 << 21, rm << 16, opcode << 11, 1 << 10, rn << 5, rd))
        },

        // Three different: 0 Q U 01110 size 1 Rm opcode 00 Rn Rd (and scalar 01 U 11110 ...).
        LockstepGroup(name: "simd-three-different", count: 4000, vectors: true) { ctx in
            let scalar = ctx.chance(15)
            let w = enc(scalar ? 0b01 << 30 : ctx.bits(1) << 30, ctx.bits(1) << 29, (scalar ? 0b11110 : 0b01110) << 24,
                        ctx.bits(2) << 22, 1 << 21, ctx.register() << 16, ctx.bits(4) << 12, ctx.register() << 5, ctx.register())
            ctx.emit(w)
        },

        // Two-register miscellaneous: 0 Q U 01110 size 10000 opcode 10 Rn Rd, scalar 01 U 11110 size 10000 opcode 10.
        // Avoided: FRINT32/64 (FEAT_FRINTTS: opcode 11110, and 11111 with size<1> = 0) and
        // BFCVTN (U=0, opcode 10110, size 10).
        LockstepGroup(name: "simd-two-register-misc", count: 6000, vectors: true, fpcrMask: fpcrBits) { ctx in
            let scalar = ctx.chance(25)
            var opcode = ctx.bits(5)
            let u = ctx.bits(1), q = ctx.bits(1)
            var size = ctx.bits(2)
            while opcode == 0b11110 || (opcode == 0b11111 && size & 2 == 0) || (opcode == 0b10110 && u == 0 && size == 0b10) {
                opcode = ctx.bits(5); size = ctx.bits(2)
            }
            let rn = ctx.register()
            if opcode >= 0b01100 && opcode != 0b10010 && opcode != 0b10011 && opcode != 0b10100 {
                var used: [UInt32] = []
                let double = opcode == 0b10110 || opcode == 0b10111 ? size & 1 == 1 : size & 1 == 1
                ctx.loadFP(rn, double: double, full: !scalar && q == 1, &used)
            }
            let w = enc(scalar ? 0b01 << 30 : q << 30, u << 29, (scalar ? 0b11110 : 0b01110) << 24, size << 22,
                        0b10000 << 17, opcode << 12, 0b10 << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // Across lanes (0 Q U 01110 size 11000 opcode 10) and scalar pairwise (01 U 11110 size 11000 opcode 10).
        // FP forms only with U = 1 (U = 0 is half precision).
        LockstepGroup(name: "simd-across-pairwise", count: 3000, vectors: true, fpcrMask: fpcrBits) { ctx in
            let scalar = ctx.chance(35)
            var opcode = ctx.bits(5), u = ctx.bits(1)
            let fpOpcodes: [UInt32] = [0b01100, 0b01101, 0b01111]
            if fpOpcodes.contains(opcode) { u = 1 }
            if ctx.chance(50) { opcode = ctx.pick(scalar ? [0b11011, 0b01100, 0b01101, 0b01111] : [0b00011, 0b01010, 0b11010, 0b11011, 0b01100, 0b01111]) }
            if fpOpcodes.contains(opcode) { u = 1 }
            let q = ctx.bits(1), size = ctx.bits(2), rn = ctx.register()
            if fpOpcodes.contains(opcode) {
                var used: [UInt32] = []
                ctx.loadFP(rn, double: size & 1 == 1, full: true, &used)
            }
            let w = enc(scalar ? 0b01 << 30 : q << 30, u << 29, (scalar ? 0b11110 : 0b01110) << 24, size << 22,
                        0b11000 << 17, opcode << 12, 0b10 << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // Shift by immediate: 0 Q U 011110 immh immb opcode 1 Rn Rd (immh != 0), scalar 01 U 111110 ...
        // Fixed-point conversions (11100, 11111) only on single and double (immh 001x is half precision).
        LockstepGroup(name: "simd-shift-immediate", count: 6000, vectors: true, fpcrMask: fpcrBits) { ctx in
            let scalar = ctx.chance(25)
            let opcode = ctx.bits(5)
            var immh = ctx.bits(4)
            if immh == 0 { immh = 1 }
            if (opcode == 0b11100 || opcode == 0b11111) && immh < 4 { immh |= 4 }
            let q = ctx.bits(1), rn = ctx.register()
            if opcode == 0b11111 {
                var used: [UInt32] = []
                ctx.loadFP(rn, double: immh >= 8, full: !scalar && q == 1, &used)
            }
            let w = enc(scalar ? 0b01 << 30 : q << 30, ctx.bits(1) << 29, (scalar ? 0b111110 : 0b011110) << 23,
                        immh << 19, ctx.bits(3) << 16, opcode << 11, 1 << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // Modified immediate: 0 Q op 0111100000 abc cmode o2 1 defgh Rd (o2 = 1 is FMOV half precision).
        LockstepGroup(name: "simd-modified-immediate", count: 3000, vectors: true) { ctx in
            let w = enc(ctx.bits(1) << 30, ctx.bits(1) << 29, 0b0111100000 << 19, ctx.bits(3) << 16, ctx.bits(4) << 12,
                        1 << 10, ctx.bits(5) << 5, ctx.register())
            ctx.emit(w)
        },

        // x indexed element: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd, scalar 01 U 11111 ...
        // Only the modelled opcodes (no dot products, RDM, FHM, complex); FP needs size 1x.
        LockstepGroup(name: "simd-indexed-element", count: 5000, vectors: true, fpcrMask: fpcrBits) { ctx in
            let scalar = ctx.chance(20)
            let choices: [(UInt32, UInt32, Bool)] = [  // (U, opcode, fp)
                (0, 0b1000, false), (1, 0b0000, false), (1, 0b0100, false), (0, 0b1100, false), (0, 0b1101, false),
                (0, 0b1010, false), (1, 0b1010, false), (0, 0b0010, false), (1, 0b0010, false), (0, 0b0110, false),
                (1, 0b0110, false), (0, 0b1011, false), (0, 0b0011, false), (0, 0b0111, false),
                (0, 0b0001, true), (0, 0b0101, true), (0, 0b1001, true), (1, 0b1001, true),
            ]
            let (u, opcode, fp) = ctx.pick(choices)
            var size = ctx.bits(2)
            if fp && size < 2 && !ctx.chance(5) { size |= 2 }
            if fp && size == 0 { size = 1 }  // size 00 would be half precision
            let q = ctx.bits(1), rn = ctx.register(), rm = ctx.register()
            if fp {
                var used: [UInt32] = []
                ctx.loadFP(rn, double: size == 3, full: !scalar && q == 1, &used)
                if rm != rn { ctx.loadFP(rm & (size == 1 ? 15 : 31), double: size == 3, full: true, &used) }
            }
            let w = enc(scalar ? 0b01 << 30 : q << 30, u << 29, (scalar ? 0b11111 : 0b01111) << 24, size << 22,
                        ctx.bits(1) << 21, rm << 16, opcode << 12, ctx.bits(1) << 11, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // Copy: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd; scalar copy 01 op 11110000 imm5 0 imm4 1 Rn Rd.
        LockstepGroup(name: "simd-copy", count: 4000, vectors: true) { ctx in
            let scalar = ctx.chance(15)
            let imm4 = ctx.chance(70) ? ctx.pick([0, 1, 3, 5, 7] as [UInt32]) : ctx.bits(4)
            let op: UInt32 = ctx.chance(25) ? 1 : 0
            let rn = ctx.register()
            ctx.maybePin(rn)
            let w = enc(scalar ? 0b01 << 30 : ctx.bits(1) << 30, op << 29, (scalar ? 0b11110000 : 0b01110000) << 21,
                        ctx.bits(5) << 16, imm4 << 11, 1 << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // TBL/TBX (0 Q 001110 000 Rm 0 len op 00 Rn Rd), permutes (0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd),
        // EXT (0 Q 101110 000 Rm 0 imm4 0 Rn Rd); indices are often in range.
        LockstepGroup(name: "simd-permute-table-extract", count: 4000, vectors: true) { ctx in
            let q = ctx.bits(1), rm = ctx.register(), rn = ctx.register(), rd = ctx.register()
            switch ctx.below(3) {
            case 0:
                if ctx.chance(60) {
                    var used: [UInt32] = []
                    let x = ctx.scratchX(&used)
                    ctx.pin(x, ctx.next() & 0x3F3F_3F3F_3F3F_3F3F)
                    ctx.emit(0x9E67_0000 | x << 5 | rm)  // fmov d<rm>, x: indices 0-63
                }
                ctx.emit(enc(q << 30, 0b001110 << 24, rm << 16, ctx.bits(2) << 13, ctx.bits(1) << 12, rn << 5, rd))
            case 1:
                ctx.emit(enc(q << 30, 0b001110 << 24, ctx.bits(2) << 22, rm << 16, ctx.bits(3) << 12, 0b10 << 10, rn << 5, rd))
            default:
                ctx.emit(enc(q << 30, 0b101110 << 24, rm << 16, ctx.bits(4) << 11, rn << 5, rd))
            }
        },
    ]

    static let fp: [LockstepGroup] = [
        // Data-processing (1 source): 000 11110 ftype 1 opcode 10000 Rn Rd. ftype 11 only for FCVT.
        // Avoided: BFCVT (opcode 000110) and FRINT32/64 (01000x-01001x).
        LockstepGroup(name: "fp-one-source", count: 4000, vectors: true, fpcrMask: fpcrBits) { ctx in
            var opcode = UInt32(ctx.below(16))
            var ftype = ctx.pick([0, 1, 0, 1, 2] as [UInt32])
            if opcode == 0b000110 { opcode = 0b000111 }
            if ctx.chance(15) { ftype = 3; opcode = 0b000100 | UInt32(ctx.below(4)) }
            let rn = ctx.register()
            var used: [UInt32] = []
            let lo = ctx.scratchX(&used)
            ctx.pin(lo, ftype == 3 ? ctx.next() & 0xFFFF : ftype == 1 ? ctx.fpDouble() : ctx.fpSingle())
            ctx.emit(0x9E67_0000 | lo << 5 | rn)
            ctx.emit(enc(0b11110 << 24, ftype << 22, 1 << 21, opcode << 15, 0b10000 << 10, rn << 5, ctx.register()))
        },

        // Data-processing (2 source): 000 11110 ftype 1 Rm opcode 10 Rn Rd.
        LockstepGroup(name: "fp-two-source", count: 5000, vectors: true, fpcrMask: fpcrBits) { ctx in
            let ftype = ctx.chance(95) ? ctx.bits(1) : 2
            let rn = ctx.register(), rm = ctx.register()
            var used: [UInt32] = []
            ctx.loadFP(rn, double: ftype == 1, full: false, &used)
            if rm != rn { ctx.loadFP(rm, double: ftype == 1, full: false, &used) }
            ctx.emit(enc(0b11110 << 24, ftype << 22, 1 << 21, rm << 16, ctx.bits(4) << 12, 0b10 << 10, rn << 5, ctx.register()))
        },

        // Data-processing (3 source): 000 11111 ftype o1 Rm o0 Ra Rn Rd.
        LockstepGroup(name: "fp-three-source", count: 5000, vectors: true, fpcrMask: fpcrBits) { ctx in
            let ftype = ctx.bits(1)
            let rn = ctx.register(), rm = ctx.register(), ra = ctx.register()
            var used: [UInt32] = []
            ctx.loadFP(rn, double: ftype == 1, full: false, &used)
            if rm != rn { ctx.loadFP(rm, double: ftype == 1, full: false, &used) }
            if ra != rn && ra != rm { ctx.loadFP(ra, double: ftype == 1, full: false, &used) }
            ctx.emit(enc(0b11111 << 24, ftype << 22, ctx.bits(1) << 21, rm << 16, ctx.bits(1) << 15, ra << 10, rn << 5, ctx.register()))
        },

        // Compare (000 11110 ftype 1 Rm 00 1000 Rn opcode2), conditional compare (... Rm cond 01 Rn op nzcv),
        // conditional select (... Rm cond 11 Rn Rd), immediate (... imm8 100 00000 Rd).
        LockstepGroup(name: "fp-compare-select", count: 5000, vectors: true, fpcrMask: fpcrBits) { ctx in
            let ftype = ctx.bits(1)
            let rn = ctx.register(), rm = ctx.register()
            var used: [UInt32] = []
            ctx.loadFP(rn, double: ftype == 1, full: false, &used)
            if rm != rn { ctx.loadFP(rm, double: ftype == 1, full: false, &used) }
            if ctx.chance(30) { ctx.pinFlags(UInt64(ctx.bits(4))) }
            let common = enc(0b11110 << 24, ftype << 22, 1 << 21)
            switch ctx.below(4) {
            case 0:
                let opcode2 = ctx.chance(90) ? ctx.pick([0, 8, 16, 24] as [UInt32]) : ctx.bits(5)
                ctx.emit(enc(common, rm << 16, (ctx.chance(95) ? 0 : ctx.bits(2)) << 14, 0b1000 << 10, rn << 5, opcode2))
            case 1:
                ctx.emit(enc(common, rm << 16, ctx.bits(4) << 12, 0b01 << 10, rn << 5, ctx.bits(1) << 4, ctx.bits(4)))
            case 2:
                ctx.emit(enc(common, rm << 16, ctx.bits(4) << 12, 0b11 << 10, rn << 5, ctx.register()))
            default:
                ctx.emit(enc(common, ctx.bits(8) << 13, 0b100 << 10, (ctx.chance(95) ? 0 : ctx.bits(5)) << 5, ctx.register()))
            }
        },

        // Conversion between FP and integer: sf 0 0 11110 ftype 1 rmode opcode 000000 Rn Rd.
        // Avoided: FJCVTZS (sf 0, ftype 01, rmode 11, opcode 110).
        LockstepGroup(name: "fp-integer-conversion", count: 6000, vectors: true, fpcrMask: fpcrBits) { ctx in
            let sf = ctx.bits(1)
            var ftype = ctx.pick([0, 1, 0, 1, 3, 2] as [UInt32])
            var rmode = ctx.bits(2), opcode = ctx.bits(3)
            if ctx.chance(30) { rmode = 0; opcode = ctx.pick([2, 3, 6, 7]) }
            if ftype == 2 && ctx.chance(80) { rmode = 1; opcode = 6 + ctx.bits(1) }
            if sf == 0 && ftype == 1 && rmode == 3 && opcode == 6 { ftype = 0 }
            let rn = ctx.register()
            if opcode == 2 || opcode == 3 || opcode == 7 {
                ctx.maybePin(rn, 60)
            } else {
                var used: [UInt32] = []
                ctx.loadFP(rn, double: ftype == 1, full: ftype == 2, &used)
            }
            ctx.emit(enc(sf << 31, 0b11110 << 24, ftype << 22, 1 << 21, rmode << 19, opcode << 16, rn << 5, ctx.register()))
        },

        // Conversion between FP and fixed point: sf 0 0 11110 ftype 0 rmode opcode scale Rn Rd.
        LockstepGroup(name: "fp-fixed-conversion", count: 4000, vectors: true, fpcrMask: fpcrBits) { ctx in
            let sf = ctx.bits(1)
            let ftype = ctx.pick([0, 1, 0, 1, 3] as [UInt32])
            let (rmode, opcode) = ctx.chance(90) ? ctx.pick([(0, 2), (0, 3), (3, 0), (3, 1)] as [(UInt32, UInt32)]) : (ctx.bits(2), ctx.bits(3))
            var scale = ctx.bits(6)
            if sf == 0 && ctx.chance(90) { scale |= 32 }
            let rn = ctx.register()
            if rmode == 0 {
                ctx.maybePin(rn, 60)
            } else {
                var used: [UInt32] = []
                ctx.loadFP(rn, double: ftype == 1, full: false, &used)
            }
            ctx.emit(enc(sf << 31, 0b11110 << 24, ftype << 22, rmode << 19, opcode << 16, scale << 10, rn << 5, ctx.register()))
        },
    ]

    static let simdMemory: [LockstepGroup] = [
        // Multiple structures: 0 Q 0011000 L 000000 opcode size Rn Rt; post-indexed 0 Q 0011001 L 0 Rm opcode size Rn Rt.
        LockstepGroup(name: "simd-load-store-multiple", count: 4000, vectors: true) { ctx in
            let rn = ctx.register(), post = ctx.chance(40)
            ctx.pin(rn, ctx.dataAddress(bytes: 64, align: ctx.chance(70) ? 16 : 1))
            var rm: UInt32 = 31
            if post && ctx.chance(50) {
                rm = ctx.register(excluding: [rn, 31])
                ctx.pin(rm, UInt64(ctx.below(64)) &- 32)
            }
            let opcode = ctx.chance(90) ? ctx.pick([0b0000, 0b0010, 0b0100, 0b0110, 0b0111, 0b1000, 0b1010] as [UInt32]) : ctx.bits(4)
            let w = enc(ctx.bits(1) << 30, (post ? 0b0011001 : 0b0011000) << 23, ctx.bits(1) << 22,
                        (post ? rm : 0) << 16, opcode << 12, ctx.bits(2) << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // Single structure: 0 Q 0011010 L R 00000 opcode S size Rn Rt; post-indexed 0 Q 0011011 L R Rm ...
        LockstepGroup(name: "simd-load-store-single", count: 4000, vectors: true) { ctx in
            let rn = ctx.register(), post = ctx.chance(40)
            ctx.pin(rn, ctx.dataAddress(bytes: 32, align: ctx.chance(70) ? 8 : 1))
            var rm: UInt32 = 31
            if post && ctx.chance(50) {
                rm = ctx.register(excluding: [rn, 31])
                ctx.pin(rm, UInt64(ctx.below(64)) &- 32)
            }
            let w = enc(ctx.bits(1) << 30, (post ? 0b0011011 : 0b0011010) << 23, ctx.bits(1) << 22, ctx.bits(1) << 21,
                        (post ? rm : 0) << 16, ctx.bits(3) << 13, ctx.bits(1) << 12, ctx.bits(2) << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },
    ]

    static var simdAndFP: [LockstepGroup] { simd + fp + simdMemory }
}

/// evlsim against Unicorn 2 on Advanced SIMD and floating point, one instruction at a time,
/// comparing V0–V31, FPCR and FPSR as well as the integer state.
@Suite("SIMD and FP lockstep against Unicorn")
struct SIMDLockstepTests {
    @Test("evlsim and Unicorn agree on every SIMD/FP instruction", arguments: LockstepGroup.simdAndFP)
    func group(_ group: LockstepGroup) {
        let report = LockstepRunner.check(group)
        #expect(report.instructions > 0)
    }
}
