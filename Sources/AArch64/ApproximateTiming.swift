import Microarch

/// The cycle-approximate timing of one AArch64 core: the core model (in order or out of
/// order), its share of the cache hierarchy, and its branch predictor, fed by the run loop.
///
/// The run loop tells the model where each straight-line block it executes ends (at a
/// branch, or where the loop leaves it); nothing per instruction. Memory accesses look up
/// the TLBs and caches as they happen, in program order, and note what was slow as an event
/// on the instruction's position in its block; the front end's lines are looked up when the
/// block ends. The core model replays the recorded blocks in batches: a branch is resolved
/// by the next block's address, and a load that goes to DRAM asks the channel at the cycle
/// it issues. When the model's clock reaches the slice's deadline it asks the loop to stop
/// at the next block boundary; near the deadline the batches shrink to half the dispatch
/// slots left, so the slice ends within a block of it.
public struct ApproximateTiming: TimingObserver {
    public static var isActive: Bool { true }

    /// A core type's figures: the core model's parameters, the predictor's and TLBs' sizes,
    /// and the memory hierarchy a board of this core has.
    public struct CoreProfile: Sendable, Equatable {
        public var core: CoreTimingModel.Parameters
        public var predictor: BranchPredictor.Configuration
        public var tlb: TLBModel.Configuration
        public var memory: MemoryHierarchy.Configuration
        /// Whether straight-line blocks replay from their schedules (`--timing approximate`) or
        /// every instruction goes through the dataflow model (`--timing detailed`).
        public var schedules: Bool
        public init(core: CoreTimingModel.Parameters, predictor: BranchPredictor.Configuration, tlb: TLBModel.Configuration,
                    memory: MemoryHierarchy.Configuration, schedules: Bool = true) {
            self.core = core; self.predictor = predictor; self.tlb = tlb; self.memory = memory; self.schedules = schedules
        }
    }

    public let model: CoreTimingModel
    public let predictor: BranchPredictor
    public let tlb: TLBModel
    public let memory: MemoryHierarchy
    public let core: Int
    /// The address space the TLB model tags entries with (TTBR0_EL1.ASID; 0 in user mode).
    public var asid: UInt16 = 0 {
        didSet { forgetPages() }
    }
    /// The cycle at which the current slice ends (the loop stops there).
    public var deadline: UInt64 = .max {
        didSet {
            deadlineScaled = deadline == .max ? .max : deadline &* scale
            planBatch()
        }
    }

    private let trace = TimingTrace()
    /// The trace's blocks and events. Blocks are closed; events past `closedEvents` belong to
    /// the block running now. Kept here, not in the trace object, so the loop's counters are
    /// a local's.
    private let blocks: UnsafeMutablePointer<TraceBlock>
    private let events: UnsafeMutablePointer<TraceEvent>
    var blockCount = 0
    private var eventCount = 0
    private var closedEvents = 0
    /// Instructions in the closed blocks.
    private var instructions = 0
    /// The page the loop runs in (its timing records and address) and where in it the
    /// running block began.
    private var records = UnsafePointer<TimingRecord>(bitPattern: 8)!
    private var pageBase: UInt64 = 0
    private(set) var blockStart = 0
    /// The model's clock reached the deadline: the loop stops at the next block boundary.
    private(set) var stopPending = false
    /// Whether blocks replay from their schedules (`--timing approximate`) or always
    /// instruction by instruction (`--timing detailed`).
    public let schedules: Bool
    private let l1d: SetAssociativeCache
    private let l1i: SetAssociativeCache
    private let scale: UInt64
    private let loadLatency: Int
    private let fetchHit: Int
    private var batchLimit = TimingTrace.capacity
    var fetchLine: UInt64 = .max
    var fetchPage: UInt64 = .max
    var dataPage: UInt64 = .max
    private var deadlineScaled: UInt64 = .max

