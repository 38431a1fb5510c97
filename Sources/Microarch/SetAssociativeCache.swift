/// The shape and speed of one cache level, as a board file gives it.
public struct CacheGeometry: Sendable, Equatable {
    public var size: Int
    public var ways: Int
    public var lineSize: Int
    /// Load-to-use latency of a hit at this level, in core cycles.
    public var hitLatency: Int

    public init(size: Int, ways: Int, lineSize: Int, hitLatency: Int) {
        self.size = size; self.ways = ways; self.lineSize = lineSize; self.hitLatency = hitLatency
    }

    public var sets: Int { size / (ways * lineSize) }

    /// Whether the numbers describe a buildable cache: powers of two, at least one set.
    public var isValid: Bool {
        func pow2(_ n: Int) -> Bool { n > 0 && n & (n - 1) == 0 }
        return pow2(lineSize) && ways > 0 && size % (ways * lineSize) == 0 && pow2(sets) && hitLatency >= 0
    }
}

/// A set-associative, write-back, write-allocate cache with true LRU replacement.
///
/// Only tags are kept (no data: the functional model owns the bytes). Each line
/// has an LRU stamp from a counter that ticks whenever an access makes a line its
/// set's most recent (an access to the line that already is changes no order);
/// the victim is the invalid way, else the way with the oldest stamp, so
/// replacement is exact LRU and the same on every run. Storage is raw memory: a
/// lookup is a shift, a mask and a compare with the set's most recent line, and
/// only past that a scan of `ways` tags.
public final class SetAssociativeCache {
    public let geometry: CacheGeometry
    @usableFromInline let setMask: UInt64
    @usableFromInline let lineShift: UInt64
    @usableFromInline let ways: Int
    @usableFromInline let tags: UnsafeMutablePointer<UInt64>      // line address, or `invalid`
    @usableFromInline let stamps: UnsafeMutablePointer<UInt64>
    @usableFromInline let dirty: UnsafeMutablePointer<Bool>
    @usableFromInline var clock: UInt64 = 0
    @usableFromInline static var invalid: UInt64 { .max }
    /// Each set's most recently touched line, shifted left once with its dirty bit below
    /// (`invalid` if the set is empty). That line holds its set's newest stamp, so touching it
    /// again would leave the LRU order as it is: an access to it is a hit that needs no set
    /// scan and changes nothing but the count (a store needs the line dirty already). The
    /// walk through a line, and any loop whose lines fall in different sets, hit here.
    @usableFromInline let mostRecent: UnsafeMutablePointer<UInt64>
    /// Per set, the slots of its most recent line and of the one before (-1: none), where a
    /// lookup looks first: a hint that only saves the scan (a slot is checked against its tag),
    /// so two lines used in turn, or two pages in a fully associative TLB, cost no scan.
    @usableFromInline let hints: UnsafeMutablePointer<Int32>

    /// Counters for statistics.
    public var hits: UInt64 { hitCount }
    @usableFromInline var hitCount: UInt64 = 0
    public internal(set) var misses: UInt64 = 0
    public internal(set) var writebacks: UInt64 = 0

    /// The result of one access.
    public struct Outcome: Equatable, Sendable {
        public var hit: Bool
        /// A dirty line this access pushed out (its line address), to be written to the next level.
        public var writeback: UInt64?
        @inlinable public init(hit: Bool, writeback: UInt64?) { self.hit = hit; self.writeback = writeback }
    }

    public init(_ geometry: CacheGeometry) {
        precondition(geometry.isValid, "cache geometry must use powers of two: \(geometry)")
        self.geometry = geometry
        ways = geometry.ways
        setMask = UInt64(geometry.sets - 1)
        lineShift = UInt64(geometry.lineSize.trailingZeroBitCount)
        let n = geometry.sets * geometry.ways
        tags = .allocate(capacity: n)
        tags.initialize(repeating: Self.invalid, count: n)
        stamps = .allocate(capacity: n)
        stamps.initialize(repeating: 0, count: n)
        dirty = .allocate(capacity: n)
        dirty.initialize(repeating: false, count: n)
        mostRecent = .allocate(capacity: geometry.sets)
        mostRecent.initialize(repeating: Self.invalid, count: geometry.sets)
        hints = .allocate(capacity: 2 * geometry.sets)
        hints.initialize(repeating: -1, count: 2 * geometry.sets)
    }

