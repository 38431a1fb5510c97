#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Guest physical RAM: one host block, handed out as 4 KiB frames.
///
/// The block is reserved with `MAP_NORESERVE`, so a 4 GiB board costs host
/// memory only for the frames a guest touches. Physical address 0 of RAM is
/// `ramBase` on the guest's physical bus.
public final class PhysicalMemory {
    public static let pageSize = 4096
    public let host: UnsafeMutableRawPointer
    public let size: Int
    public let ramBase: UInt64
    var nextFreshFrame: Int = 0
    var freeFrames: [Int] = []

    public enum Failure: Error, CustomStringConvertible {
        case cannotReserve(bytes: Int)
        public var description: String {
            switch self { case .cannotReserve(let n): return "cannot reserve \(n) bytes of host memory for guest RAM" }
        }
    }

    public init(size: Int, ramBase: UInt64 = 0) throws {
        precondition(size > 0 && size % Self.pageSize == 0, "RAM size must be a whole number of pages")
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { throw Failure.cannotReserve(bytes: size) }
        host = p
        self.size = size
        self.ramBase = ramBase
    }

    deinit { munmap(host, size) }

    /// Frames currently handed out.
    public var framesInUse: Int { nextFreshFrame - freeFrames.count }

    /// Frames that can still be allocated.
    public var framesAvailable: Int { size / Self.pageSize - framesInUse }

    /// Allocates one zeroed frame and returns its physical address, or nil when RAM is full.
    public func allocateFrame() -> UInt64? {
        let index: Int
        if let reused = freeFrames.popLast() {
            index = reused
            memset(host + index * Self.pageSize, 0, Self.pageSize)
        } else {
            guard (nextFreshFrame + 1) * Self.pageSize <= size else { return nil }
            index = nextFreshFrame
            nextFreshFrame += 1
        }
        return ramBase + UInt64(index * Self.pageSize)
    }

    /// Returns a frame to the allocator.
    public func freeFrame(_ physical: UInt64) {
        freeFrames.append(Int((physical - ramBase) / UInt64(Self.pageSize)))
    }

    /// The host address backing a guest physical address inside RAM.
    @inlinable public func hostPointer(_ physical: UInt64) -> UnsafeMutableRawPointer {
        host + Int(physical - ramBase)
    }

    /// Whether `physical` falls inside RAM.
    @inlinable public func contains(_ physical: UInt64) -> Bool {
        physical >= ramBase && physical - ramBase < UInt64(size)
    }
}
