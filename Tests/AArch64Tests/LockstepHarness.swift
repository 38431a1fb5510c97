// Lockstep conformance: evlsim against Unicorn 2 (QEMU's A64 translator), one instruction at a time.
//
// The oracle is an engine nobody here wrote. Both machines get the same code page, the same data
// region and the same registers; then each generated instruction runs once in each, and everything
// an instruction can change is compared: X0–X30, SP, PC, NZCV, TPIDR_EL0, FPCR, FPSR, the whole
// data region, and V0–V31 for groups that ask for it. A mismatch names the group, the seed, the word,
// its disassembly, the registers that differ (both values) and the registers before the instruction.
// Groups with `straightLine` set run as blocks in one evlsim `run(limit:)` call instead (the run loop
// itself), and are stepped only to locate a mismatch.
//
// HOW TO ADD A GROUP (no change to this file is needed):
//
//   1. Write a `LockstepGroup(name:count:vectors:fpcrMask:straightLine:generate:)`. The closure is
//      called once per test case with an `inout LockstepContext`. It draws from `ctx.rng` (or the
//      helpers below) and calls `ctx.emit(word)` one to `LockstepContext.maxWords` times: the words
//      are placed at consecutive addresses starting at `ctx.start` (`ctx.here` is the next one), and
//      each is stepped and compared on its own. Before the first word runs, the harness applies the
//      case's pins: `ctx.pin(reg, value)` (X0–X30, 31 = SP), `ctx.pinToMemory(reg, address:bytes:)`
//      (the value in the data region when the case runs), `ctx.pinMemory(address:bytes:value:)` and
//      `ctx.pinFlags(nzcv)`. Use pins to point base registers into the data region
//      (`ctx.dataAddress(bytes:align:)`) and branch registers into the code region (`ctx.codeTarget()`).
//      FP/SIMD groups set `vectors: true` (V0–V31, FPCR and FPSR are then randomised and compared;
//      `fpcrMask` limits FPCR to the bits both engines model).
//   2. Run it: append it to `LockstepGroup.all` (LockstepTests.swift), or from your own test file:
//          @Test(arguments: myGroups) func mine(_ g: LockstepGroup) { LockstepRunner.check(g) }
//
// Rules for generators: stay inside the data region (nothing else is mapped writable; the
// "memory-faults" group is the deliberate exception), keep branch targets inside the code region and
// 4-byte aligned, and avoid CONSTRAINED UNPREDICTABLE register combinations (writeback with Rn == Rt,
// LDP with Rt == Rt2, STXR with Rs == Rt...): the two engines may legally differ there. When Unicorn
// must be avoided for a quirk, say why at the exclusion. Names must be unique: they seed the streams.
//
// Registers are re-randomised (biased towards 0, ±1, INT_MIN/INT_MAX, 32-bit edges and pointers into
// the data and code regions) every `LockstepRunner.rerandomizeEvery` cases, together with the data
// region; in between, state carries over, so results feed later instructions.
//
// Reproduce a failure with the seed it prints: EVLSIM_LOCKSTEP_SEED=0x... swift test --filter Lockstep.
// EVLSIM_LOCKSTEP_SCALE=10 runs ten times as many instructions per group (a longer fuzzing run).
//
// Unicorn facts the harness relies on (measured on libunicorn 2.0.1 as packaged by Debian):
// - uc_ctl's CPU model must be set right after uc_open; `UC_CPU_ARM64_MAX` is the model with LSE
//   (and LRCPC); the default (Cortex-A72) has neither.
// - uc_mem_write does not invalidate translated blocks: the harness calls uc_ctl_remove_cache.
// - With count = 1, Unicorn still translates a whole block ahead; each case is therefore followed by
//   a `B .` so blocks stay short (a page of 1024 unterminated words costs ~130 µs per step, not ~4 µs).
// - Unicorn runs at EL1 with the MMU off: unaligned plain accesses work, exclusives and LSE atomics
//   need natural alignment (as the architecture requires), and SP alignment is not checked.
// - A faulting access reports UC_ERR_READ/WRITE_UNMAPPED with PC at the instruction; a branch to an
//   unmapped page reports UC_ERR_FETCH_UNMAPPED with PC at the target.

import CUnicorn
import Foundation
import Memory
import SimCore
import Testing
@testable import AArch64
import Guest

// MARK: - Layout and configuration

/// Where the lockstep machines keep code and data (the same addresses in both).
enum LockstepLayout {
    static let codeBase: UInt64 = 0x0010_0000
    static let codePages = 16
    static let codeSize = UInt64(codePages) * 4096
    /// Within ±1 MiB of the code, so LDR (literal) and ADR can reach it.
    static let dataBase: UInt64 = 0x0014_0000
    static let dataSize: UInt64 = 0x2000
    /// `B .`: ends every case so Unicorn translates short blocks.
    static let terminator: UInt32 = 0x1400_0000
}

