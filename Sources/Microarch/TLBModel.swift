/// The timing of address translation on one core: small fully associative L1 TLBs for
/// instructions and data, backed by a unified set-associative L2 TLB, and a cost for a table
/// walk when both miss.
///
/// This is the cost model only; which translations exist, and when they go stale, is the
/// architectural TLB's business (`TranslationCache` in the AArch64 target). Entries are
/// tagged by virtual page and ASID; a TLBI calls `flush`. Pages are 4 KiB: a translation
/// from a larger block costs one entry per 4 KiB touched, more misses than the real TLB sees.
public final class TLBModel {
    /// Sizes and costs, as a board file gives them.
    public struct Configuration: Sendable, Equatable {
        public var l1iEntries: Int
        public var l1dEntries: Int
        public var l2Entries: Int
        public var l2Ways: Int
        /// Extra cycles when an L1 TLB misses and the L2 TLB hits.
        public var l2Latency: Int
        /// Extra cycles for a walk (both missed).
        public var walkLatency: Int
        public init(l1iEntries: Int, l1dEntries: Int, l2Entries: Int, l2Ways: Int, l2Latency: Int, walkLatency: Int) {
            self.l1iEntries = l1iEntries; self.l1dEntries = l1dEntries; self.l2Entries = l2Entries; self.l2Ways = l2Ways
            self.l2Latency = l2Latency; self.walkLatency = walkLatency
        }

        /// Why these figures cannot build a model, or nil.
        public var problem: String? {
            func pow2(_ n: Int) -> Bool { n > 0 && n & (n - 1) == 0 }
            if l1iEntries < 1 || l1dEntries < 1 || l1iEntries > 4096 || l1dEntries > 4096 { return "L1 TLBs need 1 to 4096 entries" }
            if l2Ways < 1 || l2Entries % l2Ways != 0 || !pow2(l2Entries / l2Ways) { return "the L2 TLB's entries / ways must be a power of two" }
            if l2Latency < 0 || walkLatency < 0 { return "TLB latencies must not be negative" }
            return nil
        }
    }

    public let configuration: Configuration
    // Each TLB is a cache of one-"byte" lines keyed by page and ASID; the L1s are one set of n ways.
    let l1i: SetAssociativeCache
    @usableFromInline let l1d: SetAssociativeCache
    let l2: SetAssociativeCache
    public internal(set) var walks: UInt64 = 0

    public init(_ c: Configuration) {
        precondition(c.problem == nil, c.problem ?? "")
        configuration = c
        l1i = SetAssociativeCache(CacheGeometry(size: c.l1iEntries, ways: c.l1iEntries, lineSize: 1, hitLatency: 0))
        l1d = SetAssociativeCache(CacheGeometry(size: c.l1dEntries, ways: c.l1dEntries, lineSize: 1, hitLatency: 0))
        l2 = SetAssociativeCache(CacheGeometry(size: c.l2Entries, ways: c.l2Ways, lineSize: 1, hitLatency: 0))
    }

    /// The entry key: the set index comes from the low page bits.
    @inlinable func key(_ page: UInt64, _ asid: UInt16) -> UInt64 { (page & 0xF_FFFF_FFFF_FFFF) | UInt64(asid) << 52 }

    /// The extra cycles translating 4 KiB virtual page `page` under `asid` costs.
    public func translate(page: UInt64, asid: UInt16, instruction: Bool) -> Int {
        let key = key(page, asid)
        if (instruction ? l1i : l1d).access(key, write: false).hit { return 0 }
        if l2.access(key, write: false).hit { return configuration.l2Latency }
        walks &+= 1
        return configuration.walkLatency
    }

    /// Whether data page `page` under `asid` is the L1 data TLB's entry touched before the last:
    /// then translating it costs nothing, and `translate` would change only what this does.
    /// The inlined fast path of a program working on two pages in turn.
    @inlinable @inline(__always)
    public func translatesDataAgain(page: UInt64, asid: UInt16) -> Bool {
        l1d.hitsOneBefore(key(page, asid), write: false)
    }

    public var l1iMisses: UInt64 { l1i.misses }
    public var l1dMisses: UInt64 { l1d.misses }

    /// Forgets one page's entry (TLBI by address and ASID).
    public func invalidate(page: UInt64, asid: UInt16) {
        for level in [l1i, l1d, l2] { _ = level.maintain(key(page, asid), clean: false, invalidate: true) }
    }

    /// Forgets every entry (TLBI).
    public func flush() {
        l1i.invalidateAll(); l1d.invalidateAll(); l2.invalidateAll()
    }
}
