import ArgumentParser
import Foundation
import Testing
@testable import EvlsimCLI

func bareMetal(_ name: String) -> String { root.appendingPathComponent("guests/build/baremetal/\(name).elf").path }
func board(_ name: String) -> String { root.appendingPathComponent("machines/\(name).yaml").path }

/// Runs `evlsim boot ARGS` in process: its status, the first UART's text and the diagnostics.
func boot(_ args: [String]) throws -> (status: Int32, uart: String, diagnostics: [String]) {
    let command = try BootCommand.parse(args)
    var uart: [UInt8] = []
    var diagnostics: [String] = []
    let status = command.execute(uart: { uart += $0 }, diagnostics: { diagnostics.append($0) })
    return (status, String(decoding: uart, as: UTF8.self), diagnostics)
}

@Suite struct BootCommandTests {

    func temporary(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-boot-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func systemOffEndsTheRunWithStatusZero() throws {
        let r = try boot([board("qemu-virt"), "--image", bareMetal("exceptions")])
        #expect(r.status == 0 && r.uart.hasSuffix("DONE\n"))
    }

    @Test func uartOutputCanGoToAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-uart-\(getpid()).txt").path
        try BootCommand.parse([board("qemu-virt-gicv3"), "--image", bareMetal("smp_many"), "--uart-output", path]).run()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "smp_many: cores 4\ncounter 3000\nDONE\n")
    }

    @Test func smpOverridesTheBoardAndDurationStopsWith124() throws {
        let r = try boot(["qemu-virt-gicv3", "--smp", "8", "--image", bareMetal("smp_many")])
        #expect(r.status == 0 && r.uart.contains("cores 8\n"))
        let t = try boot([board("qemu-virt"), "--image", bareMetal("timer_gicv2"), "--duration", "2ms"])
        #expect(t.status == 124)
        #expect(t.diagnostics.contains { $0.contains("--duration") })
    }

    @Test func statsAreIdenticalAcrossRunsApartFromHostTime() throws {
        let dir = FileManager.default.temporaryDirectory
        var texts: [[String: Any]] = []
        for n in 0..<2 {
            let path = dir.appendingPathComponent("evlsim-boot-stats-\(getpid())-\(n).json").path
            let r = try boot([board("qemu-virt-gicv3"), "--image", bareMetal("smp_gicv3"), "--stats", path])
            #expect(r.status == 0)
            var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            #expect(json["host"] != nil)
            json["host"] = nil
            texts.append(json)
        }
        #expect(NSDictionary(dictionary: texts[0]).isEqual(to: texts[1]))
        let cores = try #require(texts[0]["cores"] as? [[String: Any]])
        #expect(cores.count == 4 && (texts[0]["exit"] as? String) == "system-off")
    }

    @Test func approximateTimingAddsPerCoreCacheAndBranchFigures() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-boot-timing-\(getpid()).json").path
        let r = try boot([board("qemu-virt-gicv3"), "--image", bareMetal("smp_many"), "--timing", "approximate", "--stats", path])
        #expect(r.status == 0 && r.uart.contains("counter 3000"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let cores = try #require(json["cores"] as? [[String: Any]])
        let timing = try #require(cores[1]["timing"] as? [String: Any])
        let caches = try #require(timing["caches"] as? [[String: Any]])
        #expect(caches.map { $0["name"] as? String } == ["l1i", "l1d", "l2"])
        #expect((timing["ipc"] as? Double ?? 0) > 0)
    }

    @Test func aBadBoardFileNamesTheFileLineAndField() throws {
        let text = try String(contentsOfFile: board("qemu-virt"), encoding: .utf8)
            .replacingOccurrences(of: "name: qemu-virt", with: "name: broken")
            .replacingOccurrences(of: "irq: 33", with: "irq: 20")
        let path = try temporary("broken.yaml", text)
        let r = try boot([path, "--image", bareMetal("exceptions")])
        #expect(r.status == 2)
        let message = try #require(r.diagnostics.first)
        #expect(message.contains("broken.yaml:") && message.contains("uarts[0].irq") && message.contains("20"))
    }

    @Test func badImagesAndArgumentsAreClearErrors() throws {
        #expect(try boot([board("qemu-virt"), "--image", "/nonexistent.elf"]).status == 2)
        #expect(try boot([board("qemu-virt"), "--image", "/bin/true"]).diagnostics.first?.contains("AArch64") == true)
        let unknown = try boot(["no-such-board", "--image", bareMetal("exceptions")])
        #expect(unknown.status == 2 && unknown.diagnostics.first?.contains("qemu-virt") == true) // lists what exists
        #expect(try boot([board("qemu-virt"), "--image", bareMetal("exceptions"), "--duration", "soon"]).status == 2)
        #expect(try boot([board("qemu-virt"), "--image", bareMetal("exceptions"), "--smp", "9"]).status == 2) // GICv2: 8 cores
        // A raw image outside RAM cannot load.
        let raw = try temporary("raw.bin", "abcd")
        #expect(try boot([board("qemu-virt"), "--image", raw, "--load-address", "0x1000"]).status == 2)
    }

    @Test func anImageWithoutVectorsIsReportedWithPCAndDisassembly() throws {
        // A raw image whose first word is UDF #0 and that never sets VBAR_EL1: the exception goes to
        // address 0x200, where nothing is mapped, and the core loops on instruction aborts.
        var word: UInt32 = 0
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-udf-\(getpid()).bin").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes: &word, count: 4))
        let r = try boot([board("qemu-virt"), "--image", path, "--load-address", "0x40080000"])
        #expect(r.status == 1)
        let report = try #require(r.diagnostics.first { $0.contains("stuck taking exceptions") })
        #expect(report.contains("ESR_EL1"))
    }
}

@Suite struct MachinesCommandTests {
    @Test func listsEveryShippedBoardWithADescription() {
        let text = MachinesCommand.listing()
        for name in ["qemu-virt", "qemu-virt-gicv3", "rpi4", "imx8mm"] {
            #expect(text.split(separator: "\n").contains { $0.hasPrefix(name + " ") })
        }
    }
}
