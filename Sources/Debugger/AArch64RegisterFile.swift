import AArch64

/// The AArch64 registers in the order and sizes of gdb's target description (features
/// org.gnu.gdb.aarch64.core and .fpu, as in gdb/features/aarch64-core.xml and aarch64-fpu.xml):
/// x0–x30, sp, pc (8 bytes each), cpsr (4), v0–v31 (16), fpsr (4), fpcr (4). Numbers 0–67.
enum AArch64RegisterFile {
    static let count = 68
    static func size(_ n: Int) -> Int {
        switch n {
        case 0...32: return 8
        case 33: return 4
        case 34...65: return 16
        case 66, 67: return 4
        default: return 0
        }
    }

    /// Register `number` as little-endian bytes; nil for a number outside the description.
    static func read(_ cpu: AArch64CPU, number n: Int, cpsr: UInt64) -> [UInt8]? {
        switch n {
        case 0...30: return bytes(cpu[x: n], 8)
        case 31: return bytes(cpu.sp, 8)
        case 32: return bytes(cpu.pc, 8)
        case 33: return bytes(cpsr, 4)
        case 34...65:
            let q = cpu.vector(n - 34)
            return bytes(q.lo, 8) + bytes(q.hi, 8)
        case 66: return bytes(cpu.fpsr, 4)
        case 67: return bytes(cpu.fpcr, 4)
        default: return nil
        }
    }

    static func read(_ cpu: AArch64CPU, cpsr: UInt64) -> [UInt8] {
        (0..<count).flatMap { read(cpu, number: $0, cpsr: cpsr)! }
    }

    /// Sets register `number` from its bytes; false for a wrong number or size. Of CPSR only
    /// NZCV can change (the exception level and masks belong to the machine, not the debugger).
    static func write(_ cpu: AArch64CPU, number n: Int, _ b: [UInt8]) -> Bool {
        guard b.count == size(n), size(n) > 0 else { return false }
        let v = value(b, 0, min(8, b.count))
        switch n {
        case 0...30: cpu[x: n] = v
        case 31: cpu.sp = v
        case 32: cpu.pc = v
        case 33: cpu.nzcvRegister = v
        case 34...65: cpu.setVector(n - 34, lo: v, hi: value(b, 8, 8))
        case 66: cpu.fpsr = v
        case 67: cpu.fpcr = v
        default: return false
        }
        return true
    }

    /// The whole `G` packet; false (and nothing changed) if its length is wrong.
    static func write(_ cpu: AArch64CPU, _ b: [UInt8]) -> Bool {
        let total = (0..<count).reduce(0) { $0 + size($1) }
        guard b.count == total else { return false }
        var at = 0
        for n in 0..<count {
            _ = write(cpu, number: n, Array(b[at..<at + size(n)]))
            at += size(n)
        }
        return true
    }

    private static func bytes(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    private static func value(_ b: [UInt8], _ at: Int, _ n: Int) -> UInt64 {
        (0..<n).reduce(0) { $0 | UInt64(b[at + $1]) << (8 * $1) }
    }

    /// A full-system core's EL1 registers, shown after the core and FP/SIMD ones (read-only:
    /// the debugger changes what a program computes, not how the machine is configured).
    static let systemRegisterNames = ["sctlr_el1", "tcr_el1", "ttbr0_el1", "ttbr1_el1", "mair_el1", "vbar_el1", "esr_el1",
                                      "far_el1", "elr_el1", "spsr_el1", "sp_el0", "sp_el1", "tpidr_el1", "contextidr_el1",
                                      "cpacr_el1", "par_el1", "currentel", "daif"]

    static func systemRegisters(_ cpu: AArch64CPU) -> [UInt64] {
        guard let s = cpu.system else { return [] }
        // The SP slot holds the stack pointer PSTATE selects; the other one is banked.
        let usingEL0 = s.el == 0 || s.spSel == 0
        return [s.mmu.sctlr, s.mmu.tcr, s.mmu.ttbr0, s.mmu.ttbr1, s.mmu.mair, s.vbar, s.esr, s.far, s.elr, s.spsr,
                usingEL0 ? cpu.sp : s.spEL0, usingEL0 ? s.spEL1 : cpu.sp, s.tpidrEL1, s.contextidr, s.cpacr, s.par,
                UInt64(s.el) << 2, s.daif]
    }

    static func systemRegisterBytes(_ cpu: AArch64CPU) -> [UInt8] { systemRegisters(cpu).flatMap { bytes($0, 8) } }

    static func systemRegister(_ cpu: AArch64CPU, number n: Int) -> [UInt8]? {
        let list = systemRegisters(cpu)
        return (count..<count + list.count).contains(n) ? bytes(list[n - count], 8) : nil
    }
}
