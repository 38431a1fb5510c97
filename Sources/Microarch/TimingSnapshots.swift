import SimCore

// The timing model's state in a snapshot: every table that decides a future hit, miss or
// prediction, and every counter the statistics report. Sizes come from the board, which a
// restore rebuilds first; a mismatch means the snapshot is of another board.

extension SetAssociativeCache {
    func save(to w: inout SnapshotWriter) {
        let n = geometry.sets * geometry.ways
        w.raw(tags, count: n * 8); w.raw(stamps, count: n * 8); w.raw(dirty, count: n)
        w.u64(clock)
        w.u64(hitCount); w.u64(misses); w.u64(writebacks)
    }

    func restore(from r: inout SnapshotReader) throws {
        let n = geometry.sets * geometry.ways
        try r.raw(into: tags, count: n * 8); try r.raw(into: stamps, count: n * 8)
        try r.raw(into: UnsafeMutableRawPointer(dirty), count: n)
        for i in 0..<n where UnsafeRawPointer(dirty).load(fromByteOffset: i, as: UInt8.self) > 1 { throw r.fail("a dirty bit is neither 0 nor 1") }
        clock = try r.u64()
        hitCount = try r.u64(); misses = try r.u64(); writebacks = try r.u64()
        for set in 0..<geometry.sets { findMostRecent(set: set) }
    }
}

extension MemoryHierarchy: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        w.section("caches")
        for c in l1i + l1d + l2 { c.save(to: &w) }
        if let l3 { l3.save(to: &w) }
        w.u64(dramBusyUntil); w.u64(dramReads); w.u64(dramWrites)
    }

    public func restore(from r: inout SnapshotReader) throws {
        try r.section("caches")
        for c in l1i + l1d + l2 { try c.restore(from: &r) }
        if let l3 { try l3.restore(from: &r) }
        dramBusyUntil = try r.u64(); dramReads = try r.u64(); dramWrites = try r.u64()
    }
}

extension TLBModel: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        w.section("tlb-model")
        for c in [l1i, l1d, l2] { c.save(to: &w) }
        w.u64(walks)
    }

    public func restore(from r: inout SnapshotReader) throws {
        try r.section("tlb-model")
        for c in [l1i, l1d, l2] { try c.restore(from: &r) }
        walks = try r.u64()
    }
}

extension BranchPredictor: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        w.section("branch-predictor")
        w.raw(counters, count: 1 << configuration.historyBits)
        w.raw(btbTag, count: configuration.btbEntries * 8); w.raw(btbTarget, count: configuration.btbEntries * 8)
        w.raw(returnStack, count: returnDepth * 8)
        for v in [history, UInt64(returnTop), UInt64(returnCount), conditionalCount, conditionalWrong,
                  indirect, indirectMispredicts, returns, returnMispredicts] { w.u64(v) }
    }

    public func restore(from r: inout SnapshotReader) throws {
        try r.section("branch-predictor")
        try r.raw(into: counters, count: 1 << configuration.historyBits)
        try r.raw(into: btbTag, count: configuration.btbEntries * 8); try r.raw(into: btbTarget, count: configuration.btbEntries * 8)
        try r.raw(into: returnStack, count: returnDepth * 8)
        history = try r.u64()
        returnTop = Int(try r.u64()); returnCount = Int(try r.u64())
        guard (0..<returnDepth).contains(returnTop), (0...returnDepth).contains(returnCount) else { throw r.fail("return stack indices out of range") }
        conditionalCount = try r.u64(); conditionalWrong = try r.u64()
        indirect = try r.u64(); indirectMispredicts = try r.u64(); returns = try r.u64(); returnMispredicts = try r.u64()
    }
}

extension CoreTimingModel: Snapshotting {
    private var stateCount: Int { Self.pipesAt + pipeCount }
    private var retirementCount: Int { Int(windowMask) + 1 }

    public func save(to w: inout SnapshotWriter) {
        w.section("core-model")
        w.raw(state, count: stateCount * 8)
        w.raw(retirements, count: retirementCount * 8)
        w.u64(sequence); w.u64(dispatch); w.u64(lastIssue)
    }

    public func restore(from r: inout SnapshotReader) throws {
        try r.section("core-model")
        try r.raw(into: state, count: stateCount * 8)
        try r.raw(into: retirements, count: retirementCount * 8)
        sequence = try r.u64(); dispatch = try r.u64(); lastIssue = try r.u64()
    }
}
