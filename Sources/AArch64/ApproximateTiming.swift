import Microarch

/// The cycle-approximate timing of one AArch64 core: the core model (in order or out of
/// order), its share of the cache hierarchy, and its branch predictor, fed by the run loop.
///
/// The run loop records each instruction (its pre-decoded `TimingRecord` and PC) in a trace;
/// its memory accesses look up the TLBs and caches as they happen, in program order, and
/// note the extra latency on the entry. The core model replays the trace in batches: a
/// branch is resolved by the next entry's PC, and a load that goes to DRAM asks the channel
/// at the cycle it issues. The run loop stops a slice when the model's clock, not the
/// instruction count, reaches the deadline; near it the batches shrink to half the dispatch
/// slots left, so the slice ends within a few instructions of it.
public struct ApproximateTiming: TimingObserver {
    public static var isActive: Bool { true }

    /// A core type's figures: the core model's parameters, the predictor's and TLBs' sizes,
    /// and the memory hierarchy a board of this core has.
    public struct CoreProfile: Sendable, Equatable {
        public var core: CoreTimingModel.Parameters
        public var predictor: BranchPredictor.Configuration
        public var tlb: TLBModel.Configuration
        public var memory: MemoryHierarchy.Configuration
        public init(core: CoreTimingModel.Parameters, predictor: BranchPredictor.Configuration, tlb: TLBModel.Configuration,
                    memory: MemoryHierarchy.Configuration) {
            self.core = core; self.predictor = predictor; self.tlb = tlb; self.memory = memory
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
    /// The trace's entries, and how many are recorded (the last has run; its successor is not
    /// known yet). Kept here, not in the trace object, so the loop's counter is a local's.
    private let entries: UnsafeMutablePointer<TraceEntry>
    var count = 0
    private let l1d: SetAssociativeCache
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
        scale = UInt64(profile.core.width)
        loadLatency = profile.core.latency[Int(TimingShape.Kind.load.rawValue)]
        fetchHit = profile.memory.l1i.hitLatency
        entries = trace.entries
    }

    /// Core cycles so far. Instructions still in the trace are not counted: the loop replays
    /// them all before it returns, and `settledCycles` replays those before the current one.
    public var cycles: UInt64 { model.cycles }
    var deadlineReached: Bool { model.dispatchTime >= deadlineScaled }

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

    /// The entry of the instruction running now (the last recorded).
    private var current: UnsafeMutablePointer<TraceEntry> { entries + (count &- 1) }

    /// Whether the trace is as long as it may get before the model replays it.
    @inline(__always) var batchFull: Bool { count >= batchLimit }

    /// The instruction with record `t` at `pc` is about to run.
    @inline(__always)
    mutating func fetch(_ t: TimingRecord, pc: UInt64) {
        (entries + count).initialize(to: TraceEntry(record: t, pc: pc))
        count &+= 1
        if _slowPath(pc >> 6 != fetchLine) { fetchMiss(pc) }
    }

    /// The last record fetched was the end-of-page sentinel, which is no instruction.
    mutating func dropLastFetch() { count -= 1 }

    /// Replays every instruction but the one that ran last (whose successor is not known yet).
    mutating func replayBatch() {
        guard count > 1 else { return }
        let last = entries[count - 1]
        replay(count - 1, nextPC: last.pc)
        entries[0] = last
        count = 1
    }

    /// The loop is returning and control went on to `nextPC`: replays everything.
    @inline(__always)
    mutating func issue(nextPC pc: UInt64, registers X: UnsafeMutablePointer<UInt64>) {
        guard count > 0 else { return }
        replay(count, nextPC: pc)
        count = 0
    }

    /// Issues the first `n` recorded instructions; the last of them was followed by `nextPC`.
    private mutating func replay(_ n: Int, nextPC: UInt64) {
        model.replay(entries, count: n, nextPC: nextPC, predictor: predictor, memory: memory, loadLatency: loadLatency)
        planBatch()
    }

    /// The model's clock for a guest reading the time: exact up to the instruction reading it.
    mutating func settledCycles() -> UInt64 {
        replayBatch()
        return model.cycles
    }

    /// How many instructions to record before replaying: the whole buffer while the deadline is
    /// far, then half the dispatch slots left, so the slice ends within a few instructions of it.
    private mutating func planBatch() {
        let now = model.dispatchTime
        if deadlineScaled == .max || deadlineScaled <= now {
            batchLimit = deadlineScaled <= now ? 2 : TimingTrace.capacity
            return
        }
        let half = (deadlineScaled - now) / 2
        let limit: UInt64 = min(max(half, 1), UInt64(TimingTrace.capacity - 1))
        batchLimit = 1 + Int(limit)
    }

    private mutating func fetchMiss(_ pc: UInt64) {
        fetchLine = pc >> 6
        var stall = 0
        if pc >> 12 != fetchPage {
            fetchPage = pc >> 12
            stall += tlb.translate(page: fetchPage, asid: asid, instruction: true)
        }
        let latency = memory.throughCaches(core: core, address: pc, kind: .fetch) ?? dram()
        stall += max(latency - fetchHit, 0)
        current.pointee.stall &+= UInt16(min(stall, Int(UInt16.max)))
    }

    /// A DRAM request by the front end or a store of the instruction running now: the model
    /// catches up to it first, so the channel sees the request at about the cycle it leaves.
    private mutating func dram() -> Int {
        replayBatch()
        return memory.dramRead(cycle: model.dispatchTime / scale)
    }

    @inline(__always)
    mutating func access(_ address: UInt64, write: Bool) {
        if _slowPath(address >> 12 != dataPage) { translateData(address, write: write) }
        if l1d.hitsAgain(address, write: write) { return }
        accessMiss(address, write: write)
    }

    @inline(__always)
    mutating func accessByKind(_ address: UInt64) {
        access(address, write: current.pointee.record.kind &- Self.firstStoreKind <= Self.storeKinds)
    }
    /// Store kinds are declared together, from `store` to `vectorStore`.
    private static let firstStoreKind = TimingShape.Kind.store.rawValue
    private static let storeKinds = TimingShape.Kind.vectorStore.rawValue - TimingShape.Kind.store.rawValue

    /// A data access to a page other than the last one's: the TLB model's cost. Only a load
    /// waits for it; a store's translation, like its miss, is hidden by the store buffer.
    private mutating func translateData(_ address: UInt64, write: Bool) {
        dataPage = address >> 12
        let cost = tlb.translate(page: dataPage, asid: asid, instruction: false)
        if !write { current.pointee.extra &+= UInt32(cost) }
    }

    /// The L1 lookup beyond the recent-line fast path: a load's latency beyond the L1 figure
    /// lengthens its result.
    private mutating func accessMiss(_ address: UInt64, write: Bool) {
        if write {
            if memory.throughCaches(core: core, address: address, kind: .store) == nil { _ = dram() }
        } else if let latency = memory.throughCaches(core: core, address: address, kind: .load) {
            current.pointee.extra &+= UInt32(max(latency - loadLatency, 0))
        } else {
            current.pointee.flags |= TraceEntry.dramLoad // the model asks DRAM when the load issues
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
    mutating func divided(magnitude q: UInt64) {
        let bits = 64 - q.leadingZeroBitCount
        if bits > 1 { current.pointee.extra &+= UInt32((bits - 1 + 3) / 4) }
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
