import SimCore
import Microarch

import Memory

/// Decoded pages of guest code, keyed by virtual page number and tagged with the physical page they came from.
///
/// A page is decoded in full the first time the CPU enters it: 1024 records plus
/// an `.endOfPage` sentinel, so the loop needs no bounds check. Records hold
/// absolute branch targets, so a decode belongs to its virtual page; its
/// physical tag lets a write through any mapping drop it. The memory port
/// watches decoded physical pages and reports writes, unmaps and permission
/// changes. Dropped pages are kept until the current `run` returns, because the
/// loop may still be executing from one: A64 only promises that new code is seen
/// after an ISB, which ends the loop's current page.
public final class DecodeCache {
    public static let slotsPerPage = 1024
    private struct Entry {
        var records: UnsafeMutablePointer<DecodedInstruction>
        var physicalPage: UInt64
    }
    private var pages: [UInt64: Entry] = [:]
    private var virtualPages: [UInt64: [UInt64]] = [:] // physical page -> virtual pages decoded from it
    // A direct-mapped front for `pages`: calls and returns cross pages often, and a
    // tag compare is far cheaper than hashing (see benchmarks/README.md). Only the
    // front skips the port's translation check, so only the front needs flushing
    // when translations change.
    private static let frontSize = 256
    private let frontTag: UnsafeMutablePointer<UInt64>
    private let frontPage: UnsafeMutablePointer<UnsafeMutablePointer<DecodedInstruction>?>
    private var retired: [UnsafeMutablePointer<DecodedInstruction>] = []
    private unowned let port: MemoryPort
    /// Pages decoded so far (a statistic).
    public internal(set) var pagesDecoded = 0

    /// A cache over `port`. `listen` makes it the port's code-change listener (user mode);
    /// a full-system machine forwards the bus's notifications instead.
    public init(port: MemoryPort, listen: Bool = true) {
        self.port = port
        frontTag = .allocate(capacity: Self.frontSize)
        frontTag.initialize(repeating: .max, count: Self.frontSize)
        frontPage = .allocate(capacity: Self.frontSize)
        frontPage.initialize(repeating: nil, count: Self.frontSize)
        if listen {
            port.codePageWillChange = { [unowned self] ppn in self.invalidate(physicalPage: ppn) }
        }
    }

    deinit {
        for (_, e) in pages { Self.free(e.records) }
        releaseRetired()
        frontTag.deallocate()
        frontPage.deallocate()
    }

    /// The decoded records of executable page `vpn`, or nil (with `port.lastFault`) if it cannot be fetched.
    @inline(__always)
    public func page(_ vpn: UInt64) -> UnsafeMutablePointer<DecodedInstruction>? {
        let slot = Int(truncatingIfNeeded: vpn) & (Self.frontSize - 1)
        if _fastPath(frontTag[slot] == vpn) { return frontPage[slot] }
        return pageSlow(vpn, slot: slot)
    }

    @inline(never)
    private func pageSlow(_ vpn: UInt64, slot: Int) -> UnsafeMutablePointer<DecodedInstruction>? {
        // Translate every time: the mapping or its permissions may have changed since the decode.
        guard let code = port.fetchPage(vpn) else { return nil }
        if let e = pages[vpn] {
            if e.physicalPage == code.physicalPage {
                frontTag[slot] = vpn
                frontPage[slot] = e.records
                return e.records
            }
            drop(vpn)
        }
        let p = decode(vpn, code)
        frontTag[slot] = vpn
        frontPage[slot] = p
        return p
    }

    /// Decodes page `vpn` from `code` and remembers it.
    private func decode(_ vpn: UInt64, _ code: CodePage) -> UnsafeMutablePointer<DecodedInstruction> {
        // The records, then (when a timing model runs) their timing records: `timingRecords(of:)`.
        let p = UnsafeMutableRawPointer.allocate(byteCount: Self.pageBytes, alignment: 16)
            .bindMemory(to: DecodedInstruction.self, capacity: Self.slotsPerPage + 1)
        let base = vpn << 12
        for i in 0..<Self.slotsPerPage {
            let word = code.host.load(fromByteOffset: i * 4, as: UInt32.self)
            (p + i).initialize(to: A64Decoder.decode(word, pc: base + UInt64(i * 4)))
        }
        (p + Self.slotsPerPage).initialize(to: DecodedInstruction(op: .endOfPage))
        for address in breakpoints where address >> 12 == vpn && address & 3 == 0 {
            p[Int((address & 0xFFF) >> 2)] = DecodedInstruction(op: .debugBreak)
        }
        if recordsTiming {
            let t = Self.timingRecords(of: p)
            for i in 0...Self.slotsPerPage { (t + i).initialize(to: TimingRecord(p[i])) }
        }
        Self.schedules(of: p).initialize(repeating: nil, count: Self.slotsPerPage + 1)
        pages[vpn] = Entry(records: p, physicalPage: code.physicalPage)
        virtualPages[code.physicalPage, default: []].append(vpn)
        pagesDecoded += 1
        return p
    }

    private static let pageBytes = (slotsPerPage + 1) * (MemoryLayout<DecodedInstruction>.stride + MemoryLayout<TimingRecord>.stride
                                                         + MemoryLayout<UnsafeMutableRawPointer?>.stride)

