/// The cost of running an instruction stream on one core: a dataflow model in which each
/// instruction issues when its operands are ready, a pipe of its class is free and the front
/// end has delivered it, and completes after its latency.
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
/// throughput needs no floating point. State lives in raw memory: `replay`'s loop runs once
/// per simulated instruction and must not retain, copy or check uniqueness of anything, nor
/// branch on what a `TimingRecord` leaves unused.
public final class CoreTimingModel {
    /// Figures for one core type; each should come from the vendor's optimisation guide or a
    /// measurement, and the board file says which.
    public struct Parameters: Sendable, Equatable {
        public var width: Int
        public var inOrder: Bool
        public var window: Int
        public var mispredictPenalty: Int
        /// Result latency in cycles per instruction class (indexed by the ISA's class numbers).
        public var latency: [Int]
        /// The pipe group each class issues to (indexed like `latency`), and the cycles one
        /// instruction occupies a pipe of it (1 = fully pipelined; more for an unpipelined divider).
        public var pipe: [Int]
        public var occupancy: [Int]
        /// How many identical pipes each group has (two integer ALUs, one load/store unit...), at most `maxPipesPerGroup`.
        public var pipeGroups: [Int]
        /// What kind of branch each class is (indexed like `latency`; empty: none is a branch).
        public var branches: [BranchCategory]
        /// The size of an instruction, to tell a taken conditional branch from a fall-through.
        public var instructionBytes: UInt64

        public init(width: Int, inOrder: Bool, window: Int, mispredictPenalty: Int, latency: [Int], pipe: [Int], occupancy: [Int],
                    pipeGroups: [Int], branches: [BranchCategory] = [], instructionBytes: UInt64 = 4) {
            self.width = width; self.inOrder = inOrder; self.window = window; self.mispredictPenalty = mispredictPenalty
            self.latency = latency; self.pipe = pipe; self.occupancy = occupancy; self.pipeGroups = pipeGroups
            self.branches = branches; self.instructionBytes = instructionBytes
        }

        /// Why these parameters cannot build a model, or nil.
        public var problem: String? {
            if width < 1 || width > 8 { return "width must be 1 to 8" }
            if window < 1 || window > 1024 { return "window must be 1 to 1024" }
            if mispredictPenalty < 0 { return "the mispredict penalty must not be negative" }
            if latency.count != pipe.count || pipe.count != occupancy.count || latency.count > 255 { return "one latency, pipe and occupancy per class" }
            if latency.contains(where: { $0 < 0 || $0 > 1000 }) { return "latencies must be 0 to 1000 cycles" }
            if occupancy.contains(where: { $0 < 1 || $0 > 1000 }) { return "occupancies must be 1 to 1000 cycles" }
            if pipeGroups.isEmpty || pipeGroups.contains(where: { $0 < 1 || $0 > CoreTimingModel.maxPipesPerGroup }) {
                return "each pipe group has 1 to \(CoreTimingModel.maxPipesPerGroup) pipes"
            }
            if pipe.contains(where: { $0 < 0 || $0 >= pipeGroups.count }) { return "a class names a pipe group that does not exist" }
            if !branches.isEmpty && branches.count != latency.count { return "one branch category per class" }
            return nil
        }
    }

    /// One class's figures in scaled time and the pipes it may use (the same twice for a
    /// one-pipe group), packed in 16 bytes so the replay loop loads it in few instructions.
    @usableFromInline struct ClassTiming {
        @usableFromInline var latency: UInt32
        @usableFromInline var occupancy: UInt32
        @usableFromInline var pipeA: UInt8
        @usableFromInline var pipeB: UInt8
        @usableFromInline var unpipelined: Bool
        @usableFromInline var branch: BranchCategory
    }

    /// How a class of instruction changes control flow, which decides how the predictor sees it.
    public enum BranchCategory: UInt8, Sendable {
        case none, direct, call, conditional, indirect, indirectCall, ret
    }

