import Memory
import SimCore

/// Why `AArch64CPU.run` returned.
public enum StopReason: Equatable, Sendable {
    /// The instruction budget is spent; `pc` is the next instruction.
    case limit
    /// An SVC retired; `pc` is the instruction after it.
    case supervisorCall(immediate: UInt64)
    /// A BRK was reached; `pc` is the BRK (not retired).
    case breakpoint(immediate: UInt64)
    /// An undefined or unimplemented encoding; `pc` points at it (not retired).
    case undefinedInstruction(word: UInt32)
    /// A load or store faulted; `pc` points at the instruction (not retired).
    case dataAbort(MemoryFault)
    /// The next instruction could not be fetched; `pc` is its address.
    case instructionAbort(MemoryFault)
    /// The PC is not 4-byte aligned: a BR/BLR/RET retired with a misaligned target, and `pc` is that
    /// target (the architecture raises the PC alignment fault on the fetch, after the branch).
    case pcAlignment(target: UInt64)
    /// An exclusive or atomic access to an address not aligned to its size; `pc` points at it (not retired).
    case alignmentFault(address: UInt64)
    /// An instruction only the system model can execute (EL1 registers, TLBI, WFI, ERET, HVC...);
    /// `pc` points at it (not retired).
    case systemInstruction(word: UInt32)
    /// An FP/SIMD instruction while CPACR_EL1.FPEN traps it; `pc` points at it (not retired).
    case fpAccessTrap
    /// A debugger's breakpoint is set at `pc` (not retired).
    case debuggerBreakpoint
}

/// Fixed facts about the modeled core that EL0 can observe.
public struct AArch64CoreInfo: Sendable {
    /// CTR_EL0: Cortex-A72 value (A72 TRM, 4.3.22): 64-byte I and D lines, PIPT I-cache.
    public var ctr: UInt64 = 0x8444_C004
    /// DCZID_EL0: DC ZVA zeroes 2^(4+2) = 64 bytes; DZP = 0 (allowed).
    public var dczid: UInt64 = 4
    /// The core clock: converts cycles to simulated time.
    public var clock = ClockDomain(hertz: 1_500_000_000)
    /// The generic timer's counter frequency (CNTFRQ_EL0); 54 MHz on the Raspberry Pi 4.
    public var counterHz: UInt64 = 54_000_000

    public init() {}
}

/// One AArch64 core: registers, pre-decoded code and the run loop.
///
/// The loop itself runs EL0 and EL1 code alike; what only the system can do
/// (exception entry, EL1 system registers, WFI, ERET) stops it and is carried
/// out by `AArch64CPU+System` or, in user mode, by the Linux model.
///
/// Registers live in raw memory, not Swift arrays: the loop copies the pointers
/// into locals (see `hot-path-measurements.md`, rules 1, 2 and 5). X registers
/// use the slot layout of `RegisterSlot`; V registers are 16 bytes each,
/// little-endian, lane 0 lowest.
public final class AArch64CPU {
    /// X0–X30, SP, the zero slot and the sink slot.
    public let x: UnsafeMutablePointer<UInt64>
    /// V0–V31, 16 bytes each.
    public let v: UnsafeMutableRawPointer
    public var pc: UInt64 = 0
    /// NZCV as a 4-bit value: N = 8, Z = 4, C = 2, V = 1.
    public var nzcv: UInt64 = 0
    public var fpcr: UInt64 = 0
    public var fpsr: UInt64 = 0
    public var tpidr: UInt64 = 0
    public var tpidrro: UInt64 = 0
    /// Instructions retired since reset.
    public var retired: UInt64 = 0
    /// Core cycles since reset, including cycles spent waiting (sleep, idle).
    public var cycles: UInt64 = 0
    public var info: AArch64CoreInfo

    // The local exclusive monitor (LDXR/STXR), with the value read, which stands in for the
    // global monitor: a store-exclusive fails if memory no longer holds it.
    var exclusiveAddress: UInt64 = 0
    var exclusiveSize: UInt64 = 0
    var exclusiveOpen = false
    var exclusiveValue: UInt64 = 0
    var exclusiveValueHigh: UInt64 = 0

