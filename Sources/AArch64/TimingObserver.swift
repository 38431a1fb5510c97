import Microarch

/// What the run loop tells a timing model while it executes. The loop is specialised per
/// observer: with `NoTiming` (functional mode) `isActive` is false and every hook compiles away.
///
/// The loop reports blocks, not instructions: where it enters a page and where each
/// straight-line run ends. Hooks about one instruction take its index `i` in the page.
protocol TimingObserver {
    static var isActive: Bool { get }
    /// The loop runs from index `i` of the page at `base`, whose timing records are `records`.
    mutating func enter(records: UnsafePointer<TimingRecord>, base: UInt64, at i: Int)
    /// The running block ends with the instruction at index `i` (a branch, or where the loop leaves).
    mutating func end(at i: Int)
    /// The same, where the instruction at `i` is a branch: the block is not empty.
    mutating func endAtBranch(at i: Int)
    /// The loop is returning and control went on to `nextPC`: every recorded block issues.
    mutating func issue(nextPC: UInt64, registers: UnsafeMutablePointer<UInt64>)
    /// The instruction at `i` loads (`write` false) or stores at `address`.
    mutating func access(_ address: UInt64, write: Bool, at i: Int)
    /// The same, for a plain load or store: its timing class says which.
    mutating func accessByKind(_ address: UInt64, at i: Int)
    /// DC ZVA zeroes [address, address + size): the lines are allocated without being read.
    mutating func zeroBlock(_ address: UInt64, size: Int)
    /// DC CVAC/CIVAC... on the line holding `address`.
    mutating func maintain(_ address: UInt64, clean: Bool, invalidate: Bool)
    /// The slice's cycle budget is spent: the loop stops at the next block boundary.
    var stopPending: Bool { get }
    /// The divide at `i` just produced a quotient of this magnitude.
    mutating func divided(magnitude: UInt64, at i: Int)
    /// The core's cycle count, exact up to the instruction at `i`, which is running.
    mutating func settledCycles(at i: Int) -> UInt64
    /// Core cycles so far.
    var cycles: UInt64 { get }
}

/// Functional mode: one cycle per instruction, no model.
struct NoTiming: TimingObserver {
    static var isActive: Bool { false }
    @inline(__always) mutating func enter(records: UnsafePointer<TimingRecord>, base: UInt64, at i: Int) {}
    @inline(__always) mutating func end(at i: Int) {}
    @inline(__always) mutating func endAtBranch(at i: Int) {}
    @inline(__always) mutating func issue(nextPC: UInt64, registers: UnsafeMutablePointer<UInt64>) {}
    @inline(__always) mutating func access(_ address: UInt64, write: Bool, at i: Int) {}
    @inline(__always) mutating func accessByKind(_ address: UInt64, at i: Int) {}
    @inline(__always) mutating func zeroBlock(_ address: UInt64, size: Int) {}
    @inline(__always) mutating func maintain(_ address: UInt64, clean: Bool, invalidate: Bool) {}
    @inline(__always) var stopPending: Bool { false }
    @inline(__always) mutating func divided(magnitude: UInt64, at i: Int) {}
    @inline(__always) mutating func settledCycles(at i: Int) -> UInt64 { 0 }
    @inline(__always) var cycles: UInt64 { 0 }
}