/// Run-wide settings read from the environment.
enum LockstepConfig {
    /// The base seed; each group derives its own stream from it and its name.
    static let seed: UInt64 = environment("EVLSIM_LOCKSTEP_SEED") ?? 0x00E7_151C_0DE5_EED1
    /// Multiplies every group's instruction count.
    static let scale: Double = ProcessInfo.processInfo.environment["EVLSIM_LOCKSTEP_SCALE"].flatMap { Double($0) } ?? 1

    private static func environment(_ name: String) -> UInt64? {
        guard let text = ProcessInfo.processInfo.environment[name] else { return nil }
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }
}

func lsHex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

// MARK: - Groups and the generator context

/// A family of instructions to check, with its generator.
struct LockstepGroup: Sendable, CustomTestStringConvertible {
    var name: String
    /// Instructions compared in a default run (multiplied by `LockstepConfig.scale`).
    var count: Int
    /// Also randomise and compare V0–V31, FPCR and FPSR.
    var vectors: Bool = false
    /// FPCR bits to randomise for vector groups (only bits both engines model).
    var fpcrMask: UInt64 = 0
    /// When set, the group runs as straight-line blocks of about this many instructions: evlsim's
    /// `run(limit:)` and Unicorn's count each run a whole block, and the states are compared at the
    /// end (then, on a mismatch, the block is stepped to find the instruction). Pins turn into
    /// instructions placed before their case (see `LockstepRunner.materialize`). Branches belong
    /// in a block only when their targets lie inside their own case (see "forward-branches").
    var straightLine: Int? = nil
    var generate: @Sendable (inout LockstepContext) -> Void

    var testDescription: String { name }
}

/// A register setting applied to both engines just before a case's first word.
enum LockstepPin {
    case x(Int, UInt64)
    /// The little-endian value of `bytes` bytes at `address`, read when the case runs.
    case memory(Int, address: UInt64, bytes: Int)
    case nzcv(UInt64)
    /// Stores the low `bytes` bytes of `value` at `address` in both memories.
    case store(address: UInt64, bytes: Int, value: UInt64)
}

/// What a generator sees: the random stream, where its words go, and the pins it asks for.
struct LockstepContext {
    static let maxWords = 6
    var rng: SeededRNG
    /// The address of the case's first word.
    let start: UInt64
    /// How many cases the group generated before this one: lets a generator sweep a field space.
    let index: Int
    /// The address the next `emit` places its word at.
    private(set) var here: UInt64
    private(set) var words: [UInt32] = []
    private(set) var pins: [LockstepPin] = []

    init(rng: SeededRNG, start: UInt64, index: Int = 0) {
        self.rng = rng
        self.start = start
        self.index = index
        here = start
    }

    mutating func emit(_ word: UInt32) {
        precondition(words.count < Self.maxWords, "a lockstep case has at most \(Self.maxWords) words")
        words.append(word)
        here &+= 4
    }

    /// Sets X`reg` (31 = SP) in both engines before the case runs.
    mutating func pin(_ reg: UInt32, _ value: UInt64) { pins.append(.x(Int(reg), value)) }

    /// Sets X`reg` to the data-region value at `address` (zero-extended from `bytes` bytes).
    mutating func pinToMemory(_ reg: UInt32, address: UInt64, bytes: Int) {
        pins.append(.memory(Int(reg), address: address, bytes: bytes))
    }

    mutating func pinFlags(_ nzcv: UInt64) { pins.append(.nzcv(nzcv & 0xF)) }

    /// Stores `value` (its low `bytes` bytes) at `address` in both engines' data regions.
    mutating func pinMemory(address: UInt64, bytes: Int, value: UInt64) {
        pins.append(.store(address: address, bytes: bytes, value: value))
    }

    // MARK: Random helpers

