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

    /// A core type's figures: the core model's parameters, the predictor's sizes, and the
    /// memory hierarchy a board of this core has.
    public struct CoreProfile: Sendable {
        public var core: CoreTimingModel.Parameters
        public var predictor: BranchPredictor.Configuration
        public var memory: MemoryHierarchy.Configuration
    }

    public let model: CoreTimingModel
    public let predictor: BranchPredictor
    public let memory: MemoryHierarchy
    public let core: Int
    /// The cycle at which the current slice ends (the loop stops there).
    public var deadline: UInt64 = .max {
        didSet { deadlineScaled = deadline == .max ? .max : deadline &* scale }
    }

    private let scale: UInt64
    private let loadLatency: Int
    private var previousKind: UInt8 = 0
    private var previousPC: UInt64 = 0
    private var previousIssue: UInt64 = 0
    private var previousIsCall = false
    private var pendingLoad: (UInt8, UInt8) = (255, 255)
    private var pendingIssue: UInt64 = 0
    private var fetchLine: UInt64 = .max
    private let fetchHit: Int

    public init(profile: CoreProfile, memory: MemoryHierarchy, core: Int) {
        model = CoreTimingModel(profile.core)
        predictor = BranchPredictor(profile.predictor)
        self.memory = memory
        self.core = core
        scale = UInt64(profile.core.width)
        loadLatency = profile.core.latency[Int(TimingShape.Kind.load.rawValue)]
        fetchHit = profile.memory.l1i.hitLatency
    }

    public var cycles: UInt64 { model.cycles }
    var deadlineReached: Bool { model.dispatchTime >= deadlineScaled }
    private var deadlineScaled: UInt64 = .max

    /// Catches the model's clock up with the core's (after a wait in WFI, or at attach).
    func synchronize(cycle: UInt64) {
        if model.cycles < cycle { model.idle(until: cycle) }
    }

    @inline(__always)
    mutating func willExecute(_ r: DecodedInstruction, _ t: TimingRecord, pc: UInt64, registers X: UnsafeMutablePointer<UInt64>) {
        if previousKind &- Self.firstBranchKind <= Self.branchKinds { resolvePreviousBranch(nextPC: pc) }
        let line = pc >> 6
        if _slowPath(line != fetchLine) {
            fetchLine = line
            let latency = memory.fetch(core: core, address: pc, cycle: model.dispatchTime / scale)
            if latency > fetchHit { model.stallFetch(latency - fetchHit) }
        }
        var extra = 0
        if _slowPath(t.kind == Self.divide32 || t.kind == Self.divide64) {
            extra = divideExtra(r, X, wide: t.kind == Self.divide64)
        }
        let issue = model.issue(kind: Int(t.kind), t.s0, t.s1, t.s2, t.s3, readsFlags: t.flags & TimingRecord.readsFlags != 0,
                                t.d0, t.d1, writesFlags: t.flags & TimingRecord.writesFlags != 0, extraLatency: extra)
        previousKind = t.kind
        previousPC = pc
        previousIssue = issue
        previousIsCall = t.flags & TimingRecord.isCall != 0
        pendingLoad = (t.d0, t.kind == Self.loadPair ? t.d1 : 255)
        pendingIssue = issue
    }

    // Kind numbers, as stored in timing records.
    private static let divide32 = TimingShape.Kind.divide32.rawValue
    private static let divide64 = TimingShape.Kind.divide64.rawValue
    private static let loadPair = TimingShape.Kind.loadPair.rawValue
    /// Branch kinds are declared together, from `branch` to `returnBranch`.
    private static let firstBranchKind = TimingShape.Kind.branch.rawValue
    private static let branchKinds = TimingShape.Kind.returnBranch.rawValue - TimingShape.Kind.branch.rawValue

    @inline(__always)
    mutating func access(_ address: UInt64, write: Bool) {
        let cycle = pendingIssue / scale
        if write {
            _ = memory.store(core: core, address: address, cycle: cycle)
            return
        }
        let latency = memory.load(core: core, address: address, cycle: cycle)
        if latency > loadLatency {
            model.delay(slot: pendingLoad.0, by: latency - loadLatency)
            model.delay(slot: pendingLoad.1, by: latency - loadLatency)
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

    /// Cycles a divide takes beyond its class's minimum: the dividers retire about two quotient bits
    /// per cycle after the minimum, so the A72's 4 (one quotient bit) rises to 12 for 32 bits (W) and
    /// 20 for 64 bits (X), the Software Optimization Guide's published range; the A53 uses the same
    /// rate from its minimum of 3 (its maximum is not published; the A55 guide gives 12 and 20).
    private func divideExtra(_ r: DecodedInstruction, _ X: UnsafeMutablePointer<UInt64>, wide: Bool) -> Int {
        let n = r.rn == RegisterSlot.zero ? 0 : X[Int(r.rn)], m = r.rm == RegisterSlot.zero ? 0 : X[Int(r.rm)]
        var dividend = wide ? n : n & 0xFFFF_FFFF, divisor = wide ? m : m & 0xFFFF_FFFF
        let width = wide ? 64 : 32
        if r.op == .sdivW || r.op == .sdivX { // magnitudes
            let sign: UInt64 = wide ? 1 << 63 : 1 << 31
            if dividend & sign != 0 { dividend = (0 &- dividend) & (wide ? ~0 : 0xFFFF_FFFF) }
            if divisor & sign != 0 { divisor = (0 &- divisor) & (wide ? ~0 : 0xFFFF_FFFF) }
        }
        guard divisor != 0, dividend >= divisor else { return 0 }
        let quotientBits = min(width, (64 - dividend.leadingZeroBitCount) - (64 - divisor.leadingZeroBitCount) + 1)
        return (quotientBits - 1 + 3) / 4
    }

    private mutating func resolvePreviousBranch(nextPC pc: UInt64) {
        switch TimingShape.Kind(rawValue: previousKind) {
        case .conditionalBranch:
            if !predictor.conditional(pc: previousPC, taken: pc != previousPC &+ 4) { model.redirect(after: previousIssue) }
        case .indirectBranch:
            if previousIsCall { predictor.call(returnAddress: previousPC &+ 4) }
            if !predictor.indirect(pc: previousPC, target: pc) { model.redirect(after: previousIssue) }
        case .returnBranch:
            if !predictor.ret(target: pc) { model.redirect(after: previousIssue) }
        case .branch:
            if previousIsCall { predictor.call(returnAddress: previousPC &+ 4) }
        default:
            break
        }
        previousKind = 0
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
            (.branch, 1, 3, 1), (.conditionalBranch, 1, 3, 1), (.indirectBranch, 1, 3, 1), (.returnBranch, 1, 3, 1),
            (.system, 1, 0, 1), (.floatingPoint, 4, 4, 1), (.vectorLoad, 3, 2, 1), (.vectorStore, 1, 2, 1),
        ])
        return Self(core: .init(width: 2, inOrder: true, window: 8, mispredictPenalty: 8, latency: latency, pipe: pipe,
                                occupancy: occupancy, pipeGroups: [2, 1, 1, 1, 1]),
                    predictor: .init(historyBits: 12, btbEntries: 256, returnStackDepth: 8),
                    memory: .init(l1i: CacheGeometry(size: 32 << 10, ways: 2, lineSize: 64, hitLatency: 1),
                                  l1d: CacheGeometry(size: 32 << 10, ways: 4, lineSize: 64, hitLatency: 3),
                                  l2: CacheGeometry(size: 512 << 10, ways: 16, lineSize: 64, hitLatency: 16),
                                  coresPerL2: 4, dramLatency: 281, dramBytesPerCycle: 3.3))
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
            (.branch, 1, 4, 1), (.conditionalBranch, 1, 4, 1), (.indirectBranch, 1, 4, 1), (.returnBranch, 1, 4, 1),
            (.system, 1, 0, 1), (.floatingPoint, 4, 5, 1), (.vectorLoad, 5, 2, 1), (.vectorStore, 1, 3, 1),
        ])
        return Self(core: .init(width: 3, inOrder: false, window: 128, mispredictPenalty: 15, latency: latency, pipe: pipe,
                                occupancy: occupancy, pipeGroups: [2, 1, 1, 1, 1, 2]),
                    predictor: .init(historyBits: 14, btbEntries: 2048, returnStackDepth: 16),
                    memory: .init(l1i: CacheGeometry(size: 48 << 10, ways: 3, lineSize: 64, hitLatency: 1),
                                  l1d: CacheGeometry(size: 32 << 10, ways: 2, lineSize: 64, hitLatency: 4),
                                  l2: CacheGeometry(size: 1 << 20, ways: 16, lineSize: 64, hitLatency: 21),
                                  coresPerL2: 4, dramLatency: 240, dramBytesPerCycle: 2.7))
    }()
}
