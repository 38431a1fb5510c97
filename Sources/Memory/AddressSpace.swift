/// Why a guest memory access failed: the Linux `si_code` distinction for SIGSEGV.
public enum MemoryFaultKind: Sendable, Equatable {
    /// No page is mapped at the address (SEGV_MAPERR).
    case unmapped
    /// A page is mapped but forbids this access (SEGV_ACCERR).
    case permission
}

/// A failed guest access, kept for the fault report and the signal frame.
public struct MemoryFault: Sendable, Equatable {
    public var address: UInt64
    public var kind: MemoryFaultKind
    public var isWrite: Bool

    public init(address: UInt64, kind: MemoryFaultKind, isWrite: Bool) {
        self.address = address; self.kind = kind; self.isWrite = isWrite
    }
}

/// One mapped virtual page: where its frame is, what it may be used for.
public struct PageTableEntry: Sendable, Equatable {
    public var physical: UInt64
    public var permissions: PagePermissions
}

/// A process's virtual address space: 4 KiB pages over physical frames, with a software TLB.
///
/// The page table is the slow path's truth; the TLB caches it. Every change to a
/// mapping flushes the TLB entry for that page. Pages holding decoded code are
/// "watched": their writes always take the slow path, which tells the decoder
/// before the bytes change (self-modifying code, JITs, the loader).
public final class AddressSpace {
    public static let pageSize: UInt64 = 4096
    public let physical: PhysicalMemory
    public private(set) var tlb: SoftTLB
    public private(set) var pages: [UInt64: PageTableEntry] = [:]
    private var watched = Set<UInt64>()
    /// Called with the virtual page number before a watched page is written or remapped.
    public var watchedPageWillChange: ((UInt64) -> Void)?
    /// The most recent failed access.
    public private(set) var lastFault: MemoryFault?

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case outOfMemory
        case misaligned(UInt64)
        public var description: String {
            switch self {
            case .outOfMemory: return "guest RAM exhausted"
            case .misaligned(let a): return "address 0x\(String(a, radix: 16)) is not page-aligned"
            }
        }
    }

    public init(physical: PhysicalMemory) {
        self.physical = physical
        tlb = SoftTLB()
    }

    deinit {
        for (_, e) in pages { physical.freeFrame(e.physical) }
        tlb.deallocate()
    }

    // MARK: Mapping

    /// Maps [va, va+length) with fresh zeroed frames; pages already mapped keep their contents
    /// and take the new permissions.
    public func map(_ va: UInt64, length: UInt64, permissions: PagePermissions) throws {
        guard va % Self.pageSize == 0 else { throw Failure.misaligned(va) }
        let first = va >> 12, count = (length + Self.pageSize - 1) >> 12
        // Fail before changing anything, so a failed mmap leaves no partial mapping behind.
        guard count <= UInt64(physical.framesAvailable) + UInt64(pages.count) else { throw Failure.outOfMemory }
        let fresh = (first..<(first + count)).reduce(0) { $0 + (pages[$1] == nil ? 1 : 0) }
        guard fresh <= physical.framesAvailable else { throw Failure.outOfMemory }
        for vpn in first..<(first + count) {
            if var e = pages[vpn] {
                e.permissions = permissions
                pages[vpn] = e
                changed(vpn)
            } else {
                guard let frame = physical.allocateFrame() else { throw Failure.outOfMemory }
                pages[vpn] = PageTableEntry(physical: frame, permissions: permissions)
            }
        }
    }

    /// Unmaps every mapped page in [va, va+length) and frees its frame.
    public func unmap(_ va: UInt64, length: UInt64) {
        let first = va >> 12, count = (length + Self.pageSize - 1) >> 12
        for vpn in first..<(first + count) {
            guard let e = pages.removeValue(forKey: vpn) else { continue }
            changed(vpn)
            physical.freeFrame(e.physical)
        }
    }

    /// Changes the permissions of mapped pages in [va, va+length); returns false if any page is unmapped.
    @discardableResult
    public func protect(_ va: UInt64, length: UInt64, permissions: PagePermissions) -> Bool {
        let first = va >> 12, count = (length + Self.pageSize - 1) >> 12
        var all = true
        for vpn in first..<(first + count) {
            guard var e = pages[vpn] else { all = false; continue }
            e.permissions = permissions
            pages[vpn] = e
            changed(vpn)
        }
        return all
    }

    /// The entry mapping virtual page `vpn`, if any.
    public func entry(page vpn: UInt64) -> PageTableEntry? { pages[vpn] }

    /// Whether no page in [va, va+length) is mapped.
    public func isFree(_ va: UInt64, length: UInt64) -> Bool {
        let first = va >> 12, count = (length + Self.pageSize - 1) >> 12
        if count > UInt64(pages.count) {
            return !pages.keys.contains { $0 >= first && $0 < first + count }
        }
        for vpn in first..<(first + count) where pages[vpn] != nil { return false }
        return true
    }

    private func changed(_ vpn: UInt64) {
        tlb.flush(page: vpn)
        if watched.remove(vpn) != nil { watchedPageWillChange?(vpn) }
    }

    // MARK: Code pages

    /// The host address of executable page `vpn`, which is then watched for writes.
    public func fetchPage(_ vpn: UInt64) -> UnsafeMutableRawPointer? {
        guard let e = pages[vpn] else {
            lastFault = MemoryFault(address: vpn << 12, kind: .unmapped, isWrite: false)
            return nil
        }
        guard e.permissions.contains(.execute) else {
            lastFault = MemoryFault(address: vpn << 12, kind: .permission, isWrite: false)
            return nil
        }
        if watched.insert(vpn).inserted { tlb.flush(page: vpn) }
        return physical.hostPointer(e.physical)
    }

    /// Stops watching `vpn` without notifying (the decoder dropped the page itself).
    public func unwatch(_ vpn: UInt64) { watched.remove(vpn) }

    // MARK: Slow paths

    /// Resolves `va` for a read, filling the TLB; nil (and `lastFault`) when the access faults.
    public func translateRead(_ va: UInt64) -> UnsafeMutableRawPointer? {
        let vpn = va >> 12
        guard let e = pages[vpn] else {
            lastFault = MemoryFault(address: va, kind: .unmapped, isWrite: false); return nil
        }
        guard e.permissions.contains(.read) else {
            lastFault = MemoryFault(address: va, kind: .permission, isWrite: false); return nil
        }
        let host = physical.hostPointer(e.physical)
        tlb.fillRead(page: vpn, host: host)
        return host + Int(va & 0xFFF)
    }

    /// Resolves `va` for a write, filling the TLB unless the page is watched.
    public func translateWrite(_ va: UInt64) -> UnsafeMutableRawPointer? {
        let vpn = va >> 12
        guard let e = pages[vpn] else {
            lastFault = MemoryFault(address: va, kind: .unmapped, isWrite: true); return nil
        }
        guard e.permissions.contains(.write) else {
            lastFault = MemoryFault(address: va, kind: .permission, isWrite: true); return nil
        }
        if watched.remove(vpn) != nil { watchedPageWillChange?(vpn) }
        let host = physical.hostPointer(e.physical)
        tlb.fillWrite(page: vpn, host: host)
        if e.permissions.contains(.read) { tlb.fillRead(page: vpn, host: host) }
        return host + Int(va & 0xFFF)
    }

    /// Reads `size` (1...8) bytes little-endian at `va`, crossing pages if needed.
    @inline(never)
    public func readSlow(_ va: UInt64, size: Int) -> UInt64? {
        if (va & 0xFFF) + UInt64(size) <= 0x1000 {
            guard let p = translateRead(va) else { return nil }
            return loadLE(p, size)
        }
        var value: UInt64 = 0
        for i in 0..<size {
            guard let p = translateRead(va &+ UInt64(i)) else { return nil }
            value |= UInt64(p.load(as: UInt8.self)) << (8 * i)
        }
        return value
    }

    /// Writes the low `size` (1...8) bytes of `value` at `va`; false (and `lastFault`) on a fault.
    /// A write that crosses into a faulting page changes nothing.
    @inline(never)
    public func writeSlow(_ va: UInt64, size: Int, value: UInt64) -> Bool {
        if (va & 0xFFF) + UInt64(size) <= 0x1000 {
            guard let p = translateWrite(va) else { return false }
            storeLE(p, size, value)
            return true
        }
        for i in 0..<size { guard translateWrite(va &+ UInt64(i)) != nil else { return false } }
        for i in 0..<size {
            translateWrite(va &+ UInt64(i))!.storeBytes(of: UInt8(truncatingIfNeeded: value >> (8 * i)), as: UInt8.self)
        }
        return true
    }

    // MARK: Kernel-side copies (copy_from_user / copy_to_user)

    /// Copies guest bytes out; nil if any byte is unreadable.
    public func read(_ va: UInt64, count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBytes { copyOut(va, into: $0) }
        return ok ? out : nil
    }

    /// Copies guest bytes into `buffer`; false if any byte is unreadable.
    public func copyOut(_ va: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var done = 0
        while done < buffer.count {
            let a = va &+ UInt64(done)
            guard let p = translateRead(a) else { return false }
            let n = min(buffer.count - done, Int(0x1000 - (a & 0xFFF)))
            (buffer.baseAddress! + done).copyMemory(from: p, byteCount: n)
            done += n
        }
        return true
    }

    /// Copies bytes into guest memory; false if any page is unwritable (nothing is written then).
    /// `force` ignores page permissions, as the program loader and the kernel's own setup do.
    @discardableResult
    public func write(_ va: UInt64, bytes: UnsafeRawBufferPointer, force: Bool = false) -> Bool {
        var a = va & ~0xFFF
        let end = va &+ UInt64(bytes.count)
        while a < end {
            guard let e = pages[a >> 12], force || e.permissions.contains(.write) else {
                lastFault = MemoryFault(address: max(a, va), kind: pages[a >> 12] == nil ? .unmapped : .permission, isWrite: true)
                return false
            }
            a += Self.pageSize
        }
        var done = 0
        while done < bytes.count {
            let a = va &+ UInt64(done)
            let vpn = a >> 12
            if watched.remove(vpn) != nil { watchedPageWillChange?(vpn) }
            let p = physical.hostPointer(pages[vpn]!.physical) + Int(a & 0xFFF)
            let n = min(bytes.count - done, Int(0x1000 - (a & 0xFFF)))
            p.copyMemory(from: bytes.baseAddress! + done, byteCount: n)
            done += n
        }
        return true
    }

    @discardableResult
    public func write(_ va: UInt64, bytes: [UInt8], force: Bool = false) -> Bool {
        bytes.withUnsafeBytes { write(va, bytes: $0, force: force) }
    }

    /// Reads a NUL-terminated string of at most `limit` bytes; nil if unreadable or unterminated.
    public func readCString(_ va: UInt64, limit: Int = 4096) -> String? {
        var bytes: [UInt8] = []
        var a = va
        while bytes.count < limit {
            guard let p = translateRead(a) else { return nil }
            let b = p.load(as: UInt8.self)
            if b == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(b)
            a &+= 1
        }
        return nil
    }
}

@inline(__always) func loadLE(_ p: UnsafeMutableRawPointer, _ size: Int) -> UInt64 {
    switch size {
    case 1: return UInt64(p.load(as: UInt8.self))
    case 2: return UInt64(p.loadUnaligned(as: UInt16.self))
    case 4: return UInt64(p.loadUnaligned(as: UInt32.self))
    default: return p.loadUnaligned(as: UInt64.self)
    }
}

@inline(__always) func storeLE(_ p: UnsafeMutableRawPointer, _ size: Int, _ v: UInt64) {
    switch size {
    case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
    case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: v), toByteOffset: 0, as: UInt16.self)
    case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: v), toByteOffset: 0, as: UInt32.self)
    default: p.storeBytes(of: v, toByteOffset: 0, as: UInt64.self)
    }
}
