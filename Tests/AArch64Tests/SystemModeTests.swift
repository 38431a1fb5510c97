@testable import AArch64
import Memory
import Testing

/// A one-core full-system rig: 1 MiB of RAM at 0x4000_0000 behind an MMU, code written as raw words.
final class SystemRig {
    let bus = PhysicalBus()
    let mmu: AArch64MMU
    let cpu: AArch64CPU
    static let ram: UInt64 = 0x4000_0000

    init(devices: [(MMIODevice, UInt64)] = []) throws {
        try bus.addRAM(PhysicalMemory(size: 1 << 20, ramBase: Self.ram))
        for (d, base) in devices { try bus.devices.add(d, base: base, size: 0x1000) }
        let identity = AArch64CoreIdentity.cortexA72(mpidr: 0x8000_0000, gicSystemRegisters: false)
        mmu = AArch64MMU(bus: bus, core: 0, resetSCTLR: identity.resetSCTLR)
        cpu = AArch64CPU(port: mmu, listen: false)
        cpu.enterSystemMode(identity: identity, mmu: mmu)
    }

    func write(_ pa: UInt64, words: [UInt32]) {
        words.withUnsafeBytes { _ = bus.write(pa, bytes: $0) }
    }

    func write64(_ pa: UInt64, _ value: UInt64) {
        withUnsafeBytes(of: value) { _ = bus.write(pa, bytes: $0) }
    }

    /// Runs `n` instructions, letting the system model handle every stop.
    func steps(_ n: Int) {
        for _ in 0..<n { _ = cpu.handle(cpu.run(limit: 1)) }
    }
}

// Encodings from the ARM ARM (C6.2, "MSR (register)", "MRS", "SVC", "ERET"): op0 op1 CRn CRm op2.
func msr(_ op0: UInt32, _ op1: UInt32, _ crn: UInt32, _ crm: UInt32, _ op2: UInt32, x rt: UInt32) -> UInt32 {
    0xD500_0000 | op0 << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt
}
func mrs(_ op0: UInt32, _ op1: UInt32, _ crn: UInt32, _ crm: UInt32, _ op2: UInt32, x rt: UInt32) -> UInt32 {
    msr(op0, op1, crn, crm, op2, x: rt) | 1 << 21
}
let vbarEL1 = (UInt32(3), UInt32(0), UInt32(12), UInt32(0), UInt32(0))
let nop: UInt32 = 0xD503_201F
let eret: UInt32 = 0xD69F_03E0
func svc(_ imm: UInt32) -> UInt32 { 0xD400_0001 | imm << 5 }

@Suite struct ExceptionModelTests {
    @Test func resetStateIsEL1hWithEverythingMasked() throws {
        let r = try SystemRig()
        let s = try #require(r.cpu.system)
        // ARM ARM D1.9 (reset): PSTATE.{D,A,I,F} set, SPSel = 1; the A72 TRM gives SCTLR_EL1 = 0x00C50838.
        #expect(s.el == 1 && s.spSel == 1 && s.daif == 0x3C0)
        #expect(r.mmu.sctlr == 0x00C5_0838)
        #expect(r.cpu.fpAccessTraps) // CPACR_EL1.FPEN resets to 0b00
    }

    @Test func svcAtEL1GoesToTheCurrentELSPxVectorAndEretReturns() throws {
        let r = try SystemRig()
        let base = SystemRig.ram
        r.cpu[x: 0] = base + 0x800 // vector table
        r.write(base, words: [msr(3, 0, 12, 0, 0, x: 0), svc(0x42), nop])
        r.write(base + 0x800 + 0x200, words: [eret]) // current EL with SP_ELx, synchronous
        r.cpu.pc = base
        r.cpu.nzcvRegister = 0x6000_0000
        r.steps(2)
        let s = try #require(r.cpu.system)
        // ESR: EC 0x15 (SVC from AArch64), IL = 1, ISS = imm16 (ARM ARM D17.2.37).
        #expect(s.esr == 0x5600_0042)
        #expect(s.elr == base + 8) // preferred return: the instruction after the SVC
        #expect(s.spsr == 0x6000_03C5) // NZCV, DAIF masked, M = EL1h
        #expect(r.cpu.pc == base + 0xA00)
        r.steps(1)
        #expect(r.cpu.pc == base + 8 && s.el == 1 && r.cpu.nzcvRegister == 0x6000_0000)
    }

