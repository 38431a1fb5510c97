import Microarch

/// What the run loop tells a timing model while it executes. The loop is specialised per
/// observer: with `NoTiming` (functional mode) `isActive` is false and every hook compiles away.
protocol TimingObserver {
    static var isActive: Bool { get }
    /// Instruction `r` at `pc` is about to execute; `registers` are the X slots before it runs.
    mutating func willExecute(_ r: DecodedInstruction, _ t: TimingRecord, pc: UInt64, registers: UnsafeMutablePointer<UInt64>)
    /// The instruction just announced loads (`write` false) or stores at `address`.
    mutating func access(_ address: UInt64, write: Bool)
    /// DC ZVA zeroes [address, address + size): the lines are allocated without being read.
    mutating func zeroBlock(_ address: UInt64, size: Int)
    /// DC CVAC/CIVAC... on the line holding `address`.
    mutating func maintain(_ address: UInt64, clean: Bool, invalidate: Bool)
    /// The slice's cycle budget is spent: the loop stops before the next instruction.
    var deadlineReached: Bool { get }
    /// Core cycles so far.
    var cycles: UInt64 { get }
}

/// Functional mode: one cycle per instruction, no model.
struct NoTiming: TimingObserver {
    static var isActive: Bool { false }
    @inline(__always) mutating func willExecute(_ r: DecodedInstruction, _ t: TimingRecord, pc: UInt64, registers: UnsafeMutablePointer<UInt64>) {}
    @inline(__always) mutating func access(_ address: UInt64, write: Bool) {}
    @inline(__always) mutating func zeroBlock(_ address: UInt64, size: Int) {}
    @inline(__always) mutating func maintain(_ address: UInt64, clean: Bool, invalidate: Bool) {}
    @inline(__always) var deadlineReached: Bool { false }
    @inline(__always) var cycles: UInt64 { 0 }
}
