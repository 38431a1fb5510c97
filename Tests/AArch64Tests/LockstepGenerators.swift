// Seeded generators for the integer data-processing groups (see LockstepHarness.swift for the contract).
//
// Encodings follow the ARM ARM (DDI 0487) "A64 instruction set encoding" tables; field positions are
// written out in each generator. Every generator produces valid encodings of its class, plus a few
// percent of deliberately unallocated neighbours, where both engines must raise UNDEFINED.

@testable import AArch64

/// ORs instruction fields together (one call per word keeps the type checker fast).
func enc(_ fields: UInt32...) -> UInt32 { fields.reduce(0, |) }

extension LockstepContext {
    /// With probability `percent`, pins X`reg` to an interesting value (not for 31, which is XZR here).
    mutating func maybePin(_ reg: UInt32, _ percent: Int = 35) {
        if reg != 31 && chance(percent) { pin(reg, interesting()) }
    }

    /// sf: 1 for the 64-bit form.
    mutating func sf() -> UInt32 { bits(1) }
}

extension LockstepGroup {
    static let dataProcessing: [LockstepGroup] = [
        // ADD/ADDS/SUB/SUBS (immediate): sf op S 100010 sh imm12 Rn Rd. Rd and Rn may be SP (not Rd of ADDS/SUBS).
        LockstepGroup(name: "add-sub-immediate", count: 4000) { ctx in
            let rn = ctx.register(), rd = ctx.register()
            let imm12 = ctx.chance(20) ? ctx.pick([0, 1, 0xFFF, 0x800]) : ctx.bits(12)
            ctx.maybePin(rn)
            let w = enc(ctx.sf() << 31, ctx.bits(1) << 30, ctx.bits(1) << 29, 0b100010 << 23, ctx.bits(1) << 22, imm12 << 10, rn << 5, rd)
            ctx.emit(w)
        },

        // AND/ORR/EOR/ANDS (immediate): sf opc 100100 N immr imms Rn Rd.
        LockstepGroup(name: "logical-immediate", count: 5000) { ctx in
            let sf = ctx.sf()
            var n: UInt32, immr: UInt32, imms: UInt32
            if ctx.chance(4) {
                // Any field values, reserved ones included: both engines must reject the same ones.
                (n, immr, imms) = (ctx.bits(1), ctx.bits(6), ctx.bits(6))
            } else {
                // A valid bitmask built from its definition (element size e, s+1 ones, rotation r), not
                // from decodeBitMasks: imms = (NOT(e*2-1) << 1)<5:0> | s; N = 1 only for e = 64.
                let log2e = sf == 1 ? 1 + ctx.below(6) : 1 + ctx.below(5)
                let e = 1 << log2e
                let s = UInt32(ctx.below(e - 1))
                let r = UInt32(ctx.below(e))
                n = e == 64 ? 1 : 0
                imms = ((0x3F << UInt32(log2e + 1)) & 0x3F) | s
                // immr bits above the element size are ignored; set some to check that.
                immr = r | (ctx.bits(6) & ~UInt32(e - 1) & 0x3F)
            }
            let rn = ctx.register()
            ctx.maybePin(rn)
            let w = enc(sf << 31, ctx.bits(2) << 29, 0b100100 << 23, n << 22, immr << 16, imms << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // Every (sf, opc, N, immr, imms) of the logical-immediate class once, in order: Unicorn decides
        // which are reserved and what the others expand to (2 x 4 x 2 x 64 x 64 = 65536 words would be
        // slow in a debug build, so opc is drawn at random instead of swept).
        LockstepGroup(name: "logical-immediate-sweep", count: 16384) { ctx in
            let i = UInt32(ctx.index % 16384)
            let imms = i & 0x3F, immr = (i >> 6) & 0x3F, n = (i >> 12) & 1, sf = (i >> 13) & 1
            let rn = ctx.register()
            ctx.maybePin(rn)
            let w = enc(sf << 31, ctx.bits(2) << 29, 0b100100 << 23, n << 22, immr << 16, imms << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // Every (sf, N, immr, imms) of SBFM/BFM/UBFM once, N != sf and 32-bit fields >= 32 included.
        LockstepGroup(name: "bitfield-sweep", count: 16384) { ctx in
            let i = UInt32(ctx.index % 16384)
            let imms = i & 0x3F, immr = (i >> 6) & 0x3F, n = (i >> 12) & 1, sf = (i >> 13) & 1
            let opc = ctx.pick([0, 1, 2] as [UInt32])
            let rn = ctx.register()
            ctx.maybePin(rn)
            let w = enc(sf << 31, opc << 29, 0b100110 << 23, n << 22, immr << 16, imms << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // MOVN/MOVZ/MOVK: sf opc 100101 hw imm16 Rd (opc 01 and 32-bit hw >= 2 are unallocated).
        LockstepGroup(name: "move-wide", count: 3000) { ctx in
            let sf = ctx.sf()
            var opc = ctx.pick([0, 2, 3] as [UInt32])
            if ctx.chance(2) { opc = 1 }
            var hw = sf == 1 ? ctx.bits(2) : ctx.bits(1)
            if ctx.chance(2) { hw = ctx.bits(2) }
            let imm16 = ctx.chance(25) ? ctx.pick([0, 0xFFFF, 0x8000, 1] as [UInt32]) : ctx.bits(16)
            let w = enc(sf << 31, opc << 29, 0b100101 << 23, hw << 21, imm16 << 5, ctx.register())
            ctx.emit(w)
        },

        // ADR/ADRP: op immlo 10000 immhi Rd.
        LockstepGroup(name: "pc-relative", count: 2000) { ctx in
            let imm = ctx.bits(21)
            let w = enc(ctx.bits(1) << 31, (imm & 3) << 29, 0b10000 << 24, (imm >> 2) << 5, ctx.register())
            ctx.emit(w)
        },

        // SBFM/BFM/UBFM: sf opc 100110 N immr imms Rn Rd, N = sf, 32-bit fields < 32.
        LockstepGroup(name: "bitfield", count: 6000) { ctx in
            let sf = ctx.sf()
            let opc = ctx.pick([0, 1, 2] as [UInt32])
            let width = sf == 1 ? 64 : 32
            var immr = UInt32(ctx.below(width)), imms = UInt32(ctx.below(width))
            switch ctx.below(6) {
            case 0: imms = UInt32(width - 1)                         // LSR/ASR #immr
            case 1: if immr > 0 { imms = immr - 1 }                  // LSL #(width - immr)
            case 2: if imms >= immr { swap(&imms, &immr) }           // BFI/SBFIZ/UBFIZ (imms < immr)
            case 3: immr = 0; imms = ctx.pick([7, 15, 31])           // SXTB/SXTH/SXTW, UXTB/UXTH
            default: break
            }
            var n = sf
            if ctx.chance(2) { n ^= 1 } // N != sf is unallocated
            let rn = ctx.register()
            ctx.maybePin(rn)
            let w = enc(sf << 31, opc << 29, 0b100110 << 23, n << 22, immr << 16, imms << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // EXTR: sf 00 100111 N 0 Rm imms Rn Rd (ROR #imm when Rn == Rm).
        LockstepGroup(name: "extract", count: 3000) { ctx in
            let sf = ctx.sf()
            let imms = sf == 1 ? ctx.bits(6) : ctx.bits(5)
            let rn = ctx.register()
            let rm = ctx.chance(25) ? rn : ctx.register()
            ctx.maybePin(rn); ctx.maybePin(rm)
            let w = enc(sf << 31, 0b100111 << 23, sf << 22, rm << 16, imms << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register): sf opc 01010 shift N Rm imm6 Rn Rd.
        LockstepGroup(name: "logical-shifted-register", count: 5000) { ctx in
            let sf = ctx.sf()
            let rn = ctx.chance(12) ? 31 : ctx.register() // Rn = XZR: MOV and MVN aliases
            let rm = ctx.register()
            let imm6 = ctx.chance(20) ? 0 : (sf == 1 ? ctx.bits(6) : ctx.bits(5))
            ctx.maybePin(rn); ctx.maybePin(rm)
            let w = enc(sf << 31, ctx.bits(2) << 29, 0b01010 << 24, ctx.bits(2) << 22, ctx.bits(1) << 21, rm << 16, imm6 << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // ADD/ADDS/SUB/SUBS (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd; shift 11 is reserved.
        LockstepGroup(name: "add-sub-shifted-register", count: 5000) { ctx in
            let sf = ctx.sf()
            let shift = ctx.chance(2) ? 3 : UInt32(ctx.below(3))
            let imm6 = ctx.chance(20) ? 0 : (sf == 1 ? ctx.bits(6) : ctx.bits(5))
            let rn = ctx.register(), rm = ctx.register()
            ctx.maybePin(rn); ctx.maybePin(rm)
            let w = enc(sf << 31, ctx.bits(1) << 30, ctx.bits(1) << 29, 0b01011 << 24, shift << 22, rm << 16, imm6 << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // ADD/ADDS/SUB/SUBS (extended register): sf op S 01011 00 1 Rm option imm3 Rn Rd; imm3 <= 4.
        // Rn, and Rd of ADD/SUB, are SP when 31.
        LockstepGroup(name: "add-sub-extended-register", count: 5000) { ctx in
            let imm3 = ctx.chance(2) ? 5 + UInt32(ctx.below(3)) : UInt32(ctx.below(5))
            let rn = ctx.register(), rm = ctx.register()
            ctx.maybePin(rm)
            let w = enc(ctx.sf() << 31, ctx.bits(1) << 30, ctx.bits(1) << 29, 0b01011 << 24, 1 << 21, rm << 16, ctx.bits(3) << 13, imm3 << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // ADC/ADCS/SBC/SBCS: sf op S 11010000 Rm 000000 Rn Rd.
        LockstepGroup(name: "add-sub-carry", count: 3000) { ctx in
            let rn = ctx.register(), rm = ctx.register()
            ctx.maybePin(rn); ctx.maybePin(rm)
            if ctx.chance(30) { ctx.pinFlags(UInt64(ctx.bits(4))) }
            let w = enc(ctx.sf() << 31, ctx.bits(1) << 30, ctx.bits(1) << 29, 0b1101_0000 << 21, rm << 16, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // CCMN/CCMP (register and immediate): sf op 1 11010010 Rm|imm5 cond i 0 Rn 0 nzcv.
        LockstepGroup(name: "conditional-compare", count: 4000) { ctx in
            let rn = ctx.register(), rm = ctx.register()
            ctx.maybePin(rn); ctx.maybePin(rm)
            if ctx.chance(30) { ctx.pinFlags(UInt64(ctx.bits(4))) }
            let w = enc(ctx.sf() << 31, ctx.bits(1) << 30, 1 << 29, 0b1101_0010 << 21, rm << 16, ctx.bits(4) << 12, ctx.bits(1) << 11, rn << 5, ctx.bits(4))
            ctx.emit(w)
        },

        // CSEL/CSINC/CSINV/CSNEG: sf op 0 11010100 Rm cond 0 o2 Rn Rd (cond 14 and 15 both mean "always").
        LockstepGroup(name: "conditional-select", count: 4000) { ctx in
            let rn = ctx.register(), rm = ctx.chance(15) ? 31 : ctx.register() // CSET/CSETM use XZR
            ctx.maybePin(rn); ctx.maybePin(rm)
            if ctx.chance(30) { ctx.pinFlags(UInt64(ctx.bits(4))) }
            let w = enc(ctx.sf() << 31, ctx.bits(1) << 30, 0b1101_0100 << 21, rm << 16, ctx.bits(4) << 12, ctx.bits(1) << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // MADD/MSUB, SMADDL/SMSUBL/UMADDL/UMSUBL, SMULH/UMULH: sf 00 11011 op31 Rm o0 Ra Rn Rd.
        LockstepGroup(name: "multiply", count: 5000) { ctx in
            let sf = ctx.sf()
            var op31: UInt32 = 0, o0 = ctx.bits(1), ra = ctx.register()
            if sf == 1 {
                op31 = ctx.pick([0, 1, 2, 5, 6])
                if op31 == 2 || op31 == 6 { o0 = 0; ra = 31 } // SMULH/UMULH: o0 = 0, Ra = 11111
            }
            let rn = ctx.register(), rm = ctx.register()
            ctx.maybePin(rn); ctx.maybePin(rm); ctx.maybePin(ra, 20)
            let w = enc(sf << 31, 0b11011 << 24, op31 << 21, rm << 16, o0 << 15, ra << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // UDIV/SDIV: sf 0 0 11010110 Rm 00001 o1 Rn Rd, with zero divisors and INT_MIN / -1 on purpose.
        LockstepGroup(name: "divide", count: 4000) { ctx in
            let rn = ctx.register(), rm = ctx.register()
            let divisors: [UInt64] = [0, 1, ~0, 0xFFFF_FFFF, 0x8000_0000, 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 2, 3, 7]
            let dividends: [UInt64] = [0x8000_0000_0000_0000, 0xFFFF_FFFF_8000_0000, 0x8000_0000, 0x7FFF_FFFF,
                                       0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF, ~0, 0, 1]
            if rn != 31 && ctx.chance(40) { ctx.pin(rn, ctx.pick(dividends)) }
            if rm != 31 && ctx.chance(40) { ctx.pin(rm, ctx.pick(divisors)) }
            let w = enc(ctx.sf() << 31, 0b1101_0110 << 21, rm << 16, (2 | ctx.bits(1)) << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // LSLV/LSRV/ASRV/RORV: sf 0 0 11010110 Rm 0010 op2 Rn Rd.
        LockstepGroup(name: "variable-shift", count: 3000) { ctx in
            let rn = ctx.register(), rm = ctx.register()
            ctx.maybePin(rn)
            if rm != 31 && ctx.chance(50) { ctx.pin(rm, UInt64(ctx.below(200)) | (ctx.chance(30) ? ctx.next() << 8 : 0)) }
            let w = enc(ctx.sf() << 31, 0b1101_0110 << 21, rm << 16, (8 | ctx.bits(2)) << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // RBIT/REV16/REV/REV32/CLZ/CLS: sf 1 0 11010110 00000 opcode Rn Rd (REV32 only for sf = 1;
        // 32-bit opcode 3 is unallocated).
        LockstepGroup(name: "one-source", count: 3000) { ctx in
            let sf = ctx.sf()
            var opcode = sf == 1 ? UInt32(ctx.below(6)) : ctx.pick([0, 1, 2, 4, 5])
            if ctx.chance(2) { opcode = 3 }
            let rn = ctx.register()
            ctx.maybePin(rn, 50)
            let w = enc(sf << 31, 1 << 30, 0b1101_0110 << 21, opcode << 10, rn << 5, ctx.register())
            ctx.emit(w)
        },

        // MRS/MSR of the EL0 registers both engines model, and the hints and barriers.
        // MRS: 1101010100 1 op0(2) op1 CRn CRm op2 Rt; MSR is the same with bit 21 clear.
        LockstepGroup(name: "system-registers", count: 3000) { ctx in
            func sysreg(_ op0: UInt32, _ op1: UInt32, _ crn: UInt32, _ crm: UInt32, _ op2: UInt32) -> UInt32 {
                op0 << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5
            }
            let nzcv = sysreg(3, 3, 4, 2, 0), fpcr = sysreg(3, 3, 4, 4, 0), fpsr = sysreg(3, 3, 4, 4, 1)
            let tpidr = sysreg(3, 3, 13, 0, 2), dczid = sysreg(3, 3, 0, 0, 7), ctr = sysreg(3, 3, 0, 0, 1)
            let tpidrro = sysreg(3, 3, 13, 0, 3)
            // Not here: CNTFRQ_EL0 (a board constant: 54 MHz in evlsim, 62.5 MHz in Unicorn), CNTPCT_EL0 and
            // CNTVCT_EL0 (time), and MSR TPIDRRO_EL0 (UNDEFINED at EL0, but Unicorn runs at EL1 where it is writable).
            let rt = ctx.register()
            func msr(_ reg: UInt32, _ value: UInt64, _ ctx: inout LockstepContext) {
                if rt != 31 { ctx.pin(rt, value) }
                ctx.emit(0xD500_0000 | reg | rt)
            }
            switch ctx.below(13) {
            case 0, 1: ctx.emit(0xD520_0000 | nzcv | rt)
            case 2: let v = ctx.next(); msr(nzcv, v, &ctx)
            case 3: ctx.emit(0xD520_0000 | tpidr | rt)
            case 4: let v = ctx.interesting(); msr(tpidr, v, &ctx)
            case 5: ctx.emit(0xD520_0000 | fpcr | rt)
            // FPCR: only AHP, DN, FZ and RMode (bits 26:22). Unicorn also keeps FZ16 and the AArch32
            // Len/Stride bits, which evlsim does not model, so values stay within the common bits.
            case 6: let v = ctx.next() & 0x07C0_0000; msr(fpcr, v, &ctx)
            case 7: ctx.emit(0xD520_0000 | fpsr | rt)
            // FPSR: QC, IDC and the cumulative flags. Unicorn keeps bits 31:28 too (AArch32's NZCV),
            // which are RES0 in AArch64; evlsim drops them, so they are not written.
            case 8: let v = ctx.next() & 0x0800_009F; msr(fpsr, v, &ctx)
            case 9: ctx.emit(0xD520_0000 | dczid | rt) // DCZID_EL0 = 4 in both (64-byte blocks)
            case 10: ctx.emit(0xD520_0000 | ctr | rt) // CTR_EL0 = 0x8444C004 in both
            case 11: ctx.emit(0xD520_0000 | tpidrro | rt) // 0 in both (nothing writes it here)
            default:
                // NOP, YIELD, DMB ISH, DSB SY, ISB, CLREX, DMB ISHLD (not WFI/WFE/SEV, which wait or signal).
                let hint = ctx.pick([0xD503_201F, 0xD503_203F, 0xD503_3BBF, 0xD503_3F9F, 0xD503_3FDF, 0xD503_305F, 0xD503_39BF] as [UInt32])
                ctx.emit(hint)
            }
        },
    ]
}
