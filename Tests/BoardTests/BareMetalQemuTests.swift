import AArch64
import Board
import Foundation
import Guest
import SimCore
import Testing

/// The bare-metal images of guests/baremetal, listed in images.txt with their GIC version and core count.
struct BareMetalCase: CustomStringConvertible, Sendable {
    var name: String
    var gic: Int
    var smp: Int
    var description: String { "\(name) (GICv\(gic), \(smp) cores)" }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var elf: String { Self.root.appendingPathComponent("guests/build/baremetal/\(name).elf").path }

    static var all: [BareMetalCase] {
        let list = (try? String(contentsOf: root.appendingPathComponent("guests/baremetal/images.txt"), encoding: .utf8)) ?? ""
        return list.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard let name = fields.first, !name.hasPrefix("#") else { return nil }
            var c = BareMetalCase(name: String(name), gic: 2, smp: 1)
            for f in fields.dropFirst() {
                let kv = f.split(separator: "=")
                if kv.count == 2, kv[0] == "gic" { c.gic = Int(kv[1]) ?? 2 }
                if kv.count == 2, kv[0] == "smp" { c.smp = Int(kv[1]) ?? 1 }
            }
            return c
        }
    }

    /// Boots the image on evlsim's qemu-virt board; returns the UART text, how the run ended and the machine.
    func runOnEvlsim(limit: SimTime = .microseconds(10_000_000), approximate: Bool = false) throws -> (String, MachineExit, Machine) {
        var out: [UInt8] = []
        // The shipped board files, not a spec written for the test.
        // Through the catalog, which resolves `timing: { same-as: rpi4 }`.
        let catalog = BoardCatalog(searchPath: [Self.root.appendingPathComponent("machines").path])
        var spec = try catalog.load(gic == 3 ? "qemu-virt-gicv3" : "qemu-virt").withCores(smp).machineSpec()
        spec.approximateTiming = approximate
        let machine = try Machine(spec: spec, uartOutput: { _, b in out.append(b) })
        try BareMetalImage(path: elf).load(into: machine)
        let exit = machine.run(for: limit)
        return (String(decoding: out, as: UTF8.self), exit, machine)
    }

    /// Boots the same ELF under qemu-system-aarch64 -M virt with the matching GIC, CPU and core count.
    func runOnQemu() throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["60", "qemu-system-aarch64", "-M", "virt,gic-version=\(gic)", "-cpu", "cortex-a72", "-smp", "\(smp)",
                       "-m", "1G", "-display", "none", "-monitor", "none", "-serial", "stdio", "-kernel", elf]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite struct BareMetalQemuTests {
    /// External truth: QEMU's virt machine runs the same ELF; the UART text must match byte for byte.
    @Test(arguments: BareMetalCase.all)
    func sameUARTOutputAsQemuSystem(_ c: BareMetalCase) throws {
        #expect(FileManager.default.fileExists(atPath: c.elf), "build the images first: make -C guests")
        let (ours, exit, _) = try c.runOnEvlsim()
        let qemu = try c.runOnQemu()
        #expect(qemu.contains("DONE"), "qemu-system-aarch64 did not finish \(c.name)")
        #expect(exit == .systemOff)
        #expect(ours == qemu)
        if ours != qemu {
            let a = ours.split(separator: "\n", omittingEmptySubsequences: false)
            let b = qemu.split(separator: "\n", omittingEmptySubsequences: false)
            if let i = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("first difference at line \(i + 1): evlsim '\(a[i])' vs qemu '\(b[i])'")
            } else {
                Issue.record("evlsim printed \(a.count) lines, qemu \(b.count)")
            }
        }
    }

    /// SMP up to 64 cores: PSCI brings up every core, each adds to a shared counter with LDXR/STXR.
    /// The totals must be exact, and QEMU (same core count, GICv3) must print the same.
    @Test(arguments: [1, 4, 16, 64])
    func everyCoreBootsAndExclusivesStayCorrect(_ cores: Int) throws {
        let c = BareMetalCase(name: "smp_many", gic: 3, smp: cores)
        let (ours, exit, machine) = try c.runOnEvlsim()
        #expect(exit == .systemOff)
        #expect(ours == "smp_many: cores \(cores)\ncounter \((cores - 1) * 1000)\nDONE\n")
        #expect(machine.states.dropFirst().allSatisfy { $0 == .off })
        #expect(try c.runOnQemu() == ours)
    }

    /// The timing model changes when things happen, never what the guest computes: every image
    /// prints the same under `--timing approximate` (Cortex-A72 model, caches, predictor).
    @Test(arguments: BareMetalCase.all)
    func sameOutputWithTheTimingModel(_ c: BareMetalCase) throws {
        let (functional, _, _) = try c.runOnEvlsim()
        let (approximate, exit, machine) = try c.runOnEvlsim(approximate: true)
        #expect(exit == .systemOff && approximate == functional)
        #expect(machine.cores[0].timing != nil)
    }

    /// Same image and board twice: the same UART bytes, the same simulated time and the same counters.
    @Test func repeatedRunsAreIdentical() throws {
        let c = try #require(BareMetalCase.all.first { $0.smp == 4 && $0.gic == 3 })
        let (a, exitA, ma) = try c.runOnEvlsim()
        let (b, exitB, mb) = try c.runOnEvlsim()
        #expect(a == b && exitA == exitB)
        #expect(ma.now == mb.now)
        #expect(ma.collectStatistics() == mb.collectStatistics())
        #expect(ma.eventsFired == mb.eventsFired)
    }
}