    /// The cycle-approximate timing model; nil in functional mode (one cycle per instruction).
    public var timing: ApproximateTiming? {
        didSet {
            // The loop moves the model out and back while it runs; that is not an attach or detach.
            guard !timingOnLoan, timingAttached != (timing != nil) else { return }
            timingAttached = timing != nil
            decodeCache.recordsTiming = timingAttached
            system?.decodeEL0.recordsTiming = timingAttached
            system?.decodeEL1.recordsTiming = timingAttached
        }
    }
    private var timingAttached = false
    var timingOnLoan = false

    /// True while FP/SIMD instructions trap (CPACR_EL1.FPEN at the current exception level).
    public internal(set) var fpAccessTraps = false

    /// Where loads, stores and fetches go: a process's address space or a full-system MMU.
    public let port: MemoryPort
    /// The decode cache the loop uses now (a full-system core keeps one per exception level).
    public internal(set) var decodeCache: DecodeCache
    /// The full-system state (exception level, EL1 registers); nil for a user-mode process.
    public internal(set) var system: AArch64SystemState?

    public init(port: MemoryPort, info: AArch64CoreInfo = AArch64CoreInfo(), listen: Bool = true) {
        self.port = port
        self.info = info
        x = .allocate(capacity: RegisterSlot.count)
        x.initialize(repeating: 0, count: RegisterSlot.count)
        // One extra slot past V31 is scratch for loads that must not half-complete.
        v = .allocate(byteCount: 33 * 16, alignment: 16)
        v.initializeMemory(as: UInt8.self, repeating: 0, count: 33 * 16)
        decodeCache = DecodeCache(port: port, listen: listen)
    }

    /// A user-mode core over a process's address space.
    public convenience init(space: AddressSpace, info: AArch64CoreInfo = AArch64CoreInfo()) {
        self.init(port: space, info: info)
    }

    deinit {
        x.deallocate()
        v.deallocate()
    }

    /// The simulated time of this core's clock.
    public var now: SimTime { info.clock.time(ofTicks: cycles) }

    // MARK: Register access for the kernel model, the loader and tests

    /// X register `n` (0–30), or SP when `n` is 31.
    public subscript(x n: Int) -> UInt64 {
        get { x[n] }
        set { x[n] = newValue }
    }

    public var sp: UInt64 {
        get { x[Int(RegisterSlot.sp)] }
        set { x[Int(RegisterSlot.sp)] = newValue }
    }

    /// The low and high 64 bits of V register `n`.
    public func vector(_ n: Int) -> (lo: UInt64, hi: UInt64) {
        (v.load(fromByteOffset: n * 16, as: UInt64.self), v.load(fromByteOffset: n * 16 + 8, as: UInt64.self))
    }

    public func setVector(_ n: Int, lo: UInt64, hi: UInt64) {
        v.storeBytes(of: lo, toByteOffset: n * 16, as: UInt64.self)
        v.storeBytes(of: hi, toByteOffset: n * 16 + 8, as: UInt64.self)
    }

    /// NZCV as the architectural register value (bits 31:28).
    public var nzcvRegister: UInt64 {
        get { nzcv << 28 }
        set { nzcv = (newValue >> 28) & 0xF }
    }

    // MARK: System registers

    @inline(never)
    func readSystemRegister(_ raw: UInt8, flags: UInt64, cyclesNow: UInt64) -> UInt64 {
        switch SystemRegister(rawValue: raw)! {
        case .nzcv: return flags << 28
        case .fpcr: return fpcr
        case .fpsr: return fpsr
        case .tpidrEL0: return tpidr
        case .tpidrroEL0: return tpidrro
        case .cntfrqEL0: return info.counterHz
        case .cntpctEL0, .cntvctEL0:
            return ClockDomain(hertz: info.counterHz).ticks(at: info.clock.time(ofTicks: cyclesNow))
        case .ctrEL0: return info.ctr
        case .dczidEL0: return info.dczid
        }
    }

    /// Writes an EL0-writable system register; returns the new NZCV when NZCV is written.
    @inline(never)
    func writeSystemRegister(_ raw: UInt8, _ value: UInt64, flags: UInt64) -> UInt64 {
        switch SystemRegister(rawValue: raw)! {
        case .nzcv: return (value >> 28) & 0xF
        case .fpcr: fpcr = value & 0x07C0_0000 // AHP, DN, FZ, RMode; trap enables are RAZ/WI without trapping support
        case .fpsr: fpsr = value & 0x0800_009F // QC, IDC and the cumulative flags; 31:28 are RES0 in AArch64
        case .tpidrEL0: tpidr = value
        default: break
        }
        return flags
    }
}