    deinit {
        tags.deallocate(); stamps.deallocate(); dirty.deallocate(); mostRecent.deallocate(); hints.deallocate()
    }

    /// The line address (address without the offset bits) of `address`.
    @inline(__always) public func line(_ address: UInt64) -> UInt64 { address &>> lineShift }

    /// Looks `address` up; on a miss the line is allocated (write-allocate for stores too).
    @inlinable @inline(__always)
    public func access(_ address: UInt64, write: Bool) -> Outcome {
        if hitsMostRecent(address, write: write) || hitsOneBefore(address, write: write) { return Outcome(hit: true, writeback: nil) }
        return lookUp(address, write: write)
    }

    /// Whether `address` is in its set's most recent line (for a store, one already dirty):
    /// a hit, counted, that leaves everything else as it is. The inlined fast path of every access.
    @inlinable @inline(__always)
    public func hitsMostRecent(_ address: UInt64, write: Bool) -> Bool {
        let l = address &>> lineShift
        let entry = mostRecent[Int(truncatingIfNeeded: l & setMask)]
        guard (write ? entry : entry | 1) == l &<< 1 | 1 else { return false }
        hitCount &+= 1
        return true
    }

    /// Whether `address` is in the line its set touched before the most recent one (the hinted
    /// slot; for a store, a dirty line): a hit, counted, which makes it the most recent as a
    /// lookup would. Two lines or pages used in turn take this path or the one above.
    @inlinable @inline(__always)
    public func hitsOneBefore(_ address: UInt64, write: Bool) -> Bool {
        let l = address &>> lineShift
        let set = Int(truncatingIfNeeded: l & setMask)
        let slot = Int(hints[2 &* set &+ 1])
        guard slot >= 0 && tags[slot] == l && (dirty[slot] || !write) else { return false }
        // What `touched` does, written out: here the two hints are known to differ and the
        // dirty bit to stand, and calling it cost bench_crc 4.6 host instructions per guest
        // instruction (its TLB takes this path on every page change).
        clock &+= 1
        stamps[slot] = clock
        mostRecent[set] = l &<< 1 | (dirty[slot] ? 1 : 0)
        hints[2 &* set &+ 1] = hints[2 &* set]
        hints[2 &* set] = Int32(truncatingIfNeeded: slot)
        hitCount &+= 1
        return true
    }

    /// Whether `address` is resident, without allocating it: a hit is counted and updates the
    /// LRU order exactly as `lookUp` would; a miss changes nothing (the caller goes on to the
    /// full access, which counts and fills it). The L1 hit path of a core model, which needs
    /// no next level.
    @inlinable @inline(__always)
    public func hitsResident(_ address: UInt64, write: Bool) -> Bool {
        hitsMostRecent(address, write: write) || hitsInSet(address, write: write)
    }

    @usableFromInline
    func hitsInSet(_ address: UInt64, write: Bool) -> Bool {
        let l = address &>> lineShift
        guard touch(l, base: Int(truncatingIfNeeded: l & setMask) &* ways, dirty: write) else { return false }
        hitCount &+= 1
        return true
    }

    /// Line `l` in `slot` of set `set` was just touched: it becomes the set's most recent.
    @inline(__always)
    private func remember(_ l: UInt64, slot: Int, set: Int) {
        mostRecent[set] = l &<< 1 | (dirty[slot] ? 1 : 0)
        let newest = hints[2 &* set]
        if newest != Int32(truncatingIfNeeded: slot) {
            hints[2 &* set &+ 1] = newest
            hints[2 &* set] = Int32(truncatingIfNeeded: slot)
        }
    }

    /// The full lookup, after `hitsMostRecent` said no.
    @usableFromInline
    func lookUp(_ address: UInt64, write: Bool) -> Outcome {
        let l = address &>> lineShift
        let base = Int(truncatingIfNeeded: l & setMask) * ways
        if touch(l, base: base, dirty: write) {
            hitCount &+= 1
            return Outcome(hit: true, writeback: nil)
        }
        misses &+= 1
        return Outcome(hit: false, writeback: fill(l, base: base, dirty: write))
    }

