// Seeded generators for branches (contract: LockstepHarness.swift). Every target is a 4-byte-aligned
// address inside the code region, so both engines stop there after one instruction; the harness
// compares PC and X30 (and everything else) after each branch.

@testable import AArch64

extension LockstepContext {
    /// A signed word offset from the current instruction to `target`, as an unsigned `bits`-wide field.
    func branchField(to target: UInt64, bits: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: Int64(bitPattern: target &- here) >> 2) & UInt32(lowMask(bits))
    }

    /// A value for a register a branch tests: often zero, or zero only in its low 32 bits.
    mutating func testedValue() -> UInt64 {
        switch below(10) {
        case 0, 1, 2: return 0
        case 3: return next() << 32
        case 4: return next() & 0xFFFF_FFFF
        default: return interesting()
        }
    }
}

extension LockstepGroup {
    static let branches: [LockstepGroup] = [
        // B/BL: op 00101 imm26.
        LockstepGroup(name: "branch-immediate", count: 2000) { ctx in
            let target = ctx.codeTarget()
            let op = ctx.bits(1)
            ctx.emit(enc(op << 31, 0b00101 << 26, ctx.branchField(to: target, bits: 26)))
        },

        // B.cond: 01010100 imm19 0 cond (bit 4 set is unallocated without FEAT_HBC).
        LockstepGroup(name: "branch-conditional", count: 3000) { ctx in
            let target = ctx.codeTarget(from: ctx.here, reach: 1 << 20)
            if ctx.chance(30) { ctx.pinFlags(UInt64(ctx.bits(4))) }
            let cond = ctx.bits(4)
            let o0: UInt32 = ctx.chance(2) ? 1 : 0
            ctx.emit(enc(0b0101_0100 << 24, ctx.branchField(to: target, bits: 19) << 5, o0 << 4, cond))
        },

        // CBZ/CBNZ: sf 011010 op imm19 Rt.
        LockstepGroup(name: "compare-and-branch", count: 3000) { ctx in
            let target = ctx.codeTarget(from: ctx.here, reach: 1 << 20)
            let rt = ctx.register()
            if rt != 31 { let v = ctx.testedValue(); ctx.pin(rt, v) }
            let sf = ctx.bits(1), op = ctx.bits(1)
            ctx.emit(enc(sf << 31, 0b011010 << 25, op << 24, ctx.branchField(to: target, bits: 19) << 5, rt))
        },

        // TBZ/TBNZ: b5 011011 op b40 imm14 Rt, reach ±32 KiB.
        LockstepGroup(name: "test-and-branch", count: 3000) { ctx in
            let target = ctx.codeTarget(from: ctx.here, reach: 1 << 15)
            let rt = ctx.register()
            if rt != 31 { let v = ctx.testedValue() ^ (ctx.chance(30) ? ctx.next() : 0); ctx.pin(rt, v) }
            let bit = ctx.bits(6), op = ctx.bits(1)
            ctx.emit(enc((bit >> 5) << 31, 0b011011 << 25, op << 24, (bit & 31) << 19,
                         ctx.branchField(to: target, bits: 14) << 5, rt))
        },

        // BR/BLR/RET: 1101011 0 0 opc 11111 000000 Rn 00000 (opc 00 BR, 01 BLR, 10 RET).
        // Targets are aligned: for a misaligned target QEMU branches and faults on the next fetch,
        // while evlsim stops at the branch (StopReason.pcAlignment), so the two are not comparable.
        LockstepGroup(name: "branch-register", count: 2000) { ctx in
            let opc = UInt32(ctx.below(3))
            let rn = opc == 2 && ctx.chance(60) ? 30 : ctx.register(excluding: [31]) // XZR would jump to 0
            let target = ctx.codeTarget()
            ctx.pin(rn, target)
            ctx.emit(enc(0b1101011 << 25, opc << 21, 0b11111 << 16, rn << 5))
        },

        // A branch over 1–4 data-processing instructions to the word after them, taken or not: the
        // target lies inside the case, so the group also works in straight-line blocks, where evlsim's
        // loop follows the branch within its decoded page.
        LockstepGroup(name: "forward-branches", count: 3000) { ctx in
            let fillers = 1 + ctx.below(4)
            let target = ctx.here + UInt64(4 * (1 + fillers))
            let field19 = ctx.branchField(to: target, bits: 19), field14 = ctx.branchField(to: target, bits: 14)
            let word: UInt32
            switch ctx.below(8) {
            case 0, 1:
                if ctx.chance(50) { ctx.pinFlags(UInt64(ctx.bits(4))) }
                word = enc(0b0101_0100 << 24, field19 << 5, ctx.bits(4))
            case 2:
                let rt = ctx.register(excluding: [31])
                let v = ctx.testedValue()
                ctx.pin(rt, v)
                word = enc(ctx.bits(1) << 31, 0b011010 << 25, ctx.bits(1) << 24, field19 << 5, rt)
            case 3:
                let rt = ctx.register(excluding: [31]), bit = ctx.bits(6)
                let v = ctx.next()
                ctx.pin(rt, v)
                word = enc((bit >> 5) << 31, 0b011011 << 25, ctx.bits(1) << 24, (bit & 31) << 19, field14 << 5, rt)
            case 4: word = enc(0b00101 << 26, ctx.branchField(to: target, bits: 26))      // B
            case 5: word = enc(1 << 31, 0b00101 << 26, ctx.branchField(to: target, bits: 26)) // BL
            default:
                let opc = UInt32(ctx.below(3)) // BR, BLR, RET
                let rn = ctx.register(excluding: [31])
                ctx.pin(rn, target)
                word = enc(0b1101011 << 25, opc << 21, 0b11111 << 16, rn << 5)
            }
            ctx.emit(word)
            // Fillers without their pins (they would overwrite the branch's register); not from the
            // system-register group, whose MSR values must stay within the bits both engines model.
            let fillerGroups = LockstepGroup.dataProcessing.filter { $0.name != "system-registers" }
            var emitted = 0
            while emitted < fillers {
                var filler = LockstepContext(rng: ctx.rng, start: ctx.here)
                let g = ctx.pick(fillerGroups)
                g.generate(&filler)
                ctx.rng = filler.rng
                if filler.words.count == 1 && A64Decoder.decode(filler.words[0], pc: ctx.here).op != .undefined {
                    ctx.emit(filler.words[0])
                    emitted += 1
                }
            }
        },
    ]
}