    mutating func next() -> UInt64 { rng.next() }
    /// Uniform in 0..<n.
    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    /// `n` random bits as a field value.
    mutating func bits(_ n: Int) -> UInt32 { UInt32(truncatingIfNeeded: rng.next() & lowMask(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    /// A register field, 0–31.
    mutating func register() -> UInt32 { bits(5) }
    /// A register field, 0–31, not in `excluded`.
    mutating func register(excluding excluded: [UInt32]) -> UInt32 {
        while true {
            let r = bits(5)
            if !excluded.contains(r) { return r }
        }
    }
    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

    /// A register value biased towards the edges arithmetic gets wrong.
    mutating func interesting() -> UInt64 {
        switch below(100) {
        case 0..<18: return pick(LockstepValues.edges)
        case 18..<33: return UInt64(below(256))
        case 33..<40: return 0 &- UInt64(below(256))
        case 40..<52: return LockstepLayout.dataBase &+ UInt64(below(Int(LockstepLayout.dataSize)))
        case 52..<57: return LockstepLayout.codeBase &+ UInt64(below(Int(LockstepLayout.codeSize)))
        case 57..<65: return next() & 0xFFFF_FFFF
        case 65..<72: return signExtend(next(), 32)
        case 72..<77: return next() | 0x8000_0000_0000_0000
        case 77..<82: return UInt64(1) << UInt64(below(64))
        default: return next()
        }
    }

    /// An address in the data region with room for `bytes`, aligned to `align`; now and then right
    /// at the page boundary inside the region, so unaligned accesses straddle two pages.
    mutating func dataAddress(bytes: Int, align: Int = 1) -> UInt64 {
        let slots = (Int(LockstepLayout.dataSize) - bytes) / align + 1
        if chance(8) {
            let nearBoundary = (0x1000 - below(bytes + 8)) / align
            return LockstepLayout.dataBase + UInt64(min(nearBoundary, slots - 1) * align)
        }
        return LockstepLayout.dataBase + UInt64(below(slots) * align)
    }

    /// A 4-byte-aligned address in the code region, within ±`reach` bytes of `from` when given.
    mutating func codeTarget(from: UInt64? = nil, reach: UInt64 = .max) -> UInt64 {
        var low = LockstepLayout.codeBase, high = LockstepLayout.codeBase + LockstepLayout.codeSize - 4
        if let from {
            if from >= low &+ reach { low = from - reach }
            if from &+ reach < high { high = from + reach - 4 }
        }
        return low + UInt64(below(Int((high - low) / 4) + 1) * 4)
    }
}

/// Values that trip up arithmetic: zero, ones, sign edges of both widths.
enum LockstepValues {
    static let edges: [UInt64] = [
        0, 1, 2, ~0, ~1, 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000, 0x7FFF_FFFF, 0xFFFF_FFFF,
        0x1_0000_0000, 0xFFFF_FFFF_8000_0000, 0xFFFF_FFFF_0000_0000, 31, 32, 63, 64, 0x8000, 0xFFFF, 0x80,
    ]
}

// MARK: - Architectural state as both engines report it

/// The registers a lockstep step compares.
struct LockstepState: Equatable {
    /// X0–X30, then SP.
    var x = [UInt64](repeating: 0, count: 32)
    var pc: UInt64 = 0
    /// N = 8, Z = 4, C = 2, V = 1.
    var nzcv: UInt64 = 0
    var tpidr: UInt64 = 0
    var fpcr: UInt64 = 0
    var fpsr: UInt64 = 0
    /// V0–V31 as (lo, hi) pairs; empty when vectors are not compared.
    var v: [UInt64] = []

    static func registerName(_ i: Int) -> String { i == 31 ? "sp" : "x\(i)" }

    /// "name: evlsim A, unicorn B" for every field that differs.
    func differences(from oracle: LockstepState) -> [String] {
        var out: [String] = []
        func note(_ name: String, _ a: UInt64, _ b: UInt64) {
            if a != b { out.append("\(name): evlsim \(lsHex(a)), unicorn \(lsHex(b))") }
        }
        for i in 0..<32 { note(Self.registerName(i), x[i], oracle.x[i]) }
        note("pc", pc, oracle.pc)
        note("nzcv", nzcv, oracle.nzcv)
        note("tpidr_el0", tpidr, oracle.tpidr)
        note("fpcr", fpcr, oracle.fpcr)
        note("fpsr", fpsr, oracle.fpsr)
        if v.count == 64 && oracle.v.count == 64 {
            for i in 0..<32 where v[2 * i] != oracle.v[2 * i] || v[2 * i + 1] != oracle.v[2 * i + 1] {
                out.append("v\(i): evlsim \(lsHex(v[2 * i + 1])):\(lsHex(v[2 * i])), unicorn \(lsHex(oracle.v[2 * i + 1])):\(lsHex(oracle.v[2 * i]))")
            }
        }
        return out
    }

    var summary: String {
        var parts = (0..<32).map { "\(Self.registerName($0))=\(lsHex(x[$0]))" }
        parts.append("nzcv=\(lsHex(nzcv))")
        return parts.joined(separator: " ")
    }
}

extension AArch64CPU {
    func lockstepState(vectors: Bool) -> LockstepState {
        var s = LockstepState()
        for i in 0..<32 { s.x[i] = x[i] }
        s.pc = pc
        s.nzcv = nzcv
        s.tpidr = tpidr
        s.fpcr = fpcr
        s.fpsr = fpsr
        if vectors {
            s.v.reserveCapacity(64)
            for i in 0..<32 { let q = vector(i); s.v.append(q.lo); s.v.append(q.hi) }
        }
        return s
    }

    func load(_ s: LockstepState) {
        for i in 0..<32 { x[i] = s.x[i] }
        pc = s.pc
        nzcv = s.nzcv
        tpidr = s.tpidr
        fpcr = s.fpcr
        fpsr = s.fpsr
        if s.v.count == 64 { for i in 0..<32 { setVector(i, lo: s.v[2 * i], hi: s.v[2 * i + 1]) } }
    }
}

// MARK: - Unicorn

/// A test-only wrapper around one Unicorn AArch64 engine.
final class UnicornEngine {
    struct Failure: Error, CustomStringConvertible {
        var call: String
        var error: uc_err
        var description: String { "\(call): \(String(cString: uc_strerror(error)))" }
    }

    private let uc: OpaquePointer
    // Register ids and value slots for the batch calls: X0–X30, SP, PC, NZCV, TPIDR_EL0, FPCR, FPSR,
    // then Q0–Q31 (two UInt64 slots each).
    private static let scalarCount = 37
    private var ids: [Int32]
    private let values: UnsafeMutablePointer<UInt64>
    private let pointers: UnsafeMutablePointer<UnsafeMutableRawPointer?>

    init() throws {
        var handle: OpaquePointer?
        var err = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &handle)
        guard err == UC_ERR_OK, let handle else { throw Failure(call: "uc_open", error: err) }
        uc = handle
        // The "max" model is the one with FEAT_LSE (the default Cortex-A72 model has no CAS/LDADD).
        err = evl_uc_set_cpu_model(uc, Int32(UC_CPU_ARM64_MAX.rawValue))
        guard err == UC_ERR_OK else { uc_close(handle); throw Failure(call: "uc_ctl(UC_CTL_CPU_MODEL)", error: err) }

        func id(_ r: uc_arm64_reg) -> Int32 { Int32(r.rawValue) }
        ids = (0..<29).map { Int32(UC_ARM64_REG_X0.rawValue) + Int32($0) }
        ids += [id(UC_ARM64_REG_X29), id(UC_ARM64_REG_X30), id(UC_ARM64_REG_SP), id(UC_ARM64_REG_PC),
                id(UC_ARM64_REG_NZCV), id(UC_ARM64_REG_TPIDR_EL0), id(UC_ARM64_REG_FPCR), id(UC_ARM64_REG_FPSR)]
        ids += (0..<32).map { Int32(UC_ARM64_REG_Q0.rawValue) + Int32($0) }
        values = .allocate(capacity: Self.scalarCount + 64)
        values.initialize(repeating: 0, count: Self.scalarCount + 64)
        pointers = .allocate(capacity: ids.count)
        for i in 0..<Self.scalarCount { pointers[i] = UnsafeMutableRawPointer(values + i) }
        for q in 0..<32 { pointers[Self.scalarCount + q] = UnsafeMutableRawPointer(values + Self.scalarCount + 2 * q) }
    }

    deinit {
        uc_close(uc)
        values.deallocate()
        pointers.deallocate()
    }

    private func check(_ err: uc_err, _ call: String) throws {
        guard err == UC_ERR_OK else { throw Failure(call: call, error: err) }
    }

    func map(_ address: UInt64, size: UInt64) throws {
        try check(uc_mem_map(uc, address, Int(size), UC_PROT_ALL.rawValue), "uc_mem_map")
    }

    func write(_ address: UInt64, _ bytes: UnsafeRawBufferPointer) throws {
        try check(uc_mem_write(uc, address, bytes.baseAddress, bytes.count), "uc_mem_write")
    }

    func read(_ address: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws {
        try check(uc_mem_read(uc, address, buffer.baseAddress, buffer.count), "uc_mem_read")
    }

    func readValue(_ address: UInt64, bytes: Int) throws -> UInt64 {
        var v: UInt64 = 0
        try withUnsafeMutableBytes(of: &v) { try read(address, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<bytes])) }
        return v
    }

    /// Drops translated blocks of [address, address+size) after their bytes changed.
    func invalidateCode(_ address: UInt64, size: UInt64) throws {
        try check(evl_uc_remove_cache(uc, address, address + size), "uc_ctl(UC_CTL_TB_REMOVE_CACHE)")
    }

    /// Runs `count` instructions from `pc` (one by default).
    func step(at pc: UInt64, count: Int = 1) -> uc_err {
        uc_emu_start(uc, pc, 0, 0, count)
    }

    func setX(_ slot: Int, _ value: UInt64) throws {
        var v = value
        try check(uc_reg_write(uc, ids[slot], &v), "uc_reg_write")
    }

    func setNZCV(_ nzcv: UInt64) throws {
        var v = nzcv << 28
        try check(uc_reg_write(uc, ids[33], &v), "uc_reg_write(NZCV)")
    }

    func state(vectors: Bool) throws -> LockstepState {
        // 32-bit registers (NZCV, FPCR, FPSR) fill only the low half of their slot.
        values.update(repeating: 0, count: Self.scalarCount + 64)
        let n = vectors ? ids.count : Self.scalarCount
        try ids.withUnsafeMutableBufferPointer { try check(uc_reg_read_batch(uc, $0.baseAddress, pointers, Int32(n)), "uc_reg_read_batch") }
        var s = LockstepState()
        for i in 0..<32 { s.x[i] = values[i] }
        s.pc = values[32]
        s.nzcv = (values[33] >> 28) & 0xF
        s.tpidr = values[34]
        s.fpcr = values[35] & 0xFFFF_FFFF
        s.fpsr = values[36] & 0xFFFF_FFFF
        if vectors { s.v = (0..<64).map { values[Self.scalarCount + $0] } }
        return s
    }

    func load(_ s: LockstepState) throws {
        for i in 0..<32 { values[i] = s.x[i] }
        values[32] = s.pc
        values[33] = s.nzcv << 28
        values[34] = s.tpidr
        values[35] = s.fpcr
        values[36] = s.fpsr
        let n = s.v.count == 64 ? ids.count : Self.scalarCount
        if n == ids.count { for i in 0..<64 { values[Self.scalarCount + i] = s.v[i] } }
        try ids.withUnsafeMutableBufferPointer {
            try check(uc_reg_write_batch(uc, $0.baseAddress, pointers, Int32(n)), "uc_reg_write_batch")
        }
    }
}

// MARK: - The runner

/// What one group's run compared.
struct LockstepReport {
    var group: String
    var instructions = 0
    /// Words both engines rejected as undefined (agreement, counted apart).
    var bothUndefined = 0
    /// Accesses or fetches both engines refused as unmapped (agreement, counted apart).
    var bothFaulted = 0
    var failures: [String] = []
    var duration: Duration = .zero
}

/// Two machines, one program: evlsim and Unicorn, kept in step.
final class LockstepRunner {
    static let rerandomizeEvery = 16
    static let maxFailuresPerGroup = 6

