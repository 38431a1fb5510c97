import Board
import Foundation
import Guest
import Testing

/// The `timing:` section: every figure the cycle-approximate model uses (the core's pipes and
/// per-class latencies, predictor, TLBs, caches, DRAM), cited in the files from hardware-facts.md.
@Suite struct BoardTimingTests {
    @Test func raspberryPiAndIMXCarryTheirCoresFigures() throws {
        let rpi = try #require(try BoardDescription.load(path: "\(machinesDirectory)/rpi4.yaml").timing)
        #expect(rpi.mispredictPenalty == 15 && rpi.l1d.latency == 4 && rpi.l2.size == 1 << 20 && rpi.l2.latency == 21)
        #expect(rpi.l1i.size == 48 << 10 && rpi.l1i.ways == 3)
        // A72 SOG: 3-wide, out of order, two integer pipes; MUL X L5 T1/3 on M.
        #expect(rpi.core.outOfOrder && rpi.core.width == 3 && rpi.core.pipes.first == .init(name: "i", count: 2))
        #expect(rpi.core.classes["multiply64"] == .init(latency: 5, pipe: "m", occupancy: 3))
        #expect(rpi.tlb.l1dEntries == 32 && rpi.tlb.l2Entries == 1024) // A72 TRM
        let imx = try #require(try BoardDescription.load(path: "\(machinesDirectory)/imx8mm.yaml").timing)
        #expect(imx.mispredictPenalty == 8 && imx.l1d.latency == 3 && imx.l2.size == 512 << 10)
        #expect(!imx.core.outOfOrder && imx.core.width == 2 && imx.tlb.l1dEntries == 10) // A53 TRM: dual issue, 10-entry micro TLB
        // The model's DRAM latency is the file's nanoseconds at the core clock: 143 ns x 1.8 GHz = 257.4 -> 257 cycles.
        let spec = try BoardDescription.load(path: "\(machinesDirectory)/imx8mm.yaml").machineSpec()
        let profile = try #require(spec.timingProfile)
        #expect(profile.memory.dramLatency == 257 && profile.core.mispredictPenalty == 8 && profile.core.inOrder)
    }

    @Test func qemuVirtBorrowsTheRaspberryPisFiguresThroughTheCatalog() throws {
        let catalog = BoardCatalog(searchPath: [machinesDirectory])
        let virt = try catalog.load("qemu-virt")
        #expect(virt.timingSameAs == "rpi4")
        #expect(virt.timing == (try catalog.load("rpi4")).timing)
        // Read alone, the file only names the other board.
        #expect(try BoardDescription.load(path: "\(machinesDirectory)/qemu-virt.yaml").timing == nil)
    }

    @Test func borrowingFromABoardWithAnotherCoreIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-sameas-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["imx8mm", "rpi4"] {
            try FileManager.default.copyItem(atPath: "\(machinesDirectory)/\(name).yaml", toPath: "\(dir)/\(name).yaml")
        }
        let virt = try String(contentsOfFile: "\(machinesDirectory)/qemu-virt.yaml", encoding: .utf8)
            .replacingOccurrences(of: "same-as: rpi4", with: "same-as: imx8mm")
        try virt.write(toFile: "\(dir)/qemu-virt.yaml", atomically: true, encoding: .utf8)
        #expect {
            try BoardCatalog(searchPath: [dir]).load("qemu-virt")
        } throws: { error in
            let message = "\(error)"
            return message.contains("qemu-virt.yaml:") && message.contains("timing.same-as") && message.contains("cortex-a53")
        }
    }

    /// Each kind of mistake in the core section names its line and what was expected.
    @Test func badCoreFiguresNameTheirField() throws {
        let text = try String(contentsOfFile: "\(machinesDirectory)/rpi4.yaml", encoding: .utf8)
        let cases: [(String, String, String)] = [
            ("      divide64:           { latency: 4, pipe: m, occupancy: 4 }", "", "divide64"),          // a class left out
            ("pipe: m, occupancy: 3 }", "pipe: q, occupancy: 3 }", "pipe groups"),                        // an unknown pipe
            ("      load:               { latency: 4, pipe: l }", "      load:               { latency: 5, pipe: l }", "L1D hit latency"),
            ("pipes: { i: 2,", "pipes: { i: 4,", "pipe count"),                                           // more pipes than the model has
            ("issue: out-of-order", "issue: superscalar", "in-order, out-of-order"),
            ("      alu:                { latency: 1, pipe: i }", "      alu:                { latency: 1, pipe: i }\n      vector-fma: { latency: 4, pipe: f }", "unknown key"),
        ]
        for (from, to, expected) in cases {
            #expect(text.contains(from), "the case must change something: \(from)")
            #expect {
                try BoardDescription.parse(text.replacingOccurrences(of: from, with: to), file: "rpi4.yaml")
            } throws: { error in
                let message = "\(error)"
                return message.hasPrefix("rpi4.yaml:") && message.contains(expected)
            }
        }
    }

    @Test func aCacheThatCannotBeBuiltIsAnErrorWithItsLine() throws {
        let text = try String(contentsOfFile: "\(machinesDirectory)/rpi4.yaml", encoding: .utf8)
            .replacingOccurrences(of: "l1d: { size: 32KiB, ways: 2,", with: "l1d: { size: 32KiB, ways: 3,")
        #expect {
            try BoardDescription.parse(text, file: "rpi4.yaml")
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("rpi4.yaml:") && message.contains("timing.l1d") && message.contains("3 ways")
        }
    }

    @Test func theResolvedBoardShowsTheTimingSectionAndReadsBack() throws {
        let board = try BoardDescription.load(path: "\(machinesDirectory)/rpi4.yaml")
        let text = board.render()
        #expect(text.contains("timing:") && text.contains("mispredict-penalty: 15") && text.contains("215 core cycles"))
        #expect(try BoardDescription.parse(text, file: "rpi4.yaml").timing == board.timing)
    }
}