    public static let maxPipesPerGroup = 2
    public let parameters: Parameters
    @usableFromInline let scale: UInt64
    @usableFromInline let inOrder: Bool
    @usableFromInline let window: Int
    @usableFromInline let penalty: UInt64
    @usableFromInline let instructionBytes: UInt64
    @usableFromInline let classes: UnsafeMutablePointer<ClassTiming>
    private let classCount: Int
    @usableFromInline let state: UnsafeMutablePointer<UInt64>
    /// When each register slot's value is ready (scaled time); see `TimingRecord` for the slots.
    @usableFromInline let ready: UnsafeMutablePointer<UInt64>
    /// When each pipe can take its next instruction.
    @usableFromInline let pipeFree: UnsafeMutablePointer<UInt64>
    @usableFromInline let pipeCount: Int
    /// Out of order, an instruction cannot dispatch before the one `window` places ahead of
    /// it has retired: a ring of retirement times by instruction (`windowMask + 1` entries,
    /// at least `window + retireBurst`), and past its end room for one burst, never read.
    @usableFromInline let retirements: UnsafeMutablePointer<UInt64>
    @usableFromInline let windowMask: UInt64
    /// Instructions dispatched so far (out of order).
    @usableFromInline var sequence: UInt64 = 0
    /// A block (or group) notes its retirement in this many entries at once, without a loop
    /// whose count the host could not foresee; those past its end are overwritten by the blocks after it.
    @usableFromInline static var retireBurst: Int { 16 }
    /// The latest completion so far (retirement is in order, so also the last retirement).
    /// A clock in `state`, so that a schedule's terms can raise it like any output.
    @usableFromInline var retired: UInt64 {
        get { state[Self.retireSlot] }
        set { state[Self.retireSlot] = newValue }
    }
    /// The model's own clocks among the register slots (`TimingRecord` leaves 37–39 to it):
    /// the latest completion, and the issue of the block's final branch while a schedule applies.
    @usableFromInline static var retireSlot: Int { 37 }
    @usableFromInline static var branchSlot: Int { 38 }
    @usableFromInline var dispatch: UInt64 = 0
    @usableFromInline var lastIssue: UInt64 = 0
    /// What `connect` gave.
    @usableFromInline var memory: MemoryHierarchy?
    @usableFromInline var loadLatency = 0
    @usableFromInline var scheduleSlots = 0
    @usableFromInline var schedules = false
    /// Blocks replay in groups of up to `maxGroup`: the schedule of the group held so far
    /// (nil: none), whether the predictor foresaw its last branch, and its first block (the
    /// schedule lists the others from there; see `BlockSchedule.Successor`).
    @usableFromInline var group: UnsafeMutableRawPointer?
    @usableFromInline var groupRight = true
    /// Whether a block may join the held group: its last branch was foreseen and it has room.
    @usableFromInline var groupOpen = false
    @usableFromInline var groupFirst = TraceBlock(records: UnsafePointer(bitPattern: 8)!, pc: 0)
    @usableFromInline let maxGroup: Int
    /// Group sizes, measured on bench_sort, cm_workload, bench_crc and bench_matmul against
    /// `--timing detailed`, by host instructions per guest instruction (callgrind) and by
    /// wall time. A larger group replays fewer times, and in order is also closer to detailed
    /// (cm_workload 1.4 % over detailed one by one, 0.4 % in fours, 0.19 % in eights). Out of
    /// order each instruction notes its own retirement (`BlockSchedule.retirements`), so size
    /// barely moves fidelity (0.002 % or less; with one retirement time per group, eights
    /// drifted to 0.24 %). The A72's cm_workload cost 105.3 host instructions per guest
    /// instruction in fours, 101.9 in sixes, 100.4 in eights and 106.8 in sixteens, but by
    /// wall time (best of eight, rpi4) sixes were fastest: cm_workload 1200 took 1.20 s
    /// against 1.21 s in fours and 1.24 s in eights, bench_sort 100 2.23 s against 2.26 s and
    /// 2.32 s. Larger groups mean more, and larger, schedules: the host's caches miss more.
    static let inOrderGroup = 8, outOfOrderGroup = 6
    /// Names the parameters (a hash of them), so a block schedule knows which model it fits.
    public let identity: UInt32
    /// Room for a block's late inputs while their terms are applied (out of order).
    @usableFromInline let scratch: UnsafeMutablePointer<UInt64>
    /// A block's events by instruction, while it replays instruction by instruction.
    @usableFromInline let eventScratch: UnsafeMutablePointer<TraceEvent>
    /// Per pipe, the longest time (scaled) one instruction holds it, or `.max` if an
    /// unpipelined class uses it (its dynamic extra is unbounded).
    let longestOccupancy: [UInt64]
    /// Each group of two identical pipes, as state indices (a schedule keeps them ordered).
    @usableFromInline let pairs: [(low: Int, high: Int)]
    /// The longest block the run loop records: a page of instructions.
    public static let maxBlock = 1024

