import AArch64
import Devices
import Memory
import Microarch
import SimCore

extension Machine {
    /// Builds the machine a spec describes: RAM, the GIC, the generic timer, the UARTs and the cores.
    /// `uartOutput` receives each byte a UART transmits, with the UART's index in `spec.uarts`.
    public convenience init(spec: MachineSpec, uartOutput: @escaping (Int, UInt8) -> Void) throws {
        let bus = PhysicalBus()
        for r in spec.ram { try bus.addRAM(PhysicalMemory(size: Int(r.size), ramBase: r.base)) }
        let scheduler = MachineScheduler()
        let controller: InterruptSink & InterruptSignals
        let controllerState: Snapshotting
        var registerDevices: [SystemRegisterDevice] = []
        switch spec.interruptController {
        case .gicv2(let distributor, let cpuInterface):
            let gic = GICv2(cores: spec.coreCount, spis: spec.spiCount, priorityBits: spec.priorityBits)
            try bus.devices.add(gic.distributor, base: distributor, size: 0x1000)
            try bus.devices.add(gic.cpuInterface, base: cpuInterface, size: 0x2000)
            controller = gic
            controllerState = gic
        case .gicv3(let distributor, let redistributors):
            let gic = GICv3(cores: spec.coreCount, spis: spec.spiCount, priorityBits: spec.priorityBits,
                            affinities: (0..<spec.coreCount).map { spec.affinity(core: $0) })
            try bus.devices.add(gic.distributor, base: distributor, size: 0x1_0000)
            try bus.devices.add(gic.redistributors, base: redistributors, size: 0x2_0000 * UInt64(spec.coreCount))
            registerDevices.append(gic)
            controller = gic
            controllerState = gic
        }
        let timer = GenericTimer(cores: spec.coreCount, counterHz: spec.timerHz, scheduler: scheduler,
                                 interrupts: controller, ppis: spec.timerPPIs)
        registerDevices.append(timer)
        var uarts: [UARTDevice] = []
        for (index, u) in spec.uarts.enumerated() {
            let uart: UARTDevice
            switch u.model {
            case .pl011: uart = PL011(name: u.name, interrupts: controller, intid: u.intid, output: { uartOutput(index, $0) })
            case .imx: uart = IMXUART(name: u.name, interrupts: controller, intid: u.intid, output: { uartOutput(index, $0) })
            }
            try bus.devices.add(uart, base: u.base, size: 0x1000)
            uarts.append(uart)
        }

        // One hierarchy for the board: private L1s, the L2 the cores share.
        var profile: ApproximateTiming.CoreProfile?
        if spec.approximateTiming {
            guard let p = spec.timingProfile else { throw MachineSpec.NoTimingFigures() }
            profile = p
        }
        let hierarchy = profile.map { MemoryHierarchy(cores: spec.coreCount, $0.memory) }
        var cores: [AArch64CPU] = []
        for i in 0..<spec.coreCount {
            let isV3: Bool
            if case .gicv3 = spec.interruptController { isV3 = true } else { isV3 = false }
            var identity = spec.coreModel == .cortexA72
                ? AArch64CoreIdentity.cortexA72(mpidr: spec.mpidr(core: i), gicSystemRegisters: isV3)
                : AArch64CoreIdentity.cortexA53(mpidr: spec.mpidr(core: i), gicSystemRegisters: isV3)
            if let midr = spec.midr { identity.midr = midr }
            var info = AArch64CoreInfo()
            info.clock = ClockDomain(hertz: spec.coreHz)
            info.counterHz = spec.timerHz
            if spec.coreModel == .cortexA53 { info.ctr = 0x8444_8004 } // A53 TRM: VIPT I-cache, 64-byte lines
            let mmu = AArch64MMU(bus: bus, core: i, resetSCTLR: identity.resetSCTLR, physicalAddressBits: identity.physicalAddressBits)
            let cpu = AArch64CPU(port: mmu, info: info, listen: false)
            cpu.enterSystemMode(identity: identity, mmu: mmu)
            if let hierarchy, let profile { cpu.timing = ApproximateTiming(profile: profile, memory: hierarchy, core: i) }
            let devices = registerDevices
            cpu.system!.readDeviceRegister = { [unowned cpu] encoding in
                for d in devices { if let v = d.readSystemRegister(encoding, core: i, now: cpu.now) { return v } }
                return nil
            }
            cpu.system!.writeDeviceRegister = { [unowned cpu] encoding, value in
                for d in devices where d.writeSystemRegister(encoding, core: i, value: value, now: cpu.now) { return true }
                return false
            }
            cores.append(cpu)
        }
        self.init(cores: cores, bus: bus, interrupts: controller, quantum: spec.quantum, psciConduit: spec.psci, scheduler: scheduler)
        deliver = { event, time in timer.fire(event, now: time) }
        self.uarts = uarts
        snapshotDevices = [controllerState, timer] + uarts.map { $0 as Snapshotting }
    }

    /// Queues bytes for UART `index`'s receiver; they enter its FIFO as it drains.
    public func feedUART(_ index: Int, _ bytes: [UInt8]) {
        pendingInput[index, default: []].append(contentsOf: bytes)
    }
}

/// A UART as the machine sees it: a device window whose receiver takes host bytes.
protocol UARTDevice: MMIODevice, Snapshotting {
    /// Delivers bytes to the receiver; returns how many fit.
    func receive(_ bytes: [UInt8]) -> Int
}

extension PL011: UARTDevice {}
extension IMXUART: UARTDevice {}
