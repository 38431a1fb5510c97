import Board
import Foundation
import Guest
import Testing

/// The `timing:` section: the cache levels, DRAM and mispredict penalty the cycle-approximate
/// model takes from the board file (values from hardware-facts.md, cited in the files).
@Suite struct BoardTimingTests {
    @Test func raspberryPiAndIMXCarryTheirCoresFigures() throws {
        let rpi = try #require(try BoardDescription.load(path: "\(machinesDirectory)/rpi4.yaml").timing)
        #expect(rpi.mispredictPenalty == 15 && rpi.l1d.latency == 4 && rpi.l2.size == 1 << 20 && rpi.l2.latency == 21)
        #expect(rpi.l1i.size == 48 << 10 && rpi.l1i.ways == 3)
        let imx = try #require(try BoardDescription.load(path: "\(machinesDirectory)/imx8mm.yaml").timing)
        #expect(imx.mispredictPenalty == 8 && imx.l1d.latency == 3 && imx.l2.size == 512 << 10)
        // The model's DRAM latency is the file's nanoseconds at the core clock: 143 ns x 1.8 GHz = 257 cycles.
        let spec = try BoardDescription.load(path: "\(machinesDirectory)/imx8mm.yaml").machineSpec()
        #expect(spec.timingProfile.memory.dramLatency == 257 && spec.timingProfile.core.mispredictPenalty == 8)
        // A board without the section uses its core type's defaults.
        #expect(try BoardDescription.load(path: "\(machinesDirectory)/qemu-virt.yaml").timing == nil)
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

    @Test func theResolvedBoardShowsTheTimingSection() throws {
        let text = try BoardDescription.load(path: "\(machinesDirectory)/rpi4.yaml").render()
        #expect(text.contains("timing:") && text.contains("mispredict-penalty: 15") && text.contains("214 core cycles"))
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
