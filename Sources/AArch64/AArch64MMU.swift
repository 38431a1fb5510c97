import Memory

/// A core's stage-1 MMU for the EL1&0 translation regime (4 KiB granule), over the machine's physical bus.
///
/// It implements the architecture's VMSAv8-64 walk: TTBR0/TTBR1 selected by
/// VA[55], TCR's T0SZ/T1SZ, TBI, EPD, ASIDs, table and block descriptors,
/// hierarchical APTable/XNTable, AP, UXN/PXN, WXN and the access flag. Walk
/// results live in `archTLB` (the TLB the guest maintains with TLBI); the
/// soft TLBs, one per exception level, cache what the current level may do so
/// that hits cost the CPU loop nothing. Device windows never enter a soft TLB:
/// an access to one stops the loop (`MemoryFaultKind.device`) and is replayed
/// with `deviceAccessArmed`, so every MMIO access ends a run slice.
public final class AArch64MMU: MemoryPort {
    public let bus: PhysicalBus
    /// The index of the core this MMU belongs to (devices answer banked registers per core).
    public let core: Int
    public private(set) var sctlr: UInt64
    public private(set) var tcr: UInt64 = 0
    public private(set) var ttbr0: UInt64 = 0
    public private(set) var ttbr1: UInt64 = 0
    public private(set) var mair: UInt64 = 0
    /// The exception level whose permissions the soft TLB holds.
    public private(set) var el: UInt8 = 1
    public var archTLB: TranslationCache
    /// Physical address width: output and table addresses beyond it raise Address size faults.
    public let physicalAddressBits: UInt64
    /// While set, loads and stores reach device windows (the replay of one instruction).
    public var deviceAccessArmed = false
    /// Called after translations changed (TLBI, TTBR/TCR/SCTLR writes), so decoders re-check their pages.
    public var translationsChanged: (() -> Void)?
    /// A configuration this model does not implement (a 16 KiB or 64 KiB granule), reported once.
    public private(set) var unsupported: String?
    let tlbEL0 = SoftTLB()
    let tlbEL1: SoftTLB

    public init(bus: PhysicalBus, core: Int, resetSCTLR: UInt64, physicalAddressBits: UInt64 = 44, tlbEntries: Int = 1024) {
        self.bus = bus
        self.core = core
        sctlr = resetSCTLR
        self.physicalAddressBits = physicalAddressBits
        archTLB = TranslationCache(capacity: tlbEntries)
        let el1 = SoftTLB()
        tlbEL1 = el1
        super.init(tlb: el1)
        bus.registerTLB(tlbEL0)
        bus.registerTLB(tlbEL1)
    }

    deinit {
        tlbEL0.deallocate()
        tlbEL1.deallocate()
    }

    var mmuEnabled: Bool { sctlr & 1 != 0 }

    // MARK: Context changes

    /// Switches the soft TLB to exception level `el`'s permissions.
    public func setExceptionLevel(_ newEL: UInt8) {
        el = newEL
        tlb = newEL == 0 ? tlbEL0 : tlbEL1
    }

    public func writeSCTLR(_ v: UInt64) { sctlr = v; contextChanged() }
    public func writeTCR(_ v: UInt64) { tcr = v; contextChanged() }
    public func writeTTBR0(_ v: UInt64) { ttbr0 = v; contextChanged() }
    public func writeTTBR1(_ v: UInt64) { ttbr1 = v; contextChanged() }
    public func writeMAIR(_ v: UInt64) { mair = v; contextChanged() }

    /// The soft TLBs and decoders forget what they knew; the architectural TLB keeps its entries.
    public func contextChanged() {
        tlbEL0.flushAll()
        tlbEL1.flushAll()
        translationsChanged?()
    }

    // MARK: TLB maintenance

    /// A TLBI operation on the EL1&0 regime, as `Xt` names it.
    public enum TLBIOperation: Equatable, Sendable {
        case all                                   // VMALLE1
        case address(UInt64, asid: UInt16?)        // VAE1/VALE1 (asid) and VAAE1/VAALE1 (nil)
        case asid(UInt16)                          // ASIDE1
    }

    public func invalidate(_ op: TLBIOperation) {
        switch op {
        case .all: archTLB.invalidateAll()
        case .address(let vpn, let asid): archTLB.invalidate(virtualPage: vpn, asid: asid)
        case .asid(let a): archTLB.invalidate(asid: a)
        }
        contextChanged()
    }

