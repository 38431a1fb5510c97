/// The caches of a board and the DRAM behind them: private L1I and L1D per core, L2 shared
/// by a cluster of cores, an optional shared L3, and DRAM with a latency and a bandwidth limit.
///
/// Every latency is a load-to-use figure in core cycles for the level that hits, as the
/// optimisation guides and measurements quote them (an L2 hit costs the L2 figure, not
/// L1 + L2). Levels are non-inclusive; dirty lines pushed out of a level are installed
/// in the next one, and DRAM write-backs take bandwidth but add no latency to the load
/// that caused them. Cores sharing a level really share it: one core's misses evict
/// the other's lines.
///
/// DRAM bandwidth is a single channel that is busy until a cycle: a line transfer
/// occupies `lineSize / bytesPerCycle` cycles and a miss that finds it busy waits. Cores
/// run in quanta, so requests from different cores reach the channel in slice order
/// rather than exact time order; the error is bounded by the quantum.
public final class MemoryHierarchy {
    /// What a board says about its memory system.
    public struct Configuration: Sendable, Equatable {
        public var l1i: CacheGeometry
        public var l1d: CacheGeometry
        public var l2: CacheGeometry
        /// Cores per L2 (all of them on the boards modelled so far).
        public var coresPerL2: Int
        public var l3: CacheGeometry?
        /// DRAM load-to-use latency, in core cycles.
        public var dramLatency: Int
        /// DRAM bandwidth, in bytes per core cycle.
        public var dramBytesPerCycle: Double

        public init(l1i: CacheGeometry, l1d: CacheGeometry, l2: CacheGeometry, coresPerL2: Int, l3: CacheGeometry? = nil,
                    dramLatency: Int, dramBytesPerCycle: Double) {
            self.l1i = l1i; self.l1d = l1d; self.l2 = l2; self.coresPerL2 = coresPerL2; self.l3 = l3
            self.dramLatency = dramLatency; self.dramBytesPerCycle = dramBytesPerCycle
        }
    }

    /// Hits, misses and write-backs of one cache.
    public struct LevelStatistics: Equatable, Sendable {
        public var name: String
        public var hits: UInt64
        public var misses: UInt64
        public var writebacks: UInt64
    }

    public let configuration: Configuration
    let l1i: [SetAssociativeCache]
    let l1d: [SetAssociativeCache]
    let l2: [SetAssociativeCache]
    let l3: SetAssociativeCache?
    private let transferCycles: UInt64
    var dramBusyUntil: UInt64 = 0
    public internal(set) var dramReads: UInt64 = 0
    public internal(set) var dramWrites: UInt64 = 0

    public init(cores: Int, _ c: Configuration) {
        precondition(cores > 0 && c.coresPerL2 > 0)
        configuration = c
        l1i = (0..<cores).map { _ in SetAssociativeCache(c.l1i) }
        l1d = (0..<cores).map { _ in SetAssociativeCache(c.l1d) }
        l2 = (0..<(cores + c.coresPerL2 - 1) / c.coresPerL2).map { _ in SetAssociativeCache(c.l2) }
        l3 = c.l3.map { SetAssociativeCache($0) }
        transferCycles = UInt64((Double(c.l2.lineSize) / max(c.dramBytesPerCycle, 1e-9)).rounded(.up))
    }

    /// `core`'s L1 data cache, for a core model's inlined repeated-line hit path.
    public func l1Data(core: Int) -> SetAssociativeCache { l1d[core] }
    /// Core `core`'s L1 instruction cache.
    public func l1Instruction(core: Int) -> SetAssociativeCache { l1i[core] }

    /// A data load by `core` at `cycle`: the load-to-use latency in cycles.
    public func load(core: Int, address: UInt64, cycle: UInt64) -> Int {
        throughCaches(core: core, address: address, kind: .load) ?? dramRead(cycle: cycle)
    }