    public init(profile: CoreProfile, memory: MemoryHierarchy, core: Int) {
        var p = profile.core
        p.branches = TimingShape.Kind.allCases.map(\.branchCategory)
        model = CoreTimingModel(p)
        predictor = BranchPredictor(profile.predictor)
        tlb = TLBModel(profile.tlb)
        self.memory = memory
        self.core = core
        l1d = memory.l1Data(core: core)
        l1i = memory.l1Instruction(core: core)
        scale = UInt64(profile.core.width)
        loadLatency = profile.core.latency[Int(TimingShape.Kind.load.rawValue)]
        fetchHit = profile.memory.l1i.hitLatency
        blocks = trace.blocks
        events = trace.events
        // Out of order, a schedule ignores pipes shared across blocks, which measured 23 %
        // fast on the CoreMark-style workload (bench_sort -3.5 %): the A72 replays every
        // instruction until schedules account for them.
        schedules = profile.schedules && profile.core.inOrder
    }

    /// Core cycles so far. Instructions still in the trace are not counted: the loop replays
    /// them all before it returns, and `settledCycles` replays those before the current one.
    public var cycles: UInt64 { model.cycles }

    /// Catches the model's clock up with the core's (after a wait in WFI, or at attach).
    func synchronize(cycle: UInt64) {
        if model.cycles < cycle { model.idle(until: cycle) }
    }

    /// One page's translation under `asid` was invalidated (TLBI VAE1): so is the model's entry.
    public mutating func translationInvalidated(page: UInt64, asid: UInt16) {
        tlb.invalidate(page: page, asid: asid)
        forgetPages()
    }

    /// The architectural TLB was invalidated wholly or by ASID: the model's is emptied.
    public mutating func translationsInvalidated() {
        tlb.flush()
        forgetPages()
    }

    /// The next fetch and data access look their pages up in the TLB model again.
    private mutating func forgetPages() {
        dataPage = .max
        fetchPage = .max
    }

    // MARK: What the run loop calls

    /// The loop runs the page whose timing records are `records`, at `base`, from index `i`:
    /// a block starts there.
    @inline(__always)
    mutating func enter(records: UnsafePointer<TimingRecord>, base: UInt64, at i: Int) {
        self.records = records
        pageBase = base
        blockStart = i
    }

    /// The running block ended with the instruction at index `i` (nothing if it is empty).
    @inline(__always)
    mutating func end(at i: Int) {
        if i >= blockStart { close(through: i) }
    }

    /// Records the block from `blockStart` through `i`: its front-end lines are looked up, it
    /// takes the events noted since the last block, and a full trace is replayed (but for this
    /// block, whose successor is not known yet).
    private mutating func close(through i: Int) {
        let n = i &- blockStart &+ 1
        let pc = pageBase &+ UInt64(blockStart &<< 2)
        let lastLine = (pc &+ UInt64((n &- 1) &<< 2)) >> 6
        if _slowPath(pc >> 6 != fetchLine || lastLine != fetchLine) { fetchLines(from: pc, count: n) }
        var block = TraceBlock(records: records + blockStart, pc: pc)
        block.count = UInt32(truncatingIfNeeded: n)
        block.events = UInt32(truncatingIfNeeded: eventCount &- closedEvents)
        (blocks + blockCount).initialize(to: block)
        blockCount &+= 1
        closedEvents = eventCount
        instructions &+= n
        blockStart = i &+ 1
        if _slowPath(instructions >= batchLimit) { replay(keepingLast: true) }
    }

    /// Looks up the front end's lines of the block at `pc` (`n` instructions): a line other
    /// than the last one fetched costs its lookup, and a miss stalls the instruction at its start.
    private mutating func fetchLines(from pc: UInt64, count n: Int) {
        var line = pc >> 6
        let last = (pc &+ UInt64((n &- 1) &<< 2)) >> 6
        while line <= last {
            if line != fetchLine {
                let start = max(line << 6, pc)
                fetchMiss(start, position: Int((start &- pc) >> 2))
            }
            line &+= 1
        }
    }

