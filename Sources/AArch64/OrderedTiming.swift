import Microarch

/// `ApproximateTiming` as the run loop sees it when the core's issue order is known: the loop
/// is specialised on this type, so a block close that fills the batch calls that order's
/// replay directly. Since closed blocks replay in batches out of the loop, that alone would
/// not be worth a type; but the loop built over `ApproximateTiming` itself, with the order
/// tested once per batch, measured 2 host instructions per guest instruction slower on every
/// guest (rpi4 cm_workload 107.2 against 105.3). Every hook but the block's end is the model's own.
struct OrderedTiming<O: IssueOrder>: TimingObserver {
    var timing: ApproximateTiming

    static var isActive: Bool { true }
    @inline(__always) mutating func enter(records: UnsafePointer<TimingRecord>, base: UInt64, at i: Int) {
        timing.enter(records: records, base: base, at: i)
    }
    @inline(__always) mutating func end(at i: Int) { timing.end(at: i, O.self) }
    @inline(__always) mutating func endAtBranch(at i: Int) { timing.endAtBranch(at: i, O.self) }
    @inline(__always) mutating func issue(nextPC: UInt64, registers: UnsafeMutablePointer<UInt64>) {
        timing.issue(nextPC: nextPC, registers: registers)
    }
    @inline(__always) mutating func access(_ address: UInt64, write: Bool, at i: Int) { timing.access(address, write: write, at: i) }
    @inline(__always) mutating func accessByKind(_ address: UInt64, at i: Int) { timing.accessByKind(address, at: i) }
    @inline(__always) mutating func zeroBlock(_ address: UInt64, size: Int) { timing.zeroBlock(address, size: size) }
    @inline(__always) mutating func maintain(_ address: UInt64, clean: Bool, invalidate: Bool) {
        timing.maintain(address, clean: clean, invalidate: invalidate)
    }
    @inline(__always) var stopPending: Bool { timing.stopPending }
    @inline(__always) mutating func divided(magnitude: UInt64, at i: Int) { timing.divided(magnitude: magnitude, at: i) }
    @inline(__always) mutating func settledCycles(at i: Int) -> UInt64 { timing.settledCycles(at: i) }
    @inline(__always) var cycles: UInt64 { timing.cycles }
}