    let group: LockstepGroup
    let seed: UInt64
    let uc: UnicornEngine
    let ram: PhysicalMemory
    let space: AddressSpace
    let cpu: AArch64CPU
    private var rng: SeededRNG
    private var stateRNG: SeededRNG
    private var dataHost: [UnsafeMutableRawPointer] = []
    private let oracleData: UnsafeMutableRawBufferPointer
    private var report: LockstepReport
    private lazy var disassembler = Disassembler()
    private var planted: UInt32?

    /// Harness self-test hook: evlsim alone sees `word` in place of the first case's first word.
    func plantForTesting(word: UInt32) { planted = word }

    init(group: LockstepGroup, seed: UInt64) throws {
        self.group = group
        self.seed = seed
        let base = SeededRNG(seed: seed).derived(Self.streamID(group.name))
        rng = base.derived(1)
        stateRNG = base.derived(2)
        uc = try UnicornEngine()
        ram = try PhysicalMemory(size: 4 << 20)
        space = AddressSpace(physical: ram)
        try space.map(LockstepLayout.codeBase, length: LockstepLayout.codeSize, permissions: .rwx)
        try space.map(LockstepLayout.dataBase, length: LockstepLayout.dataSize, permissions: .rwx)
        try uc.map(LockstepLayout.codeBase, size: LockstepLayout.codeSize)
        try uc.map(LockstepLayout.dataBase, size: LockstepLayout.dataSize)
        cpu = AArch64CPU(space: space)
        oracleData = .allocate(byteCount: Int(LockstepLayout.dataSize), alignment: 16)
        report = LockstepReport(group: group.name)
        for page in stride(from: LockstepLayout.dataBase, to: LockstepLayout.dataBase + LockstepLayout.dataSize, by: 4096) {
            dataHost.append(space.translateRead(page)!)
        }
        // Every code word starts as a terminator, so stray branch targets translate short blocks.
        let fill = [UInt32](repeating: LockstepLayout.terminator, count: 1024)
        for p in 0..<LockstepLayout.codePages {
            try writeCode(page: LockstepLayout.codeBase + UInt64(p) * 4096, fill)
        }
    }