    /// Something dynamic happened to the instruction at `position` in the running block.
    private mutating func note(at position: Int, extra: UInt32 = 0, stall: UInt16 = 0, flags: UInt16 = 0) {
        let p = UInt32(truncatingIfNeeded: position)
        if eventCount > closedEvents && events[eventCount - 1].position == p {
            let e = events + (eventCount - 1)
            e.pointee.extra &+= extra
            e.pointee.stall &+= stall
            e.pointee.flags |= flags
        } else {
            (events + eventCount).initialize(to: TraceEvent(position: p, extra: extra, stall: stall, flags: flags))
            eventCount += 1
        }
    }

    /// Replays the closed blocks, but the last if `keepingLast` (its successor is not known
    /// yet); otherwise the running block's start follows them. What is kept moves to the front.
    private mutating func replay(keepingLast: Bool) {
        let n = keepingLast ? blockCount - 1 : blockCount
        guard n > 0 else { return }
        let next = keepingLast ? blocks[n].pc : pageBase &+ UInt64(blockStart &<< 2)
        replayFirst(n, nextPC: next)
        let kept = keepingLast ? Int(blocks[n].events) : 0
        let done = closedEvents &- kept
        if done > 0 {
            for k in done..<eventCount { events[k &- done] = events[k] }
            eventCount &-= done
            closedEvents &-= done
        }
        if keepingLast {
            blocks[0] = blocks[n]
            blockCount = 1
            instructions = Int(blocks[0].count)
        } else {
            blockCount = 0
            instructions = 0
        }
        planBatch()
    }

    /// The loop is returning and control went on to `nextPC`: replays everything. The loop
    /// has closed the running block.
    @inline(__always)
    mutating func issue(nextPC pc: UInt64, registers X: UnsafeMutablePointer<UInt64>) {
        guard blockCount > 0 else { return }
        replayFirst(blockCount, nextPC: pc)
        blockCount = 0
        eventCount = 0
        closedEvents = 0
        instructions = 0
        planBatch()
    }

    /// Issues the first `n` recorded blocks; the last of them was followed by `nextPC`.
    private func replayFirst(_ n: Int, nextPC: UInt64) {
        model.replay(blocks, count: n, events: events, nextPC: nextPC, predictor: predictor, memory: memory, loadLatency: loadLatency,
                     scheduleSlots: DecodeCache.scheduleSlots, schedules: schedules)
    }

    /// Catches up with every instruction before the one at index `i`, which is running: the
    /// running block is cut before it.
    private mutating func catchUp(before i: Int) {
        if i > blockStart { close(through: i &- 1) }
        replay(keepingLast: false)
    }

    /// The model's clock for a guest reading the time at index `i`: exact up to that instruction.
    mutating func settledCycles(at i: Int) -> UInt64 {
        catchUp(before: i)
        return model.cycles
    }

    /// How many instructions to record before replaying: the whole buffer while the deadline is
    /// far, then half the dispatch slots left, so the slice ends within a block of it.
    private mutating func planBatch() {
        let now = model.dispatchTime
        stopPending = deadlineScaled <= now
        if deadlineScaled == .max || deadlineScaled <= now {
            batchLimit = deadlineScaled <= now ? 1 : TimingTrace.capacity - 1
            return
        }
        let half = (deadlineScaled - now) / 2
        let limit: UInt64 = min(max(half, 1), UInt64(TimingTrace.capacity - 1))
        batchLimit = Int(limit)
    }

    /// The front end fetches the line holding `pc`, the instruction at `position` in the
    /// block being closed.
    private mutating func fetchMiss(_ pc: UInt64, position: Int) {
        fetchLine = pc >> 6
        var stall = 0
        if pc >> 12 != fetchPage {
            fetchPage = pc >> 12
            stall += tlb.translate(page: fetchPage, asid: asid, instruction: true)
        }
        if !l1i.hitsAgain(pc, write: false) {
            let latency = memory.throughCaches(core: core, address: pc, kind: .fetch) ?? dram()
            stall += max(latency - fetchHit, 0)
        }
        if stall > 0 { note(at: position, stall: UInt16(min(stall, Int(UInt16.max)))) }
    }

