/// The architectural TLB of one core: the page-table walks it remembers, tagged by ASID, until a TLBI removes them.
///
/// This is the TLB the guest kernel maintains, and it is observable: a page
/// table edited without a TLBI keeps translating the old way while the entry
/// survives. It is a different thing from `SoftTLB`, the host-speed cache that
/// holds only what this TLB allows for one exception level and is flushed
/// whenever this TLB loses an entry or the context changes. Entries are kept
/// per block (4 KiB page, 2 MiB or 1 GiB block) and evicted first-in
/// first-out, so a full TLB forgets the same entries on every run.
public struct TranslationCache {
    /// One remembered leaf descriptor.
    public struct Entry: Equatable, Sendable {
        /// First virtual page number of the block.
        public var virtualPage: UInt64
        /// Translation level of the leaf: 3 (4 KiB page), 2 (2 MiB) or 1 (1 GiB).
        public var level: UInt8
        /// First physical page number of the block.
        public var physicalPage: UInt64
        /// 16-bit ASID, ignored when `global`.
        public var asid: UInt16
        public var global: Bool
        public var permissions: AccessRights
        /// MAIR attribute index (AttrIndx).
        public var attrIndex: UInt8

        /// Virtual pages the block covers.
        public var pages: UInt64 { 1 << (9 * UInt64(3 - level)) }
    }

    struct Key: Hashable {
        var virtualPage: UInt64
        var level: UInt8
        var asid: UInt16
        var global: Bool
    }

    public let capacity: Int
    var entries: [Key: Entry] = [:]
    var order: [Key] = []
    var orderHead = 0
    /// Walks that hit a remembered entry, and walks performed (statistics for the timing model).
    public internal(set) var hits: UInt64 = 0
    public internal(set) var misses: UInt64 = 0

    public init(capacity: Int = 1024) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public var count: Int { entries.count }

    /// The remembered translation of virtual page `vpn` under `asid`, if any.
    public mutating func lookup(_ vpn: UInt64, asid: UInt16) -> Entry? {
        for level: UInt8 in [3, 2, 1] {
            let base = vpn & ~((1 << (9 * UInt64(3 - level))) - 1)
            if let e = entries[Key(virtualPage: base, level: level, asid: 0, global: true)]
                ?? entries[Key(virtualPage: base, level: level, asid: asid, global: false)] {
                hits &+= 1
                return e
            }
        }
        misses &+= 1
        return nil
    }

    public mutating func insert(_ e: Entry) {
        let key = Key(virtualPage: e.virtualPage, level: e.level, asid: e.global ? 0 : e.asid, global: e.global)
        if entries.updateValue(e, forKey: key) != nil { return }
        order.append(key)
        while entries.count > capacity, orderHead < order.count {
            let victim = order[orderHead]
            orderHead += 1
            entries.removeValue(forKey: victim)
        }
        if orderHead > 4096 && orderHead * 2 > order.count { // compact the FIFO now and then
            order.removeFirst(orderHead)
            orderHead = 0
        }
    }

    /// TLBI VMALLE1: forget everything.
    public mutating func invalidateAll() {
        entries.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
        orderHead = 0
    }

    /// TLBI ASIDE1: forget the non-global entries of `asid`.
    public mutating func invalidate(asid: UInt16) {
        remove { !$0.global && $0.asid == asid }
    }

    /// TLBI VAE1/VALE1 (with `asid`) and VAAE1/VAALE1 (`asid` nil: any ASID): forget the entries
    /// covering virtual page `vpn`. Global entries go whatever the ASID. `lastLevelOnly` is
    /// accepted for the VALE forms; with no cached table entries, every leaf is a last level.
    public mutating func invalidate(virtualPage vpn: UInt64, asid: UInt16?) {
        remove { e in
            vpn >= e.virtualPage && vpn - e.virtualPage < e.pages && (e.global || asid == nil || e.asid == asid)
        }
    }

    private mutating func remove(where match: (Entry) -> Bool) {
        let doomed = entries.filter { match($0.value) }.keys
        for k in doomed { entries.removeValue(forKey: k) }
        if !doomed.isEmpty {
            order.removeAll { entries[$0] == nil }
            orderHead = 0
        }
    }
}

/// What a translation allows at each exception level.
public struct AccessRights: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let readEL0 = AccessRights(rawValue: 1 << 0)
    public static let writeEL0 = AccessRights(rawValue: 1 << 1)
    public static let executeEL0 = AccessRights(rawValue: 1 << 2)
    public static let readEL1 = AccessRights(rawValue: 1 << 3)
    public static let writeEL1 = AccessRights(rawValue: 1 << 4)
    public static let executeEL1 = AccessRights(rawValue: 1 << 5)
    public static let all: AccessRights = [.readEL0, .writeEL0, .executeEL0, .readEL1, .writeEL1, .executeEL1]

    /// The rights an access of `kind` at exception level `el` needs.
    public static func needed(_ kind: AccessKind, el: UInt8) -> AccessRights {
        switch (kind, el) {
        case (.read, 0): return .readEL0
        case (.write, 0): return .writeEL0
        case (.execute, 0): return .executeEL0
        case (.read, _): return .readEL1
        case (.write, _): return .writeEL1
        case (.execute, _): return .executeEL1
        }
    }
}

/// The kind of a memory access, for permission checks and fault syndromes.
public enum AccessKind: Sendable {
    case read, write, execute
}