    deinit { oracleData.deallocate() }

    /// FNV-1a of the group name: a stable sub-stream per group, so groups do not shift each other.
    static func streamID(_ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// Runs `group` and records an issue for every mismatch; returns what was compared.
    @discardableResult
    static func check(_ group: LockstepGroup, seed: UInt64 = LockstepConfig.seed,
                      count: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> LockstepReport {
        let total = count ?? max(1, Int((Double(group.count) * LockstepConfig.scale).rounded()))
        do {
            let runner = try LockstepRunner(group: group, seed: seed)
            let report = try group.straightLine.map { try runner.runStraightLine(instructions: total, length: $0) }
                ?? runner.run(instructions: total)
            for f in report.failures { Issue.record(Comment(rawValue: f), sourceLocation: sourceLocation) }
            let ms = Double(report.duration.components.seconds) * 1000 + Double(report.duration.components.attoseconds) / 1e15
            print("lockstep \(group.name): \(report.instructions) instructions compared, \(report.bothUndefined) rejected by both, "
                  + "\(report.bothFaulted) faulted in both, "
                  + "\(report.failures.count) mismatches, \(String(format: "%.0f", ms)) ms")
            return report
        } catch {
            Issue.record("lockstep \(group.name): harness error \(error)", sourceLocation: sourceLocation)
            return LockstepReport(group: group.name)
        }
    }

    // MARK: Running

    func run(instructions total: Int) throws -> LockstepReport {
        let clock = ContinuousClock()
        let started = clock.now
        var caseIndex = 0
        var pageIndex = 0
        var generated = 0
        try randomizeState()
        while report.instructions < total && report.failures.count < Self.maxFailuresPerGroup {
            // Fill one code page with cases, each followed by a terminator.
            let pageBase = LockstepLayout.codeBase + UInt64(pageIndex % LockstepLayout.codePages) * 4096
            var words = [UInt32](repeating: LockstepLayout.terminator, count: 1024)
            var cases: [LockstepContext] = []
            var slot = 0
            var planned = report.instructions
            while slot + LockstepContext.maxWords + 1 <= 1024 && planned < total {
                var ctx = LockstepContext(rng: rng, start: pageBase + UInt64(slot * 4), index: generated)
                generated += 1
                group.generate(&ctx)
                rng = ctx.rng
                precondition(!ctx.words.isEmpty, "group \(group.name) emitted no instruction")
                for (k, w) in ctx.words.enumerated() { words[slot + k] = w }
                slot += ctx.words.count + 1
                planned += ctx.words.count
                cases.append(ctx)
            }
            // Now and then a one-word case in the page's last slot (not in the region's last page, where
            // Unicorn's translator could read past the mapping): the record before evlsim's end-of-page.
            if planned < total && pageIndex % LockstepLayout.codePages != LockstepLayout.codePages - 1 {
                var ctx = LockstepContext(rng: rng, start: pageBase + 4092, index: generated)
                generated += 1
                group.generate(&ctx)
                rng = ctx.rng
                if ctx.words.count == 1 {
                    words[1023] = ctx.words[0]
                    cases.append(ctx)
                }
            }
            try writeCode(page: pageBase, words)
            if let word = planted, let first = cases.first {
                withUnsafeBytes(of: word.littleEndian) { _ = space.write(first.start, bytes: $0, force: true) }
                planted = nil
            }
            for c in cases {
                if caseIndex > 0 && caseIndex % Self.rerandomizeEvery == 0 { try randomizeState() }
                try run(c, caseIndex: caseIndex)
                caseIndex += 1
                if report.failures.count >= Self.maxFailuresPerGroup { break }
            }
            pageIndex += 1
        }
        report.duration = clock.now - started
        return report
    }

    private func writeCode(page: UInt64, _ words: [UInt32]) throws {
        try words.withUnsafeBytes { bytes in
            space.write(page, bytes: bytes, force: true)
            try uc.write(page, bytes)
        }
        try uc.invalidateCode(page, size: 4096)
    }

    /// New random registers and data, the same in both engines.
    private func randomizeState() throws {
        var ctx = LockstepContext(rng: stateRNG, start: 0)
        var s = LockstepState()
        for i in 0..<31 { s.x[i] = ctx.interesting() }
        // SP: usually a 16-byte-aligned pointer into the data region, as a program's would be.
        s.x[31] = ctx.chance(80) ? ctx.dataAddress(bytes: 16, align: 16) : ctx.interesting()
        s.pc = LockstepLayout.codeBase
        s.nzcv = UInt64(ctx.bits(4))
        s.tpidr = ctx.interesting()
        if group.vectors {
            s.fpcr = ctx.next() & group.fpcrMask
            s.fpsr = ctx.next() & 0x0800_009F
            s.v = (0..<64).map { _ in ctx.chance(20) ? ctx.interesting() : ctx.next() }
        }
        var data = [UInt8](repeating: 0, count: Int(LockstepLayout.dataSize))
        data.withUnsafeMutableBytes { ctx.rng.fill($0) }
        // Sprinkle zero and all-ones words so compares and CBZ-like tests see them.
        for _ in 0..<32 {
            let at = ctx.below(data.count / 8) * 8
            let fill: UInt8 = ctx.chance(50) ? 0 : 0xFF
            for k in 0..<8 { data[at + k] = fill }
        }
        stateRNG = ctx.rng
        try data.withUnsafeBytes { bytes in
            space.write(LockstepLayout.dataBase, bytes: bytes, force: true)
            try uc.write(LockstepLayout.dataBase, bytes)
        }
        cpu.load(s)
        try uc.load(s)
    }

    private func apply(_ pins: [LockstepPin]) throws {
        for p in pins {
            switch p {
            case .x(let r, let v):
                cpu.x[r] = v
                try uc.setX(r, v)
            case .memory(let r, let address, let bytes):
                let v = try uc.readValue(address, bytes: bytes)
                cpu.x[r] = v
                try uc.setX(r, v)
            case .nzcv(let f):
                cpu.nzcv = f
                try uc.setNZCV(f)
            case .store(let address, let bytes, let value):
                try withUnsafeBytes(of: value.littleEndian) { raw in
                    let part = UnsafeRawBufferPointer(rebasing: raw[0..<bytes])
                    space.write(address, bytes: part, force: true)
                    try uc.write(address, part)
                }
            }
        }
    }

    private func run(_ c: LockstepContext, caseIndex: Int) throws {
        try apply(c.pins)
        for (k, word) in c.words.enumerated() {
            if try !stepAndCompare(word: word, pc: c.start + UInt64(4 * k), caseIndex: caseIndex, step: k, of: c.words.count) {
                return
            }
        }
    }

    /// Runs one instruction in both engines and compares; false (and a recorded failure) on a mismatch.
    private func stepAndCompare(word: UInt32, pc: UInt64, caseIndex: Int, step k: Int, of count: Int) throws -> Bool {
        let before = cpu.lockstepState(vectors: false)
        cpu.pc = pc
        let ours = cpu.step()
        let err = uc.step(at: pc)
        report.instructions += 1
        let (problems, theirs) = try compare(ours, err)
        if problems.isEmpty && err != UC_ERR_OK {
            if err == UC_ERR_EXCEPTION { report.bothUndefined += 1 } else { report.bothFaulted += 1 }
        }
        guard problems.isEmpty else {
            report.failures.append(describe(word: word, pc: pc, caseIndex: caseIndex, step: k, of: count,
                                            problems: problems, before: before))
            try resynchronize(from: theirs)
            return false
        }
        return true
    }

    /// Every difference between the engines after they stopped with `ours` and `err`.
    private func compare(_ ours: StopReason, _ err: uc_err) throws -> ([String], LockstepState) {
        var problems: [String] = []
        switch (ours, err) {
        case (.limit, UC_ERR_OK): break
        case (.undefinedInstruction, UC_ERR_EXCEPTION): break
        // A load or store outside the mapped regions, and a fetch from an unmapped branch target.
        // (Which of read or write an atomic reports differs legitimately, so only the class is compared.)
        case (.dataAbort, UC_ERR_READ_UNMAPPED), (.dataAbort, UC_ERR_WRITE_UNMAPPED): break
        case (.instructionAbort, UC_ERR_FETCH_UNMAPPED): break
        default:
            problems.append("outcome: evlsim \(ours), unicorn \(String(cString: uc_strerror(err)))")
        }
        let mine = cpu.lockstepState(vectors: group.vectors)
        let theirs = try uc.state(vectors: group.vectors)
        problems += mine.differences(from: theirs)
        if cpu.x[Int(RegisterSlot.zero)] != 0 {
            problems.append("evlsim's zero slot was written: \(lsHex(cpu.x[Int(RegisterSlot.zero)]))")
        }
        problems += try compareData()
        return (problems, theirs)
    }

    // MARK: Straight-line blocks

    /// Instructions that set up `pins` inside a block: MOVZ/MOVK for values, a load for `.memory`,
    /// a store for `.store`, MSR NZCV for flags. Scratch registers are ones the pins do not name.
    static func materialize(_ pins: [LockstepPin]) -> [UInt32] {
        var named = Set<Int>()
        for p in pins {
            switch p {
            case .x(let r, _), .memory(let r, _, _): named.insert(r)
            default: break
            }
        }
        let free = [16, 17, 15, 14, 13, 12, 11, 10, 9].filter { !named.contains($0) }
        let s1 = UInt32(free[0]), s2 = UInt32(free[1])
        var out: [UInt32] = []
        func mov(_ r: UInt32, _ v: UInt64) {
            out.append(0xD280_0000 | UInt32(v & 0xFFFF) << 5 | r) // MOVZ Xr, #v<15:0>
            for hw in 1..<4 where (v >> UInt64(16 * hw)) & 0xFFFF != 0 {
                out.append(0xF280_0000 | UInt32(hw) << 21 | UInt32((v >> UInt64(16 * hw)) & 0xFFFF) << 5 | r) // MOVK
            }
        }
        func log2(_ bytes: Int) -> UInt32 { UInt32(bytes.trailingZeroBitCount) }
        for p in pins {
            switch p {
            case .x(let r, let v):
                if r == 31 {
                    mov(s1, v)
                    out.append(0x9100_0000 | s1 << 5 | 31) // MOV SP, Xs1 (ADD SP, Xs1, #0)
                } else {
                    mov(UInt32(r), v)
                }
            case .memory(let r, let address, let bytes):
                guard r != 31 else { continue }
                mov(s1, address)
                out.append(log2(bytes) << 30 | 0x3940_0000 | s1 << 5 | UInt32(r)) // LDR{B,H,,} Xr, [Xs1]
            case .nzcv(let f):
                mov(s1, f << 28)
                out.append(0xD51B_4200 | s1) // MSR NZCV, Xs1
            case .store(let address, let bytes, let value):
                mov(s1, value)
                mov(s2, address)
                out.append(log2(bytes) << 30 | 0x3900_0000 | s2 << 5 | s1) // STR{B,H,,} Xs1, [Xs2]
            }
        }
        return out
    }

    /// Runs blocks of `length` instructions (starting anywhere in a page, so most cross into the
    /// next one) as single `run(limit:)` calls, comparing at the end of each block.
    func runStraightLine(instructions total: Int, length: Int) throws -> LockstepReport {
        let clock = ContinuousClock()
        let started = clock.now
        var blockIndex = 0
        var generated = 0
        precondition(length <= 900, "a block (and its last case) spans at most two pages")
        while report.instructions < total && report.failures.count < Self.maxFailuresPerGroup {
            try randomizeState()
            let firstPage = blockIndex % (LockstepLayout.codePages - 1)
            let start = LockstepLayout.codeBase + UInt64(firstPage * 4096) + (rng.next() % 1024) * 4
            var words: [UInt32] = []
            while words.count < length {
                // A case's pins become instructions in front of it; the case is then generated again at
                // the address it really occupies, so its PC-relative encodings stay right.
                let saved = rng
                var ctx = LockstepContext(rng: saved, start: start + UInt64(4 * words.count), index: generated)
                group.generate(&ctx)
                var prefix = Self.materialize(ctx.pins)
                if !prefix.isEmpty {
                    let count = prefix.count
                    ctx = LockstepContext(rng: saved, start: start + UInt64(4 * (words.count + count)), index: generated)
                    group.generate(&ctx)
                    prefix = Self.materialize(ctx.pins)
                    if prefix.count != count { rng = ctx.rng; continue }
                }
                rng = ctx.rng
                generated += 1
                // Unallocated words would end the block early; the step groups cover rejection.
                if ctx.words.contains(where: { A64Decoder.decode($0, pc: 0).op == .undefined }) { continue }
                words += prefix + ctx.words
            }
            // Lay the block out over its two pages, terminators around it.
            let pageBase = LockstepLayout.codeBase + UInt64(firstPage * 4096)
            var image = [UInt32](repeating: LockstepLayout.terminator, count: 2048)
            let first = Int((start - pageBase) / 4)
            for (k, w) in words.enumerated() { image[first + k] = w }
            try writeCode(page: pageBase, Array(image[0..<1024]))
            try writeCode(page: pageBase + 4096, Array(image[1024..<2048]))

            let initial = try uc.state(vectors: group.vectors)
            try uc.read(LockstepLayout.dataBase, into: oracleData)
            let initialData = [UInt8](UnsafeRawBufferPointer(oracleData))
            cpu.pc = start
            let ours = cpu.run(limit: UInt64(words.count))
            let err = uc.step(at: start, count: words.count)
            report.instructions += words.count
            let (problems, _) = try compare(ours, err)
            if problems.isEmpty && err != UC_ERR_OK {
                if err == UC_ERR_EXCEPTION { report.bothUndefined += 1 } else { report.bothFaulted += 1 }
            }
            if !problems.isEmpty {
                // Go back to the block's start and step it, to name the instruction.
                try initialData.withUnsafeBytes { bytes in
                    space.write(LockstepLayout.dataBase, bytes: bytes, force: true)
                    try uc.write(LockstepLayout.dataBase, bytes)
                }
                cpu.load(initial)
                try uc.load(initial)
                let failuresBefore = report.failures.count
                for (k, w) in words.enumerated() {
                    if try !stepAndCompare(word: w, pc: start + UInt64(4 * k), caseIndex: blockIndex, step: k, of: words.count) { break }
                }
                report.instructions -= words.count
                if report.failures.count == failuresBefore {
                    var lines = ["lockstep mismatch in group '\(group.name)' (seed \(lsHex(seed)), block \(blockIndex)): "
                                 + "\(words.count) instructions from \(lsHex(start)) run as one block differ, "
                                 + "but agree when stepped one at a time (suspect evlsim's run loop)"]
                    lines += problems.map { "  " + $0 }
                    report.failures.append(lines.joined(separator: "\n"))
                }
            }
            blockIndex += 1
        }
        report.duration = clock.now - started
        return report
    }

    /// Differences in the data region, as "address: evlsim A, unicorn B" (a few shown).
    private func compareData() throws -> [String] {
        try uc.read(LockstepLayout.dataBase, into: oracleData)
        var out: [String] = []
        for (p, host) in dataHost.enumerated() {
            let theirs = oracleData.baseAddress! + p * 4096
            guard memcmp(host, theirs, 4096) != 0 else { continue }
            var shown = 0, total = 0
            for i in 0..<4096 {
                let a = host.load(fromByteOffset: i, as: UInt8.self), b = theirs.load(fromByteOffset: i, as: UInt8.self)
                guard a != b else { continue }
                total += 1
                if shown < 8 {
                    out.append("memory \(lsHex(LockstepLayout.dataBase + UInt64(p * 4096 + i))): evlsim \(lsHex(UInt64(a))), unicorn \(lsHex(UInt64(b)))")
                    shown += 1
                }
            }
            if total > shown { out.append("(\(total - shown) more differing bytes in page \(p))") }
        }
        return out
    }

    private func resynchronize(from oracle: LockstepState) throws {
        cpu.load(oracle) // vectors too when the group compares them; otherwise they were never touched
        try uc.read(LockstepLayout.dataBase, into: oracleData)
        space.write(LockstepLayout.dataBase, bytes: UnsafeRawBufferPointer(oracleData), force: true)
    }

    private func describe(word: UInt32, pc: UInt64, caseIndex: Int, step: Int, of count: Int,
                          problems: [String], before: LockstepState) -> String {
        let text = disassembler?.text(word: word, address: pc) ?? "?"
        var lines = ["lockstep mismatch in group '\(group.name)' (seed \(lsHex(seed)), \(group.straightLine == nil ? "case" : "block") \(caseIndex), word \(step + 1) of \(count))",
                     "  \(lsHex(pc)): \(String(format: "%08x", word))  \(text)"]
        lines += problems.map { "  " + $0 }
        lines.append("  before: " + before.summary)
        lines.append("  reproduce: EVLSIM_LOCKSTEP_SEED=\(lsHex(seed)) swift test --filter Lockstep")
        return lines.joined(separator: "\n")
    }
}
