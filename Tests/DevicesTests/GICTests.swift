@testable import Devices
import SimCore
import Testing

// Offsets and reset values from the GIC architecture specifications: IHI 0048B (GICv2) chapter 4,
// IHI 0069 (GICv3) chapters 8 and 12; GIC-400 identification values from the GIC-400 TRM.

private func d(_ g: GICv2, _ off: UInt64, core: Int = 0) -> UInt64 { g.distributor.read(offset: off, size: 4, core: core) }
private func dw(_ g: GICv2, _ off: UInt64, _ v: UInt64, core: Int = 0) { g.distributor.write(offset: off, size: 4, value: v, core: core) }
private func c(_ g: GICv2, _ off: UInt64, core: Int = 0) -> UInt64 { g.cpuInterface.read(offset: off, size: 4, core: core) }
private func cw(_ g: GICv2, _ off: UInt64, _ v: UInt64, core: Int = 0) { g.cpuInterface.write(offset: off, size: 4, value: v, core: core) }

/// A GICv2 with both groups enabled at the distributor and on every core's interface, PMR open.
private func openGICv2(cores: Int = 4) -> GICv2 {
    let g = GICv2(cores: cores, spis: 64)
    dw(g, 0x000, 1)
    for core in 0..<cores { cw(g, 0x00, 1, core: core); cw(g, 0x04, 0xFF, core: core) }
    return g
}

@Suite struct GICv2Tests {
    @Test func resetValues() {
        let g = GICv2(cores: 4, spis: 64)
        // GICD_TYPER: CPUNumber = cores - 1 (bits 7:5), ITLinesNumber = (64 + 32) / 32 - 1 = 2.
        #expect(d(g, 0x004) == 3 << 5 | 2)
        #expect(d(g, 0x008) == 0x0200_143B && c(g, 0xFC) == 0x0202_143B)
        #expect(d(g, 0x000) == 0 && c(g, 0x00) == 0 && c(g, 0x04) == 0)
        // Nothing pending: the spurious INTID 1023; running priority idle 0xFF.
        #expect(c(g, 0x0C) == 1023 && c(g, 0x14) == 0xFF)
        // SGIs are edge-triggered and read-only in ICFGR0 (0b10 per SGI).
        #expect(d(g, 0xC00) == 0xAAAA_AAAA)
        // ITARGETSR for banked interrupts reads as the accessing core's own bit.
        #expect(g.distributor.read(offset: 0x81C, size: 1, core: 2) == 0b100)
    }

    @Test func levelInterruptFollowsItsLineAndComesBackAfterDeactivation() {
        let g = openGICv2()
        dw(g, 0x100, 1 << 30, core: 1)        // enable PPI 30 (the physical timer), banked: core 1 copy
        g.setPPI(30, core: 1, level: true)
        #expect(g.irqAsserted(core: 1) && !g.irqAsserted(core: 0))
        #expect(d(g, 0x200, core: 1) == 1 << 30) // ISPENDR0 shows it pending
        #expect(c(g, 0x0C, core: 1) == 30)
        #expect(!g.irqAsserted(core: 1))      // active now; the same interrupt cannot preempt itself
        #expect(d(g, 0x300, core: 1) == 1 << 30)
        cw(g, 0x10, 30, core: 1)              // EOI while the line is still high: pending again
        #expect(g.irqAsserted(core: 1))
        g.setPPI(30, core: 1, level: false)
        #expect(!g.irqAsserted(core: 1) && d(g, 0x200, core: 1) == 0)
    }

    @Test func edgeSPILatchesOnARisingEdgeAndRoutesByITARGETSR() {
        let g = openGICv2()
        dw(g, 0xC08, 0b10)                    // INTID 32: edge-triggered
        g.distributor.write(offset: 0x820, size: 1, value: 0b0100, core: 0) // to core 2
        dw(g, 0x104, 1)                       // enable INTID 32
        g.setSPI(32, level: true); g.setSPI(32, level: false)
        #expect(g.irqAsserted(core: 2) && !g.irqAsserted(core: 0))
        #expect(c(g, 0x0C, core: 2) == 32)
        #expect(c(g, 0x0C, core: 2) == 1023)  // acknowledged: the latch is gone
        cw(g, 0x10, 32, core: 2)
        #expect(d(g, 0x304) == 0)
    }

