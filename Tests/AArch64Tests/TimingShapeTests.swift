import Memory
import Microarch
import SimCore
import Testing
@testable import AArch64

/// The timing shapes must name every register an instruction writes: a scoreboard that
/// misses a destination lets a dependent instruction issue too early. Checked against the
/// functional model itself: random encodings are executed once, and every X register or SP
/// that changed must be among the shape's destinations (plus X30 for BL/BLR).
@Suite struct TimingShapeTests {
    @Test func declaredDestinationsCoverEveryRegisterWritten() throws {
        var rng = SeededRNG(seed: 0x7155)
        var checked = [Op: Int]()
        for _ in 0..<60_000 {
            let word = UInt32(truncatingIfNeeded: rng.next())
            let r = A64Decoder.decode(word, pc: 0x10000)
            guard r.op != .undefined, r.op != .simd, r.op != .system else { continue }
            let space = AddressSpace(physical: try PhysicalMemory(size: 4 << 20))
            try space.map(0x10000, length: 0x1000, permissions: .rx)
            try space.map(0x40000, length: 0x40000, permissions: .rw)
            space.write(0x10000, bytes: (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }, force: true)
            let cpu = AArch64CPU(space: space)
            cpu.pc = 0x10000
            for i in 0..<31 { cpu[x: i] = 0x60000 + UInt64(i) * 0x100 }
            cpu.sp = 0x70000
            let before = (0..<32).map { cpu[x: $0] }
            _ = cpu.step() // a taken branch may stop on fetching its target: it has retired all the same
            guard cpu.retired == 1 else { continue }
            let shape = TimingShape(r)
            var allowed = Set<Int>()
            for (field, slot) in [(TimingShape.Fields.rd, r.rd), (.rn, r.rn), (.rm, r.rm), (.ra, r.ra)]
                where shape.destinations.contains(field) {
                allowed.insert(Int(slot))
                if r.op == .ldxp || r.op == .ldpW || r.op == .ldpX { allowed.insert(Int(slot)) }
            }
            if r.op == .bl || r.op == .blr { allowed.insert(30) }
            if r.op == .casp { allowed.insert(Int(r.rm) + 1) }
            let changed = (0..<32).filter { cpu[x: $0] != before[$0] }
            for slot in changed {
                #expect(allowed.contains(slot), "\(r.op) (\(String(word, radix: 16))) wrote slot \(slot), shape says \(allowed.sorted())")
            }
            checked[r.op, default: 0] += 1
        }
        // The sample must reach the common families, or the check proves little.
        for op: Op in [.addImmX, .ldrX, .strX, .ldpX, .maddX, .cselX, .ubfm, .ldAtomic, .bl, .movImm] {
            #expect(checked[op, default: 0] > 0, "no \(op) in the sample")
        }
    }

    @Test func shiftedOperandsAndIndexedAddressingChangeTheShape() {
        // add x0, x1, x2 vs add x0, x1, x2, lsl #3 (ARM ARM C6.2.5): only the second is aluShifted.
        #expect(TimingShape(A64Decoder.decode(0x8B02_0020, pc: 0)).kind == .alu)
        #expect(TimingShape(A64Decoder.decode(0x8B02_0C20, pc: 0)).kind == .aluShifted)
        // ldr x0, [x1], #8 writes back x1; ldr x0, [x1, #8] does not.
        #expect(TimingShape(A64Decoder.decode(0xF840_8420, pc: 0)).destinations == [.rd, .rn])
        #expect(TimingShape(A64Decoder.decode(0xF940_0420, pc: 0)).destinations == [.rd])
        // madd x0, x1, x2, x3 reads three registers.
        #expect(TimingShape(A64Decoder.decode(0x9B02_0C20, pc: 0)).sources == [.rn, .rm, .ra])
    }

    @Test func timingRecordsPackTheSlots() {
        // ldr x0, [x1], #8: reads x1, writes x0 (the loaded value) and x1 early (write-back, one cycle).
        let post = TimingRecord(A64Decoder.decode(0xF840_8420, pc: 0))
        #expect(post.kind == TimingShape.Kind.load.rawValue && post.sources == [1] && post.destinations == [0] && post.d2 == 1)
        // bl: no register operands; a call that writes X30 early.
        let call = TimingRecord(A64Decoder.decode(0x9400_0010, pc: 0))
        #expect(call.kind == TimingShape.Kind.call.rawValue && call.d2 == 30 && call.destinations.isEmpty)
        // cmp x1, x2 (subs xzr, x1, x2): XZR is no destination; NZCV is written.
        let cmp = TimingRecord(A64Decoder.decode(0xEB02_003F, pc: 0))
        #expect(cmp.destinations == [TimingRecord.flags] && cmp.sources == [1, 2])
        // csel x0, x1, x2, eq reads NZCV as a fourth kind of source.
        let csel = TimingRecord(A64Decoder.decode(0x9A82_0020, pc: 0))
        #expect(csel.sources == [1, 2, TimingRecord.flags] && csel.destinations == [0])
        // The loop's end-of-page sentinel issues nothing.
        #expect(TimingRecord(DecodedInstruction(op: .endOfPage)).kind == TimingRecord.absent)
    }

