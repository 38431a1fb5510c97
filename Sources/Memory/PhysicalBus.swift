/// The physical address space of a full-system machine: RAM banks, device windows,
/// and the record of which RAM pages hold decoded code.
///
/// Every core's MMU resolves physical addresses here. Code pages are watched
/// across all cores: once any core decodes a page, no core keeps a TLB entry that
/// writes it directly, so every write to code takes a slow path that tells every
/// decoder (another core may be about to run the bytes this one writes).
public final class PhysicalBus {
    /// RAM banks, sorted by base address.
    public private(set) var banks: [PhysicalMemory] = []
    /// The device windows.
    public var devices = MMIOMap()
    private var watchedCode = Set<UInt64>()
    private var tlbs: [SoftTLB] = []
    private var codeListeners: [(UInt64) -> Void] = []

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case overlappingRAM(UInt64)
        public var description: String {
            switch self {
            case .overlappingRAM(let b): return "RAM bank at 0x\(String(b, radix: 16)) overlaps another"
            }
        }
    }

    public init() {}

    /// Adds a RAM bank; banks may not overlap.
    public func addRAM(_ ram: PhysicalMemory) throws {
        for b in banks where ram.ramBase < b.ramBase &+ UInt64(b.size) && b.ramBase < ram.ramBase &+ UInt64(ram.size) {
            throw Failure.overlappingRAM(ram.ramBase)
        }
        banks.append(ram)
        banks.sort { $0.ramBase < $1.ramBase }
    }

    /// The host address of RAM at physical address `pa`, or nil when `pa` is not RAM.
    @inline(__always)
    public func ram(_ pa: UInt64) -> UnsafeMutableRawPointer? {
        for b in banks where b.contains(pa) { return b.hostPointer(pa) }
        return nil
    }

    /// The guest physical address of a host address inside RAM, or nil.
    public func physicalAddress(ofHost host: UnsafeMutableRawPointer) -> UInt64? {
        for b in banks where host >= b.host && host < b.host + b.size { return b.ramBase + UInt64(host - b.host) }
        return nil
    }

    // MARK: Code watching

    /// Registers a TLB whose write entries must never cover a watched code page.
    public func registerTLB(_ tlb: SoftTLB) { tlbs.append(tlb) }

    /// Registers a listener told (with the physical page number) before a watched code page changes.
    public func addCodeListener(_ listener: @escaping (UInt64) -> Void) { codeListeners.append(listener) }

    /// Marks physical page `ppn` as holding decoded code, purging direct write access to it from every TLB.
    public func watchCode(physicalPage ppn: UInt64) {
        guard watchedCode.insert(ppn).inserted, let host = ram(ppn << 12) else { return }
        for t in tlbs { t.flushWrites(toHostPage: host) }
    }

    /// Whether physical page `ppn` holds decoded code (so writes to it must take the slow path).
    @inline(__always)
    public func isWatched(physicalPage ppn: UInt64) -> Bool { !watchedCode.isEmpty && watchedCode.contains(ppn) }

    /// Tells every decoder that physical page `ppn` is about to be written.
    public func codeWillChange(physicalPage ppn: UInt64) {
        guard watchedCode.remove(ppn) != nil else { return }
        for l in codeListeners { l(ppn) }
    }

    // MARK: Loader and walker access

    /// Copies bytes into RAM at `pa` (the image loader); false if any byte is not RAM.
    @discardableResult
    public func write(_ pa: UInt64, bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let a = pa &+ UInt64(done)
            guard let p = ram(a) else { return false }
            codeWillChange(physicalPage: a >> 12)
            let n = min(bytes.count - done, Int(0x1000 - (a & 0xFFF)))
            p.copyMemory(from: bytes.baseAddress! + done, byteCount: n)
            done += n
        }
        return true
    }

    /// Reads a little-endian 64-bit word of RAM (a translation-table descriptor); nil if not RAM.
    public func read64(_ pa: UInt64) -> UInt64? {
        guard pa & 7 == 0, let p = ram(pa) else { return nil }
        return p.load(as: UInt64.self)
    }
}
