import Testing
@testable import AArch64

extension LockstepGroup {
    /// Every group the default test run checks. Add a list here, or run your own from your test file
    /// (see the header of LockstepHarness.swift).
    static var all: [LockstepGroup] { dataProcessing + memory + branches + [straightLineInteger, straightLineMemory] }

    /// Loads, stores, exclusives and atomics (the fault group aside) in 300-instruction blocks, with
    /// their base registers set by MOVZ/MOVK in the block itself.
    static let straightLineMemory: LockstepGroup = {
        let mix = memory.filter { $0.name != "memory-faults" }
        return LockstepGroup(name: "straight-line-memory", count: 15000, vectors: true, straightLine: 300) { ctx in
            let g = ctx.pick(mix)
            g.generate(&ctx)
        }
    }()

    /// The data-processing generators and forward branches mixed into 300-instruction blocks that
    /// evlsim runs in one `run(limit:)` call: the loop's page walk, its cached flags, branches within
    /// a decoded page, ISB, and the end-of-page sentinel.
    static let straightLineInteger: LockstepGroup = {
        let mix = dataProcessing + branches.filter { $0.name == "forward-branches" }
        return LockstepGroup(name: "straight-line-integer", count: 15000, straightLine: 300) { ctx in
            let g = ctx.pick(mix)
            g.generate(&ctx)
        }
    }()
}

/// evlsim against Unicorn 2 (QEMU's AArch64 translator, CPU model "max"), one instruction at a time.
/// Expected values come from Unicorn; see LockstepHarness.swift for what is compared and excluded.
@Suite("Lockstep against Unicorn")
struct LockstepTests {
    @Test("evlsim and Unicorn agree on every instruction", arguments: LockstepGroup.all)
    func group(_ group: LockstepGroup) {
        let report = LockstepRunner.check(group)
        #expect(report.instructions > 0)
    }

    @Test("the default run compares at least 100,000 instructions")
    func coverage() {
        #expect(LockstepGroup.all.reduce(0) { $0 + $1.count } >= 100_000)
        #expect(Set(LockstepGroup.all.map(\.name)).count == LockstepGroup.all.count, "group names seed the streams; keep them unique")
    }

    /// The harness itself: a deliberately wrong expectation must be caught. Unicorn executes the
    /// word; evlsim is handed a different word at the same address, so the comparison must fail.
    @Test("a planted difference is reported with registers, word and seed")
    func harnessCatchesDifferences() throws {
        let group = LockstepGroup(name: "self-check", count: 1) { ctx in
            ctx.pin(1, 5)
            ctx.pin(2, 7)
            ctx.emit(0x8B02_0020) // add x0, x1, x2 (aarch64-linux-gnu-as)
        }
        let runner = try LockstepRunner(group: group, seed: 1)
        // Make evlsim see SUB instead: write a different word into evlsim's code page only.
        runner.plantForTesting(word: 0xCB02_0020) // sub x0, x1, x2
        let report = try runner.run(instructions: 1)
        let message = try #require(report.failures.first)
        #expect(message.contains("x0: evlsim 0xfffffffffffffffe, unicorn 0xc"))
        #expect(message.contains("8b020020"))
        #expect(message.contains("self-check"))
        #expect(message.contains("seed 0x1"))
        #expect(message.contains("add x0, x1, x2"), "capstone's disassembly of the word")
    }

    @Test("a planted difference in a vector register and in memory is reported")
    func harnessCatchesVectorAndMemoryDifferences() throws {
        let group = LockstepGroup(name: "self-check-vectors", count: 1, vectors: true) { ctx in
            ctx.pin(1, LockstepLayout.dataBase + 0x100)
            ctx.emit(0x3DC0_0020) // ldr q0, [x1]
        }
        let runner = try LockstepRunner(group: group, seed: 2)
        runner.plantForTesting(word: 0x3DC0_0021) // ldr q1, [x1]
        let report = try runner.run(instructions: 1)
        let message = try #require(report.failures.first)
        #expect(message.contains("v0: evlsim"))
        #expect(message.contains("v1: evlsim"))

        let stores = LockstepGroup(name: "self-check-memory", count: 1) { ctx in
            ctx.pin(1, LockstepLayout.dataBase + 0x200)
            ctx.pin(2, 0x1122_3344_5566_7788)
            ctx.emit(0xF900_0022) // str x2, [x1]
        }
        let other = try LockstepRunner(group: stores, seed: 3)
        other.plantForTesting(word: 0xF900_0422) // str x2, [x1, #8]
        let memoryReport = try other.run(instructions: 1)
        let memoryMessage = try #require(memoryReport.failures.first)
        #expect(memoryMessage.contains("memory 0x140200: evlsim"))
        #expect(memoryMessage.contains("8 more differing bytes"))
    }
}

