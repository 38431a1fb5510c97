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

/// A batch of executed instructions waiting for the core model.
///
/// The run loop only appends here; the model replays a batch in one tight loop, where its state
/// stays in registers instead of competing with the interpreter's. Cache and TLB lookups still
/// happen when the instruction runs, in program order, so the caches see exactly the accesses
/// they would see one instruction at a time; only the model's clock lags, by at most a batch.
/// Whoever needs the clock exactly (a DRAM request, a counter read, a slice deadline) replays
/// first.
public final class TimingTrace {
    public static let capacity = 256
    public let entries: UnsafeMutablePointer<TraceEntry>
    /// Entries recorded; the last one has run but its successor is not known yet.
    @inlinable public var count: Int { stored }
    @usableFromInline var stored = 0

    public init() {
        entries = .allocate(capacity: Self.capacity)
    }

    deinit { entries.deallocate() }

    /// Records an instruction about to run.
    @inlinable @inline(__always)
    public func append(_ record: TimingRecord, pc: UInt64) {
        (entries + stored).initialize(to: TraceEntry(record: record, pc: pc))
        stored &+= 1
    }

    /// The entry of the instruction running now (the last appended).
    @inlinable @inline(__always)
    public var current: UnsafeMutablePointer<TraceEntry> { entries + (stored &- 1) }

    /// Keeps only the last entry (replayed ones are gone), moving it to the front.
    @inlinable public func keepLast() {
        if stored > 1 { entries[0] = entries[stored - 1] }
        stored = min(stored, 1)
    }

    /// Drops the last entry.
    @inlinable public func dropLast() { stored = max(stored - 1, 0) }

    /// Drops every entry.
    @inlinable public func clear() { stored = 0 }
}