    // MARK: Translation

    /// A successful translation of one address.
    public struct Translation: Equatable, Sendable {
        public var physical: UInt64
        public var attrIndex: UInt8
        /// Memory attributes from MAIR (0x00 = Device-nGnRnE when the MMU is off for data).
        public var attributes: UInt8
    }

    /// The ASID in use for non-global entries (TCR_EL1.A1 picks the TTBR, TCR_EL1.AS the width).
    var currentASID: UInt16 {
        let source = (tcr >> 22) & 1 == 1 ? ttbr1 : ttbr0
        let asid = UInt16(truncatingIfNeeded: source >> 48)
        return (tcr >> 36) & 1 == 1 ? asid : asid & 0xFF
    }

    /// Translates `va` for an access of `kind` at exception level `el` (the AT instructions pass another level).
    public func translate(_ va: UInt64, _ kind: AccessKind, el accessEL: UInt8? = nil, sideEffectFree: Bool = false) -> Result<Translation, MemoryFault> {
        let level = accessEL ?? el
        let isWrite = kind == .write
        guard mmuEnabled else {
            guard va >> physicalAddressBits == 0 else {
                return .failure(MemoryFault(address: va, kind: .addressSize, isWrite: isWrite, level: 0))
            }
            // With stage 1 off, data is Device-nGnRnE and instructions Normal (ARM ARM D5.2.9).
            return .success(Translation(physical: va, attrIndex: 0, attributes: kind == .execute ? 0xFF : 0x00))
        }
        let upper = (va >> 55) & 1 == 1
        let tbi = (tcr >> (upper ? 38 : 37)) & 1 == 1
        let txsz = min(max((tcr >> (upper ? 16 : 0)) & 0x3F, 16), 39)
        let inputBits = 64 - txsz
        let topBit: UInt64 = tbi ? 55 : 63
        // VA[top:inputBits] must all equal VA[55] (the TTBR select bit).
        let span = topBit - inputBits + 1
        let check = (va >> inputBits) & ((1 << span) - 1)
        guard check == (upper ? (1 << span) - 1 : 0), (tcr >> (upper ? 23 : 7)) & 1 == 0 else {
            return .failure(MemoryFault(address: va, kind: .unmapped, isWrite: isWrite, level: 0))
        }
        let granule = upper ? (tcr >> 30) & 3 : (tcr >> 14) & 3
        guard granule == (upper ? 2 : 0) else {
            unsupported = "translation granule \(upper ? "TG1" : "TG0") = \(granule): only 4 KiB pages are modelled"
            return .failure(MemoryFault(address: va, kind: .unmapped, isWrite: isWrite, level: 0))
        }
        let asid = currentASID
        // The page number the TLBs know this address by: with TBI the tag byte is not part of it.
        let normalized = tbi ? (upper ? va | 0xFF00_0000_0000_0000 : va & 0x00FF_FFFF_FFFF_FFFF) : va
        let regionPage = normalized >> 12
        let entry: TranslationCache.Entry
        if sideEffectFree {
            // A debugger's look: the tables as they are now, the TLB and its counters untouched.
            switch walk(va, upper: upper, inputBits: inputBits, regionPage: regionPage, asid: asid, isWrite: isWrite) {
            case .success(let e): entry = e
            case .failure(let f): return .failure(f)
            }
        } else if let e = archTLB.lookup(regionPage, asid: asid) {
            entry = e
        } else {
            switch walk(va, upper: upper, inputBits: inputBits, regionPage: regionPage, asid: asid, isWrite: isWrite) {
            case .success(let e): entry = e; archTLB.insert(e)
            case .failure(let f): return .failure(f)
            }
        }
        guard entry.permissions.contains(.needed(kind, el: level)) else {
            return .failure(MemoryFault(address: va, kind: .permission, isWrite: isWrite, level: entry.level))
        }
        let pa = (entry.physicalPage &+ (regionPage &- entry.virtualPage)) << 12 | (va & 0xFFF)
        let attr = UInt8(truncatingIfNeeded: mair >> (8 * UInt64(entry.attrIndex)))
        return .success(Translation(physical: pa, attrIndex: entry.attrIndex, attributes: attr))
    }

