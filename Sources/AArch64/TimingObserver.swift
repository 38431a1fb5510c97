import Microarch

/// What the run loop tells a timing model while it executes. The loop is specialised per
/// observer: with `NoTiming` (functional mode) `isActive` is false and every hook compiles away.
protocol TimingObserver {
    static var isActive: Bool { get }
    /// The instruction with record `t` at `pc` is about to execute.
    mutating func fetch(_ t: TimingRecord, pc: UInt64)
    /// The loop is returning and control went on to `nextPC`: every recorded instruction issues.
    mutating func issue(nextPC: UInt64, registers: UnsafeMutablePointer<UInt64>)
    /// The instruction just fetched loads (`write` false) or stores at `address`.
    mutating func access(_ address: UInt64, write: Bool)
    /// The same, for a plain load or store: its timing class says which.
    mutating func accessByKind(_ address: UInt64)
    /// DC ZVA zeroes [address, address + size): the lines are allocated without being read.
    mutating func zeroBlock(_ address: UInt64, size: Int)
    /// DC CVAC/CIVAC... on the line holding `address`.
    mutating func maintain(_ address: UInt64, clean: Bool, invalidate: Bool)
    /// The slice's cycle budget is spent: the loop stops before the next instruction.
    var deadlineReached: Bool { get }
    /// The model wants to catch up before the next instruction is recorded.
    var batchFull: Bool { get }
    /// Catches up with every instruction but the last one recorded.
    mutating func replayBatch()
    /// The record just fetched was the loop's end-of-page sentinel: forget it.
    mutating func dropLastFetch()
    /// A divide just produced a quotient of this magnitude.
    mutating func divided(magnitude: UInt64)
    /// The core's cycle count, exact up to the instruction running now.
    mutating func settledCycles() -> UInt64
    /// Core cycles so far.
    var cycles: UInt64 { get }
}

/// Functional mode: one cycle per instruction, no model.
struct NoTiming: TimingObserver {
    static var isActive: Bool { false }
    @inline(__always) mutating func fetch(_ t: TimingRecord, pc: UInt64) {}
    @inline(__always) mutating func issue(nextPC: UInt64, registers: UnsafeMutablePointer<UInt64>) {}
    @inline(__always) mutating func access(_ address: UInt64, write: Bool) {}
    @inline(__always) mutating func accessByKind(_ address: UInt64) {}
    @inline(__always) mutating func zeroBlock(_ address: UInt64, size: Int) {}
    @inline(__always) mutating func maintain(_ address: UInt64, clean: Bool, invalidate: Bool) {}
    @inline(__always) var deadlineReached: Bool { false }
    @inline(__always) var batchFull: Bool { false }
    @inline(__always) mutating func replayBatch() {}
    @inline(__always) mutating func divided(magnitude: UInt64) {}
    @inline(__always) mutating func dropLastFetch() {}
    @inline(__always) mutating func settledCycles() -> UInt64 { 0 }
    @inline(__always) var cycles: UInt64 { 0 }
}
