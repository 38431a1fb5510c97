import Testing
@testable import Memory

@Suite struct AddressSpaceTests {
    func makeSpace() throws -> AddressSpace {
        AddressSpace(physical: try PhysicalMemory(size: 16 << 20))
    }

    @Test func tlbMissThenHit() throws {
        let s = try makeSpace()
        try s.map(0x10000, length: 0x2000, permissions: .rw)
        #expect(s.tlb.readHost(0x10008, size: 8) == nil) // cold
        #expect(s.writeSlow(0x10008, size: 8, value: 0x1122_3344_5566_7788))
        let p = try #require(s.tlb.readHost(0x10008, size: 8)) // the slow path filled both halves
        #expect(p.loadUnaligned(as: UInt64.self) == 0x1122_3344_5566_7788)
        #expect(s.tlb.writeHost(0x10010, size: 4) != nil)
    }

    @Test func accessesThatCrossAPageTakeTheSlowPath() throws {
        let s = try makeSpace()
        try s.map(0x10000, length: 0x2000, permissions: .rw)
        _ = s.translateRead(0x10000)
        _ = s.translateRead(0x11000)
        #expect(s.tlb.readHost(0x10FFC, size: 8) == nil)
        #expect(s.writeSlow(0x10FFC, size: 8, value: 0x0102_0304_0506_0708))
        #expect(s.readSlow(0x10FFC, size: 8) == 0x0102_0304_0506_0708)
        #expect(s.read(0x11000, count: 4) == [0x04, 0x03, 0x02, 0x01])
    }

    @Test func permissionsAndUnmappedFaults() throws {
        let s = try makeSpace()
        try s.map(0x20000, length: 0x1000, permissions: .rx)
        #expect(s.readSlow(0x20000, size: 4) == 0)
        #expect(!s.writeSlow(0x20000, size: 4, value: 1))
        #expect(s.lastFault == MemoryFault(address: 0x20000, kind: .permission, isWrite: true))
        #expect(s.readSlow(0x30000, size: 4) == nil)
        #expect(s.lastFault == MemoryFault(address: 0x30000, kind: .unmapped, isWrite: false))
        // A store that would cross into an unmapped page writes nothing.
        try s.map(0x40000, length: 0x1000, permissions: .rw)
        #expect(!s.writeSlow(0x40FFE, size: 4, value: 0xFFFF_FFFF))
        #expect(s.read(0x40FFE, count: 2) == [0, 0])
    }

    @Test func protectAndUnmapFlushTheTLB() throws {
        let s = try makeSpace()
        try s.map(0x50000, length: 0x1000, permissions: .rw)
        #expect(s.writeSlow(0x50000, size: 1, value: 7))
        #expect(s.tlb.writeHost(0x50000, size: 1) != nil)
        s.protect(0x50000, length: 0x1000, permissions: .read)
        #expect(s.tlb.writeHost(0x50000, size: 1) == nil)
        #expect(!s.writeSlow(0x50000, size: 1, value: 8))
        s.unmap(0x50000, length: 0x1000)
        #expect(s.tlb.readHost(0x50000, size: 1) == nil)
        #expect(s.readSlow(0x50000, size: 1) == nil)
    }

    @Test func watchedCodePagesReportWrites() throws {
        let s = try makeSpace()
        try s.map(0x60000, length: 0x1000, permissions: .rwx)
        var changed: [UInt64] = []
        s.codePageWillChange = { changed.append($0) }
        let code = try #require(s.fetchPage(0x60))
        #expect(code.physicalPage == s.entry(page: 0x60)!.physical >> 12)
        #expect(s.writeSlow(0x60010, size: 4, value: 0xD503_201F))
        // The decoder hears the physical page, the identity a write through any mapping shares.
        #expect(changed == [code.physicalPage])
        // Unwatched now: the next write is silent.
        #expect(s.writeSlow(0x60014, size: 4, value: 0))
        #expect(changed == [code.physicalPage])
    }

