import Microarch

/// The cycle-approximate timing of one AArch64 core: the core model (in order or out of
/// order), its share of the cache hierarchy, and its branch predictor, fed by the run loop.
///
/// The run loop tells the model where each straight-line block it executes ends (at a
/// branch, or where the loop leaves it); nothing per instruction. Memory accesses look up
/// the TLBs and caches as they happen, in program order, and note what was slow as an event
/// on the instruction's position in its block; the front end's lines are looked up when the
/// block ends. Closed blocks wait, and replay a batch at a time out of the loop: the next
/// block's address resolves each one's branch, and the core model issues it, or holds it to
/// replay with the blocks after it as one group. So the model's clock trails the loop by up
/// to a batch of blocks; before a lookup beyond the L1s every closed block but the last
/// issues (as when one block at a time trailed), and before a load or store goes to DRAM,
/// or the guest reads the time, everything before it issues, so the channel sees requests
/// in program order at about the cycle each leaves the core. When the clock reaches the
/// slice's deadline the model asks the loop to stop at the next block boundary after the
/// batch that reached it.
public struct ApproximateTiming {
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
            noteDeadline()
        }
    }

    /// The closed blocks not yet replayed, the last of which waits for its successor; their
    /// events are the first `closedEvents`, in order, and the running block's follow.
    private let closed: UnsafeMutablePointer<TraceBlock>
    private var closedCount = 0
    var hasPending: Bool { closedCount > 0 }
    private let events: UnsafeMutablePointer<TraceEvent>
    private let eventStorage = TimingTrace()
    private var eventCount = 0
    private var closedEvents = 0
    /// The page the loop runs in (its timing records and address) and where in it the
    /// running block began.
    private var records = UnsafePointer<TimingRecord>(bitPattern: 8)!
    private var pageBase: UInt64 = 0
    private(set) var blockStart = 0
    /// The model's clock reached the deadline: the loop stops at the next block boundary.
    private(set) var stopPending = false
    /// How many closed blocks wait before they replay: fewer near the deadline (`TimingTrace.nearBatch`).
    private var batchLimit = TimingTrace.nearBatch
    /// Whether blocks replay from their schedules (`--timing approximate`) or always
    /// instruction by instruction (`--timing detailed`).
    public let schedules: Bool
    /// Whether the core issues in order (which `OrderedTiming` the loop runs with).
    public let inOrder: Bool
    private let l1d: SetAssociativeCache
    private let l1i: SetAssociativeCache
    private let scale: UInt64
    private let loadLatency: Int
    private let fetchHit: Int
    /// An L1D hit's latency beyond the load class's (none on the boards so far).
    private let l1HitExtra: UInt32
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
        l1HitExtra = UInt32(max(profile.memory.l1d.hitLatency - loadLatency, 0))
        events = eventStorage.events
        closed = eventStorage.blocks
        schedules = profile.schedules
        inOrder = profile.core.inOrder
        model.connect(memory: memory, loadLatency: loadLatency, scheduleSlots: DecodeCache.scheduleSlots, schedules: schedules)
    }

    /// Core cycles so far. The pending block is not counted: the loop issues it before it
    /// returns, and `settledCycles` issues everything before the current instruction.
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

    /// The running block ended with the instruction at index `i` (nothing if it is empty); the
    /// loop knows the core's issue order (see `OrderedTiming`).
    @inline(__always)
    mutating func end<O: IssueOrder>(at i: Int, _: O.Type) {
        if i >= blockStart { close(through: i, O.self) }
    }

    /// The running block ended with the branch at index `i`, so it holds at least that.
    @inline(__always)
    mutating func endAtBranch<O: IssueOrder>(at i: Int, _: O.Type) {
        close(through: i, O.self)
    }

    /// `close` for a caller that does not know the issue order.
    @inline(never)
    private mutating func close(through i: Int) {
        if inOrder { close(through: i, InOrderIssue.self) } else { close(through: i, OutOfOrderIssue.self) }
    }

    /// Closes the block from `blockStart` through `i`: its front-end lines are looked up, and
    /// it takes the events noted since the last block and joins the closed blocks. They
    /// replay a batch at a time, out of the run loop, whose registers they would otherwise
    /// spill at every branch; so the model's clock, and `stopPending`, trail the loop by up
    /// to a batch of blocks (`batchLimit`). Anything that needs the clock exact
    /// replays them first.
    @inline(__always)
    private mutating func close<O: IssueOrder>(through i: Int, _: O.Type) {
        let n = i &- blockStart &+ 1
        let pc = runningPC
        let firstLine = pc >> 6, lastLine = (pageBase &+ UInt64(truncatingIfNeeded: i &<< 2)) >> 6
        if _slowPath(firstLine != fetchLine || lastLine != fetchLine) {
            // Inline, the common cases of a block within one line, or across two, each its L1I
            // set's most recent; `fetchLines` goes on from where these stop.
            if firstLine == lastLine {
                if !fetchesMostRecent(lastLine, at: pc) { fetchLines(from: pc, count: n) }
            } else if !(lastLine == firstLine &+ 1 && (firstLine == fetchLine || fetchesMostRecent(firstLine, at: pc))
                        && fetchesMostRecent(lastLine, at: lastLine << 6)) {
                fetchLines(from: pc, count: n)
            }
        }
        let block = closed + closedCount
        block.pointee.records = records + blockStart
        block.pointee.pc = pc
        block.pointee.count = UInt32(truncatingIfNeeded: n)
        block.pointee.events = UInt32(truncatingIfNeeded: eventCount &- closedEvents)
        closedCount &+= 1
        closedEvents = eventCount
        blockStart = i &+ 1
        if _slowPath(closedCount > batchLimit) {
            issueClosed(closedCount &- 1, followedBy: 0, O.self)
        }
    }

    /// `issueClosed` for a caller that does not know the issue order.
    private mutating func issueClosed(_ m: Int, followedBy next: UInt64) {
        if inOrder { issueClosed(m, followedBy: next, InOrderIssue.self) } else { issueClosed(m, followedBy: next, OutOfOrderIssue.self) }
    }

    /// Where the running block starts.
    private var runningPC: UInt64 { pageBase &+ UInt64(truncatingIfNeeded: blockStart &<< 2) }

    /// Replays the first `m` closed blocks, each followed by the block closed after it, the
    /// last closed one by `next`; the rest, and their events, move to the front. Out of line,
    /// with the model's state in its own registers.
    @inline(never)
    private mutating func issueClosed<O: IssueOrder>(_ m: Int, followedBy next: UInt64, _: O.Type) {
        closed[closedCount].pc = next // each block's successor is the next entry's address
        let offset = model.replay(closed, count: m, events: events, predictor: predictor, O.self)
        for k in m..<closedCount { closed[k &- m] = closed[k] }
        closedCount &-= m
        if offset > 0 {
            for k in offset..<eventCount { events[k &- offset] = events[k] }
            eventCount &-= offset
            closedEvents &-= offset
        }
        noteDeadline()
    }

    /// Whether the model's clock reached the deadline, and how long a batch may be before it.
    private mutating func noteDeadline() {
        let now = model.dispatchTime
        stopPending = deadlineScaled <= now
        batchLimit = deadlineScaled &- now >= TimingTrace.near &* scale && !stopPending ? TimingTrace.batch : TimingTrace.nearBatch
    }

    /// Looks up the front end's lines of the block at `pc` (`n` instructions): a line other
    /// than the last one fetched costs its lookup, and a miss stalls the instruction at its start.
    private mutating func fetchLines(from pc: UInt64, count n: Int) {
        var line = pc >> 6
        let last = (pc &+ UInt64(truncatingIfNeeded: (n &- 1) &<< 2)) >> 6
        while line <= last {
            if line != fetchLine {
                let start = max(line << 6, pc)
                // The common cases inline: a line of the page fetched last that is its L1I
                // set's most recent, or else in the L1I.
                if !fetchesMostRecent(line, at: start) {
                    if start >> 12 == fetchPage && l1i.hitsResident(start, write: false) {
                        fetchLine = line
                    } else {
                        fetchMiss(start, position: Int((start &- pc) >> 2))
                    }
                }
            }
            line &+= 1
        }
    }

    /// Fetches line `line` (from `address` in it) if it is in the page fetched last and is its
    /// L1I set's most recent: a hit without a lookup.
    @inline(__always)
    private mutating func fetchesMostRecent(_ line: UInt64, at address: UInt64) -> Bool {
        guard address >> 12 == fetchPage && l1i.hitsMostRecent(address, write: false) else { return false }
        fetchLine = line
        return true
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
            // Full: the closed blocks replay (the running block follows them) and leave room.
            if _slowPath(eventCount == TimingTrace.eventCapacity) { issueClosed(closedCount, followedBy: runningPC) }
            (events + eventCount).initialize(to: TraceEvent(position: p, extra: extra, stall: stall, flags: flags))
            eventCount += 1
        }
    }

    /// The loop is returning and control went on to `nextPC`: the closed blocks issue, and
    /// the group the model holds. The loop has closed the running block.
    @inline(__always)
    mutating func issue(nextPC pc: UInt64, registers X: UnsafeMutablePointer<UInt64>) {
        issueEverything(followedBy: pc)
    }

    /// Catches up with every instruction before the one at index `i`, which is running: the
    /// running block is cut before it.
    private mutating func catchUp(before i: Int) {
        if i > blockStart { close(through: i &- 1) }
        issueBeforeRunningBlock()
    }

    /// Replays every closed block but the last before a lookup beyond the L1s: the lookup may
    /// write a line back to DRAM, whose channel must first have seen the loads before it.
    /// (The last closed block, and the running one, are still to come, as without batches.)
    private mutating func issueAllButLast() {
        if closedCount > 1 { issueClosed(closedCount &- 1, followedBy: 0) }
    }

    /// Issues the closed blocks, followed by the running block.
    private mutating func issueBeforeRunningBlock() {
        issueEverything(followedBy: runningPC)
    }

    /// Issues the closed blocks, the last followed by `next`, and the group the model holds.
    private mutating func issueEverything(followedBy next: UInt64) {
        if closedCount > 0 { issueClosed(closedCount, followedBy: next) }
        model.settle()
    }

    /// The model's clock for a guest reading the time at index `i`: exact up to that instruction.
    mutating func settledCycles(at i: Int) -> UInt64 {
        catchUp(before: i)
        return model.cycles
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
        if !l1i.hitsResident(pc, write: false) {
            issueAllButLast()
            let latency = memory.throughCaches(core: core, address: pc, kind: .fetch) ?? dram()
            stall += max(latency - fetchHit, 0)
        }
        if stall > 0 { note(at: position, stall: UInt16(min(stall, Int(UInt16.max)))) }
    }

    /// A DRAM request by the front end or a store: the model catches up with the closed
    /// blocks first, so the channel sees the request at about the cycle it leaves.
    private mutating func dram() -> Int {
        issueBeforeRunningBlock()
        return memory.dramRead(cycle: model.dispatchTime / scale)
    }

    /// The instruction at index `i` loads (`write` false) or stores at `address`.
    @inline(__always)
    mutating func access(_ address: UInt64, write: Bool, at i: Int) {
        if _slowPath(address >> 12 != dataPage) { translateData(address, write: write, at: i) }
        if l1d.hitsMostRecent(address, write: write) { return }
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
    /// waits for it; a store's translation, like its miss, is hidden by the store buffer. The
    /// page accessed before the last one costs nothing and needs no full lookup (two pages
    /// in turn: a table and the data it transforms).
    private mutating func translateData(_ address: UInt64, write: Bool, at i: Int) {
        dataPage = address >> 12
        if tlb.translatesDataAgain(page: dataPage, asid: asid) { return }
        let cost = tlb.translate(page: dataPage, asid: asid, instruction: false)
        if !write && cost > 0 { note(at: i &- blockStart, extra: UInt32(cost)) }
    }

    /// The L1 lookup beyond the recent-line fast path: a load's latency beyond the L1 figure
    /// lengthens its result; a store that misses every cache goes to DRAM once the model has
    /// caught up with the instructions before it.
    private mutating func accessMiss(_ address: UInt64, write: Bool, at i: Int) {
        if l1d.hitsResident(address, write: write) {
            if !write && l1HitExtra > 0 { note(at: i &- blockStart, extra: l1HitExtra) }
            return
        }
        issueAllButLast()
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
