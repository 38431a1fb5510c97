import AArch64
import Board
import Foundation
import Testing

/// Every shipped board builds a machine that boots: a few hand-encoded instructions
/// (ARM ARM C6.2 encodings) write "ok" to the board's console UART and power off
/// through the board's PSCI conduit.
@Suite struct BoardBootTests {
    static let machines = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("machines")

    static var boards: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: machines.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test(arguments: boards)
    func bootsAndTalksThroughItsUART(_ name: String) throws {
        let description = try BoardDescription.load(path: Self.machines.appendingPathComponent("\(name).yaml").path)
        #expect(description.name == name)
        let spec = description.machineSpec()
        let uart = try #require(spec.uarts.first)
        // PL011 transmits through DR at 0x00; the i.MX UART through UTXD at 0x40 (i.MX 8M Mini RM, 16.2.14).
        let txOffset: UInt32 = uart.model == .pl011 ? 0 : 0x40
        var code = loadImmediate(1, uart.base, halfwords: 3)
        for ch in "ok\n".utf8 {
            code += [0x5280_0002 | UInt32(ch) << 5,             // movz w2, #ch
                     0xB900_0022 | (txOffset / 4) << 10]         // str w2, [x1, #txOffset]
        }
        code += loadImmediate(0, 0x8400_0008, halfwords: 3)                             // PSCI SYSTEM_OFF
        code.append(spec.psci == .hvc ? 0xD400_0002 : 0xD400_0003) // hvc #0 / smc #0
        var out: [UInt8] = []
        let machine = try Machine(spec: spec, uartOutput: { _, b in out.append(b) })
        let base = try #require(spec.ram.first).base + 0x8_0000
        try machine.load(littleEndianBytes(code), at: base)
        machine.reset(entry: base)
        #expect(machine.run(for: .microseconds(1000)) == .systemOff)
        #expect(String(decoding: out, as: UTF8.self) == "ok\n")
        #expect(machine.cores.count == description.cpu.count)
        #expect(machine.cores[0].system?.identity.midr == description.cpu.midr)
    }
}