    /// A DRAM request by the front end or a store: the model catches up with the closed
    /// blocks first, so the channel sees the request at about the cycle it leaves.
    private mutating func dram() -> Int {
        replay(keepingLast: false)
        return memory.dramRead(cycle: model.dispatchTime / scale)
    }

    /// The instruction at index `i` loads (`write` false) or stores at `address`.
    @inline(__always)
    mutating func access(_ address: UInt64, write: Bool, at i: Int) {
        if _slowPath(address >> 12 != dataPage) { translateData(address, write: write, at: i) }
        if l1d.hitsAgain(address, write: write) { return }
        accessMiss(address, write: write, at: i)
    }

    /// The same, for a plain load or store: its timing class says which.
    @inline(__always)
    mutating func accessByKind(_ address: UInt64, at i: Int) {
        access(address, write: records[i].kind &- Self.firstStoreKind <= Self.storeKinds, at: i)
    }
    /// Store kinds are declared together, from `store` to `vectorStore`.
    private static let firstStoreKind = TimingShape.Kind.store.rawValue
    private static let storeKinds = TimingShape.Kind.vectorStore.rawValue - TimingShape.Kind.store.rawValue

    /// A data access to a page other than the last one's: the TLB model's cost. Only a load
    /// waits for it; a store's translation, like its miss, is hidden by the store buffer.
    private mutating func translateData(_ address: UInt64, write: Bool, at i: Int) {
        dataPage = address >> 12
        let cost = tlb.translate(page: dataPage, asid: asid, instruction: false)
        if !write && cost > 0 { note(at: i &- blockStart, extra: UInt32(cost)) }
    }

    /// The L1 lookup beyond the recent-line fast path: a load's latency beyond the L1 figure
    /// lengthens its result; a store that misses every cache goes to DRAM once the model has
    /// caught up with the instructions before it.
    private mutating func accessMiss(_ address: UInt64, write: Bool, at i: Int) {
        if write {
            if memory.throughCaches(core: core, address: address, kind: .store) == nil {
                catchUp(before: i)
                _ = memory.dramRead(cycle: model.dispatchTime / scale)
            }
        } else if let latency = memory.throughCaches(core: core, address: address, kind: .load) {
            if latency > loadLatency { note(at: i &- blockStart, extra: UInt32(latency - loadLatency)) }
        } else {
            note(at: i &- blockStart, flags: TraceEvent.dramLoad) // the model asks DRAM when the load issues
        }
    }

    mutating func maintain(_ address: UInt64, clean: Bool, invalidate: Bool) {
        memory.maintain(core: core, address: address, clean: clean, invalidate: invalidate, cycle: model.dispatchTime / scale)
    }

    mutating func zeroBlock(_ address: UInt64, size: Int) {
        let line = UInt64(memory.configuration.l1d.lineSize)
        var a = address
        while a < address &+ UInt64(size) { memory.zeroLine(core: core, address: a); a &+= line }
    }

    /// A divide produced `quotient` (its magnitude, `bits` wide): the cycles beyond the class's
    /// minimum. The dividers retire about four quotient bits per cycle after the minimum, so the
    /// A72's 4 cycles (one quotient bit) rise to 12 for 32 bits (W) and 20 for 64 bits (X), the
    /// Software Optimization Guide's published range; the A53 uses the same rate from its
    /// minimum of 3 (its maximum is not published; the A55 guide gives 12 and 20).
    @inline(__always)
    mutating func divided(magnitude q: UInt64, at i: Int) {
        let bits = 64 - q.leadingZeroBitCount
        if bits > 1 { note(at: i &- blockStart, extra: UInt32((bits - 1 + 3) / 4)) }
    }
}

extension TimingShape.Kind {
    /// How the predictor sees this class.
    var branchCategory: CoreTimingModel.BranchCategory {
        switch self {
        case .branch: .direct
        case .call: .call
        case .conditionalBranch: .conditional
        case .indirectBranch: .indirect
        case .indirectCall: .indirectCall
        case .returnBranch: .ret
        default: .none
        }
    }
}