    /// Whether the line holding `address` is present (no state changes).
    public func contains(_ address: UInt64) -> Bool {
        let l = address &>> lineShift
        let base = Int(truncatingIfNeeded: l & setMask) * ways
        return (0..<ways).contains { tags[base + $0] == l }
    }

    /// Allocates the line of `address` without counting an access (a write-back arriving from
    /// the level above, or DC ZVA's allocation of a zeroed line).
    @discardableResult
    public func install(_ address: UInt64, dirty isDirty: Bool) -> UInt64? {
        let l = address &>> lineShift
        let base = Int(truncatingIfNeeded: l & setMask) * ways
        if touch(l, base: base, dirty: isDirty) { return nil }
        return fill(l, base: base, dirty: isDirty)
    }

    /// Ticks the LRU clock; if line `l` is in the set at `base`, makes it the most recent
    /// (and dirty if asked) and returns true.
    @inline(__always)
    private func touch(_ l: UInt64, base: Int, dirty isDirty: Bool) -> Bool {
        clock &+= 1
        let set = Int(truncatingIfNeeded: l & setMask)
        let hint = Int(hints[2 &* set &+ 1])
        if hint >= 0 && tags[hint] == l {
            touched(l, slot: hint, set: set, dirty: isDirty)
            return true
        }
        for w in 0..<ways where tags[base + w] == l {
            touched(l, slot: base + w, set: set, dirty: isDirty)
            return true
        }
        return false
    }

    /// `touch` found line `l` in `slot` of set `set`.
    @inline(__always)
    private func touched(_ l: UInt64, slot: Int, set: Int, dirty isDirty: Bool) {
        stamps[slot] = clock
        if isDirty { dirty[slot] = true }
        remember(l, slot: slot, set: set)
    }

    private func fill(_ l: UInt64, base: Int, dirty isDirty: Bool) -> UInt64? {
        var victim = base
        for w in 0..<ways {
            if tags[base + w] == Self.invalid { victim = base + w; break }
            if stamps[base + w] < stamps[victim] { victim = base + w }
        }
        var evicted: UInt64?
        if tags[victim] != Self.invalid && dirty[victim] {
            evicted = tags[victim] << lineShift
            writebacks &+= 1
        }
        tags[victim] = l
        stamps[victim] = clock
        dirty[victim] = isDirty
        remember(l, slot: victim, set: Int(truncatingIfNeeded: l & setMask))
        return evicted
    }

    /// DC CIVAC / DC IVAC / DC CVAC on one line: returns the line address if it was dirty
    /// (and `clean` is set), so the caller writes it back; `invalidate` drops the line.
    public func maintain(_ address: UInt64, clean: Bool, invalidate: Bool) -> UInt64? {
        let l = address &>> lineShift
        let base = Int(truncatingIfNeeded: l & setMask) * ways
        for w in 0..<ways where tags[base + w] == l {
            let wasDirty = dirty[base + w]
            if clean { dirty[base + w] = false }
            if invalidate { tags[base + w] = Self.invalid; dirty[base + w] = false }
            findMostRecent(set: base / ways)
            if wasDirty && clean { writebacks &+= 1; return l << lineShift }
            return nil
        }
        return nil
    }

    /// Drops every line (a cold cache); dirty contents are discarded, not written back.
    public func invalidateAll() {
        let n = geometry.sets * geometry.ways
        tags.update(repeating: Self.invalid, count: n)
        dirty.update(repeating: false, count: n)
        mostRecent.update(repeating: Self.invalid, count: geometry.sets)
    }

    /// Finds set `set`'s most recent line from the stamps (after maintenance, or a restore).
    func findMostRecent(set: Int) {
        var newest = -1
        for w in (set * ways)..<((set + 1) * ways) where tags[w] != Self.invalid && (newest < 0 || stamps[w] > stamps[newest]) {
            newest = w
        }
        mostRecent[set] = newest < 0 ? Self.invalid : tags[newest] &<< 1 | (dirty[newest] ? 1 : 0)
        hints[2 &* set] = Int32(newest)
    }
}
