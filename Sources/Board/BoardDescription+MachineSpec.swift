import SimCore

extension BoardDescription {
    /// The machine this board file describes, in the form the builder takes.
    public func machineSpec() -> MachineSpec {
        let controller: MachineSpec.InterruptController
        switch interruptController.type {
        case .gicv2: controller = .gicv2(distributor: interruptController.distributor, cpuInterface: interruptController.cpuInterface ?? 0)
        case .gicv3: controller = .gicv3(distributor: interruptController.distributor, redistributors: interruptController.redistributors ?? 0)
        }
        var spec = MachineSpec(
            coreModel: cpu.model == .cortexA72 ? .cortexA72 : .cortexA53, coreCount: cpu.count, coreHz: cpu.frequencyHz,
            midr: cpu.midr, clusterSize: cpu.clusterSize, quantum: quantum,
            ram: memory.map { ($0.base, $0.size) }, interruptController: controller,
            spiCount: interruptController.spis, priorityBits: interruptController.priorityBits,
            timerHz: timer.frequencyHz, timerPPIs: timer.ppis,
            uarts: uarts.map { MachineSpec.UART(name: $0.name, base: $0.base, intid: $0.irq, model: $0.type == .pl011 ? .pl011 : .imx) },
            psci: psci.conduit == .hvc ? .hvc : .smc)
        spec.boardTiming = timing
        return spec
    }
}
