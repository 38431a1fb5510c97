/// What the run loop records about one executed instruction for the core model, which replays
/// the records in batches: its timing record, its address, the extra latency its memory
/// access or divide showed when it ran, and the front-end stall its fetch caused.
public struct TraceEntry: Sendable {
    public var record: TimingRecord
    public var pc: UInt64
    /// Cycles beyond the class latency (an L1 miss, a TLB walk, a long divide).
    public var extra: UInt32
    /// Cycles the front end lost fetching it (an L1I or instruction-TLB miss).
    public var stall: UInt16
    /// `dramLoad`: its load missed every cache; the model asks DRAM when the load issues, so
    /// the channel sees the request at the cycle it really leaves the core.
    public var flags: UInt16

    public static let dramLoad: UInt16 = 1

    @inlinable public init(record: TimingRecord, pc: UInt64, extra: UInt32 = 0, stall: UInt16 = 0, flags: UInt16 = 0) {
        self.record = record; self.pc = pc; self.extra = extra; self.stall = stall; self.flags = flags
    }
}

/// The storage of a core's trace: `capacity` entries, owned here so it is freed with the core's
/// model. The run loop's observer keeps the count; the core model replays the entries.
public final class TimingTrace {
    public static let capacity = 256
    public let entries: UnsafeMutablePointer<TraceEntry>

    public init() {
        entries = .allocate(capacity: Self.capacity)
    }

    deinit { entries.deallocate() }
}
