/// The timing of address translation: a small fully associative L1 TLB per side (instruction,
/// data) backed by a set-associative L2 TLB, and a fixed cost for a table walk.
///
/// This is the cost model only; which translations exist, and when they go stale, is the
/// architectural TLB's business (`TranslationCache` in the AArch64 target). Entries are
/// tagged by virtual page and ASID; a TLBI or an ASID change calls `flush`.
public final class TLBModel {
    /// Sizes and costs, as a board file gives them.
    public struct Configuration: Sendable, Equatable {
        public var l1Entries: Int
        public var l2: CacheGeometry
        /// Extra cycles when the L1 TLB misses and the L2 TLB hits.
        public var l2Latency: Int
        /// Extra cycles for a walk (both TLBs missed).
        public var walkLatency: Int
        public init(l1Entries: Int, l2: CacheGeometry, l2Latency: Int, walkLatency: Int) {
            self.l1Entries = l1Entries; self.l2 = l2; self.l2Latency = l2Latency; self.walkLatency = walkLatency
        }
    }

    public let configuration: Configuration
    private let l1: SetAssociativeCache   // fully associative: one set of l1Entries ways
    private let l2: SetAssociativeCache
    public private(set) var walks: UInt64 = 0

    public init(_ c: Configuration) {
        configuration = c
        l1 = SetAssociativeCache(CacheGeometry(size: c.l1Entries, ways: c.l1Entries, lineSize: 1, hitLatency: 0))
        l2 = SetAssociativeCache(c.l2)
    }

    /// The extra cycles translating virtual page `vpn` under `asid` costs.
    @inline(__always)
    public func translate(page vpn: UInt64, asid: UInt16) -> Int {
        let key = (vpn & 0xFFFF_FFFF_FFFF) | UInt64(asid) << 48 // set index from the low page bits
        if l1.access(key, write: false).hit { return 0 }
        if l2.access(key &* UInt64(configuration.l2.lineSize), write: false).hit { return configuration.l2Latency }
        walks &+= 1
        return configuration.walkLatency
    }

    public var l1Misses: UInt64 { l1.misses }
    public var l2Misses: UInt64 { l2.misses }

    /// Forgets every entry (TLBI, or a model that does not track ASIDs across a context change).
    public func flush() {
        l1.invalidateAll()
        l2.invalidateAll()
    }
}
