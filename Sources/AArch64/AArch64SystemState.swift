/// Fixed identity of a full-system core, as its ID registers report it.
public struct AArch64CoreIdentity: Sendable {
    /// MIDR_EL1 (e.g. 0x410FD083 for a Cortex-A72 r0p3).
    public var midr: UInt64
    /// MPIDR_EL1 as read (bit 31 RES1 included).
    public var mpidr: UInt64
    /// SCTLR_EL1 at reset.
    public var resetSCTLR: UInt64
    /// CLIDR_EL1 and CCSIDR_EL1 per CSSELR_EL1 value (index = CSSELR[3:0]).
    public var clidr: UInt64
    public var ccsidr: [UInt64]
    /// ID_AA64MMFR0_EL1.PARange's width in bits.
    public var physicalAddressBits: UInt64
    /// Whether the GIC system-register interface exists (ID_AA64PFR0_EL1.GIC).
    public var gicSystemRegisters: Bool

    /// A Cortex-A72 (A72 TRM r0p3: MIDR 0x410FD083, SCTLR_EL1 reset 0x00C50838,
    /// CLIDR 0x0A200023, CCSIDR L1D 0x701FE01A / L1I 0x201FE012 / 1 MiB L2 0x707FE07A, 44-bit PA).
    public static func cortexA72(mpidr: UInt64, gicSystemRegisters: Bool) -> AArch64CoreIdentity {
        AArch64CoreIdentity(midr: 0x410F_D083, mpidr: mpidr, resetSCTLR: 0x00C5_0838, clidr: 0x0A20_0023,
                            ccsidr: [0x701F_E01A, 0x201F_E012, 0x707F_E07A], physicalAddressBits: 44,
                            gicSystemRegisters: gicSystemRegisters)
    }

    /// A Cortex-A53 (A53 TRM r0p4: MIDR 0x410FD034, SCTLR_EL1 reset 0x00C50838, CLIDR 0x0A200023,
    /// CCSIDR L1D 32 KiB 0x700FE01A / L1I 0x201FE00A / 512 KiB L2 0x703FE07A, 40-bit PA).
    public static func cortexA53(mpidr: UInt64, gicSystemRegisters: Bool) -> AArch64CoreIdentity {
        AArch64CoreIdentity(midr: 0x410F_D034, mpidr: mpidr, resetSCTLR: 0x00C5_0838, clidr: 0x0A20_0023,
                            ccsidr: [0x700F_E01A, 0x201F_E00A, 0x703F_E07A], physicalAddressBits: 40,
                            gicSystemRegisters: gicSystemRegisters)
    }
}

/// The full-system state of one core beyond the user-visible registers: PSTATE's
/// EL, SPSel and DAIF, the banked stack pointers, the EL1 system registers, the
/// event register, and the hooks to the machine's system-register devices.
public final class AArch64SystemState {
    public let identity: AArch64CoreIdentity
    public let mmu: AArch64MMU
    /// Decode caches per exception level: execute permissions differ between EL0 and EL1.
    let decodeEL0: DecodeCache
    let decodeEL1: DecodeCache

    /// PSTATE.EL (0 or 1).
    public internal(set) var el: UInt8 = 1
    /// PSTATE.SP: 0 = SP_EL0, 1 = SP_ELx.
    public internal(set) var spSel: UInt8 = 1
    /// PSTATE.{D,A,I,F} at their DAIF register positions (bits 9:6).
    public internal(set) var daif: UInt64 = 0x3C0
    /// The stack pointers not currently in the SP slot of the register file.
    public internal(set) var spEL0: UInt64 = 0
    public internal(set) var spEL1: UInt64 = 0

    public internal(set) var vbar: UInt64 = 0
    public internal(set) var esr: UInt64 = 0
    public internal(set) var elr: UInt64 = 0
    public internal(set) var spsr: UInt64 = 0
    public internal(set) var far: UInt64 = 0
    public internal(set) var par: UInt64 = 0
    public internal(set) var cpacr: UInt64 = 0
    public internal(set) var contextidr: UInt64 = 0
    public internal(set) var tpidrEL1: UInt64 = 0
    public internal(set) var actlr: UInt64 = 0
    public internal(set) var amair: UInt64 = 0
    public internal(set) var afsr0: UInt64 = 0
    public internal(set) var afsr1: UInt64 = 0
    public internal(set) var csselr: UInt64 = 0
    /// Debug registers (op0 = 2) are kept as storage: no breakpoint or watchpoint fires.
    public internal(set) var debugRegisters: [UInt16: UInt64] = [:]
    /// Exceptions taken so far, interrupts included (a statistic).
    public internal(set) var exceptionsTaken: UInt64 = 0
    /// The WFE event register.
    public var eventRegister = false
    /// PSTATE.IL after an illegal exception return: the next instruction takes an Illegal state exception.
    public internal(set) var illegalState = false

    /// Reads a register that belongs to a device (the GICv3 CPU interface, the generic timer); nil when none has it.
    public var readDeviceRegister: ((UInt16) -> UInt64?)?
    /// Writes a device's register; false when none has it.
    public var writeDeviceRegister: ((UInt16, UInt64) -> Bool)?
    /// The core's IRQ and FIQ inputs (for ISR_EL1 and for waking from WFI).
    public var interruptLines: (() -> (irq: Bool, fiq: Bool))?
    /// Carries an inner-shareable TLBI to every core (the machine sets it; nil: this core only).
    public var broadcastTLBI: ((AArch64MMU.TLBIOperation) -> Void)?

    init(identity: AArch64CoreIdentity, mmu: AArch64MMU, decodeEL0: DecodeCache, decodeEL1: DecodeCache) {
        self.identity = identity
        self.mmu = mmu
        self.decodeEL0 = decodeEL0
        self.decodeEL1 = decodeEL1
    }

    /// The SPSR value describing the current PSTATE (M[3:0] = EL and SPSel; AArch64).
    public func pstate(nzcv: UInt64) -> UInt64 {
        nzcv << 28 | (illegalState ? 1 << 20 : 0) | daif | UInt64(el) << 2 | UInt64(spSel)
    }
}
