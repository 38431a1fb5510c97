@testable import AArch64
@testable import Board
import Devices
import Foundation
import Guest
import Memory
import SimCore
import Testing

/// An interrupt controller with no interrupts, for running images that take none.
final class NullGIC: InterruptSink, InterruptSignals {
    func setSPI(_ intid: Int, level: Bool) {}
    func setPPI(_ intid: Int, core: Int, level: Bool) {}
    func irqAsserted(core: Int) -> Bool { false }
    func fiqAsserted(core: Int) -> Bool { false }
    var signalsChanged: ((Int) -> Void)?
}

@Suite struct ScratchNullGICTests {
    @Test(arguments: ["exceptions", "mmu"]) func image(_ name: String) throws {
        let path = ProcessInfo.processInfo.environment["BM"]! + "/\(name).elf"
        let spec = MachineSpec.qemuVirt(gicVersion: 2, cores: 1)
        let bus = PhysicalBus()
        for r in spec.ram { try bus.addRAM(PhysicalMemory(size: Int(r.size), ramBase: r.base)) }
        var out: [UInt8] = []
        let uart = PL011(name: "uart0", interrupts: nil, intid: 33, output: { out.append($0) })
        try bus.devices.add(uart, base: 0x0900_0000, size: 0x1000)
        let identity = AArch64CoreIdentity.cortexA72(mpidr: 1 << 31, gicSystemRegisters: false)
        let mmu = AArch64MMU(bus: bus, core: 0, resetSCTLR: identity.resetSCTLR)
        var info = AArch64CoreInfo(); info.counterHz = 62_500_000
        let cpu = AArch64CPU(port: mmu, info: info, listen: false)
        cpu.enterSystemMode(identity: identity, mmu: mmu)
        let m = Machine(cores: [cpu], bus: bus, interrupts: NullGIC(), quantum: .microseconds(1), psciConduit: .hvc, scheduler: MachineScheduler())
        try BareMetalImage(path: path).load(into: m)
        let exit = m.run(for: .microseconds(2_000_000))
        let text = String(decoding: out, as: UTF8.self)
        try text.write(toFile: "/tmp/\(name).evlsim.txt", atomically: true, encoding: .utf8)
        print("EXIT \(exit) pc \(String(cpu.pc, radix: 16))")
    }
}