    @Test func eretToEL0BanksTheStackPointerAndSvcComesBackThroughTheLowerELVector() throws {
        let r = try SystemRig()
        let base = SystemRig.ram
        let s = try #require(r.cpu.system)
        s.vbar = base + 0x800
        s.spsr = 0 // EL0t, nothing masked
        s.elr = base + 0x100
        s.spEL0 = 0x1234_0000
        r.cpu.sp = 0x5555_0000 // SP_EL1
        r.write(base, words: [eret])
        r.write(base + 0x100, words: [svc(7)])
        r.cpu.pc = base
        r.steps(1)
        #expect(s.el == 0 && r.cpu.sp == 0x1234_0000 && r.cpu.pc == base + 0x100)
        r.steps(1)
        // Lower EL using AArch64: vector offset 0x400 (ARM ARM D1.10.2); SP_EL1 is back.
        #expect(s.el == 1 && r.cpu.pc == base + 0x800 + 0x400)
        #expect(r.cpu.sp == 0x5555_0000 && s.spEL0 == 0x1234_0000)
        #expect(s.spsr == 0 && s.esr == 0x5600_0007)
    }

    @Test func el1RegisterFromEL0IsUndefinedAndFPTrapsUntilCPACRAllowsIt() throws {
        let r = try SystemRig()
        let base = SystemRig.ram
        let s = try #require(r.cpu.system)
        s.vbar = base + 0x800
        r.write(base, words: [0x9E67_03E0]) // fmov d0, xzr
        r.cpu.pc = base
        r.steps(1)
        // EC 0x07 with CV = 1, COND = 0xE for an AArch64 instruction (what QEMU reports too).
        #expect(s.esr == 0x1FE0_0000 && s.elr == base)
        r.cpu.pc = base
        r.cpu[x: 3] = 0x30_0000
        r.write(base + 0x40, words: [msr(3, 0, 1, 0, 2, x: 3), 0x9E67_03E0]) // CPACR_EL1.FPEN = 0b11
        r.cpu.pc = base + 0x40
        r.steps(2)
        #expect(r.cpu.pc == base + 0x48 && !r.cpu.fpAccessTraps)
        // MRS x1, SCTLR_EL1 at EL0: UNDEFINED, EC 0.
        s.spsr = 0; s.elr = base + 0x80
        r.write(base + 0x48, words: [eret])
        r.write(base + 0x80, words: [mrs(3, 0, 1, 0, 0, x: 1)])
        r.steps(2)
        #expect(s.el == 1 && s.esr == 0x0200_0000 && s.elr == base + 0x80)
    }
}

@Suite struct MMUTests {
    /// Identity-maps the RAM's first 2 MiB with a level-2 table whose first entry points to a level-3 table.
    /// TCR: T0SZ = 25 (39-bit VAs, walks start at level 1), 4 KiB granule.
    func rigWithTables(pageAttributes: UInt64) throws -> SystemRig {
        let r = try SystemRig()
        let base = SystemRig.ram
        let l1 = base + 0x1_0000, l2 = base + 0x1_1000, l3 = base + 0x1_2000
        r.write64(l1 + 8 * 1, l2 | 3)            // VA 0x4000_0000 -> level 2 table
        r.write64(l2, l3 | 3)                    // first 2 MiB -> level 3 table
        for i in 0..<512 { r.write64(l3 + UInt64(i) * 8, (base + UInt64(i) << 12) | 0x403) } // AF | page
        r.write64(l3 + 0x40 * 8, (base + 0x40_000) | pageAttributes | 3)
        r.mmu.writeMAIR(0xFF)
        r.mmu.writeTCR(25)
        r.mmu.writeTTBR0(l1)
        r.mmu.writeSCTLR(r.mmu.sctlr | 1)
        return r
    }

