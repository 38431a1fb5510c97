import SimCore

// A process's address space in a snapshot: the page table (its frames are in the RAM
// snapshot) and the software TLB, whose contents decide when an access next takes the slow path.

extension AddressSpace: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        physical.save(to: &w)
        w.section("page-table")
        let list = pages.sorted { $0.key < $1.key }
        w.int(list.count)
        for (vpn, e) in list { w.u64(vpn); w.u64(e.physical); w.u8(e.permissions.rawValue) }
    }

    /// The software TLB, saved apart: it must be restored after the decoded code, whose
    /// restore marks pages watched (and so drops their TLB entries).
    public func saveSoftTLB(to w: inout SnapshotWriter) {
        w.section("soft-tlb")
        tlb.save(to: &w) { host in
            host >= physical.host && host < physical.host + physical.size ? physical.ramBase + UInt64(host - physical.host) : nil
        }
    }

    public func restore(from r: inout SnapshotReader) throws {
        try physical.restore(from: &r)
        try r.section("page-table")
        pages = [:]
        for _ in 0..<(try r.count(atMost: physical.size / 4096 * 4)) {
            let vpn = try r.u64(), pa = try r.u64(), permissions = PagePermissions(rawValue: try r.u8())
            guard physical.contains(pa), pa & 0xFFF == 0 else { throw r.fail("a page maps 0x\(String(pa, radix: 16)), outside RAM") }
            pages[vpn] = PageTableEntry(physical: pa, permissions: permissions)
        }
    }

    public func restoreSoftTLB(from r: inout SnapshotReader) throws {
        try r.section("soft-tlb")
        try tlb.restore(from: &r) { pa in physical.contains(pa) ? physical.hostPointer(pa) : nil }
    }
}
