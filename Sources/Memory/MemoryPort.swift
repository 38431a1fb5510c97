/// Why a guest memory access failed.
public enum MemoryFaultKind: Sendable, Equatable {
    /// No translation for the address: an unmapped user page (SEGV_MAPERR) or an
    /// invalid descriptor at `level` of a stage-1 walk.
    case unmapped
    /// A translation exists but forbids this access (SEGV_ACCERR; an AArch64 permission fault).
    case permission
    /// The translation's access flag is clear (AArch64 Access flag fault; no hardware AF update).
    case accessFlag
    /// A walk or an access reached a physical address where nothing answers (synchronous external abort).
    case external
    /// The access is misaligned for its memory type or instruction (alignment fault).
    case alignment
    /// The output or table address is wider than the physical address size (AArch64 Address size fault).
    case addressSize
    /// Not a fault: the access reaches a device. The CPU stops before the instruction, and the
    /// machine replays it with device access armed, so that every MMIO access ends a run slice.
    case device
    /// Not a fault: a debugger's watchpoint covers the access. The CPU stops before the
    /// instruction, as an AArch64 watchpoint does; the debugger steps over it.
    case watchpoint
}

/// A debugger's watchpoint: accesses of the chosen kinds that overlap [start, start + length).
public struct Watchpoint: Equatable, Sendable {
    public var start: UInt64
    public var length: UInt64
    public var reads: Bool
    public var writes: Bool
    public init(start: UInt64, length: UInt64, reads: Bool, writes: Bool) {
        self.start = start; self.length = length; self.reads = reads; self.writes = writes
    }
}

/// A failed guest access, kept for the fault report, the signal frame or the exception syndrome.
public struct MemoryFault: Error, Sendable, Equatable {
    public var address: UInt64
    public var kind: MemoryFaultKind
    public var isWrite: Bool
    /// The translation level the fault was found at (0–3); 3 for user-mode faults.
    public var level: UInt8
    /// True when a translation-table walk itself failed (the "on translation table walk" syndromes).
    public var duringWalk: Bool

    public init(address: UInt64, kind: MemoryFaultKind, isWrite: Bool, level: UInt8 = 3, duringWalk: Bool = false) {
        self.address = address; self.kind = kind; self.isWrite = isWrite; self.level = level; self.duringWalk = duringWalk
    }
}

/// One executable page as the decoder needs it: its bytes and its physical identity.
public struct CodePage {
    public var host: UnsafeMutableRawPointer
    /// The physical page number: writes to it, through any mapping, invalidate the decode.
    public var physicalPage: UInt64
    public init(host: UnsafeMutableRawPointer, physicalPage: UInt64) { self.host = host; self.physicalPage = physicalPage }
}

/// What a CPU's loads, stores and instruction fetches see: a software TLB for the
/// fast path and slow paths for its misses.
///
/// A user-mode run uses `AddressSpace` (the Linux model's view of one process);
/// a full-system run uses an MMU that walks the guest's own page tables over the
/// physical bus. The hot loop only touches `tlb`; the slow paths are virtual
/// calls, which is cheap next to a miss.
open class MemoryPort {
    /// The TLB the CPU loop probes. A full-system MMU swaps it when the exception level changes.
    public var tlb: SoftTLB
    /// The most recent failed access.
    public var lastFault: MemoryFault?
    /// Called with a physical page number before a page that holds decoded code changes
    /// (is written, unmapped or loses execute permission).
    public var codePageWillChange: ((UInt64) -> Void)?

    public init(tlb: SoftTLB = SoftTLB()) {
        self.tlb = tlb
    }

    // MARK: Watchpoints

    /// A debugger's watchpoints (virtual addresses). Their pages never stay in the software
    /// TLB, so every access to them takes the slow path, which checks the list.
    public var watchpoints: [Watchpoint] = [] {
        didSet {
            watchedDataPages = []
            for w in watchpoints where w.length > 0 {
                for page in (w.start >> 12)...((w.start &+ w.length &- 1) >> 12) { watchedDataPages.insert(page) }
            }
            for page in watchedDataPages { forgetTLBEntries(page: page) }
        }
    }
    /// Set while a debugger steps over the instruction a watchpoint stopped.
    public var watchpointsSuspended = false
    private var watchedDataPages = Set<UInt64>()

    /// Whether page `vpn` may enter the software TLB: not while a watchpoint covers it.
    @inline(__always)
    public func mayCache(page vpn: UInt64) -> Bool {
        watchedDataPages.isEmpty || !watchedDataPages.contains(vpn)
    }

    /// Drops page `vpn` from every software TLB this port fills.
    open func forgetTLBEntries(page vpn: UInt64) { tlb.flush(page: vpn) }

    /// Whether an access of `size` bytes at `va` hits a watchpoint (then `lastFault` says so).
    @inline(__always)
    func watched(_ va: UInt64, size: Int, write: Bool) -> Bool {
        guard _slowPath(!watchedDataPages.isEmpty) else { return false }
        if watchedDataPages.contains(va >> 12) || watchedDataPages.contains((va &+ UInt64(size) &- 1) >> 12) {
            if watchpointsSuspended { return false }
            for w in watchpoints where (write ? w.writes : w.reads) && va < w.start &+ w.length && w.start < va &+ UInt64(size) {
                lastFault = MemoryFault(address: va, kind: .watchpoint, isWrite: write)
                return true
            }
        }
        return false
    }

    /// Resolves `va` for a read, filling the TLB when it may; nil (and `lastFault`) when the access faults.
    open func translateRead(_ va: UInt64) -> UnsafeMutableRawPointer? {
        preconditionFailure("\(type(of: self)) must implement translateRead")
    }

    /// Resolves `va` for a write, filling the TLB unless the page holds decoded code.
    open func translateWrite(_ va: UInt64) -> UnsafeMutableRawPointer? {
        preconditionFailure("\(type(of: self)) must implement translateWrite")
    }

    /// The bytes of executable page `vpn` for the decoder, which then watches it for writes; nil (and `lastFault`) on a fault.
    open func fetchPage(_ vpn: UInt64) -> CodePage? {
        preconditionFailure("\(type(of: self)) must implement fetchPage")
    }

    /// The code page a snapshot says virtual page `vpn` was decoded from (physical page `ppn`),
    /// watched for writes as `fetchPage` would, but without translating (which statistics count).
    open func restoreCodePage(_ vpn: UInt64, physicalPage ppn: UInt64) -> CodePage? {
        preconditionFailure("\(type(of: self)) must implement restoreCodePage")
    }

    /// Reads `size` (1...8) bytes little-endian at `va`, crossing pages if needed.
    open func readSlow(_ va: UInt64, size: Int) -> UInt64? {
        if watched(va, size: size, write: false) { return nil }
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
    open func writeSlow(_ va: UInt64, size: Int, value: UInt64) -> Bool {
        if watched(va, size: size, write: true) { return false }
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

    /// Records a fault and returns nil, for the slow paths' failure exits.
    @inline(__always)
    public func fail(_ fault: MemoryFault) -> UnsafeMutableRawPointer? {
        lastFault = fault
        return nil
    }

    // MARK: Kernel-side copies (copy_from_user / copy_to_user, debuggers)

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