    private func walk(_ va: UInt64, upper: Bool, inputBits: UInt64, regionPage: UInt64, asid: UInt16, isWrite: Bool) -> Result<TranslationCache.Entry, MemoryFault> {
        let levels = (inputBits - 12 + 8) / 9
        var level = 4 - levels
        // The first table resolves the leftover bits; it is aligned to its own size.
        let firstBits = inputBits - 12 - 9 * (3 - level)
        var table = (upper ? ttbr1 : ttbr0) & 0x0000_FFFF_FFFF_FFFE & ~((8 << firstBits) - 1)
        var noEL0 = false, readOnly = false, uxnTable = false, pxnTable = false
        while true {
            let shift = 12 + 9 * (3 - level)
            let bitsHere = level == 4 - levels ? firstBits : 9
            let index = (va >> shift) & ((1 << bitsHere) - 1)
            guard table >> physicalAddressBits == 0 else {
                return .failure(MemoryFault(address: va, kind: .addressSize, isWrite: isWrite, level: UInt8(level)))
            }
            guard let d = bus.read64(table + index * 8) else {
                return .failure(MemoryFault(address: va, kind: .external, isWrite: isWrite, level: UInt8(level), duringWalk: true))
            }
            let fault = { (kind: MemoryFaultKind) in MemoryFault(address: va, kind: kind, isWrite: isWrite, level: UInt8(level)) }
            guard d & 1 == 1 else { return .failure(fault(.unmapped)) }
            let isTable = d & 2 == 2
            if level < 3 && isTable {
                noEL0 = noEL0 || (d >> 61) & 1 == 1
                readOnly = readOnly || (d >> 62) & 1 == 1
                uxnTable = uxnTable || (d >> 60) & 1 == 1
                pxnTable = pxnTable || (d >> 59) & 1 == 1
                table = d & 0x0000_FFFF_FFFF_F000
                level += 1
                continue
            }
            // A block at level 0, or the reserved encoding at level 3, is invalid.
            guard (level == 3 && isTable) || (level == 1 || level == 2) && !isTable else { return .failure(fault(.unmapped)) }
            let output = d & 0x0000_FFFF_FFFF_F000 & ~((1 << shift) - 1)
            guard output >> physicalAddressBits == 0 else { return .failure(fault(.addressSize)) }
            guard (d >> 10) & 1 == 1 else { return .failure(fault(.accessFlag)) }
            let ap1 = (d >> 6) & 1 == 1 && !noEL0, ro = (d >> 7) & 1 == 1 || readOnly
            var rights: AccessRights = [.readEL1]
            if !ro { rights.insert(.writeEL1) }
            if ap1 { rights.insert(.readEL0); if !ro { rights.insert(.writeEL0) } }
            let wxn = (sctlr >> 19) & 1 == 1
            // UXN/PXN, their table forms, WXN, and "writable at EL0 means never executable at EL1".
            if (d >> 54) & 1 == 0 && !uxnTable && !(wxn && rights.contains(.writeEL0)) { rights.insert(.executeEL0) }
            if (d >> 53) & 1 == 0 && !pxnTable && !rights.contains(.writeEL0) && !(wxn && rights.contains(.writeEL1)) {
                rights.insert(.executeEL1)
            }
            let pages: UInt64 = 1 << (shift - 12)
            return .success(TranslationCache.Entry(virtualPage: regionPage & ~(pages - 1), level: UInt8(level),
                                                   physicalPage: output >> 12, asid: asid, global: (d >> 11) & 1 == 0,
                                                   permissions: rights, attrIndex: UInt8((d >> 2) & 7)))
        }
    }

    // MARK: The CPU's slow paths

    /// Resolves `va` to RAM for an access of `kind`, filling the soft TLB when it may.
    private func resolve(_ va: UInt64, _ kind: AccessKind) -> UnsafeMutableRawPointer? {
        switch translate(va, kind) {
        case .failure(let f):
            return fail(f)
        case .success(let t):
            guard let host = bus.ram(t.physical) else {
                let isDevice = bus.devices.lookup(t.physical) != nil
                if isDevice { deviceTarget = t.physical }
                return fail(MemoryFault(address: va, kind: isDevice ? .device : .external, isWrite: kind == .write))
            }
            let page = host - Int(va & 0xFFF)
            switch kind {
            case .read:
                if mayCache(page: va >> 12) { tlb.fillRead(page: va >> 12, host: page) }
            case .write:
                let ppn = t.physical >> 12
                if bus.isWatched(physicalPage: ppn) {
                    bus.codeWillChange(physicalPage: ppn)
                } else if mayCache(page: va >> 12) {
                    tlb.fillWrite(page: va >> 12, host: page)
                }
            case .execute:
                break
            }
            return host
        }
    }