    @Test func everyOpFitsARecord() {
        // Four sources and two destinations are enough for every shape (plus NZCV when used).
        for shape in TimingShape.table {
            let sources = shape.sources.rawValue.nonzeroBitCount + (shape.readsFlags ? 1 : 0)
            let written = shape.destinations.subtracting(.rn).rawValue.nonzeroBitCount + (shape.writesFlags ? 1 : 0)
            #expect(sources <= 4 && written <= 2, "\(shape)")
        }
    }
}

/// The run loop feeds the timing model: a DC ZVA allocates its block in L1D without reading
/// memory, so a load from it right after hits.
@Suite struct TimingHookTests {
    /// A small core: every class one cycle on one pipe, loads three; caches as on the i.MX 8M Mini.
    static func profile() -> ApproximateTiming.CoreProfile {
        let n = TimingShape.Kind.allCases.count
        var latency = Array(repeating: 1, count: n)
        latency[Int(TimingShape.Kind.load.rawValue)] = 3
        return ApproximateTiming.CoreProfile(
            core: .init(width: 2, inOrder: true, window: 8, mispredictPenalty: 8, latency: latency,
                        pipe: Array(repeating: 0, count: n), occupancy: Array(repeating: 1, count: n), pipeGroups: [2]),
            predictor: .init(historyBits: 12, btbEntries: 256, returnStackDepth: 8),
            tlb: .init(l1iEntries: 10, l1dEntries: 10, l2Entries: 512, l2Ways: 4, l2Latency: 2, walkLatency: 24),
            memory: .init(l1i: CacheGeometry(size: 32 << 10, ways: 2, lineSize: 64, hitLatency: 1),
                          l1d: CacheGeometry(size: 32 << 10, ways: 4, lineSize: 64, hitLatency: 3),
                          l2: CacheGeometry(size: 512 << 10, ways: 16, lineSize: 64, hitLatency: 15),
                          coresPerL2: 1, dramLatency: 257, dramBytesPerCycle: 3.3))
    }

    @Test func dcZVAAllocatesWithoutAMiss() throws {
        let space = AddressSpace(physical: try PhysicalMemory(size: 4 << 20))
        try space.map(0x10000, length: 0x1000, permissions: .rx)
        try space.map(0x40000, length: 0x1000, permissions: .rw)
        // dc zva, x0 (d50b7420); ldr x1, [x0, #8] (f9400401)
        space.write(0x10000, bytes: [0xD50B_7420, 0xF940_0401].flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }, force: true)
        let cpu = AArch64CPU(space: space)
        let profile = Self.profile()
        cpu.timing = ApproximateTiming(profile: profile, memory: MemoryHierarchy(cores: 1, profile.memory), core: 0)
        cpu.pc = 0x10000
        cpu[x: 0] = 0x40000
        #expect(cpu.run(limit: 2) == .limit)
        let l1d = try #require(cpu.timing?.memory.statistics(core: 0)[1])
        #expect(l1d.name == "l1d" && l1d.misses == 0 && l1d.hits == 1)
        #expect(cpu.cycles > 2) // the model, not one cycle per instruction (the cold fetch alone misses to DRAM)
    }

    @Test func dcCIVACWritesADirtyLineBack() throws {
        let space = AddressSpace(physical: try PhysicalMemory(size: 4 << 20))
        try space.map(0x10000, length: 0x1000, permissions: .rx)
        try space.map(0x40000, length: 0x1000, permissions: .rw)
        // str x1, [x0] (f9000001); dc civac, x0 (d50b7e20); ldr x2, [x0] (f9400002)
        space.write(0x10000, bytes: [0xF900_0001, 0xD50B_7E20, 0xF940_0002].flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }, force: true)
        let cpu = AArch64CPU(space: space)
        let profile = Self.profile()
        let memory = MemoryHierarchy(cores: 1, profile.memory)
        cpu.timing = ApproximateTiming(profile: profile, memory: memory, core: 0)
        cpu.pc = 0x10000
        cpu[x: 0] = 0x40000
        let readsBefore = memory.dramReads
        #expect(cpu.run(limit: 3) == .limit)
        #expect(memory.dramWrites == 1)                       // the dirty line went to DRAM
        #expect(memory.statistics(core: 0)[1].misses == 2)    // the store's miss, then the load after the invalidate
        #expect(memory.dramReads > readsBefore)
    }
}
