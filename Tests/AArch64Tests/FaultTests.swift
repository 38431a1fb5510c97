import Memory
import Testing
@testable import AArch64

/// Faults stop the CPU with the architecture's PC: at the instruction for synchronous aborts and
/// undefined encodings, at the target for a PC alignment fault after a register branch.
@Suite struct FaultTests {
    func machine(_ words: [UInt32]) throws -> AArch64CPU {
        let space = AddressSpace(physical: try PhysicalMemory(size: 16 << 20))
        try space.map(0x10000, length: 0x1000, permissions: .rx)
        try space.map(0x20000, length: 0x1000, permissions: .rw)
        space.write(0x10000, bytes: words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }, force: true)
        let cpu = AArch64CPU(space: space)
        cpu.pc = 0x10000
        return cpu
    }

    @Test func misalignedExclusiveLoadIsAnAlignmentFault() throws {
        // ldxr x0, [x1]  (aarch64-linux-gnu-as: c85f7c20)
        let cpu = try machine([0xC85F_7C20])
        cpu[x: 1] = 0x20004
        #expect(cpu.step() == .alignmentFault(address: 0x20004))
        #expect(cpu.pc == 0x10000)
        #expect(cpu.retired == 0)
        cpu[x: 1] = 0x20008
        #expect(cpu.step() == .limit)
    }

    @Test func misalignedAtomicIsAnAlignmentFault() throws {
        // ldadd w2, w3, [x1]  (b8220023)
        let cpu = try machine([0xB822_0023])
        cpu[x: 1] = 0x20002
        #expect(cpu.step() == .alignmentFault(address: 0x20002))
    }

    @Test func misalignedBranchTargetFaultsAfterTheBranch() throws {
        // blr x5  (d63f00a0)
        let cpu = try machine([0xD63F_00A0])
        cpu[x: 5] = 0x10006
        #expect(cpu.run(limit: 10) == .pcAlignment(target: 0x10006))
        #expect(cpu.pc == 0x10006)
        #expect(cpu[x: 30] == 0x10004)
        #expect(cpu.retired == 1)
    }

    @Test func dataAbortLeavesThePCAtTheLoad() throws {
        // ldr x0, [x1]  (f9400020)
        let cpu = try machine([0xF940_0020])
        cpu[x: 1] = 0x90000
        #expect(cpu.step() == .dataAbort(MemoryFault(address: 0x90000, kind: .unmapped, isWrite: false)))
        #expect(cpu.pc == 0x10000)
    }

    @Test func fetchFromANonExecutablePageIsAnInstructionAbort() throws {
        let cpu = try machine([])
        cpu.pc = 0x20000
        #expect(cpu.step() == .instructionAbort(MemoryFault(address: 0x20000, kind: .permission, isWrite: false)))
    }

    @Test func selfModifyingCodeIsSeenAfterISB() throws {
        // str w2, [x1]; isb; <patched slot>; ...
        // The patched slot starts as `movz x0, #1` (d2800020) and is overwritten with `movz x0, #2` (d2800040).
        let space = AddressSpace(physical: try PhysicalMemory(size: 16 << 20))
        try space.map(0x10000, length: 0x1000, permissions: .rwx)
        let words: [UInt32] = [0xB900_0022, 0xD503_3FDF, 0xD280_0020, 0xD400_0001]
        space.write(0x10000, bytes: words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }, force: true)
        let cpu = AArch64CPU(space: space)
        cpu.pc = 0x10000
        cpu[x: 1] = 0x10008
        cpu[x: 2] = 0xD280_0040
        #expect(cpu.run(limit: 100) == .supervisorCall(immediate: 0))
        #expect(cpu[x: 0] == 2)
    }
}
