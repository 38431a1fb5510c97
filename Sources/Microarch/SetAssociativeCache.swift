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
/// has an LRU stamp from a counter that ticks on every access; the victim is the
/// invalid way, else the way with the oldest stamp, so replacement is exact LRU
/// and the same on every run. Storage is raw memory: a lookup is a shift, a mask
/// and a scan of `ways` tags.
public final class SetAssociativeCache {
    public let geometry: CacheGeometry
    private let setMask: UInt64
    private let lineShift: UInt64
    private let ways: Int
    private let tags: UnsafeMutablePointer<UInt64>      // line address, or `invalid`
    private let stamps: UnsafeMutablePointer<UInt64>
    private let dirty: UnsafeMutablePointer<Bool>
    private var clock: UInt64 = 0
    private static let invalid = UInt64.max

    /// Counters for statistics.
    public private(set) var hits: UInt64 = 0
    public private(set) var misses: UInt64 = 0
    public private(set) var writebacks: UInt64 = 0

    /// The result of one access.
    public struct Outcome: Equatable, Sendable {
        public var hit: Bool
        /// A dirty line this access pushed out (its line address), to be written to the next level.
        public var writeback: UInt64?
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
    }

    deinit {
        tags.deallocate(); stamps.deallocate(); dirty.deallocate()
    }

    /// The line address (address without the offset bits) of `address`.
    @inline(__always) public func line(_ address: UInt64) -> UInt64 { address >> lineShift }

    /// Looks `address` up; on a miss the line is allocated (write-allocate for stores too).
    @inline(__always)
    public func access(_ address: UInt64, write: Bool) -> Outcome {
        let l = address >> lineShift
        let base = Int(truncatingIfNeeded: l & setMask) * ways
        if touch(l, base: base, dirty: write) {
            hits &+= 1
            return Outcome(hit: true, writeback: nil)
        }
        misses &+= 1
        return Outcome(hit: false, writeback: fill(l, base: base, dirty: write))
    }

    /// Whether the line holding `address` is present (no state changes).
    public func contains(_ address: UInt64) -> Bool {
        let l = address >> lineShift
        let base = Int(truncatingIfNeeded: l & setMask) * ways
        return (0..<ways).contains { tags[base + $0] == l }
    }

    /// Allocates the line of `address` without counting an access (a write-back arriving from
    /// the level above, or DC ZVA's allocation of a zeroed line).
    @discardableResult
    public func install(_ address: UInt64, dirty isDirty: Bool) -> UInt64? {
        let l = address >> lineShift
        let base = Int(truncatingIfNeeded: l & setMask) * ways
        if touch(l, base: base, dirty: isDirty) { return nil }
        return fill(l, base: base, dirty: isDirty)
    }

    /// Ticks the LRU clock; if line `l` is in the set at `base`, makes it the most recent
    /// (and dirty if asked) and returns true.
    @inline(__always)
    private func touch(_ l: UInt64, base: Int, dirty isDirty: Bool) -> Bool {
        clock &+= 1
        for w in 0..<ways where tags[base + w] == l {
            stamps[base + w] = clock
            if isDirty { dirty[base + w] = true }
            return true
        }
        return false
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
        return evicted
    }

    /// DC CIVAC / DC IVAC / DC CVAC on one line: returns the line address if it was dirty
    /// (and `clean` is set), so the caller writes it back; `invalidate` drops the line.
    public func maintain(_ address: UInt64, clean: Bool, invalidate: Bool) -> UInt64? {
        let l = address >> lineShift
        let base = Int(truncatingIfNeeded: l & setMask) * ways
        for w in 0..<ways where tags[base + w] == l {
            let wasDirty = dirty[base + w]
            if clean { dirty[base + w] = false }
            if invalidate { tags[base + w] = Self.invalid; dirty[base + w] = false }
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
    }
}
