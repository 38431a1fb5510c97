import Microarch

/// The cycle-approximate timing of one AArch64 core: the core model (in order or out of
/// order), its share of the cache hierarchy, and its branch predictor, fed by the run loop.
///
/// Each instruction's class and operands come from its `TimingShape`. Loads issue with the
/// L1 hit latency of their class and are pushed back by the hierarchy's answer once the
/// address is known; conditional, indirect and return branches are resolved when the next
/// instruction's PC shows where control went, and a wrong prediction holds the front end
/// for the mispredict penalty. The run loop stops a slice when the model's clock, not the
/// instruction count, reaches the deadline.
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
        didSet { dataPage = .max; fetchPage = .max }
    }
    /// The cycle at which the current slice ends (the loop stops there).
    public var deadline: UInt64 = .max {
        didSet {
            deadlineScaled = deadline == .max ? .max : deadline &* scale
            planBatch()
        }
    }

    private let trace = TimingTrace()
    private let l1d: SetAssociativeCache
    private let scale: UInt64
    private let loadLatency: Int
    private let fetchHit: Int
    private var batchLimit = TimingTrace.capacity
    private var fetchLine: UInt64 = .max
    private var fetchPage: UInt64 = .max
    private var dataPage: UInt64 = .max
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
    }

    /// Core cycles so far. Instructions still in the trace are not counted: the loop replays
    /// them all before it returns, and `settledCycles` replays those before the current one.
    public var cycles: UInt64 { model.cycles }
    var deadlineReached: Bool { model.dispatchTime >= deadlineScaled }

    /// Catches the model's clock up with the core's (after a wait in WFI, or at attach).
    func synchronize(cycle: UInt64) {
        if model.cycles < cycle { model.idle(until: cycle) }
    }

    /// The architectural TLB was invalidated: so is the model's.
    public mutating func translationsInvalidated() {
        tlb.flush()
        dataPage = .max
        fetchPage = .max
    }

    // MARK: What the run loop calls

    /// Whether the trace is as long as it may get before the model replays it.
    @inline(__always) var batchFull: Bool { trace.count >= batchLimit }

    /// The instruction with record `t` at `pc` is about to run.
    @inline(__always)
    mutating func fetch(_ t: TimingRecord, pc: UInt64) {
        trace.append(t, pc: pc)
        if _slowPath(pc >> 6 != fetchLine) { fetchMiss(pc) }
    }

    /// The last record fetched was the end-of-page sentinel, which is no instruction.
    mutating func dropLastFetch() { trace.dropLast() }

    /// Replays every instruction but the one that ran last (whose successor is not known yet).
    mutating func replayBatch() {
        let n = trace.count
        guard n > 1 else { return }
        model.replay(trace.entries, count: n - 1, nextPC: trace.entries[n - 1].pc, predictor: predictor, memory: memory, loadLatency: loadLatency)
        trace.keepLast()
        planBatch()
    }

    /// The loop is returning and control went on to `nextPC`: replays everything.
    @inline(__always)
    mutating func issue(nextPC pc: UInt64, registers X: UnsafeMutablePointer<UInt64>) {
        guard trace.count > 0 else { return }
        model.replay(trace.entries, count: trace.count, nextPC: pc, predictor: predictor, memory: memory, loadLatency: loadLatency)
        trace.clear()
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
        trace.current.pointee.stall &+= UInt16(min(stall, Int(UInt16.max)))
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
        access(address, write: trace.current.pointee.record.kind &- Self.firstStoreKind <= Self.storeKinds)
    }
    /// Store kinds are declared together, from `store` to `vectorStore`.
    private static let firstStoreKind = TimingShape.Kind.store.rawValue
    private static let storeKinds = TimingShape.Kind.vectorStore.rawValue - TimingShape.Kind.store.rawValue

    /// A data access to a page other than the last one's: the TLB model's cost. Only a load
    /// waits for it; a store's translation, like its miss, is hidden by the store buffer.
    private mutating func translateData(_ address: UInt64, write: Bool) {
        dataPage = address >> 12
        let cost = tlb.translate(page: dataPage, asid: asid, instruction: false)
        if !write { trace.current.pointee.extra &+= UInt32(cost) }
    }

    /// The L1 lookup beyond the recent-line fast path: a load's latency beyond the L1 figure
    /// lengthens its result.
    private mutating func accessMiss(_ address: UInt64, write: Bool) {
        if write {
            if memory.throughCaches(core: core, address: address, kind: .store) == nil { _ = dram() }
        } else if let latency = memory.throughCaches(core: core, address: address, kind: .load) {
            trace.current.pointee.extra &+= UInt32(max(latency - loadLatency, 0))
        } else {
            trace.current.pointee.flags |= TraceEntry.dramLoad // the model asks DRAM when the load issues
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
        if bits > 1 { trace.current.pointee.extra &+= UInt32((bits - 1 + 3) / 4) }
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

extension ApproximateTiming.CoreProfile {
    /// Latency, pipe group and pipe occupancy per `TimingShape.Kind`, in its declaration order.
    private static func table(_ rows: [(TimingShape.Kind, latency: Int, pipe: Int, occupancy: Int)]) -> ([Int], [Int], [Int]) {
        var latency = [Int](repeating: 1, count: TimingShape.Kind.allCases.count)
        var pipe = latency.map { _ in 0 }, occupancy = latency
        for row in rows {
            latency[Int(row.0.rawValue)] = row.latency
            pipe[Int(row.0.rawValue)] = row.pipe
            occupancy[Int(row.0.rawValue)] = row.occupancy
        }
        return (latency, pipe, occupancy)
    }

    /// Cortex-A53 (i.MX 8M Mini at 1.8 GHz). Figures from hardware-facts.md: ALU L1 dual issue,
    /// shifted operand L2, MUL W L3 / X L4, SMULH L6, load-to-use 3, mispredict ~8 (LLVM uses 9),
    /// L1D 32 KiB 4-way, L2 512 KiB 16-way ~16 cycles (derived), DRAM 156 ns = 281 cycles.
    /// Divides take 3 cycles plus the quotient's length (see `divideExtra`).
    /// Pipe groups: 0 two integer ALUs, 1 multiply/divide, 2 load/store, 3 branch, 4 FP/NEON.
    public static let cortexA53: Self = {
        let (latency, pipe, occupancy) = table([
            (.none, 1, 0, 1), (.alu, 1, 0, 1), (.aluShifted, 2, 0, 1),
            (.multiply, 3, 1, 1), (.multiply64, 4, 1, 2), (.multiplyHigh, 6, 1, 4),
            (.divide32, 3, 1, 3), (.divide64, 3, 1, 3),
            (.load, 3, 2, 1), (.loadPair, 3, 2, 1), (.store, 1, 2, 1), (.storePair, 1, 2, 1), (.exclusive, 3, 2, 1),
            (.branch, 1, 3, 1), (.call, 1, 3, 1), (.conditionalBranch, 1, 3, 1), (.indirectBranch, 1, 3, 1),
            (.indirectCall, 1, 3, 1), (.returnBranch, 1, 3, 1),
            (.system, 1, 0, 1), (.floatingPoint, 4, 4, 1), (.vectorLoad, 3, 2, 1), (.vectorStore, 1, 2, 1),
        ])
        return Self(core: .init(width: 2, inOrder: true, window: 8, mispredictPenalty: 8, latency: latency, pipe: pipe,
                                occupancy: occupancy, pipeGroups: [2, 1, 1, 1, 1]),
                    predictor: .init(historyBits: 12, btbEntries: 256, returnStackDepth: 8),
                    tlb: .init(l1iEntries: 10, l1dEntries: 10, l2Entries: 512, l2Ways: 4, l2Latency: 2, walkLatency: 24),
                    memory: .init(l1i: CacheGeometry(size: 32 << 10, ways: 2, lineSize: 64, hitLatency: 1),
                                  l1d: CacheGeometry(size: 32 << 10, ways: 4, lineSize: 64, hitLatency: 3),
                                  l2: CacheGeometry(size: 512 << 10, ways: 16, lineSize: 64, hitLatency: 16),
                                  coresPerL2: 4, dramLatency: 257, dramBytesPerCycle: 3.3))
    }()

    /// Cortex-A72 (Raspberry Pi 4 at 1.5 GHz). Figures from hardware-facts.md: 3-wide dispatch,
    /// ALU L1 on two I pipes, shifted operand L2 on the M pipe, MUL W L3 / X L5 T1/3, SMULH L6 T1/4,
    /// load-to-use 4, mispredict ~15, L1I 48 KiB 3-way, L1D 32 KiB 2-way, L2 1 MiB 16-way ~21 cycles
    /// (derived), DRAM ~160 ns = 240 cycles; a 128-entry reorder window (A72 TRM). Divides take
    /// 4 cycles plus the quotient's length (published W 4–12, X 4–20). Pipe groups: 0 I (2), 1 M, 2 L, 3 S, 4 B, 5 F (2).
    public static let cortexA72: Self = {
        let (latency, pipe, occupancy) = table([
            (.none, 1, 0, 1), (.alu, 1, 0, 1), (.aluShifted, 2, 1, 1),
            (.multiply, 3, 1, 1), (.multiply64, 5, 1, 3), (.multiplyHigh, 6, 1, 4),
            (.divide32, 4, 1, 4), (.divide64, 4, 1, 4),
            (.load, 4, 2, 1), (.loadPair, 4, 2, 1), (.store, 1, 3, 1), (.storePair, 1, 3, 1), (.exclusive, 4, 2, 1),
            (.branch, 1, 4, 1), (.call, 1, 4, 1), (.conditionalBranch, 1, 4, 1), (.indirectBranch, 1, 4, 1),
            (.indirectCall, 1, 4, 1), (.returnBranch, 1, 4, 1),
            (.system, 1, 0, 1), (.floatingPoint, 4, 5, 1), (.vectorLoad, 5, 2, 1), (.vectorStore, 1, 3, 1),
        ])
        return Self(core: .init(width: 3, inOrder: false, window: 128, mispredictPenalty: 15, latency: latency, pipe: pipe,
                                occupancy: occupancy, pipeGroups: [2, 1, 1, 1, 1, 2]),
                    predictor: .init(historyBits: 14, btbEntries: 2048, returnStackDepth: 16),
                    tlb: .init(l1iEntries: 48, l1dEntries: 32, l2Entries: 1024, l2Ways: 4, l2Latency: 2, walkLatency: 29),
                    memory: .init(l1i: CacheGeometry(size: 48 << 10, ways: 3, lineSize: 64, hitLatency: 1),
                                  l1d: CacheGeometry(size: 32 << 10, ways: 2, lineSize: 64, hitLatency: 4),
                                  l2: CacheGeometry(size: 1 << 20, ways: 16, lineSize: 64, hitLatency: 21),
                                  coresPerL2: 4, dramLatency: 214, dramBytesPerCycle: 2.7))
    }()
}