    public init(_ p: Parameters) {
        precondition(p.problem == nil, p.problem ?? "")
        parameters = p
        scale = UInt64(p.width)
        inOrder = p.inOrder
        window = p.window
        penalty = UInt64(p.mispredictPenalty)
        instructionBytes = p.instructionBytes
        classCount = p.latency.count
        var starts: [Int] = [], n = 0
        for count in p.pipeGroups { starts.append(n); n += count }
        pipeCount = n
        classes = .allocate(capacity: max(classCount, 1))
        for k in 0..<classCount {
            let first = starts[p.pipe[k]], count = p.pipeGroups[p.pipe[k]]
            (classes + k).initialize(to: ClassTiming(latency: UInt32(p.latency[k]) * UInt32(p.width),
                                                     occupancy: UInt32(p.occupancy[k]) * UInt32(p.width),
                                                     pipeA: UInt8(first), pipeB: UInt8(first + count - 1),
                                                     unpipelined: p.occupancy[k] > 1, branch: p.branches.isEmpty ? .none : p.branches[k]))
        }
        // One block of clocks: register slots, then pipes.
        state = .allocate(capacity: Self.pipesAt + pipeCount)
        state.initialize(repeating: 0, count: Self.pipesAt + pipeCount)
        ready = state
        pipeFree = state + Self.pipesAt
        var entries = 1
        while entries < p.window + Self.retireBurst { entries <<= 1 }
        windowMask = UInt64(entries - 1)
        retirements = .allocate(capacity: entries + Self.retireBurst)
        retirements.initialize(repeating: 0, count: entries + Self.retireBurst)
        var longest = [UInt64](repeating: 0, count: n)
        for k in 0..<classCount {
            for pipe in starts[p.pipe[k]]..<(starts[p.pipe[k]] + p.pipeGroups[p.pipe[k]]) {
                longest[pipe] = p.occupancy[k] > 1 ? .max : max(longest[pipe], UInt64(p.width))
            }
        }
        longestOccupancy = longest
        pairs = zip(starts, p.pipeGroups).filter { $0.1 == 2 }.map { (Self.pipesAt + $0.0, Self.pipesAt + $0.0 + 1) }
        scratch = .allocate(capacity: 2 * (Self.pipesAt + pipeCount))
        maxGroup = p.inOrder ? Self.inOrderGroup : Self.outOfOrderGroup
        eventScratch = .allocate(capacity: Self.maxBlock)
        eventScratch.initialize(repeating: TraceEvent(position: 0), count: Self.maxBlock)
        identity = Self.identity(of: p)
    }

