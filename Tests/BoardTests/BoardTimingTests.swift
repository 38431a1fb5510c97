import Board
import Foundation
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
        // The model's DRAM latency is the file's nanoseconds at the core clock: 156 ns x 1.8 GHz = 281 cycles.
        let spec = try BoardDescription.load(path: "\(machinesDirectory)/imx8mm.yaml").machineSpec()
        #expect(spec.timingProfile.memory.dramLatency == 281 && spec.timingProfile.core.mispredictPenalty == 8)
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
        #expect(text.contains("timing:") && text.contains("mispredict-penalty: 15") && text.contains("243 core cycles"))
    }
}