    /// How many records past an instruction's timing record its block schedule's slot is: the
    /// core model keeps there the schedule of the block starting at that instruction.
    static let scheduleSlots = slotsPerPage + 1

    /// The block-schedule slots that follow a page's timing records (nil: not computed yet).
    static func schedules(of page: UnsafeMutablePointer<DecodedInstruction>) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
        UnsafeMutableRawPointer(timingRecords(of: page) + scheduleSlots).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    }

    /// Frees a decoded page and the block schedules the core model left in it.
    private static func free(_ page: UnsafeMutablePointer<DecodedInstruction>) {
        let s = schedules(of: page)
        for i in 0...slotsPerPage { if let p = s[i] { BlockSchedule.free(p) } }
        UnsafeMutableRawPointer(page).deallocate()
    }

    /// The timing records that follow a page's decoded records (valid when `recordsTiming` was set at decode).
    @inline(__always)
    static func timingRecords(of page: UnsafeMutablePointer<DecodedInstruction>) -> UnsafeMutablePointer<TimingRecord> {
        UnsafeMutableRawPointer(page + slotsPerPage + 1).assumingMemoryBound(to: TimingRecord.self)
    }

    /// Whether decoding also computes timing records (a core with a timing model). Changing it drops every decode.
    public var recordsTiming = false {
        didSet { if recordsTiming != oldValue { for vpn in Array(pages.keys) { drop(vpn) } } }
    }

    /// A debugger's breakpoints (virtual addresses): the instruction there decodes as
    /// `debugBreak`, which stops the loop before it. Changing the set re-decodes the pages concerned.
    public var breakpoints = Set<UInt64>() {
        didSet {
            for vpn in Set(breakpoints.symmetricDifference(oldValue).map { $0 >> 12 }) { drop(vpn) }
        }
    }

    /// Drops every decode made from physical page `ppn` (its bytes are about to change).
    public func invalidate(physicalPage ppn: UInt64) {
        guard let vpns = virtualPages[ppn] else { return }
        for vpn in vpns { drop(vpn) }
    }

    /// Forgets which virtual pages were last seen executable: the next entry to each is
    /// translated again (after TLB maintenance, a new TTBR or a change of exception level).
    public func invalidateTranslations() {
        frontTag.update(repeating: .max, count: Self.frontSize)
        frontPage.update(repeating: nil, count: Self.frontSize)
    }

    private func drop(_ vpn: UInt64) {
        guard let e = pages.removeValue(forKey: vpn) else { return }
        retired.append(e.records)
        if var list = virtualPages[e.physicalPage] {
            list.removeAll { $0 == vpn }
            virtualPages[e.physicalPage] = list.isEmpty ? nil : list
        }
        let slot = Int(truncatingIfNeeded: vpn) & (Self.frontSize - 1)
        if frontTag[slot] == vpn { frontTag[slot] = .max; frontPage[slot] = nil }
    }

    /// Frees decodes dropped while a run was in progress.
    func releaseRetired() {
        for p in retired { Self.free(p) }
        retired.removeAll(keepingCapacity: true)
    }

    // MARK: Snapshots

    /// Which pages are decoded, from which physical pages, and which the front table holds: they
    /// decide when the core translates a fetch again, which the TLB statistics count.
    func save(to w: inout SnapshotWriter) {
        w.section("decoded-pages")
        let list = pages.sorted { $0.key < $1.key }
        w.int(list.count)
        for (vpn, e) in list { w.u64(vpn); w.u64(e.physicalPage) }
        w.u64s((0..<Self.frontSize).map { frontTag[$0] })
        w.int(pagesDecoded)
    }

    /// Decodes the saved pages again from memory (unchanged since: a write to decoded code drops it).
    func restore(from r: inout SnapshotReader) throws {
        try r.section("decoded-pages")
        for vpn in Array(pages.keys) { drop(vpn) }
        invalidateTranslations()
        for _ in 0..<(try r.count(atMost: 1 << 24)) {
            let vpn = try r.u64(), ppn = try r.u64()
            guard let code = port.restoreCodePage(vpn, physicalPage: ppn) else { throw r.fail("decoded page 0x\(String(ppn << 12, radix: 16)) is not in RAM") }
            _ = decode(vpn, code)
        }
        let tags = try r.u64s(count: Self.frontSize)
        for (slot, vpn) in tags.enumerated() where vpn != .max {
            guard let e = pages[vpn] else { throw r.fail("the decode front table names a page that is not decoded") }
            frontTag[slot] = vpn
            frontPage[slot] = e.records
        }
        pagesDecoded = try r.int()
    }
}

extension AArch64CPU {
    /// A debugger's breakpoints on this core, in every decoder it uses (EL0 and EL1 alike).
    public func setDebuggerBreakpoints(_ addresses: Set<UInt64>) {
        if let s = system {
            if s.decodeEL0.breakpoints != addresses { s.decodeEL0.breakpoints = addresses }
            if s.decodeEL1.breakpoints != addresses { s.decodeEL1.breakpoints = addresses }
        } else if decodeCache.breakpoints != addresses {
            decodeCache.breakpoints = addresses
        }
    }
}
