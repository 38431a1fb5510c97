import AArch64
import Board
import Foundation
import Testing

/// The generic timer wakes a core at the exact simulated instant its compare value is reached.
///
/// A hand-encoded image (ARM ARM C6.2 encodings) on `qemu-virt-gicv3` (62.5 MHz counter, 1.5 GHz
/// core) wakes the redistributor, enables PPI 30 in Group 1, opens PMR, sets CNTP_CVAL_EL0 = 62500
/// (1 ms), enables the timer and executes WFI with interrupts masked (the reset state), so the
/// pending interrupt wakes the core without being taken. The next instruction reads CNTPCT_EL0.
@Suite struct TimerWakeupTests {
    func load(_ rd: UInt32, _ v: UInt64) -> [UInt32] { loadImmediate(rd, v, halfwords: 2) }
    func msr(_ op0: UInt32, _ op1: UInt32, _ crn: UInt32, _ crm: UInt32, _ op2: UInt32, _ rt: UInt32) -> UInt32 {
        0xD500_0000 | op0 << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt
    }
    func store(_ address: UInt64, _ value: UInt64) -> [UInt32] { load(1, address) + load(2, value) + [0xB900_0022] } // str w2, [x1]
    /// The shipped board files.
    static let machines = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("machines").path

    /// Routes PPI 30 (the EL1 physical timer) to the core in Group 1 and sets the timer for
    /// tick 62500 (1 ms).
    func timerAtOneMillisecond() -> [UInt32] {
        var code: [UInt32] = []
        code += store(0x080A_0014, 0)            // GICR_WAKER: wake the redistributor
        code += store(0x0800_0000, 0x12)         // GICD_CTLR: ARE, EnableGrp1
        code += store(0x080B_0080, 1 << 30)      // GICR_IGROUPR0: PPI 30 in Group 1
        code += store(0x080B_0100, 1 << 30)      // GICR_ISENABLER0: enable PPI 30
        code += load(3, 0xFF) + [msr(3, 0, 4, 6, 0, 3)]      // ICC_PMR_EL1 = 0xFF
        code += load(3, 1) + [msr(3, 0, 12, 12, 7, 3)]       // ICC_IGRPEN1_EL1 = 1
        code += load(3, 62_500) + [msr(3, 3, 14, 2, 2, 3)]   // CNTP_CVAL_EL0 = 62500 (1 ms)
        code += load(3, 1) + [msr(3, 3, 14, 2, 1, 3)]        // CNTP_CTL_EL0 = ENABLE
        return code
    }

    /// Reads the counter into x5 and powers off.
    func readTicksAndPowerOff() -> [UInt32] {
        [msr(3, 3, 14, 0, 1, 5) | 1 << 21]                   // MRS x5, CNTPCT_EL0
            + load(0, 0x8400_0008) + [0xD400_0002]           // PSCI SYSTEM_OFF over HVC
    }

    @Test func wfiEndsAtTheCompareValueToThePicosecond() throws {
        let spec = try BoardDescription.load(path: Self.machines + "/qemu-virt-gicv3.yaml").withCores(1).machineSpec()
        #expect(spec.timerHz == 62_500_000 && spec.coreHz == 1_500_000_000)
        let code = timerAtOneMillisecond() + [0xD503_207F] + readTicksAndPowerOff() // WFI, then read the counter
        let machine = try Machine(spec: spec, uartOutput: { _, _ in })
        let base: UInt64 = 0x4008_0000
        try machine.load(littleEndianBytes(code), at: base)
        machine.reset(entry: base)
        #expect(machine.run(for: .microseconds(5000)) == .systemOff)
        let core = machine.cores[0]
        // 62500 ticks of 16 ns: the core woke at exactly 1 ms = 1,500,000 core cycles, and the MRS right
        // after the WFI (one cycle later) still reads tick 62500.
        #expect(core[x: 5] == 62_500)
        let stats = machine.collectStatistics()[0]
        #expect(stats.cycles == 1_500_000 + 4)                // woke at 1 ms; MRS, MOVZ, MOVK and HVC retire after
        #expect(stats.idleCycles == 1_500_000 - (stats.instructions - 4))
        #expect(stats.waits == 1 && stats.interrupts == 0)   // masked: woken, not taken
        #expect(machine.eventsFired == 1)                    // one timer event, no polling
    }

    /// With the A72's timing model the run loop replays closed blocks in batches of up to 256,
    /// but of 16 within 32768 cycles of the slice's end (`TimingTrace`), and notices the end
    /// only after a batch. A core busy in a loop of two-instruction blocks, each waiting for
    /// the last one's multiply (fewer instructions than cycles, so the slice's instruction
    /// budget does not end it first), takes the timer's interrupt at tick 62517 (measured):
    /// 17 ticks of 24 core cycles after 1 ms, most of them the handler's first fetch, which
    /// misses every cache. With batches of 256 near the deadline it read 62561. The handler
    /// (VBAR_EL1 + 0x280, and + 0x080 in case SP_EL0 is selected) reads CNTPCT_EL0 first.
    @Test func aBusyCoreTakesTheTimerInterruptSoonAfterItsDeadline() throws {
        // Through the catalog, which resolves the board's `timing: { same-as: rpi4 }`.
        var spec = try BoardCatalog(searchPath: [Self.machines]).load("qemu-virt-gicv3").withCores(1).machineSpec()
        spec.approximateTiming = true
        let base: UInt64 = 0x4008_0000
        var code = load(3, base + 0x800) + [msr(3, 0, 12, 0, 0, 3)] // VBAR_EL1
        code += timerAtOneMillisecond()
        code += [0xD503_42FF]                                // MSR DAIFClr, #2: unmask IRQs
        code += [0x9B01_7C21, 0x17FF_FFFF]                   // MUL x1, x1, x1; B .-4 (forever)
        let handler = readTicksAndPowerOff()
        var image = code + Array(repeating: 0xD503_201F, count: 0x200 - code.count) // NOP up to VBAR
        for vector in [0x080, 0x280] {
            image += Array(repeating: 0xD503_201F, count: (vector - (image.count * 4 - 0x800)) / 4) + handler
        }
        let machine = try Machine(spec: spec, uartOutput: { _, _ in })
        try machine.load(littleEndianBytes(image), at: base)
        machine.reset(entry: base)
        #expect(machine.run(for: .microseconds(5000)) == .systemOff)
        #expect((62_500...62_530).contains(machine.cores[0][x: 5]), "read tick \(machine.cores[0][x: 5])")
        #expect(machine.collectStatistics()[0].interrupts == 1)
    }
}
