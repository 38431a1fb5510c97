import Microarch
import Testing

@Suite struct SetAssociativeCacheTests {
    /// 2 sets x 2 ways x 64-byte lines: small enough to reason about every access.
    func tiny() -> SetAssociativeCache { SetAssociativeCache(CacheGeometry(size: 256, ways: 2, lineSize: 64, hitLatency: 3)) }

    @Test func hitsWithinALineAndMissesAcrossLines() {
        let c = tiny()
        #expect(!c.access(0x1000, write: false).hit)
        #expect(c.access(0x1038, write: false).hit)   // same 64-byte line
        #expect(!c.access(0x1040, write: false).hit)  // next line (the other set)
        #expect(c.hits == 1 && c.misses == 2)
    }

    @Test func leastRecentlyUsedWayIsTheVictim() {
        let c = tiny()
        // Lines 0x000, 0x080 and 0x100 all map to set 0 (line index even).
        _ = c.access(0x000, write: false)
        _ = c.access(0x080, write: false)
        _ = c.access(0x000, write: false)             // 0x000 is now the most recent
        _ = c.access(0x100, write: false)             // evicts 0x080, the least recent
        #expect(c.contains(0x000) && c.contains(0x100) && !c.contains(0x080))
    }

    @Test func dirtyVictimsAreWrittenBack() {
        let c = tiny()
        _ = c.access(0x000, write: true)
        _ = c.access(0x080, write: false)
        let o = c.access(0x100, write: false)         // evicts the dirty 0x000
        #expect(o.writeback == 0x000 && c.writebacks == 1)
        #expect(c.maintain(0x100, clean: true, invalidate: true) == nil) // clean line: nothing to write
        #expect(!c.contains(0x100))
    }

    /// An access to a line that is its set's most recent needs no lookup (`hitsMostRecent`): it
    /// counts a hit and changes nothing else, which is exact because that line already holds
    /// its set's newest stamp. The test checks that the cache knows which line that is through
    /// fills, hits, maintenance and emptying; that a store needs the line dirty already; and
    /// that the skipped lookups leave the same victims as full ones. (A restore finds the lines
    /// again from the stamps; `timingModelRunsResumeIdentically` covers it.)
    @Test func eachSetKnowsItsMostRecentLine() throws {
        let c = tiny()
        _ = c.access(0x000, write: false); _ = c.access(0x040, write: false) // set 0, then set 1
        #expect(c.hitsMostRecent(0x010, write: false) && c.hitsMostRecent(0x070, write: false))
        #expect(!c.hitsMostRecent(0x040, write: true))                      // clean: a store looks it up
        _ = c.access(0x080, write: false)                                   // set 0: now 0x080
        #expect(!c.hitsMostRecent(0x000, write: false) && c.hitsMostRecent(0x080, write: false))
        _ = c.access(0x040, write: true)                                    // looked up, now dirty
        #expect(c.hitsMostRecent(0x048, write: true))
        _ = c.access(0x000, write: false)                                   // a full lookup: set 0 is 0x000's again
        #expect(c.hitsMostRecent(0x000, write: false) && !c.hitsMostRecent(0x080, write: false))
        #expect(c.hits == 7 && c.misses == 3)
        // Skipped lookups of 0x000 leave 0x080 the least recent: it is the victim.
        _ = c.access(0x100, write: false)
        #expect(c.contains(0x000) && !c.contains(0x080) && c.hitsMostRecent(0x100, write: false))
        // Invalidating the most recent line leaves the newer of the rest as the set's most recent;
        // cleaning a dirty one means a store looks it up again.
        _ = c.maintain(0x100, clean: false, invalidate: true)
        #expect(c.hitsMostRecent(0x000, write: false))
        _ = c.maintain(0x000, clean: false, invalidate: true)
        #expect(!c.hitsMostRecent(0x000, write: false))
        #expect(c.maintain(0x040, clean: true, invalidate: false) == 0x040)
        #expect(c.hitsMostRecent(0x040, write: false) && !c.hitsMostRecent(0x040, write: true))
        c.invalidateAll()
        #expect(!c.hitsMostRecent(0x040, write: false))
    }
}

@Suite struct MemoryHierarchyTests {
    /// Cortex-A53-like figures (hardware-facts.md): L1D 32 KiB 4-way hit 3, L2 512 KiB 16-way ~16,
    /// DRAM 156 ns at 1.8 GHz = 281 cycles; 8 bytes per cycle of DRAM bandwidth.
    func a53(cores: Int = 2) -> MemoryHierarchy {
        MemoryHierarchy(cores: cores, .init(
            l1i: CacheGeometry(size: 32 << 10, ways: 2, lineSize: 64, hitLatency: 1),
            l1d: CacheGeometry(size: 32 << 10, ways: 4, lineSize: 64, hitLatency: 3),
            l2: CacheGeometry(size: 512 << 10, ways: 16, lineSize: 64, hitLatency: 16),
            coresPerL2: cores, dramLatency: 281, dramBytesPerCycle: 8))
    }

    @Test func latencyIsThatOfTheLevelThatHits() {
        let m = a53()
        #expect(m.load(core: 0, address: 0x4000_0000, cycle: 0) == 281) // cold: DRAM
        #expect(m.load(core: 0, address: 0x4000_0008, cycle: 1000) == 3) // L1 hit
        // Core 1 has its own L1 but shares the L2.
        #expect(m.load(core: 1, address: 0x4000_0000, cycle: 2000) == 16)
        let stats = m.statistics(core: 1)
        #expect(stats.map(\.name) == ["l1i", "l1d", "l2"] && stats[1].misses == 1 && stats[2].hits == 1)
    }