    @Test func priorityMaskAndPreemption() {
        let g = openGICv2()
        dw(g, 0x104, 0b11)                    // INTIDs 32 and 33
        g.distributor.write(offset: 0x820, size: 2, value: 0x0101, core: 0)
        g.distributor.write(offset: 0x420, size: 2, value: 0x40_80, core: 0) // 32: 0x80, 33: 0x40
        cw(g, 0x04, 0x80)                     // PMR 0x80 masks priority 0x80 (not strictly higher)
        g.setSPI(32, level: true)
        #expect(!g.irqAsserted(core: 0) && c(g, 0x0C) == 1023)
        cw(g, 0x04, 0xF8)
        #expect(c(g, 0x0C) == 32 && c(g, 0x14) == 0x80)
        g.setSPI(33, level: true)             // higher priority: preempts the running 0x80
        #expect(g.irqAsserted(core: 0) && c(g, 0x0C) == 33 && c(g, 0x14) == 0x40)
        cw(g, 0x10, 33)
        #expect(c(g, 0x14) == 0x80)           // the priority drop returns to the preempted level
        // Unimplemented priority bits read as zero: 5 bits, like GIC-400.
        g.distributor.write(offset: 0x424, size: 1, value: 0xFF, core: 0)
        #expect(g.distributor.read(offset: 0x424, size: 1, core: 0) == 0xF8)
    }

    @Test func sgisCarryTheirSourceAndFollowTheTargetFilter() {
        let g = openGICv2()
        dw(g, 0x100, 0xFFFF)                  // SGIs enabled (banked: on core 0's view)
        for core in 1..<4 { dw(g, 0x100, 0xFFFF, core: core) }
        dw(g, 0xF00, 0 << 24 | 0b1000 << 16 | 5, core: 1)   // core 1 -> core 3, SGI 5
        #expect(g.irqAsserted(core: 3) && !g.irqAsserted(core: 2))
        #expect(c(g, 0x0C, core: 3) == 1 << 10 | 5)           // CPUID of the source in bits 12:10
        dw(g, 0xF00, 1 << 24 | 2, core: 0)                     // all but self
        #expect(!g.irqAsserted(core: 0) && g.irqAsserted(core: 1) && g.irqAsserted(core: 2))
        dw(g, 0xF00, 2 << 24 | 7, core: 2)                     // self only
        #expect(c(g, 0x18, core: 2) == 2)                       // HPPIR: SGI 2 (lower INTID wins the tie)
    }

    @Test func eoiModeSplitsPriorityDropFromDeactivation() {
        let g = openGICv2()
        cw(g, 0x00, 1 | 1 << 9)               // EOImodeS
        dw(g, 0x100, 1 << 30)
        g.setPPI(30, core: 0, level: true)
        #expect(c(g, 0x0C) == 30)
        cw(g, 0x10, 30)
        #expect(c(g, 0x14) == 0xFF && d(g, 0x300) == 1 << 30)   // dropped but still active
        cw(g, 0x1000, 30)                                       // GICC_DIR deactivates
        #expect(d(g, 0x300) == 0)
    }

    @Test func signalsChangedReportsTheCore() {
        let g = openGICv2()
        var seen: [Int] = []
        g.signalsChanged = { seen.append($0) }
        dw(g, 0x100, 1 << 27, core: 2)
        g.setPPI(27, core: 2, level: true)
        g.setPPI(27, core: 2, level: false)
        #expect(seen == [2, 2])
    }
}

