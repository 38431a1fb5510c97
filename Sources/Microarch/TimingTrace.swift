/// A run of consecutive instructions the run loop executed, as the core model replays it:
/// where their timing records are, the first one's address, and how many ran. A block ends
/// at a branch or wherever control went elsewhere; `events` events belong to it.
public struct TraceBlock {
    public var records: UnsafePointer<TimingRecord>
    public var pc: UInt64
    public var count: UInt32
    public var events: UInt32

    @inlinable public init(records: UnsafePointer<TimingRecord>, pc: UInt64) {
        self.records = records; self.pc = pc; count = 1; events = 0
    }
}

/// Something dynamic that happened to one instruction of a block while it ran: the extra
/// latency its memory access or divide showed, the front-end stall its fetch caused, or a
/// load that missed every cache. A block with events replays instruction by instruction.
public struct TraceEvent {
    /// The instruction's position in its block.
    public var position: UInt32
    /// Cycles beyond the class latency (an L1 miss, a TLB walk, a long divide).
    public var extra: UInt32
    /// Cycles the front end lost fetching it (an L1I or instruction-TLB miss).
    public var stall: UInt16
    /// `dramLoad`: its load missed every cache; the model asks DRAM when the load issues, so
    /// the channel sees the request at the cycle it really leaves the core.
    public var flags: UInt16

    public static let dramLoad: UInt16 = 1

    @inlinable public init(position: UInt32, extra: UInt32 = 0, stall: UInt16 = 0, flags: UInt16 = 0) {
        self.position = position; self.extra = extra; self.stall = stall; self.flags = flags
    }
}

/// The storage of a core's trace, owned here so it is freed with the core's model: the
/// blocks closed and not yet replayed, and their events and the running block's.
public final class TimingTrace {
    /// Closed blocks wait to replay in batches of up to this many (see `ApproximateTiming`),
    /// or `nearBatch` while the slice's deadline is within `near` cycles: the loop notices
    /// the deadline after the batch that reaches it, so a batch is short where that matters.
    ///
    /// Measured (rpi4 cm_workload 1200, best of ten): batches of 16 took 1.36 s, of 64 1.28 s,
    /// of 256 1.26 s, with the same host instruction count: the loop and the replay take
    /// turns on the host's caches and predictors, and longer turns disturb them less.
    /// Near a deadline a block that stays in the L1s takes some tens of cycles at most
    /// (a miss beyond them replays the closed blocks at once), so 256 blocks cannot pass a
    /// deadline `near` cycles away unless nearly all are very slow.
    public static let batch = 256
    public static let nearBatch = 16
    public static let near: UInt64 = 32768
    /// Room for the events of closed blocks and of the running block, which has at most two
    /// per instruction and a page of instructions: when it is full the closed blocks replay,
    /// and the running block's events still fit.
    public static let eventCapacity = 4 * 1024
    public let events: UnsafeMutablePointer<TraceEvent>
    /// Room for a batch, the block closed after it, whose successor is not known yet, and
    /// one more whose address is that successor's while they replay.
    public let blocks: UnsafeMutablePointer<TraceBlock>

    public init() {
        events = .allocate(capacity: Self.eventCapacity)
        blocks = .allocate(capacity: Self.batch + 2)
        blocks.initialize(repeating: TraceBlock(records: UnsafePointer(bitPattern: 8)!, pc: 0), count: Self.batch + 2)
    }

    deinit { events.deallocate(); blocks.deallocate() }
}
