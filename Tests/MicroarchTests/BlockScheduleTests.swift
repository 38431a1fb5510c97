@testable import Microarch
import Testing

@Suite struct BlockScheduleTests {
    /// One dispatch a cycle, out of order; class 0 is a one-cycle ALU op, class 1 a
    /// four-cycle one on a pipe of its own. Small enough to issue by hand.
    func model() -> CoreTimingModel {
        CoreTimingModel(.init(width: 1, inOrder: false, window: 16, mispredictPenalty: 5, latency: [1, 4], pipe: [0, 1],
                              occupancy: [1, 1], pipeGroups: [1, 1]))
    }

    /// By hand: the four-cycle op dispatches at 0 and completes at 4; the ALU op after it
    /// completes at 2 but retires behind it, at 4; the third reads the first's result, issues
    /// at 4 and completes at 5, the block's latest completion. So the first two retire one
    /// cycle before the block's end and the third with it.
    @Test func outOfOrderSchedulesKeepEachInstructionsRetirement() {
        let m = model()
        let records = [TimingRecord(kind: 1, destinations: [1]), TimingRecord(kind: 0, destinations: [2]),
                       TimingRecord(kind: 0, sources: [1], destinations: [3])]
        let p = records.withUnsafeBufferPointer { m.schedule($0.baseAddress!, count: 3, blocks: [.init(offset: 0, count: 3)]) }
        defer { BlockSchedule.free(p) }
        let s = BlockSchedule(p)
        #expect(s.header.pointee.retire == 5)
        #expect((0..<3).map { s.retirements.load(fromByteOffset: 8 * $0, as: UInt64.self) } == [1, 1, 0])
    }
}