private func icc(_ g: GICv3, _ r: UInt16, core: Int = 0) -> UInt64 { g.readSystemRegister(r, core: core, now: SimTime(picoseconds: 0))! }
private func iccw(_ g: GICv3, _ r: UInt16, _ v: UInt64, core: Int = 0) { #expect(g.writeSystemRegister(r, core: core, value: v, now: SimTime(picoseconds: 0))) }

/// A GICv3 whose cores use Aff1 = core / 16, Aff0 = core % 16 (QEMU virt's layout), group 1 everywhere.
private func openGICv3(cores: Int = 4) -> GICv3 {
    let g = GICv3(cores: cores, spis: 64, affinities: (0..<cores).map { UInt64($0 / 16) << 8 | UInt64($0 % 16) })
    g.distributor.write(offset: 0, size: 4, value: 0b11, core: 0)
    g.distributor.write(offset: 0x84, size: 4, value: ~0, core: 0)
    g.distributor.write(offset: 0x88, size: 4, value: ~0, core: 0)
    for core in 0..<cores {
        let rd = UInt64(core) * 0x2_0000
        g.redistributors.write(offset: rd + 0x1_0080, size: 4, value: ~0, core: core)
        iccw(g, GICv3.Register.pmr, 0xFF, core: core)
        iccw(g, GICv3.Register.igrpen1, 1, core: core)
    }
    return g
}

@Suite struct GICv3Tests {
    @Test func resetValuesAndIdentification() {
        let g = GICv3(cores: 3, spis: 64, affinities: [0, 1, 2])
        #expect(icc(g, GICv3.Register.sre) == 0x7)               // SRE, DFB, DIB
        #expect(icc(g, GICv3.Register.iar1) == 1023 && icc(g, GICv3.Register.rpr) == 0xFF)
        #expect(icc(g, GICv3.Register.ctlr) >> 8 & 7 == 4)       // PRIbits = 5 - 1
        #expect(g.distributor.read(offset: 0xFFE8, size: 4, core: 0) >> 4 == 3) // ArchRev 3
        #expect(g.distributor.read(offset: 0, size: 4, core: 0) & 0x50 == 0x50) // ARE and DS read as one
        // GICR_TYPER: affinity in 63:32, processor number, Last only on the last redistributor.
        #expect(g.redistributors.read(offset: 0x2_0008, size: 8, core: 0) == 1 << 32 | 1 << 8)
        #expect(g.redistributors.read(offset: 0x4_0008, size: 8, core: 0) == 2 << 32 | 2 << 8 | 1 << 4)
        // GICR_WAKER: ProcessorSleep set at reset, ChildrenAsleep follows it.
        #expect(g.redistributors.read(offset: 0x14, size: 4, core: 0) == 0b110)
        g.redistributors.write(offset: 0x14, size: 4, value: 0, core: 0)
        #expect(g.redistributors.read(offset: 0x14, size: 4, core: 0) == 0)
        #expect(g.readSystemRegister(0x1234, core: 0, now: SimTime(picoseconds: 0)) == nil) // not an ICC register
    }

    @Test func sgi1rTargetsByAffinityAndIRM() {
        let g = openGICv3(cores: 20)
        for core in 0..<20 { g.redistributors.write(offset: UInt64(core) * 0x2_0000 + 0x1_0100, size: 4, value: 0xFFFF, core: core) }
        // INTID 3 to Aff1 = 1, TargetList bits 0 and 2: cores 16 and 18.
        iccw(g, GICv3.Register.sgi1r, 3 << 24 | 1 << 16 | 0b101)
        #expect(g.irqAsserted(core: 16) && g.irqAsserted(core: 18) && !g.irqAsserted(core: 17) && !g.irqAsserted(core: 0))
        #expect(icc(g, GICv3.Register.iar1, core: 16) == 3)
        // IRM = 1: every core but the sender.
        iccw(g, GICv3.Register.sgi1r, 1 << 40 | 9 << 24, core: 5)
        #expect(!g.irqAsserted(core: 5) && g.irqAsserted(core: 4) && g.irqAsserted(core: 19))
    }

    @Test func irouterRoutesSPIsAndGroupZeroSignalsFIQ() {
        let g = openGICv3()
        g.distributor.write(offset: 0x104, size: 4, value: 1, core: 0)       // enable INTID 32
        g.distributor.write(offset: 0x6000 + 32 * 8, size: 8, value: 2, core: 0) // to Aff0 = 2
        g.setSPI(32, level: true)
        #expect(g.irqAsserted(core: 2) && !g.irqAsserted(core: 0))
        g.distributor.write(offset: 0x084, size: 4, value: 0, core: 0)       // INTID 32 to Group 0
        #expect(!g.irqAsserted(core: 2) && !g.fiqAsserted(core: 2))          // group 0 not enabled on the interface
        iccw(g, GICv3.Register.igrpen0, 1, core: 2)
        #expect(g.fiqAsserted(core: 2) && !g.irqAsserted(core: 2))           // DS = 1: Group 0 is FIQ
        #expect(icc(g, GICv3.Register.iar1, core: 2) == 1023 && icc(g, GICv3.Register.iar0, core: 2) == 32)
    }

    @Test func redistributorFrameControlsPPIsAndPMRMasks() {
        let g = openGICv3()
        g.redistributors.write(offset: 0x2_0000 + 0x1_0100, size: 4, value: 1 << 27, core: 1)
        g.redistributors.write(offset: 0x2_0000 + 0x1_0400 + 27, size: 1, value: 0xA0, core: 1)
        g.setPPI(27, core: 1, level: true)
        iccw(g, GICv3.Register.pmr, 0xA0, core: 1)
        #expect(!g.irqAsserted(core: 1))
        #expect(g.redistributors.read(offset: 0x2_0000 + 0x1_0200, size: 4, core: 1) == 1 << 27) // pending all the same
        iccw(g, GICv3.Register.pmr, 0xF0, core: 1)
        #expect(g.irqAsserted(core: 1) && icc(g, GICv3.Register.hppir1, core: 1) == 27)
        #expect(icc(g, GICv3.Register.iar1, core: 1) == 27 && icc(g, GICv3.Register.rpr, core: 1) == 0xA0)
        iccw(g, GICv3.Register.ctlr, 2, core: 1)                              // EOImode 1
        g.setPPI(27, core: 1, level: false)
        iccw(g, GICv3.Register.eoir1, 27, core: 1)
        #expect(g.redistributors.read(offset: 0x2_0000 + 0x1_0300, size: 4, core: 1) == 1 << 27) // still active
        iccw(g, GICv3.Register.dir, 27, core: 1)
        #expect(g.redistributors.read(offset: 0x2_0000 + 0x1_0300, size: 4, core: 1) == 0)
    }
}