    @Test func walksToPagesAndReportsFaultLevels() throws {
        let r = try rigWithTables(pageAttributes: 0x400)
        #expect(try r.mmu.translate(0x4004_0123, .read).get().physical == 0x4004_0123)
        // Unmapped at level 1 (entry 0 is invalid), and out of the 39-bit range at level 0 (D8.2, "Translation faults").
        #expect(throws: MemoryFault(address: 0x1000, kind: .unmapped, isWrite: false, level: 1)) { try r.mmu.translate(0x1000, .read).get() }
        #expect(throws: MemoryFault(address: 0x80_0000_0000, kind: .unmapped, isWrite: true, level: 0)) {
            try r.mmu.translate(0x80_0000_0000, .write).get()
        }
    }

    @Test func accessPermissionsAndAccessFlag() throws {
        // AP[2:1] = 0b11: read-only at EL0 and EL1 (D8.4.1); the write faults at level 3.
        var r = try rigWithTables(pageAttributes: 0x400 | 0b11 << 6)
        #expect(try r.mmu.translate(0x4004_0000, .read, el: 0).get().physical == 0x4004_0000)
        #expect(throws: MemoryFault(address: 0x4004_0008, kind: .permission, isWrite: true, level: 3)) {
            try r.mmu.translate(0x4004_0008, .write).get()
        }
        // AP = 0b00: EL1 only. Default pages are not EL0-accessible either.
        r = try rigWithTables(pageAttributes: 0x400)
        #expect(throws: MemoryFault(address: 0x4004_0000, kind: .permission, isWrite: false, level: 3)) {
            try r.mmu.translate(0x4004_0000, .read, el: 0).get()
        }
        // AF = 0: Access flag fault (no hardware update in ARMv8.0).
        r = try rigWithTables(pageAttributes: 0)
        #expect(throws: MemoryFault(address: 0x4004_0000, kind: .accessFlag, isWrite: false, level: 3)) {
            try r.mmu.translate(0x4004_0000, .read).get()
        }
        // EL0-writable memory is never executable at EL1 (D8.4.2); UXN stops EL0.
        r = try rigWithTables(pageAttributes: 0x400 | 0b01 << 6 | 1 << 54)
        #expect(throws: MemoryFault(address: 0x4004_0000, kind: .permission, isWrite: false, level: 3)) {
            try r.mmu.translate(0x4004_0000, .execute).get()
        }
        #expect(throws: MemoryFault(address: 0x4004_0000, kind: .permission, isWrite: false, level: 3)) {
            try r.mmu.translate(0x4004_0000, .execute, el: 0).get()
        }
    }

    @Test func staleEntriesSurviveUntilTLBI() throws {
        let r = try rigWithTables(pageAttributes: 0x400)
        #expect(try r.mmu.translate(0x4004_0000, .read).get().physical == 0x4004_0000)
        // Remap the page without a TLBI: the architectural TLB still holds the old walk.
        r.write64(SystemRig.ram + 0x1_2000 + 0x40 * 8, (SystemRig.ram + 0x5_0000) | 0x403)
        #expect(try r.mmu.translate(0x4004_0000, .read).get().physical == 0x4004_0000)
        r.mmu.invalidate(.address(0x4_0040, asid: nil))
        #expect(try r.mmu.translate(0x4004_0000, .read).get().physical == 0x4005_0000)
    }

    @Test func dataAbortSyndromeAndFAR() throws {
        let r = try rigWithTables(pageAttributes: 0x400 | 0b10 << 6) // read-only at EL1
        let s = try #require(r.cpu.system)
        s.vbar = SystemRig.ram + 0x800
        r.cpu[x: 2] = 0x4004_0010
        r.write(SystemRig.ram, words: [0xB900_0041]) // str w1, [x2]
        r.cpu.pc = SystemRig.ram
        r.steps(1)
        // EC 0x25 (same EL), IL, WnR, DFSC 0b001111 = permission fault level 3; ISV = 0 as for all EL1 aborts.
        #expect(s.esr == 0x9600_004F && s.far == 0x4004_0010 && s.elr == SystemRig.ram)
    }
}

@Suite struct DeviceAccessTests {
    final class Probe: MMIODevice {
        let name = "probe"
        var writes: [(UInt64, UInt64, Int)] = []
        func read(offset: UInt64, size: Int, core: Int) -> UInt64 { 0xAB00 | offset }
        func write(offset: UInt64, size: Int, value: UInt64, core: Int) { writes.append((offset, value, core)) }
    }

    @Test func loadsAndStoresToDevicesStopTheLoopAndAreReplayedOnce() throws {
        let probe = Probe()
        let r = try SystemRig(devices: [(probe, 0x0900_0000)])
        r.cpu[x: 2] = 0x0900_0010
        r.cpu[x: 3] = 0x77
        r.write(SystemRig.ram, words: [0xB940_0041, 0xB900_0443, nop]) // ldr w1, [x2]; str w3, [x2, #4]
        r.cpu.pc = SystemRig.ram
        let stop = r.cpu.run(limit: 10)
        #expect(stop == .dataAbort(MemoryFault(address: 0x0900_0010, kind: .device, isWrite: false)))
        #expect(r.cpu.handle(stop) == .proceed)
        #expect(r.cpu[x: 1] == 0xAB10 && r.cpu.pc == SystemRig.ram + 4)
        #expect(r.cpu.handle(r.cpu.run(limit: 10)) == .proceed)
        #expect(probe.writes.count == 1 && probe.writes[0].0 == 0x14 && probe.writes[0].1 == 0x77)
        #expect(r.cpu.retired == 2)
    }
}