    @Test func oneCoresMissesEvictTheOthersSharedLines() {
        let m = a53()
        _ = m.load(core: 0, address: 0x4000_0000, cycle: 0)
        // Core 1 streams 2 MiB through the shared 512 KiB L2: core 0's line is gone from it.
        var a: UInt64 = 0x5000_0000
        while a < 0x5020_0000 { _ = m.load(core: 1, address: a, cycle: 1_000_000); a += 64 }
        // Core 0 still has it in L1 (private), but an L1 eviction now sends it to DRAM.
        #expect(m.load(core: 0, address: 0x4000_0000, cycle: 2_000_000) == 3)
        var b: UInt64 = 0x6000_0000
        while b < 0x6001_0000 { _ = m.load(core: 0, address: b, cycle: 3_000_000); b += 64 } // 64 KiB: flushes L1D
        #expect(m.load(core: 0, address: 0x4000_0000, cycle: 10_000_000) == 281)
    }

    @Test func dramBandwidthQueuesBackToBackMisses() {
        let m = a53(cores: 1)
        // Each 64-byte line occupies the channel 64 / 8 = 8 cycles: the n-th miss issued at the same
        // cycle waits 8 * n cycles.
        for n in 0..<4 { #expect(m.load(core: 0, address: 0x4000_0000 + UInt64(n) * 64, cycle: 100) == 281 + 8 * n) }
        #expect(m.dramReads == 4)
    }

    @Test func zeroedLinesNeedNoReadAndCleaningWritesBack() {
        let m = a53(cores: 1)
        m.zeroLine(core: 0, address: 0x4000_0000)              // DC ZVA
        #expect(m.dramReads == 0)
        #expect(m.store(core: 0, address: 0x4000_0010, cycle: 10) == 3)
        m.maintain(core: 0, address: 0x4000_0000, clean: true, invalidate: true, cycle: 20) // DC CIVAC
        #expect(m.dramWrites == 1)
        #expect(m.load(core: 0, address: 0x4000_0000, cycle: 1000) == 281)
    }
}

@Suite struct BranchPredictorTests {
    func predictor() -> BranchPredictor { BranchPredictor(.init(historyBits: 12, btbEntries: 256, returnStackDepth: 8)) }

    @Test func anAlwaysTakenLoopBranchIsLearned() {
        var p = predictor()
        for _ in 0..<1000 { _ = p.conditional(pc: 0x1000, taken: true) }
        #expect(p.conditionalMispredicts <= 14) // warm-up only: counters along the history as it fills
    }

    @Test func globalHistoryLearnsAnAlternatingPatternButNotNoise() {
        var p = predictor()
        for i in 0..<4000 { _ = p.conditional(pc: 0x2000, taken: i % 2 == 0) }
        #expect(p.conditionalMispredicts < 40)
        var q = predictor()
        var x: UInt64 = 12345
        for _ in 0..<4000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            _ = q.conditional(pc: 0x2000, taken: x >> 63 == 1)
        }
        // A random direction cannot be predicted: about half are wrong.
        #expect(q.conditionalMispredicts > 1600 && q.conditionalMispredicts < 2400)
    }

    @Test func returnStackAndBTB() {
        var p = predictor()
        p.call(returnAddress: 0x104)
        p.call(returnAddress: 0x204)
        let r1 = p.ret(target: 0x204), r2 = p.ret(target: 0x104)
        let r3 = p.ret(target: 0x304)                              // empty stack
        #expect(r1 && r2 && !r3)
        let i1 = p.indirect(pc: 0x500, target: 0x9000)             // first sight
        let i2 = p.indirect(pc: 0x500, target: 0x9000)
        let i3 = p.indirect(pc: 0x500, target: 0xA000)             // target changed
        #expect(!i1 && i2 && !i3)
        #expect(p.mispredicts == 3)
    }
}

@Suite struct TLBModelTests {
    @Test func l1ThenL2ThenWalk() {
        let t = TLBModel(.init(l1iEntries: 2, l1dEntries: 4, l2Entries: 64, l2Ways: 4, l2Latency: 2, walkLatency: 30))
        #expect(t.translate(page: 0x40000, asid: 1, instruction: false) == 30)
        #expect(t.translate(page: 0x40000, asid: 1, instruction: false) == 0)
        for p in 1...4 { _ = t.translate(page: 0x40000 + UInt64(p), asid: 1, instruction: false) } // push it out of the 4-entry L1
        #expect(t.translate(page: 0x40000, asid: 1, instruction: false) == 2)
        #expect(t.translate(page: 0x40000, asid: 1, instruction: true) == 2)  // the L2 TLB is unified; the L1s are not
        #expect(t.translate(page: 0x40000, asid: 2, instruction: false) == 30) // another ASID is another entry
        t.flush()
        #expect(t.translate(page: 0x40000, asid: 1, instruction: false) == 30 && t.walks == 7)
    }

    @Test func badFiguresAreNamed() {
        #expect(TLBModel.Configuration(l1iEntries: 48, l1dEntries: 32, l2Entries: 1024, l2Ways: 4, l2Latency: 7, walkLatency: 30).problem == nil)
        #expect(TLBModel.Configuration(l1iEntries: 48, l1dEntries: 32, l2Entries: 1000, l2Ways: 4, l2Latency: 7, walkLatency: 30).problem != nil)
        #expect(TLBModel.Configuration(l1iEntries: 0, l1dEntries: 32, l2Entries: 1024, l2Ways: 4, l2Latency: 7, walkLatency: 30).problem != nil)
    }
}