    public override func translateRead(_ va: UInt64) -> UnsafeMutableRawPointer? { resolve(va, .read) }

    public override func translateWrite(_ va: UInt64) -> UnsafeMutableRawPointer? { resolve(va, .write) }

    public override func forgetTLBEntries(page vpn: UInt64) {
        tlbEL0.flush(page: vpn)
        tlbEL1.flush(page: vpn)
    }

    public override func restoreCodePage(_ vpn: UInt64, physicalPage ppn: UInt64) -> CodePage? {
        guard let host = bus.ram(ppn << 12) else { return nil }
        bus.watchCode(physicalPage: ppn)
        return CodePage(host: host, physicalPage: ppn)
    }

    public override func fetchPage(_ vpn: UInt64) -> CodePage? {
        let va = vpn << 12
        switch translate(va, .execute) {
        case .failure(let f):
            _ = fail(f)
            return nil
        case .success(let t):
            guard let host = bus.ram(t.physical) else {
                _ = fail(MemoryFault(address: va, kind: .external, isWrite: false))
                return nil
            }
            bus.watchCode(physicalPage: t.physical >> 12)
            return CodePage(host: host, physicalPage: t.physical >> 12)
        }
    }

    /// The physical address of the device access that failed last (its fault kind is `.device`).
    private var deviceTarget: UInt64 = 0

    /// Where an access that just failed as `.device` goes, if it may reach the device now:
    /// device access armed, and the access within one page.
    private func armedDevice(_ va: UInt64, size: Int) -> UInt64? {
        guard deviceAccessArmed, lastFault?.kind == .device, (va & 0xFFF) + UInt64(size) <= 0x1000 else { return nil }
        return deviceTarget
    }

    public override func readSlow(_ va: UInt64, size: Int) -> UInt64? {
        if let v = super.readSlow(va, size: size) { return v }
        guard let pa = armedDevice(va, size: size) else { return nil }
        return bus.devices.read(pa, size: size, core: core)
    }

    public override func writeSlow(_ va: UInt64, size: Int, value: UInt64) -> Bool {
        if super.writeSlow(va, size: size, value: value) { return true }
        guard let pa = armedDevice(va, size: size) else { return false }
        return bus.devices.write(pa, size: size, value: value, core: core)
    }

    // MARK: Debugger access

    /// Bytes at virtual `va` as the core would read them now, without touching any TLB or
    /// counter; as many as are readable from the start (RAM only; nil if none).
    public func debugRead(_ va: UInt64, count: Int) -> [UInt8]? {
        var out: [UInt8] = []
        var a = va
        while out.count < count {
            guard case .success(let t) = translate(a, .read, el: 1, sideEffectFree: true), let p = bus.ram(t.physical) else { break }
            let n = min(count - out.count, Int(0x1000 - (a & 0xFFF)))
            out += UnsafeRawBufferPointer(start: p, count: n)
            a &+= UInt64(n)
        }
        return out.isEmpty && count > 0 ? nil : out
    }

    /// Writes bytes at virtual `va` for a debugger (into RAM, whatever the permissions); decoded
    /// code there is dropped on every core. False, with nothing written, if any byte is not RAM.
    public func debugWrite(_ va: UInt64, _ bytes: [UInt8]) -> Bool {
        var targets: [UnsafeMutableRawPointer] = []
        for i in 0..<bytes.count {
            guard case .success(let t) = translate(va &+ UInt64(i), .read, el: 1, sideEffectFree: true), let p = bus.ram(t.physical) else { return false }
            targets.append(p)
            bus.codeWillChange(physicalPage: t.physical >> 12)
        }
        for (p, b) in zip(targets, bytes) { p.storeBytes(of: b, as: UInt8.self) }
        return true
    }
}
