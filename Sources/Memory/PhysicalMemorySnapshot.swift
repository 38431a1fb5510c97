#if canImport(Glibc)
import Glibc
#endif
import SimCore

// Guest RAM in a snapshot: only the pages that hold something. A page the guest never
// touched is not even resident on the host (`mincore`), so an idle 1 GiB board costs
// little to scan and nothing to store; a touched page that is all zeros is skipped too.

extension PhysicalMemory: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        w.section("ram at 0x" + String(ramBase, radix: 16))
        w.int(size)
        let pages = size / Self.pageSize
        var resident = [UInt8](repeating: 1, count: pages)
        _ = resident.withUnsafeMutableBufferPointer { mincore(host, size, $0.baseAddress) }
        var stored: [Int] = []
        for p in 0..<pages where resident[p] & 1 != 0 && !Self.isZero(host + p * Self.pageSize) { stored.append(p) }
        w.int(stored.count)
        for p in stored { w.int(p); w.raw(host + p * Self.pageSize, count: Self.pageSize) }
        w.int(nextFreshFrame)
        w.int(freeFrames.count)
        for f in freeFrames { w.int(f) }
    }

    /// Reads pages into RAM; every page the snapshot omits reads as zero afterwards.
    public func restore(from r: inout SnapshotReader) throws {
        try r.section("ram at 0x" + String(ramBase, radix: 16))
        let n = try r.int()
        guard n == size else { throw r.fail("\(n) bytes of RAM where this board has \(size)") }
        madvise(host, size, MADV_DONTNEED) // a private anonymous mapping reads as zeros again
        let pages = size / Self.pageSize
        for _ in 0..<(try r.count(atMost: pages)) {
            let p = try r.int()
            guard (0..<pages).contains(p) else { throw r.fail("page \(p) lies outside RAM") }
            try r.raw(into: host + p * Self.pageSize, count: Self.pageSize)
        }
        nextFreshFrame = try r.int()
        guard (0...pages).contains(nextFreshFrame) else { throw r.fail("frame allocator position out of range") }
        freeFrames = try (0..<(try r.count(atMost: pages))).map { _ in
            let f = try r.int()
            guard (0..<nextFreshFrame).contains(f) else { throw r.fail("a free frame outside the frames handed out") }
            return f
        }
    }

    private static func isZero(_ p: UnsafeMutableRawPointer) -> Bool {
        let words = p.assumingMemoryBound(to: UInt64.self)
        var any: UInt64 = 0
        for i in 0..<(pageSize / 8) { any |= words[i] }
        return any == 0
    }
}