    /// A data store: allocates the line dirty in L1D; returns the cycles until the line is owned
    /// (the L1 latency on a hit), which an in-order core hides behind its store buffer.
    public func store(core: Int, address: UInt64, cycle: UInt64) -> Int {
        throughCaches(core: core, address: address, kind: .store) ?? dramRead(cycle: cycle)
    }

    /// What an access is, for `throughCaches`.
    public enum AccessKind: Sendable { case load, store, fetch }

    /// Looks an access up level by level, allocating the line where it missed: the latency of
    /// the cache level that hit, or nil if the line comes from DRAM, whose request (and its
    /// wait for the channel) the caller makes with `dramRead` once it knows the cycle.
    public func throughCaches(core: Int, address: UInt64, kind: AccessKind) -> Int? {
        let o = kind == .fetch ? l1i[core].access(address, write: false) : l1d[core].access(address, write: kind == .store)
        if o.hit { return kind == .fetch ? configuration.l1i.hitLatency : configuration.l1d.hitLatency }
        let shared = l2[core / configuration.coresPerL2]
        if let wb = o.writeback { writeBack(wb, into: shared) }
        let o2 = shared.access(address, write: false)
        if let wb = o2.writeback { writeBack(wb, below: shared) }
        if o2.hit { return configuration.l2.hitLatency }
        if let l3 {
            let o3 = l3.access(address, write: false)
            if let wb = o3.writeback { dramWrite(wb, cycle: dramBusyUntil) }
            if o3.hit { return configuration.l3!.hitLatency }
        }
        return nil
    }

    private func writeBack(_ line: UInt64, into level: SetAssociativeCache) {
        if let wb = level.install(line, dirty: true) { writeBack(wb, below: level) }
    }

    private func writeBack(_ line: UInt64, below level: SetAssociativeCache) {
        if let l3, level !== l3 {
            if let wb = l3.install(line, dirty: true) { dramWrite(wb, cycle: dramBusyUntil) }
        } else {
            dramWrite(line, cycle: dramBusyUntil)
        }
    }

    /// A line read from DRAM requested at `cycle`: its latency, including any wait for the channel.
    public func dramRead(cycle: UInt64) -> Int {
        dramReads &+= 1
        let start = max(cycle, dramBusyUntil)
        dramBusyUntil = start &+ transferCycles
        return Int(start - cycle) + configuration.dramLatency
    }

    private func dramWrite(_ line: UInt64, cycle: UInt64) {
        dramWrites &+= 1
        dramBusyUntil = max(cycle, dramBusyUntil) &+ transferCycles
    }

    /// DC ZVA: the line is allocated in L1D, dirty and zeroed, without reading memory.
    public func zeroLine(core: Int, address: UInt64) {
        if let wb = l1d[core].install(address, dirty: true) { writeBack(wb, into: l2[core / configuration.coresPerL2]) }
    }

    /// DC CVAC/CIVAC/IVAC by VA to the point of coherency: every level holding the line cleans
    /// (writes back) and/or invalidates it.
    public func maintain(core: Int, address: UInt64, clean: Bool, invalidate: Bool, cycle: UInt64) {
        func apply(_ level: SetAssociativeCache) {
            if level.maintain(address, clean: clean, invalidate: invalidate) != nil { dramWrite(address, cycle: cycle) }
        }
        apply(l1d[core])
        apply(l2[core / configuration.coresPerL2])
        if let l3 { apply(l3) }
    }

    /// Empties every cache (a cold start).
    public func invalidateAll() {
        for c in l1i + l1d + l2 { c.invalidateAll() }
        l3?.invalidateAll()
        dramBusyUntil = 0
    }

    /// The counters of the caches `core` uses, from L1I outward.
    public func statistics(core: Int) -> [LevelStatistics] {
        func s(_ name: String, _ c: SetAssociativeCache) -> LevelStatistics {
            LevelStatistics(name: name, hits: c.hits, misses: c.misses, writebacks: c.writebacks)
        }
        var out = [s("l1i", l1i[core]), s("l1d", l1d[core]), s("l2", l2[core / configuration.coresPerL2])]
        if let l3 { out.append(s("l3", l3)) }
        return out
    }
}
