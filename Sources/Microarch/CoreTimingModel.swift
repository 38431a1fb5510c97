/// The cost of running an instruction stream on one core: a dataflow model in which each
/// instruction issues when its operands are ready, its pipe is free and the front end has
/// delivered it, and completes after its latency.
///
/// One model covers both core types:
/// - in order (Cortex-A53): an instruction never issues before the one ahead of it, at most
///   `width` per cycle, so a dependent chain and a cache miss stall everything behind them;
/// - out of order (Cortex-A72, an interval model): instructions dispatch `width` per cycle in
///   order and issue as soon as their operands are ready, within a window of `window`
///   instructions (the reorder buffer), so independent work and misses overlap until the
///   window fills; a mispredicted branch holds dispatch until it resolves plus the penalty.
///
/// Time is kept in cycles scaled by `width` (one dispatch slot = 1 unit), so fractional
/// throughput needs no floating point.
public struct CoreTimingModel {
    /// Figures for one core type; each should come from the vendor's optimisation guide or a
    /// measurement, and the board file says which.
    public struct Parameters: Sendable, Equatable {
        public var width: Int
        public var inOrder: Bool
        public var window: Int
        public var mispredictPenalty: Int
        /// Result latency in cycles per instruction class (indexed by the caller's class numbers).
        public var latency: [Int]
        /// The pipe group each class issues to (indexed like `latency`), and the cycles one
        /// instruction occupies a pipe of it (1 = fully pipelined; more for an unpipelined divider).
        public var pipe: [Int]
        public var occupancy: [Int]
        /// How many identical pipes each group has (two integer ALUs, one load/store unit...).
        public var pipeGroups: [Int]

        public init(width: Int, inOrder: Bool, window: Int, mispredictPenalty: Int, latency: [Int], pipe: [Int], occupancy: [Int], pipeGroups: [Int]) {
            self.width = width; self.inOrder = inOrder; self.window = window; self.mispredictPenalty = mispredictPenalty
            self.latency = latency; self.pipe = pipe; self.occupancy = occupancy; self.pipeGroups = pipeGroups
        }
    }

    public let parameters: Parameters
    private let scale: UInt64
    /// When each register slot's value is ready (scaled time). Slot `flagsSlot` is NZCV.
    private var ready: [UInt64]
    /// When each pipe can take its next instruction; group g's pipes start at `groupStart[g]`.
    private var pipeFree: [UInt64]
    private let groupStart: [Int]
    /// Dispatch time of the next instruction (the front end), and the issue time of the last one.
    private var dispatch: UInt64 = 0
    private var lastIssue: UInt64 = 0
    /// Completion times of the last `window` instructions, a ring: an instruction cannot dispatch
    /// before the one `window` places ahead of it has completed (in-order retirement frees the slot).
    private var completions: [UInt64]
    private var ring = 0
    /// The latest completion so far: the time the stream is done.
    public private(set) var finish: UInt64 = 0
    public private(set) var instructions: UInt64 = 0
    public static let flagsSlot = 34

    public init(_ p: Parameters, slots: Int = 35) {
        precondition(p.width > 0 && p.window > 0 && p.latency.count == p.pipe.count && p.pipe.count == p.occupancy.count)
        parameters = p
        scale = UInt64(p.width)
        ready = Array(repeating: 0, count: slots)
        var starts: [Int] = [], n = 0
        for count in p.pipeGroups { starts.append(n); n += max(count, 1) }
        groupStart = starts
        pipeFree = Array(repeating: 0, count: max(n, 1))
        completions = Array(repeating: 0, count: p.window)
    }

    /// The front end's position in scaled time: where the next instruction dispatches.
    public var dispatchTime: UInt64 { dispatch }
    /// One cycle in scaled time units.
    public var cycleScale: UInt64 { scale }

    /// Cycles elapsed so far (rounded up to whole cycles).
    public var cycles: UInt64 { (max(finish, dispatch) + scale - 1) / scale }

    /// Issues one instruction of class `kind` reading the slots in `sources` (up to four; 255 = none)
    /// and writing `destinations` (up to two). `extraLatency` adds to the class latency (a cache
    /// miss, found when the address is known). Returns the scaled issue time.
    @inline(__always)
    public mutating func issue(kind: Int, sources: (UInt8, UInt8, UInt8, UInt8), readsFlags: Bool,
                               destinations: (UInt8, UInt8), writesFlags: Bool, extraLatency: Int = 0) -> UInt64 {
        let p = parameters
        instructions &+= 1
        // The front end delivers `width` instructions per cycle, and the window must have room.
        var t = max(dispatch, completions[ring])
        dispatch = t &+ 1
        func wait(_ slot: UInt8) { if slot != 255 { t = max(t, ready[Int(slot)]) } }
        wait(sources.0); wait(sources.1); wait(sources.2); wait(sources.3)
        if readsFlags { t = max(t, ready[Self.flagsSlot]) }
        if p.inOrder { t = max(t, lastIssue) }
        // The earliest free pipe of the class's group; each accepts one instruction per cycle
        // (`scale` units), or fewer when unpipelined.
        let g = p.pipe[kind], first = groupStart[g]
        var pipe = first
        for i in first..<(first + max(p.pipeGroups[g], 1)) where pipeFree[i] < pipeFree[pipe] { pipe = i }
        t = max(t, pipeFree[pipe])
        pipeFree[pipe] = t &+ scale &* UInt64(p.occupancy[kind])
        lastIssue = t
        let done = t &+ scale &* UInt64(p.latency[kind] + extraLatency)
        if destinations.0 != 255 { ready[Int(destinations.0)] = done }
        if destinations.1 != 255 { ready[Int(destinations.1)] = done }
        if writesFlags { ready[Self.flagsSlot] = done }
        completions[ring] = max(done, ring == 0 ? completions[p.window - 1] : completions[ring - 1])
        ring = ring + 1 == p.window ? 0 : ring + 1
        finish = max(finish, done)
        if p.inOrder { dispatch = max(dispatch, t) }
        return t
    }

    /// A value produced by the instruction issued at scaled time `issue` is late by `cycles`
    /// (a load that missed): pushes its consumers back.
    @inline(__always)
    public mutating func delay(slot: UInt8, by cycles: Int) {
        guard slot != 255, cycles > 0 else { return }
        ready[Int(slot)] &+= scale &* UInt64(cycles)
        finish = max(finish, ready[Int(slot)])
    }

    /// A mispredicted branch issued at scaled time `issue`: nothing after it dispatches until it
    /// resolves (one cycle after issue) plus the penalty.
    @inline(__always)
    public mutating func redirect(after issue: UInt64) {
        dispatch = max(dispatch, issue &+ scale &* UInt64(1 + parameters.mispredictPenalty))
    }

    /// The front end stalls for `cycles` (an instruction-cache miss).
    @inline(__always)
    public mutating func stallFetch(_ cycles: Int) {
        dispatch &+= scale &* UInt64(cycles)
    }

    /// Time passes with nothing issued (a core waiting in WFI): every clock moves to `cycle`.
    public mutating func idle(until cycle: UInt64) {
        let t = cycle &* scale
        dispatch = max(dispatch, t)
        lastIssue = max(lastIssue, t)
        finish = max(finish, t)
    }
}
