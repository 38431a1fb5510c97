import Linux
import Testing
@testable import Debugger

/// The debugger's bookkeeping on its own: the checkpoint history and the output that
/// re-execution must not repeat.
@Suite struct DebuggerPartsTests {
    @Test func historyKeepsTheStartAndDenseRecentCheckpoints() {
        var h = ExecutionHistory<Int>(interval: 100, capacity: 8)
        var position: UInt64 = 0
        while position <= 10_000 {
            if h.due(at: position) { h.record(position, Int(position)) }
            position += 10
        }
        let kept = h.checkpoints.map(\.position)
        #expect(kept.count <= 8)
        #expect(kept.first == 0) // the start of the history is never thinned away
        #expect(kept == kept.sorted())
        #expect(kept.last == 10_000) // the newest is always there...
        #expect(kept[kept.count - 2] == 9_900) // ...with its neighbour one interval back
        #expect(h.latest(atOrBefore: 9_950)?.position == 9_900)
        #expect(h.latest(before: 9_900)?.position == kept[kept.count - 3])
        #expect(h.latest(atOrBefore: 0)?.state == 0)
    }

    @Test func recordingBelowTheNewestForgetsWhatLiesAhead() {
        var h = ExecutionHistory<Int>(interval: 10)
        for p: UInt64 in [0, 10, 20, 30] { h.record(p, Int(p)) }
        h.record(15, 99) // a changed timeline from 15 on
        #expect(h.checkpoints.map(\.position) == [0, 10, 15])
    }

    @Test func aChangedTimelineForgetsItsFuture() {
        // gdb wrote a register at 15: the checkpoints at 20 and 30 describe a run that will
        // not happen any more, even when no new checkpoint can be taken at 15 itself.
        var h = ExecutionHistory<Int>(interval: 10)
        for p: UInt64 in [0, 10, 20, 30] { h.record(p, Int(p)) }
        h.forget(from: 15)
        #expect(h.checkpoints.map(\.position) == [0, 10])
        #expect(h.latest(atOrBefore: 25)?.position == 10)
    }

    @Test func reExecutedOutputIsNotRepeated() {
        let host = CapturedHostIO(stdin: Array("abcdef".utf8))
        let io = ReplayHostIO(host)
        let start = io.mark
        func write(_ s: String) { Array(s.utf8).withUnsafeBytes { io.write(stream: 1, $0) } }
        func read(_ n: Int) -> String {
            var b = [UInt8](repeating: 0, count: n)
            let got = b.withUnsafeMutableBytes { io.readStdin(into: $0) }
            return String(decoding: b[0..<got], as: UTF8.self)
        }
        write("hello ")
        #expect(read(3) == "abc")
        write("world\n")
        io.rewind(to: start) // back in time: the same program does the same again...
        write("hello ")
        #expect(read(3) == "abc") // ...reading the same bytes from the log, not the host
        write("wor")
        write("ld\nmore\n") // only what is new goes out
        #expect(host.stdoutText == "hello world\nmore\n")
        #expect(read(3) == "def") // past the log: the host again
    }
}
