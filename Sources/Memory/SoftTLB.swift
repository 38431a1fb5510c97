import SimCore

/// Access rights of one guest page.
public struct PagePermissions: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let read = PagePermissions(rawValue: 1)
    public static let write = PagePermissions(rawValue: 2)
    public static let execute = PagePermissions(rawValue: 4)
    public static let none: PagePermissions = []
    public static let rw: PagePermissions = [.read, .write]
    public static let rx: PagePermissions = [.read, .execute]
    public static let rwx: PagePermissions = [.read, .write, .execute]

    public var description: String {
        (contains(.read) ? "r" : "-") + (contains(.write) ? "w" : "-") + (contains(.execute) ? "x" : "-")
    }
}

/// The software TLB: direct-mapped virtual-page tags, each with a host addend.
///
/// A hit is a tag compare and one addition (`host = va &+ addend`), as in
/// TinyEMU. Reads and writes have separate arrays, so a read-only page simply
/// never enters the write half, and a page holding decoded code stays out of it
/// too (its writes must go through the slow path that invalidates the decode).
/// The arrays are raw memory: the CPU loop copies this struct into a local.
public struct SoftTLB {
    public static let entryCount = 1024
    public static let invalidTag = UInt64.max

    @usableFromInline let readTag: UnsafeMutablePointer<UInt64>
    @usableFromInline let readAddend: UnsafeMutablePointer<UInt64>
    @usableFromInline let writeTag: UnsafeMutablePointer<UInt64>
    @usableFromInline let writeAddend: UnsafeMutablePointer<UInt64>

    public init() {
        readTag = .allocate(capacity: Self.entryCount)
        readAddend = .allocate(capacity: Self.entryCount)
        writeTag = .allocate(capacity: Self.entryCount)
        writeAddend = .allocate(capacity: Self.entryCount)
        flushAll()
        readAddend.initialize(repeating: 0, count: Self.entryCount)
        writeAddend.initialize(repeating: 0, count: Self.entryCount)
    }

    public func deallocate() {
        readTag.deallocate(); readAddend.deallocate(); writeTag.deallocate(); writeAddend.deallocate()
    }

    public func flushAll() {
        readTag.initialize(repeating: Self.invalidTag, count: Self.entryCount)
        writeTag.initialize(repeating: Self.invalidTag, count: Self.entryCount)
    }

    public func flush(page vpn: UInt64) {
        let i = Int(vpn & UInt64(Self.entryCount - 1))
        if readTag[i] == vpn { readTag[i] = Self.invalidTag }
        if writeTag[i] == vpn { writeTag[i] = Self.invalidTag }
    }

    public func fillRead(page vpn: UInt64, host: UnsafeMutableRawPointer) {
        let i = Int(vpn & UInt64(Self.entryCount - 1))
        readTag[i] = vpn
        readAddend[i] = UInt64(UInt(bitPattern: host)) &- (vpn << 12)
    }

    public func fillWrite(page vpn: UInt64, host: UnsafeMutableRawPointer) {
        let i = Int(vpn & UInt64(Self.entryCount - 1))
        writeTag[i] = vpn
        writeAddend[i] = UInt64(UInt(bitPattern: host)) &- (vpn << 12)
    }

    /// The host address for reading `size` bytes at `va`, if the access hits and stays in one page.
    @inlinable @inline(__always)
    public func readHost(_ va: UInt64, size: UInt64) -> UnsafeMutableRawPointer? {
        let vpn = va >> 12
        let i = Int(truncatingIfNeeded: vpn) & (Self.entryCount - 1)
        guard _fastPath(readTag[i] == vpn && (va & 0xFFF) &+ size <= 0x1000) else { return nil }
        return UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: va &+ readAddend[i]))
    }

    /// The host address for writing `size` bytes at `va`, if the access hits and stays in one page.
    @inlinable @inline(__always)
    public func writeHost(_ va: UInt64, size: UInt64) -> UnsafeMutableRawPointer? {
        let vpn = va >> 12
        let i = Int(truncatingIfNeeded: vpn) & (Self.entryCount - 1)
        guard _fastPath(writeTag[i] == vpn && (va & 0xFFF) &+ size <= 0x1000) else { return nil }
        return UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: va &+ writeAddend[i]))
    }
}

extension SoftTLB {
    /// Drops every write entry whose page maps host page `host` (a page that now holds decoded code).
    public func flushWrites(toHostPage host: UnsafeMutableRawPointer) {
        let target = UInt64(UInt(bitPattern: host))
        for i in 0..<Self.entryCount where writeTag[i] != Self.invalidTag {
            if (writeTag[i] << 12) &+ writeAddend[i] == target { writeTag[i] = Self.invalidTag }
        }
    }
}

extension SoftTLB {
    /// The valid entries as (index, virtual page, guest physical page) for a snapshot; host
    /// addresses are not state, so `physical` turns each entry's host page into a guest one.
    public func save(to w: inout SnapshotWriter, physical: (UnsafeMutableRawPointer) -> UInt64?) {
        for (tags, addends) in [(readTag, readAddend), (writeTag, writeAddend)] {
            var valid: [(Int, UInt64, UInt64)] = []
            for i in 0..<Self.entryCount where tags[i] != Self.invalidTag {
                let host = UnsafeMutableRawPointer(bitPattern: UInt((tags[i] << 12) &+ addends[i]))!
                if let pa = physical(host) { valid.append((i, tags[i], pa >> 12)) }
            }
            w.int(valid.count)
            for (i, vpn, ppn) in valid { w.int(i); w.u64(vpn); w.u64(ppn) }
        }
    }

    public func restore(from r: inout SnapshotReader, host: (UInt64) -> UnsafeMutableRawPointer?) throws {
        flushAll()
        for write in [false, true] {
            for _ in 0..<(try r.count(atMost: Self.entryCount)) {
                let i = try r.int(), vpn = try r.u64(), ppn = try r.u64()
                guard Int(truncatingIfNeeded: vpn) & (Self.entryCount - 1) == i, let h = host(ppn << 12) else {
                    throw r.fail("a software TLB entry that does not map RAM")
                }
                if write { fillWrite(page: vpn, host: h) } else { fillRead(page: vpn, host: h) }
            }
        }
    }
}