    @Test func fetchNeedsExecutePermission() throws {
        let s = try makeSpace()
        try s.map(0x70000, length: 0x1000, permissions: .rw)
        #expect(s.fetchPage(0x70) == nil)
        #expect(s.lastFault?.kind == .permission)
    }

    @Test func freedFramesComeBackZeroed() throws {
        let ram = try PhysicalMemory(size: 1 << 20)
        let s = AddressSpace(physical: ram)
        try s.map(0x1000, length: 0x1000, permissions: .rw)
        s.write(0x1000, bytes: [1, 2, 3])
        s.unmap(0x1000, length: 0x1000)
        try s.map(0x2000, length: 0x1000, permissions: .rw)
        #expect(s.read(0x2000, count: 3) == [0, 0, 0])
        #expect(ram.framesInUse == 1)
    }

    @Test func ramExhaustionIsAnError() throws {
        let s = AddressSpace(physical: try PhysicalMemory(size: 8 << 12))
        #expect(throws: AddressSpace.Failure.outOfMemory) { try s.map(0, length: 9 << 12, permissions: .rw) }
    }

    @Test func cStringsAndBulkCopies() throws {
        let s = try makeSpace()
        try s.map(0x8000, length: 0x2000, permissions: .read)
        #expect(s.write(0x8FFE, bytes: Array("hi there\0".utf8), force: true))
        #expect(s.readCString(0x8FFE) == "hi there")
        #expect(!s.write(0x8000, bytes: [1])) // read-only without force
    }
}

@Suite struct MMIOMapTests {
    final class Register: MMIODevice {
        let name: String
        var last: (UInt64, Int, UInt64)?
        init(_ name: String) { self.name = name }
        func read(offset: UInt64, size: Int, core: Int) -> UInt64 { offset &+ 0x100 &+ UInt64(core) }
        func write(offset: UInt64, size: Int, value: UInt64, core: Int) { last = (offset, size, value) }
    }

    @Test func dispatchesByRange() throws {
        var map = MMIOMap()
        let uart = Register("pl011"), gic = Register("gicd")
        try map.add(uart, base: 0xFE20_1000, size: 0x1000)
        try map.add(gic, base: 0xFF84_1000, size: 0x1000)
        #expect(map.read(0xFE20_1018, size: 4, core: 0) == 0x118)
        #expect(map.read(0xFE20_1018, size: 4, core: 2) == 0x11A)
        #expect(map.write(0xFF84_1004, size: 4, value: 9, core: 0))
        #expect(gic.last?.0 == 4 && gic.last?.2 == 9)
        #expect(map.read(0x1000, size: 4, core: 0) == nil)
        #expect(map.lookup(0xFE20_2000) == nil)
    }

    @Test func rejectsOverlapsAndEmptyRegions() throws {
        var map = MMIOMap()
        try map.add(Register("a"), base: 0x1000, size: 0x1000)
        #expect(throws: MMIOMap.Failure.overlap("b", "a")) { try map.add(Register("b"), base: 0x1800, size: 0x1000) }
        #expect(throws: MMIOMap.Failure.empty("c")) { try map.add(Register("c"), base: 0x9000, size: 0) }
    }
}

@Suite struct MappingFailureTests {
    @Test func aFailedMapChangesNothing() throws {
        let ram = try PhysicalMemory(size: 8 << 12)
        let s = AddressSpace(physical: ram)
        try s.map(0x1000, length: 0x2000, permissions: .rw)
        #expect(throws: AddressSpace.Failure.outOfMemory) { try s.map(0x10000, length: 7 << 12, permissions: .rw) }
        #expect(ram.framesInUse == 2)
        #expect(s.entry(page: 0x10) == nil)
        #expect(throws: AddressSpace.Failure.outOfMemory) { try s.map(0, length: 1 << 40, permissions: .rw) }
    }
}