    /// FNV-1a over every figure that shapes a schedule.
    private static func identity(of p: Parameters) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        func mix(_ v: Int) { for byte in 0..<8 { h = (h ^ UInt32((v >> (byte * 8)) & 0xFF)) &* 16_777_619 } }
        for v in [p.width, p.inOrder ? 1 : 0, p.window, p.mispredictPenalty, Int(p.instructionBytes)] + p.latency + p.pipe + p.occupancy
            + p.pipeGroups + p.branches.map({ Int($0.rawValue) }) { mix(v) }
        return h
    }

    /// Where the pipes' clocks start in `state` (after the register slots).
    @usableFromInline static var pipesAt: Int { TimingRecord.slotCount }

    deinit {
        classes.deallocate(); state.deallocate(); retirements.deallocate(); scratch.deallocate(); eventScratch.deallocate()
    }

    /// The front end's position in scaled time: where the next instruction dispatches.
    @inlinable public var dispatchTime: UInt64 { dispatch }

    /// Cycles elapsed so far (rounded up to whole cycles).
    public var cycles: UInt64 { (max(retired, dispatch) + scale - 1) / scale }

    /// Where `replay` finds what it needs besides the block: the memory hierarchy whose DRAM
    /// channel a `dramLoad` asks, the load class's L1 latency, the slot `scheduleSlots`
    /// records past a block's first record where its schedule lives (the ISA's decoded page
    /// keeps it and frees it with the page), and whether schedules are used at all.
    public func connect(memory: MemoryHierarchy, loadLatency: Int, scheduleSlots: Int, schedules: Bool) {
        self.memory = memory
        self.loadLatency = loadLatency
        self.scheduleSlots = scheduleSlots
        self.schedules = schedules
    }

    /// Issues the `count` traced blocks at `blocks`, each followed by the next entry's address
    /// (the entry past the last holds the last one's successor), and their events, in order
    /// from `events`; returns how many events they had. The model's issue order is `P`
    /// (`P.inOrder == inOrder`; the caller is specialised on it, so that only that order's
    /// replay is inlined into it). Each block's final branch trains `predictor`, and a wrong
    /// prediction holds dispatch for the penalty. A block replays from its schedule when it
    /// ran whole and nothing dynamic happened in it (and schedules are on), held in a group
    /// with the blocks after it until the group ends (`settle` issues it at once); otherwise
    /// instruction by instruction. A load marked `dramLoad` asks the DRAM channel when it
    /// issues; its latency beyond the load class's L1 figure lengthens its result.
    ///
    /// The held group's state stays in locals for the batch: kept in the model's fields, each
    /// block's step waited for the stores of the one before (rpi4 cm_workload 99.97 -> 99.56
    /// host instructions per guest instruction, wall time within noise).
    @inlinable @inline(__always)
    public func replay<P: IssueOrder>(_ blocks: UnsafeMutablePointer<TraceBlock>, count: Int, events: UnsafeMutablePointer<TraceEvent>,
                                      predictor: BranchPredictor, _: P.Type) -> Int {
        var offset = 0
        var group = self.group, open = groupOpen, right = groupRight
        for k in 0..<count {
            let block = blocks[k], next = blocks[k &+ 1].pc
            if block.events == 0 && schedules {
                // The block joins the held group if the group is open (its last branch was
                // foreseen, and it has room) and the two have (or can have) a schedule
                // together; otherwise the group issues and the block starts a new one.
                var held: BlockSchedule?
                if let g = group {
                    if open, let j = joined(BlockSchedule(g), block) {
                        held = j
                    } else {
                        group = nil
                        apply(BlockSchedule(g), right: right, P.self)
                    }
                }
                if held == nil, let s = schedule(of: block) {
                    groupFirst = block
                    held = s
                }
                if let h = held {
                    // The block is the group's last so far, and waits for its successor.
                    right = predicts(h, lastBlockAt: block.pc, next: next, predictor: predictor)
                    open = right && Int(h.header.pointee.blocks) < maxGroup
                    group = h.base
                    continue
                }
            }
            if let g = group {
                group = nil
                groupRight = right
                issueGroup(g)
            }
            issueExactly(block, events: events + offset, next: next, predictor: predictor)
            offset &+= Int(block.events)
        }
        self.group = group; groupOpen = open; groupRight = right
        return offset
    }

    /// The schedule of `block`, which ran whole and without events, if it has one of its length
    /// (computed the first time the block is seen, and again for another model).
    @inlinable @inline(__always)
    func schedule(of block: TraceBlock) -> BlockSchedule? {
        let slot = UnsafeMutableRawPointer(mutating: block.records + scheduleSlots).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        var s = slot.pointee
        if _slowPath(s == nil || BlockSchedule(s!).header.pointee.owner != identity) {
            if let old = s { BlockSchedule.free(old) }
            s = schedule(block.records)
            slot.pointee = s
        }
        let schedule = BlockSchedule(s.unsafelyUnwrapped)
        return Int(schedule.header.pointee.length) == Int(block.count) ? schedule : nil
    }

    /// Issues the held group, if any: the blocks' successors are all known. Whoever reads the
    /// model's clocks calls this first.
    @inlinable @inline(__always)
    public func settle() {
        if let g = group { issueGroup(g) }
    }

    @usableFromInline @inline(never)
    func issueGroup(_ g: UnsafeMutableRawPointer) {
        group = nil
        if inOrder {
            apply(BlockSchedule(g), right: groupRight, InOrderIssue.self)
        } else {
            apply(BlockSchedule(g), right: groupRight, OutOfOrderIssue.self)
        }
    }

    /// The schedule of the held group (schedule `g`) followed by `block`, from `g`'s successors:
    /// made the first time this successor is seen; nil if it cannot join.
    @inlinable @inline(__always)
    func joined(_ g: BlockSchedule, _ block: TraceBlock) -> BlockSchedule? {
        let successors = g.successors
        let length = Int(g.header.pointee.length) &+ Int(block.count)
        for k in 0..<BlockSchedule.successorCount where successors[k].pc == block.pc {
            // A successor without a schedule is one that cannot join.
            guard let p = successors[k].schedule else { return nil }
            let s = BlockSchedule(p)
            return Int(s.header.pointee.length) == length ? s : nil
        }
        return _slowPath(successors[BlockSchedule.successorCount &- 1].pc == .max) ? join(g, block) : nil
    }

    /// Makes the schedule of the held group (schedule `g`) followed by `block` and keeps it
    /// among `g`'s successors, or keeps there that `block` cannot join.
    ///
    /// Whether a block joins depends on the blocks alone, never on what ran before, so that a
    /// run resumed from a snapshot (whose schedules are made again) groups as the straight run
    /// did: only a block that ran whole joins (one cut short is not kept, and may join when
    /// whole), and a group ending in an indirect branch or a return, whose successors are
    /// many, is never extended; every other block has at most two successors, as many as
    /// a schedule keeps.
    @usableFromInline @inline(never)
    func join(_ g: BlockSchedule, _ block: TraceBlock) -> BlockSchedule? {
        guard schedule(of: block) != nil else { return nil }
        let first = groupFirst
        let n = Int(g.header.pointee.length) + Int(block.count)
        let branch = g.header.pointee.branch
        // In the first block's decoded page (freed with it, and its schedules with it), and
        // no longer than a block may be. A successor is found by its address, which is then
        // in that page.
        let fits = branch != .indirect && branch != .indirectCall && branch != .ret
            && block.pc >> 12 == first.pc >> 12
            && block.records - first.records == Int(bitPattern: UInt(block.pc &- first.pc)) / Int(instructionBytes)
            && n <= (inOrder ? BlockSchedule.maxLength : min(BlockSchedule.maxLength, window))
        var p: UnsafeMutableRawPointer?
        if fits {
            let records = UnsafeMutablePointer<TimingRecord>.allocate(capacity: n)
            defer { records.deallocate() }
            let blocks = (0..<Int(g.header.pointee.blocks)).map { g.blocks[$0] }
                + [.init(offset: Int32(block.records - first.records), count: UInt16(block.count))]
            var at = 0
            for b in blocks {
                (records + at).initialize(from: first.records + Int(b.offset), count: Int(b.count))
                at += Int(b.count)
            }
            p = schedule(records, count: n, blocks: blocks)
        }
        for k in 0..<BlockSchedule.successorCount where g.successors[k].pc == .max {
            g.successors[k] = .init(pc: block.pc, schedule: p)
            return p.map(BlockSchedule.init)
        }
        if let p { BlockSchedule.free(p) }
        return nil
    }

    /// Whether the predictor foresaw the final branch of a group's schedule `s`, whose last
    /// block starts at `pc` (and trains it).
    @inlinable @inline(__always)
    func predicts(_ s: BlockSchedule, lastBlockAt pc: UInt64, next: UInt64, predictor: BranchPredictor) -> Bool {
        let branch = s.header.pointee.branch
        if branch == .none { return true }
        return predict(branch, pc: pc &+ UInt64(s.header.pointee.branchAt), next: next, predictor: predictor)
    }

    /// `issue`, out of line: it needs many registers, which the schedule path should not save.
    @usableFromInline @inline(never)
    func issueExactly(_ block: TraceBlock, events: UnsafeMutablePointer<TraceEvent>, next: UInt64, predictor: BranchPredictor) {
        // Not generic: a caller in another module could not specialise it.
        if inOrder {
            issue(block, events: events, next: next, predictor: predictor, memory: memory.unsafelyUnwrapped, loadLatency: loadLatency, InOrderIssue.self)
        } else {
            issue(block, events: events, next: next, predictor: predictor, memory: memory.unsafelyUnwrapped, loadLatency: loadLatency,
                  OutOfOrderIssue.self)
        }
    }

    /// Replays one block from its schedule (see `BlockSchedule`); `right` says whether the
    /// predictor foresaw its final branch.
    @inlinable @inline(__always)
    func apply<P: IssueOrder>(_ s: BlockSchedule, right: Bool, _: P.Type) {
        if P.inOrder {
            applyInOrder(s, right: right)
        } else {
            applyOutOfOrder(s, right: right)
        }
    }

    /// In order: a late register or busy pipe holds the whole block, by as much as its first
    /// user in the block would have waited.
    @inlinable @inline(__always)
    func applyInOrder(_ s: BlockSchedule, right: Bool) {
        let h = s.header
        let state = self.state
        var t = dispatch
        let outputs = s.clocks + Int(h.pointee.inputCount) + Int(h.pointee.pipeInputs)
        var c = s.clocks
        while c < outputs { // padded to fours (see `BlockSchedule`)
            for k in 0..<4 {
                let r = state[Int(c[k].index)], u = UInt64(c[k].offset)
                if r > t &+ u { t = r &- u }
            }
            c += 4
        }
        c = outputs
        let end = outputs + Int(h.pointee.outputCount)
        while c < end {
            for k in 0..<4 { state[Int(c[k].index)] = t &+ UInt64(c[k].offset) }
            c += 4
        }
        let pairs = s.pairs
        for k in 0..<Int(h.pointee.pairCount) {
            let p = pairs[k]
            let used = t &+ UInt64(p.offset), other = state[Int(p.high)]
            state[Int(p.low)] = min(used, other)
            state[Int(p.high)] = max(used, other)
        }
        let retire = t &+ UInt64(h.pointee.retire)
        if retire > state[Self.retireSlot] { state[Self.retireSlot] = retire }
        dispatch = t &+ UInt64(h.pointee.dispatchEnd)
        lastIssue = t &+ UInt64(h.pointee.lastIssue)
        if !right {
            dispatch = max(dispatch, t &+ UInt64(h.pointee.branchIssue) &+ scale &* (1 &+ penalty))
        }
    }

    /// Out of order: the block dispatches when the front end and the window let it, and a
    /// late register or busy pipe delays only its dependents, through the terms.
    @inlinable @inline(__always)
    func applyOutOfOrder(_ s: BlockSchedule, right: Bool) {
        let h = s.header
        let state = self.state
        let length = Int(h.pointee.length)
        var t = dispatch
        // The window: the block's last instruction waits for the one `window` places ahead to retire.
        let spread = UInt64(length &- 1)
        let last = sequence &+ spread
        if last >= UInt64(window) {
            let free = retirements[Int(truncatingIfNeeded: (last &- UInt64(window)) & windowMask)]
            if free > t &+ spread { t = free &- spread }
        }
        // Read every input before writing any output (a register can be both). An input no
        // later than its clean use binds none of its terms (see `BlockSchedule.Term`), so
        // only the late ones are kept, as their value and their position.
        let inputs = s.clocks, inputCount = Int(h.pointee.inputCount)
        var late = 0
        var k = 0
        while k < inputCount { // padded to fours
            for j in k..<(k &+ 4) {
                let c = inputs[j]
                let v = state[Int(c.index)]
                if v > t &+ UInt64(c.offset) {
                    scratch[late] = v
                    scratch[late &+ 1] = UInt64(j)
                    late &+= 2
                }
            }
            k &+= 4
        }
        var c = inputs + inputCount
        let end = c + Int(h.pointee.outputCount)
        while c < end { // padded to fours
            for j in 0..<4 { state[Int(c[j].index)] = t &+ UInt64(c[j].offset) }
            c += 4
        }
        let retire = t &+ UInt64(h.pointee.retire)
        if retire > state[Self.retireSlot] { state[Self.retireSlot] = retire }
        state[Self.branchSlot] = t &+ UInt64(h.pointee.branchIssue)
        if _slowPath(late > 0) {
            // Each term raises a clock: an output, the latest completion or the branch's issue.
            let terms = s.terms
            for l in stride(from: 0, to: late, by: 2) {
                let v = scratch[l], j = Int(scratch[l &+ 1])
                var k = Int(inputs[j].terms)
                let to = Int(inputs[j &+ 1].terms) // the clock after the last input is an output, whose `terms` is the count
                while k < to {
                    let x = v &+ UInt64(terms[k].length), slot = state + Int(terms[k].slot)
                    if x > slot.pointee { slot.pointee = x }
                    k &+= 1
                }
            }
        }
        // A pair of identical pipes the block set is ordered again, the first free first.
        let pairs = s.pairs
        for k in 0..<Int(h.pointee.pairCount) {
            let p = pairs[k]
            let a = state[Int(p.low)], b = state[Int(p.high)]
            if a > b { state[Int(p.low)] = b; state[Int(p.high)] = a }
        }
        dispatch = t &+ UInt64(h.pointee.dispatchEnd)
        noteRetirement(of: length, at: state[Self.retireSlot], less: s.retirements)
        if !right {
            dispatch = max(dispatch, state[Self.branchSlot] &+ scale &* (1 &+ penalty))
        }
    }

    /// The next `count` instructions dispatched, and retire by `retired` less each one's
    /// delta (`BlockSchedule.retirements`): bursts of entries in a row,
    /// which the host computes and stores a vector at a time. A burst that reaches the ring's
    /// end spills into the room past it, and the next starts again at the ring's beginning.
    @inlinable @inline(__always)
    func noteRetirement(of count: Int, at retired: UInt64, less deltas: UnsafeRawPointer) {
        let first = sequence, mask = Int(truncatingIfNeeded: windowMask)
        var at = Int(truncatingIfNeeded: first) & mask, left = count
        var d = deltas
        while true {
            let v = d.loadUnaligned(as: SIMD16<UInt64>.self)
            UnsafeMutableRawPointer(retirements + at).storeBytes(of: SIMD16(repeating: retired) &- v, as: SIMD16<UInt64>.self)
            let step = min(Self.retireBurst, mask &+ 1 &- at) // the entries of this burst inside the ring
            if _fastPath(left <= step) { break }
            left &-= step
            at = (at &+ step) & mask
            d += 8 &* step
        }
        sequence = first &+ UInt64(count)
    }

    /// Whether the predictor foresaw the branch at `pc` going to `next` (and trains it).
    @inlinable @inline(__always)
    func predict(_ branch: BranchCategory, pc: UInt64, next: UInt64, predictor: BranchPredictor) -> Bool {
        switch branch {
        case .conditional: return predictor.conditional(pc: pc, taken: next != pc &+ instructionBytes)
        case .call: predictor.call(returnAddress: pc &+ instructionBytes); return true
        case .indirect: return predictor.indirect(pc: pc, target: next)
        case .indirectCall:
            predictor.call(returnAddress: pc &+ instructionBytes)
            return predictor.indirect(pc: pc, target: next)
        case .ret: return predictor.ret(target: next)
        case .direct, .none: return true
        }
    }

    /// Replays one block instruction by instruction: the dataflow model, exact. The model's
    /// clocks live in locals for the loop: the records and `state` are raw memory the compiler
    /// cannot prove distinct from the object's fields. The block's events (in any order) are
    /// first spread over its instructions.
    @inline(__always)
    private func issue<P: IssueOrder>(_ block: TraceBlock, events: UnsafeMutablePointer<TraceEvent>, next nextPC: UInt64,
                                      predictor: BranchPredictor, memory: MemoryHierarchy, loadLatency: Int, _: P.Type) {
        var dispatch = self.dispatch, retired = self.retired, lastIssue = self.lastIssue
        let ready = self.state, classes = self.classes
        let pipes = Self.pipesAt
        let scale = self.scale, window = self.window
        let count = Int(block.count)
        let noted = block.events != 0
        let extras = eventScratch
        if noted {
            extras.update(repeating: TraceEvent(position: 0), count: count)
            for k in 0..<Int(block.events) {
                let e = events[k]
                let x = extras + Int(e.position)
                x.pointee.extra &+= e.extra
                x.pointee.stall &+= e.stall
                x.pointee.flags |= e.flags
            }
        }
        for k in 0..<count {
            let r = block.records[k]
            let c = classes[Int(r.kind)]
            var extra: UInt64 = 0
            var dram = false
            if noted {
                let e = extras[k]
                dispatch &+= scale &* UInt64(e.stall)
                extra = scale &* UInt64(e.extra)
                dram = e.flags & TraceEvent.dramLoad != 0
            }
            // The front end delivers `width` instructions per cycle, and the window must have room.
            // An in-order core issues in order and retires in order behind it, so only an
            // out-of-order core's window can hold dispatch back.
            var dispatched = dispatch
            if !P.inOrder && sequence >= UInt64(window) {
                dispatched = max(dispatch, retirements[Int(truncatingIfNeeded: (sequence &- UInt64(window)) & windowMask)])
            }
            var t = dispatched
            dispatch = t &+ 1
            t = max(t, max(max(ready[Int(r.s0)], ready[Int(r.s1)]), max(ready[Int(r.s2)], ready[Int(r.s3)])))
            if P.inOrder { t = max(t, lastIssue) }
            // The earlier free of the class's (up to two) pipes.
            let pa = pipes &+ Int(c.pipeA), pb = pipes &+ Int(c.pipeB)
            let a = ready[pa], b = ready[pb]
            let pipe = b < a ? pb : pa
            let reserved = max(dispatched, min(a, b))
            t = max(t, min(a, b))
            if _slowPath(dram) {
                extra &+= Self.dramLoad(at: t, scale: scale, memory: memory, loadLatency: loadLatency)
            }
            // An unpipelined unit is busy from its instruction's issue, longer if it ran long.
            // Out of order, a pipelined unit's slot is taken in dispatch order whether or not
            // the operands are ready: an instruction held by a late operand does not hold
            // the pipe for the ones after it, which the core issues meanwhile.
            ready[pipe] = c.unpipelined ? t &+ UInt64(c.occupancy) &+ extra
                : (P.inOrder ? t : reserved) &+ UInt64(c.occupancy)
            if P.inOrder { lastIssue = t }
            let done = t &+ UInt64(c.latency) &+ extra
            ready[Int(r.d0)] = done
            ready[Int(r.d1)] = done
            ready[Int(r.d2)] = t &+ scale
            retired = max(done, retired)
            if !P.inOrder {
                retirements[Int(truncatingIfNeeded: sequence & windowMask)] = retired
                sequence &+= 1
            }
            if P.inOrder && dispatch < t { dispatch = t }
            if _slowPath(c.branch != .none) {
                let pc = block.pc &+ UInt64(k) &* instructionBytes
                let next = k &+ 1 < count ? pc &+ instructionBytes : nextPC
                if !predict(c.branch, pc: pc, next: next, predictor: predictor) {
                    dispatch = max(dispatch, t &+ scale &* (1 &+ penalty))
                }
            }
        }
        self.dispatch = dispatch; self.retired = retired; self.lastIssue = lastIssue
        orderPairs()
    }

    /// Schedules expect each pair of identical pipes ordered, the first free first.
    @inlinable @inline(__always)
    func orderPairs() {
        for g in pairs {
            let a = state[g.low], b = state[g.high]
            if a > b { state[g.low] = b; state[g.high] = a }
        }
    }

    /// A load that missed every cache issued at scaled time `t`: its scaled latency beyond the
    /// L1 figure, waiting for the DRAM channel included. Out of line: it is rare, and inlined
    /// it would keep registers busy in the whole replay loop.
    @inline(never)
    static func dramLoad(at t: UInt64, scale: UInt64, memory: MemoryHierarchy, loadLatency: Int) -> UInt64 {
        scale &* UInt64(max(memory.dramRead(cycle: t / scale) - loadLatency, 0))
    }

    /// Time passes with nothing issued (a core waiting in WFI): every clock moves to `cycle`.
    public func idle(until cycle: UInt64) {
        settle()
        let t = cycle &* scale
        dispatch = max(dispatch, t)
        lastIssue = max(lastIssue, t)
        retired = max(retired, t)
    }
}

/// Whether a core issues in program order; the replay loop, and a caller that knows its
/// core, is specialised on it.
public protocol IssueOrder { static var inOrder: Bool { get } }
/// In program order (the Cortex-A53).
public enum InOrderIssue: IssueOrder { @inlinable public static var inOrder: Bool { true } }
/// Out of order (the Cortex-A72).
public enum OutOfOrderIssue: IssueOrder { @inlinable public static var inOrder: Bool { false } }
