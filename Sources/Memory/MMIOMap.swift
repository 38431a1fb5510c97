/// A memory-mapped device: it answers reads and writes at offsets within its range.
///
/// `core` is the index of the accessing CPU: banked registers (the GIC's
/// per-CPU interface, SGI and PPI state) answer differently for each core.
public protocol MMIODevice: AnyObject {
    /// A human-readable name for errors and traces ("pl011", "gicd").
    var name: String { get }
    func read(offset: UInt64, size: Int, core: Int) -> UInt64
    func write(offset: UInt64, size: Int, value: UInt64, core: Int)
}

/// The physical bus's device map: which device answers at which physical range.
///
/// Lookups are a binary search over sorted, non-overlapping regions. MMIO is a
/// slow path by construction: pages that map devices never enter a TLB.
public struct MMIOMap {
    /// One device window on the physical bus.
    public struct Region {
        public let base: UInt64
        public let size: UInt64
        public let device: MMIODevice
    }

    public private(set) var regions: [Region] = []

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case overlap(String, String)
        case empty(String)
        public var description: String {
            switch self {
            case .overlap(let a, let b): return "MMIO region '\(a)' overlaps '\(b)'"
            case .empty(let a): return "MMIO region '\(a)' has size 0"
            }
        }
    }

    public init() {}

    /// Adds `device` at [base, base+size); ranges may not overlap.
    public mutating func add(_ device: MMIODevice, base: UInt64, size: UInt64) throws {
        guard size > 0 else { throw Failure.empty(device.name) }
        for r in regions where base < r.base &+ r.size && r.base < base &+ size {
            throw Failure.overlap(device.name, r.device.name)
        }
        regions.append(Region(base: base, size: size, device: device))
        regions.sort { $0.base < $1.base }
    }

    /// The region containing `physical`, and the offset within it.
    public func lookup(_ physical: UInt64) -> (region: Region, offset: UInt64)? {
        var lo = 0, hi = regions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let r = regions[mid]
            if physical < r.base { hi = mid }
            else if physical - r.base >= r.size { lo = mid + 1 }
            else { return (r, physical - r.base) }
        }
        return nil
    }

    /// Reads from the device at `physical`, or nil when no device answers there.
    public func read(_ physical: UInt64, size: Int, core: Int) -> UInt64? {
        guard let (r, off) = lookup(physical) else { return nil }
        return r.device.read(offset: off, size: size, core: core)
    }

    /// Writes to the device at `physical`; false when no device answers there.
    @discardableResult
    public func write(_ physical: UInt64, size: Int, value: UInt64, core: Int) -> Bool {
        guard let (r, off) = lookup(physical) else { return false }
        r.device.write(offset: off, size: size, value: value, core: core)
        return true
    }
}
