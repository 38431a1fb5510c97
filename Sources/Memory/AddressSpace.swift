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
public final class AddressSpace: MemoryPort {
    public static let pageSize: UInt64 = 4096
    public let physical: PhysicalMemory
    public internal(set) var pages: [UInt64: PageTableEntry] = [:]
    private var watched = Set<UInt64>()

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
        super.init()
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
                changed(vpn, e)
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
            changed(vpn, e)
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
            changed(vpn, e)
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

    /// Bytes for a debugger, whatever the pages' permissions (as ptrace's PEEKDATA reads them),
    /// without touching the software TLB: as many as are mapped from `va` on (nil if none).
    /// The user-mode twin of `AArch64MMU.debugRead`.
    public func debugRead(_ va: UInt64, count: Int) -> [UInt8]? {
        var out: [UInt8] = []
        var a = va
        while out.count < count, let e = pages[a >> 12] {
            let n = min(count - out.count, Int(0x1000 - (a & 0xFFF)))
            out += UnsafeRawBufferPointer(start: physical.hostPointer(e.physical + (a & 0xFFF)), count: n)
            a &+= UInt64(n)
        }
        return out.isEmpty && count > 0 ? nil : out
    }

    /// Writes bytes for a debugger, whatever the pages' permissions (as ptrace's POKEDATA does);
    /// decoded code on those pages is dropped first. False if any page is unmapped (nothing written).
    public func debugWrite(_ va: UInt64, _ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return true }
        let last = (va &+ UInt64(bytes.count) &- 1) >> 12
        for vpn in (va >> 12)...last where pages[vpn] == nil { return false }
        for (i, b) in bytes.enumerated() {
            let a = va &+ UInt64(i), e = pages[a >> 12]!
            if watched.remove(a >> 12) != nil { codePageWillChange?(e.physical >> 12) }
            physical.hostPointer(e.physical + (a & 0xFFF)).storeBytes(of: b, as: UInt8.self)
        }
        return true
    }

    private func changed(_ vpn: UInt64, _ e: PageTableEntry) {
        tlb.flush(page: vpn)
        if watched.remove(vpn) != nil { codePageWillChange?(e.physical >> 12) }
    }

    // MARK: Code pages

    /// The bytes of executable page `vpn`, which is then watched for writes.
    public override func restoreCodePage(_ vpn: UInt64, physicalPage ppn: UInt64) -> CodePage? {
        guard physical.contains(ppn << 12) else { return nil }
        if watched.insert(vpn).inserted { tlb.flush(page: vpn) }
        return CodePage(host: physical.hostPointer(ppn << 12), physicalPage: ppn)
    }

    public override func fetchPage(_ vpn: UInt64) -> CodePage? {
        guard let e = pages[vpn] else {
            lastFault = MemoryFault(address: vpn << 12, kind: .unmapped, isWrite: false)
            return nil
        }
        guard e.permissions.contains(.execute) else {
            lastFault = MemoryFault(address: vpn << 12, kind: .permission, isWrite: false)
            return nil
        }
        if watched.insert(vpn).inserted { tlb.flush(page: vpn) }
        return CodePage(host: physical.hostPointer(e.physical), physicalPage: e.physical >> 12)
    }

    // MARK: Slow paths

    /// Resolves `va` for a read, filling the TLB; nil (and `lastFault`) when the access faults.
    public override func translateRead(_ va: UInt64) -> UnsafeMutableRawPointer? {
        let vpn = va >> 12
        guard let e = pages[vpn] else {
            lastFault = MemoryFault(address: va, kind: .unmapped, isWrite: false); return nil
        }
        guard e.permissions.contains(.read) else {
            lastFault = MemoryFault(address: va, kind: .permission, isWrite: false); return nil
        }
        let host = physical.hostPointer(e.physical)
        if mayCache(page: vpn) { tlb.fillRead(page: vpn, host: host) }
        return host + Int(va & 0xFFF)
    }

    /// Resolves `va` for a write, filling the TLB unless the page is watched.
    public override func translateWrite(_ va: UInt64) -> UnsafeMutableRawPointer? {
        let vpn = va >> 12
        guard let e = pages[vpn] else {
            lastFault = MemoryFault(address: va, kind: .unmapped, isWrite: true); return nil
        }
        guard e.permissions.contains(.write) else {
            lastFault = MemoryFault(address: va, kind: .permission, isWrite: true); return nil
        }
        if watched.remove(vpn) != nil { codePageWillChange?(e.physical >> 12) }
        let host = physical.hostPointer(e.physical)
        if mayCache(page: vpn) {
            tlb.fillWrite(page: vpn, host: host)
            if e.permissions.contains(.read) { tlb.fillRead(page: vpn, host: host) }
        }
        return host + Int(va & 0xFFF)
    }

    // MARK: Kernel-side copies (copy_to_user; the loader)

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
            if watched.remove(vpn) != nil { codePageWillChange?(pages[vpn]!.physical >> 12) }
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
}