/// LD{S,U}{MAX,MIN} on bytes, halfwords and words, where Unicorn 2.0.1 is no oracle: its non-atomic
/// helpers compare the zero-extended memory value with all 64 bits of Rs (unicorn-engine/unicorn#1922).
/// The lockstep group only compares operands on which it is right; these cases cover the rest.
/// Expected values: the ARM ARM's MemAtomic pseudocode, by hand (the operand is Rs truncated to the
/// access size, compared signed or unsigned at that size; Rt receives the old value zero-extended).
@Suite("LSE min/max below 64 bits")
struct AtomicMinMaxTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var word: UInt32
        var base: Int, rs: Int, rt: Int
        var bytes: Int
        var memory: UInt64
        var operand: UInt64
        var stored: UInt64
        var testDescription: String { text }
    }

    // Words assembled with aarch64-linux-gnu-as -march=armv8.2-a+lse.
    static let cases: [Case] = [
        Case(text: "ldsmaxh w26, w15, [x11]: max(-8687, 66)", word: 0x783A_416F, base: 11, rs: 26, rt: 15,
             bytes: 2, memory: 0xDE11, operand: 0xFFFF_FFFF_0000_0042, stored: 0x0042),
        Case(text: "ldsminal w4, w13, [x3]: min(0x0f04301b, negative)", word: 0xB8E4_506D, base: 3, rs: 4, rt: 13,
             bytes: 4, memory: 0x0F04_301B, operand: 0x3964_A143_E05D_651C, stored: 0xE05D_651C),
        Case(text: "ldumin w26, w9, [x17]: Rs bits above 31 ignored", word: 0xB83A_7229, base: 17, rs: 26, rt: 9,
             bytes: 4, memory: 0x9D18_6471, operand: 0x0618_4558_569D_8B51, stored: 0x569D_8B51),
        Case(text: "ldsmaxb w1, w2, [x3]: max(-128, 127)", word: 0x3821_4062, base: 3, rs: 1, rt: 2,
             bytes: 1, memory: 0x80, operand: 0x7F, stored: 0x7F),
        Case(text: "ldsminb w1, w2, [x3]: min(127, -1)", word: 0x3821_5062, base: 3, rs: 1, rt: 2,
             bytes: 1, memory: 0x7F, operand: ~0, stored: 0xFF),
        Case(text: "ldumaxh w1, w2, [x3]: umax(2, 0x10001 -> 1)", word: 0x7821_6062, base: 3, rs: 1, rt: 2,
             bytes: 2, memory: 0x0002, operand: 0x1_0001, stored: 0x0002),
        Case(text: "ldsmax x1, x2, [x3]: max(INT64_MIN, 5)", word: 0xF821_4062, base: 3, rs: 1, rt: 2,
             bytes: 8, memory: 0x8000_0000_0000_0000, operand: 5, stored: 5),
    ]

    @Test("stores the ARM ARM result and returns the old value", arguments: cases)
    func minMax(_ c: Case) throws {
        let m = try TestMachine(code: [c.word])
        let address = TestMachine.dataBase + 0x40
        m.store(0xA5A5_A5A5_A5A5_A5A5, at: address, bytes: 8) // neighbours must not change
        m.store(0xA5A5_A5A5_A5A5_A5A5, at: address + 8, bytes: 8)
        m.store(c.memory, at: address, bytes: c.bytes)
        m.cpu.x[c.base] = address
        m.cpu.x[c.rs] = c.operand
        m.cpu.x[c.rt] = 0xDEAD_BEEF_DEAD_BEEF
        #expect(m.cpu.step() == .limit)
        #expect(m.load(address, bytes: c.bytes) == c.stored)
        #expect(m.load(address + UInt64(c.bytes), bytes: 1) == 0xA5)
        #expect(m.cpu.x[c.rt] == c.memory)
        #expect(m.cpu.x[c.rs] == c.operand)
    }
}
