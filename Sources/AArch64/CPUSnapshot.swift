import Microarch
import SimCore

// One core's state in a snapshot: the register file, the exclusive monitor, counters, the
// full-system state (EL1 registers, MMU registers, the architectural TLB) and the core's
// part of the timing model. Decoded code is not state: the caches refill from memory.

extension AArch64CPU: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        w.section("cpu")
        w.raw(x, count: RegisterSlot.count * 8)
        w.raw(v, count: 32 * 16)
        for value in [pc, nzcv, fpcr, fpsr, tpidr, tpidrro, retired, cycles] { w.u64(value) }
        w.u64(exclusiveAddress); w.u64(exclusiveSize); w.bool(exclusiveOpen); w.u64(exclusiveValue); w.u64(exclusiveValueHigh)
        w.bool(system != nil)
        if let s = system {
            s.save(to: &w)
            s.decodeEL0.save(to: &w)
            s.decodeEL1.save(to: &w)
            s.mmu.saveSoftTLBs(to: &w)
        } else {
            decodeCache.save(to: &w) // user mode: the process's address space saves its own soft TLB
        }
        w.bool(timing != nil)
        if let t = timing { t.save(to: &w) }
    }

    public func restore(from r: inout SnapshotReader) throws {
        try r.section("cpu")
        try r.raw(into: x, count: RegisterSlot.count * 8)
        try r.raw(into: v, count: 32 * 16)
        pc = try r.u64(); nzcv = try r.u64() & 0xF; fpcr = try r.u64(); fpsr = try r.u64()
        tpidr = try r.u64(); tpidrro = try r.u64(); retired = try r.u64(); cycles = try r.u64()
        exclusiveAddress = try r.u64(); exclusiveSize = try r.u64(); exclusiveOpen = try r.bool()
        exclusiveValue = try r.u64(); exclusiveValueHigh = try r.u64()
        guard try r.bool() == (system != nil) else { throw r.fail("a full-system core where this run has a user-mode one, or the reverse") }
        if let s = system {
            try s.restore(from: &r)
            exceptionLevelChanged()
            // After the registers (whose writes flush them): what the host-side caches held,
            // since when a fetch or access translates again shows in the TLB statistics.
            try s.decodeEL0.restore(from: &r)
            try s.decodeEL1.restore(from: &r)
            try s.mmu.restoreSoftTLBs(from: &r)
        } else {
            try decodeCache.restore(from: &r)
        }
        guard try r.bool() == (timing != nil) else {
            throw r.fail("the snapshot was taken with --timing \(timing == nil ? "approximate" : "functional"); restore it the same way")
        }
        if var t = timing {
            try t.restore(from: &r)
            timing = t
        }
    }
}

extension AArch64SystemState {
    func save(to w: inout SnapshotWriter) {
        w.section("el1")
        w.u8(el); w.u8(spSel)
        for value in [daif, spEL0, spEL1, vbar, esr, elr, spsr, far, par, cpacr, contextidr, tpidrEL1, actlr, amair, afsr0, afsr1,
                      csselr, exceptionsTaken] { w.u64(value) }
        w.bool(eventRegister); w.bool(illegalState)
        let debug = debugRegisters.sorted { $0.key < $1.key }
        w.int(debug.count)
        for (k, v) in debug { w.u16(k); w.u64(v) }
        mmu.save(to: &w)
    }

    func restore(from r: inout SnapshotReader) throws {
        try r.section("el1")
        el = try r.u8(); spSel = try r.u8()
        guard el <= 1, spSel <= 1 else { throw r.fail("exception level \(el), SPSel \(spSel): only EL0/EL1 exist here") }
        daif = try r.u64(); spEL0 = try r.u64(); spEL1 = try r.u64(); vbar = try r.u64(); esr = try r.u64(); elr = try r.u64()
        spsr = try r.u64(); far = try r.u64(); par = try r.u64(); cpacr = try r.u64(); contextidr = try r.u64()
        tpidrEL1 = try r.u64(); actlr = try r.u64(); amair = try r.u64(); afsr0 = try r.u64(); afsr1 = try r.u64()
        csselr = try r.u64(); exceptionsTaken = try r.u64()
        eventRegister = try r.bool(); illegalState = try r.bool()
        debugRegisters = [:]
        for _ in 0..<(try r.count(atMost: 4096)) { debugRegisters[try r.u16()] = try r.u64() }
        try mmu.restore(from: &r)
    }
}

extension AArch64MMU {
    func save(to w: inout SnapshotWriter) {
        w.section("mmu")
        for value in [sctlr, tcr, ttbr0, ttbr1, mair] { w.u64(value) }
        w.u8(el)
        archTLB.save(to: &w)
    }

    func restore(from r: inout SnapshotReader) throws {
        try r.section("mmu")
        writeSCTLR(try r.u64()); writeTCR(try r.u64()); writeTTBR0(try r.u64()); writeTTBR1(try r.u64()); writeMAIR(try r.u64())
        setExceptionLevel(try r.u8())
        try archTLB.restore(from: &r)
        contextChanged()
    }
}

extension AArch64MMU {
    func saveSoftTLBs(to w: inout SnapshotWriter) {
        w.section("soft-tlbs")
        for t in [tlbEL0, tlbEL1] { t.save(to: &w, physical: bus.physicalAddress(ofHost:)) }
    }

    func restoreSoftTLBs(from r: inout SnapshotReader) throws {
        try r.section("soft-tlbs")
        for t in [tlbEL0, tlbEL1] { try t.restore(from: &r, host: bus.ram) }
    }
}

extension TranslationCache {
    func save(to w: inout SnapshotWriter) {
        w.section("arch-tlb")
        // Live entries in eviction order: first in, first out.
        let live = order[orderHead...].filter { entries[$0] != nil }
        w.int(live.count)
        for key in live {
            let e = entries[key]!
            w.u64(e.virtualPage); w.u8(e.level); w.u64(e.physicalPage); w.u16(e.asid); w.bool(e.global)
            w.u8(e.permissions.rawValue); w.u8(e.attrIndex)
        }
        w.u64(hits); w.u64(misses)
    }

    mutating func restore(from r: inout SnapshotReader) throws {
        try r.section("arch-tlb")
        invalidateAll()
        let n = try r.count(atMost: capacity)
        for _ in 0..<n {
            let vpn = try r.u64(), level = try r.u8(), ppn = try r.u64(), asid = try r.u16(), global = try r.bool()
            let permissions = AccessRights(rawValue: try r.u8()), attr = try r.u8()
            guard (1...3).contains(level) else { throw r.fail("a TLB entry at translation level \(level)") }
            insert(Entry(virtualPage: vpn, level: level, physicalPage: ppn, asid: asid, global: global, permissions: permissions, attrIndex: attr))
        }
        hits = try r.u64(); misses = try r.u64()
    }
}

extension ApproximateTiming {
    func save(to w: inout SnapshotWriter) {
        precondition(!hasPending, "a snapshot is taken between slices, when no block is pending")
        w.section("core-timing")
        w.u16(asid); w.u64(fetchLine); w.u64(fetchPage); w.u64(dataPage)
        model.save(to: &w); predictor.save(to: &w); tlb.save(to: &w)
    }

    mutating func restore(from r: inout SnapshotReader) throws {
        try r.section("core-timing")
        asid = try r.u16()
        fetchLine = try r.u64(); fetchPage = try r.u64(); dataPage = try r.u64()
        try model.restore(from: &r); try predictor.restore(from: &r); try tlb.restore(from: &r)
    }
}