/// Bad input never crashes: a thousand seeded corruptions of a real board file (characters
/// dropped, duplicated or replaced) each either parse or give one `BoardFileError` naming the file.
@Suite struct BoardFileCorruptionTests {
    @Test func corruptedBoardFilesGiveAnErrorOrABoard() throws {
        let original = Array(try String(contentsOfFile: "\(machinesDirectory)/imx8mm.yaml", encoding: .utf8).utf8)
        var state: UInt64 = 0x5EED
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let alphabet = Array("{}[]:,-#'\"0x1GKiB \n\tabcz".utf8)
        for _ in 0..<1000 {
            var bytes = original
            for _ in 0..<(1 + next() % 4) {
                let i = next() % bytes.count
                switch next() % 3 {
                case 0: bytes.remove(at: i)
                case 1: bytes.insert(bytes[i], at: i)
                default: bytes[i] = alphabet[next() % alphabet.count]
                }
            }
            do {
                _ = try BoardDescription.parse(String(decoding: bytes, as: UTF8.self), file: "imx8mm.yaml")
            } catch let error as BoardFileError {
                #expect("\(error)".hasPrefix("imx8mm.yaml"))
            }
        }
    }
}

/// A corrupted bare-metal ELF gives one clear error (or loads, if the damage missed what matters)
/// and never crashes the loader; what loads, boots into a machine without trapping evlsim.
@Suite struct BareMetalImageCorruptionTests {
    @Test func corruptedImagesLoadOrFailCleanly() throws {
        let path = "\(machinesDirectory)/../guests/build/baremetal/exceptions.elf"
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var state: UInt64 = 0xE1F
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-corrupt-\(getpid()).elf").path
        for round in 0..<200 {
            var bytes = original
            // Early rounds hit the headers (where libelf and the loader look), later ones anywhere.
            let span = round < 100 ? min(256, bytes.count) : bytes.count
            for _ in 0..<(1 + next() % 3) { bytes[next() % span] = UInt8(truncatingIfNeeded: next()) }
            if round % 50 == 49 { bytes = Array(bytes.prefix(next() % bytes.count)) } // truncation
            FileManager.default.createFile(atPath: out, contents: Data(bytes))
            do {
                let image = try BareMetalImage(path: out)
                let spec = try BoardDescription.load(path: "\(machinesDirectory)/qemu-virt.yaml").withCores(1).machineSpec()
                let machine = try Machine(spec: spec, uartOutput: { _, _ in })
                do { try image.load(into: machine) } catch is Machine.LoadError { continue }
                _ = machine.run(for: .microseconds(200)) // any exit is fine; trapping evlsim is not
            } catch is ELFLoadError {
                continue
            }
        }
    }
}
