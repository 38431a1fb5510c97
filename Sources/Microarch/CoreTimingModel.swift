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
/// throughput needs no floating point. State lives in raw memory: `issue` runs once per
/// simulated instruction and must not retain, copy or check uniqueness of anything.
public final class CoreTimingModel {
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
    public static let flagsSlot = 34 // a literal: inlined code must not touch a global
    public static let slots = 35
    @usableFromInline let scale: UInt64
    @usableFromInline let inOrder: Bool
    @usableFromInline let window: Int
    @usableFromInline let penalty: UInt64
    private let classes: Int
    // Per class: scaled latency, first pipe, pipe count, scaled occupancy.
    @usableFromInline let classLatency: UnsafeMutablePointer<UInt64>
    @usableFromInline let classFirstPipe: UnsafeMutablePointer<Int>
    @usableFromInline let classPipes: UnsafeMutablePointer<Int>
    @usableFromInline let classOccupancy: UnsafeMutablePointer<UInt64>
    /// When each register slot's value is ready (scaled time). Slot `flagsSlot` is NZCV.
    @usableFromInline let ready: UnsafeMutablePointer<UInt64>
    /// When each pipe can take its next instruction.
    @usableFromInline let pipeFree: UnsafeMutablePointer<UInt64>
    private let pipeCount: Int
    /// Retirement times of the last `window` instructions, a ring: an instruction cannot dispatch
    /// before the one `window` places ahead of it has retired.
    @usableFromInline let retirements: UnsafeMutablePointer<UInt64>
    @usableFromInline var ring = 0
    @usableFromInline var lastRetire: UInt64 = 0
    @usableFromInline var dispatch: UInt64 = 0
    @usableFromInline var lastIssue: UInt64 = 0
    /// The latest completion so far.
    public var finish: UInt64 { latest }
    public var instructions: UInt64 { issued }
    @usableFromInline var latest: UInt64 = 0
    @usableFromInline var issued: UInt64 = 0

    public init(_ p: Parameters) {
        precondition(p.width > 0 && p.window > 0 && p.latency.count == p.pipe.count && p.pipe.count == p.occupancy.count)
        parameters = p
        scale = UInt64(p.width)
        inOrder = p.inOrder
        window = p.window
        penalty = UInt64(p.mispredictPenalty)
        classes = p.latency.count
        var starts: [Int] = [], n = 0
        for count in p.pipeGroups { starts.append(n); n += max(count, 1) }
        pipeCount = max(n, 1)
        classLatency = .allocate(capacity: classes)
        classFirstPipe = .allocate(capacity: classes)
        classPipes = .allocate(capacity: classes)
        classOccupancy = .allocate(capacity: classes)
        for k in 0..<classes {
            classLatency[k] = UInt64(p.latency[k]) * scale
            classFirstPipe[k] = starts[p.pipe[k]]
            classPipes[k] = max(p.pipeGroups[p.pipe[k]], 1)
            classOccupancy[k] = UInt64(p.occupancy[k]) * scale
        }
        ready = .allocate(capacity: Self.slots)
        ready.initialize(repeating: 0, count: Self.slots)
        pipeFree = .allocate(capacity: pipeCount)
        pipeFree.initialize(repeating: 0, count: pipeCount)
        retirements = .allocate(capacity: p.window)
        retirements.initialize(repeating: 0, count: p.window)
    }

    deinit {
        classLatency.deallocate(); classFirstPipe.deallocate(); classPipes.deallocate(); classOccupancy.deallocate()
        ready.deallocate(); pipeFree.deallocate(); retirements.deallocate()
    }

    /// The front end's position in scaled time: where the next instruction dispatches.
    @inlinable public var dispatchTime: UInt64 { dispatch }
    /// One cycle in scaled time units.
    @inlinable public var cycleScale: UInt64 { scale }

    /// Cycles elapsed so far (rounded up to whole cycles).
    public var cycles: UInt64 { (max(finish, dispatch) + scale - 1) / scale }

    /// Issues one instruction of class `kind` reading the slots `s0`–`s3` (255 = none) and
    /// writing `d0`, `d1`. Returns its scaled issue time.
    @inlinable @inline(__always)
    public func issue(kind: Int, _ s0: UInt8, _ s1: UInt8, _ s2: UInt8, _ s3: UInt8, readsFlags: Bool,
                      _ d0: UInt8, _ d1: UInt8, writesFlags: Bool, extraLatency: Int = 0) -> UInt64 {
        issued &+= 1
        // The front end delivers `width` instructions per cycle, and the window must have room.
        var t = max(dispatch, retirements[ring])
        dispatch = t &+ 1
        if s0 != 255 { t = max(t, ready[Int(s0)]) }
        if s1 != 255 { t = max(t, ready[Int(s1)]) }
        if s2 != 255 { t = max(t, ready[Int(s2)]) }
        if s3 != 255 { t = max(t, ready[Int(s3)]) }
        if readsFlags { t = max(t, ready[34]) }
        if inOrder { t = max(t, lastIssue) }
        // The earliest free pipe of the class's group.
        var pipe = classFirstPipe[kind]
        let end = pipe + classPipes[kind]
        var i = pipe + 1
        while i < end { if pipeFree[i] < pipeFree[pipe] { pipe = i }; i += 1 }
        t = max(t, pipeFree[pipe])
        let extra = scale &* UInt64(extraLatency)
        pipeFree[pipe] = t &+ classOccupancy[kind] &+ (classOccupancy[kind] > scale ? extra : 0) // an unpipelined unit stays busy
        lastIssue = t
        let done = t &+ classLatency[kind] &+ extra
        if d0 != 255 { ready[Int(d0)] = done }
        if d1 != 255 { ready[Int(d1)] = done }
        if writesFlags { ready[34] = done }
        lastRetire = max(done, lastRetire)
        retirements[ring] = lastRetire
        ring = ring + 1 == window ? 0 : ring + 1
        if done > latest { latest = done }
        if inOrder && dispatch < t { dispatch = t }
        return t
    }

    /// A value is late by `cycles` (a load that missed): pushes its consumers back.
    @inlinable @inline(__always)
    public func delay(slot: UInt8, by cycles: Int) {
        guard slot != 255, cycles > 0 else { return }
        ready[Int(slot)] &+= scale &* UInt64(cycles)
        if ready[Int(slot)] > latest { latest = ready[Int(slot)] }
        if inOrder { lastRetire = max(lastRetire, ready[Int(slot)]) }
    }

    /// A mispredicted branch issued at scaled time `issue`: nothing after it dispatches until it
    /// resolves (one cycle after issue) plus the penalty.
    @inlinable @inline(__always)
    public func redirect(after issue: UInt64) {
        dispatch = max(dispatch, issue &+ scale &* (1 &+ penalty))
    }

    /// The front end stalls for `cycles` (an instruction-cache miss).
    @inlinable @inline(__always)
    public func stallFetch(_ cycles: Int) {
        dispatch &+= scale &* UInt64(cycles)
    }

    /// Time passes with nothing issued (a core waiting in WFI): every clock moves to `cycle`.
    public func idle(until cycle: UInt64) {
        let t = cycle &* scale
        dispatch = max(dispatch, t)
        lastIssue = max(lastIssue, t)
        latest = max(latest, t)
    }
}
