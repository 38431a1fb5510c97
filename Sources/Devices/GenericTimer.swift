import SimCore

// The ARM generic timer (ARM ARM D11 "The Generic Timer in AArch64 state",
// D12 "The Generic Timer memory-mapped registers"; registers in D17 / D19).
//
// One system counter, shared by every core, counts at `counterHz` from
// simulated time zero. Each core has its own physical (CNTP_*) and virtual
// (CNTV_*) EL1 timer. The EL2 physical and secure physical timers have PPIs
// but no registers here (evlsim runs the guest at EL1 without EL2 or EL3),
// so their lines stay low.
//
// Nothing ticks: a timer that is enabled and unmasked posts one DeviceEvent
// at the first picosecond its condition becomes true, and the machine hands
// that event back through `fire(_:now:)`.
//
// Not modelled: the event stream (CNTKCTL_EL1.EVNTEN, which wakes WFE), the
// EL0 access controls in CNTKCTL_EL1 (the CPU enforces them, reading
// `kernelControl(core:)`), CNTVOFF_EL2 (fixed at 0 without EL2) and FEAT_ECV.

/// The ARM generic timer as EL1 sees it: the system counter plus each core's physical and virtual EL1 timers.
public final class GenericTimer: SystemRegisterDevice {
    /// The system registers this device answers, named as in the ARM ARM.
    public enum Register {
        /// CNTFRQ_EL0: the counter frequency in Hz, as firmware programmed it.
        public static let cntfrqEL0 = systemRegisterEncoding(3, 3, 14, 0, 0)
        /// CNTPCT_EL0: the physical count.
        public static let cntpctEL0 = systemRegisterEncoding(3, 3, 14, 0, 1)
        /// CNTVCT_EL0: the virtual count (physical count − CNTVOFF_EL2).
        public static let cntvctEL0 = systemRegisterEncoding(3, 3, 14, 0, 2)
        /// CNTKCTL_EL1: EL0 access controls and the event stream.
        public static let cntkctlEL1 = systemRegisterEncoding(3, 0, 14, 1, 0)
        /// CNTP_TVAL_EL0: the EL1 physical timer's 32-bit signed down-counter view.
        public static let cntpTvalEL0 = systemRegisterEncoding(3, 3, 14, 2, 0)
        /// CNTP_CTL_EL0: the EL1 physical timer's ENABLE, IMASK and ISTATUS.
        public static let cntpCtlEL0 = systemRegisterEncoding(3, 3, 14, 2, 1)
        /// CNTP_CVAL_EL0: the EL1 physical timer's 64-bit compare value.
        public static let cntpCvalEL0 = systemRegisterEncoding(3, 3, 14, 2, 2)
        /// CNTV_TVAL_EL0: the virtual timer's 32-bit signed down-counter view.
        public static let cntvTvalEL0 = systemRegisterEncoding(3, 3, 14, 3, 0)
        /// CNTV_CTL_EL0: the virtual timer's ENABLE, IMASK and ISTATUS.
        public static let cntvCtlEL0 = systemRegisterEncoding(3, 3, 14, 3, 1)
        /// CNTV_CVAL_EL0: the virtual timer's 64-bit compare value.
        public static let cntvCvalEL0 = systemRegisterEncoding(3, 3, 14, 3, 2)
    }

    /// The bits of CNTP_CTL_EL0 and CNTV_CTL_EL0.
    public struct Control: OptionSet, Sendable {
        public let rawValue: UInt64
        public init(rawValue: UInt64) { self.rawValue = rawValue }
        /// CNT*_CTL.ENABLE: the timer is enabled.
        public static let enable = Control(rawValue: 1 << 0)
        /// CNT*_CTL.IMASK: the timer's interrupt is masked (ISTATUS still reports the condition).
        public static let imask = Control(rawValue: 1 << 1)
        /// CNT*_CTL.ISTATUS: read-only, the timer condition is met while enabled.
        public static let istatus = Control(rawValue: 1 << 2)
        /// The bits software can write; ISTATUS and bits 63:3 ignore writes.
        public static let writable: Control = [.enable, .imask]
    }

    /// CNTKCTL_EL1 fields an ARMv8.0 core (Cortex-A53, Cortex-A72) implements, bits 9:0; the rest are RES0.
    static let kernelControlMask: UInt64 = 0x3FF

    /// The frequency of the system counter, which CNTFRQ_EL0 reports.
    public let counterHz: UInt64
    /// The number of cores, each with its own timers.
    public let cores: Int
    /// The PPI INTID each kind of timer drives (for example physical 30, virtual 27).
    public let ppis: [GenericTimerKind: Int]

    private let clock: ClockDomain
    private unowned let scheduler: DeviceEventScheduler
    private let interrupts: InterruptSink

    /// One timer's architectural state plus the bookkeeping for its wakeup and line.
    struct TimerState {
        var control: Control = []
        var compareValue: UInt64 = 0
        /// The scheduler token of the pending wakeup, if any.
        var pendingToken: UInt64?
        /// The level last driven on the PPI, so the line is only driven on a change.
        var line = false
    }

    /// Indexed by `core * kinds + kind.rawValue`.
    var timers: [TimerState]
    var kernelControls: [UInt64]
    private static let kinds = GenericTimerKind.allCases.count

    /// CNTVOFF_EL2. evlsim has no EL2, so the virtual count equals the physical count.
    private let virtualOffset: UInt64 = 0

    /// Creates the timers of `cores` cores in their reset state, counting at `counterHz`.
    ///
    /// `ppis` maps each timer to its PPI INTID; a timer without an entry has no line.
    /// The scheduler is held unowned: the machine owns both it and this timer.
    public init(cores: Int, counterHz: UInt64, scheduler: DeviceEventScheduler,
                interrupts: InterruptSink, ppis: [GenericTimerKind: Int]) {
        precondition(cores > 0, "a generic timer needs at least one core")
        precondition(ppis.values.allSatisfy { (16...31).contains($0) }, "timer PPIs are INTIDs 16...31")
        self.cores = cores
        self.counterHz = counterHz
        self.clock = ClockDomain(hertz: counterHz)
        self.scheduler = scheduler
        self.interrupts = interrupts
        self.ppis = ppis
        self.timers = Array(repeating: TimerState(), count: cores * Self.kinds)
        self.kernelControls = Array(repeating: 0, count: cores)
    }

    /// Returns every timer to its reset state: disabled, compare value 0, wakeups cancelled, lines low.
    ///
    /// CNT*_CTL.ENABLE resets to 0 architecturally; CVAL and the rest of CTL
    /// are architecturally UNKNOWN on reset, and evlsim picks 0 so runs are reproducible.
    public func reset() {
        for core in 0..<cores {
            kernelControls[core] = 0
            for kind in GenericTimerKind.allCases {
                let i = index(core, kind)
                if let token = timers[i].pendingToken { scheduler.cancel(token) }
                let wasHigh = timers[i].line
                timers[i] = TimerState()
                if wasHigh, let ppi = ppis[kind] { interrupts.setPPI(ppi, core: core, level: false) }
            }
        }
    }

    // MARK: The counter

    /// The physical count (CNTPCT_EL0) at `now`: whole ticks of the counter since time zero.
    public func counter(at now: SimTime) -> UInt64 {
        clock.ticks(at: now)
    }

    /// The earliest instant at which the physical count is at least `count`, or nil beyond `SimTime.max`.
    ///
    /// `ticks(at: t)` is floor(t · hz / 10¹²), so the answer is ceil(count · 10¹² / hz).
    /// CAUTION: `ClockDomain.time(ofTicks:)` truncates instead, which can be one
    /// picosecond early (at 54 MHz tick 1 starts at 18518.518… ps, and at
    /// 18518 ps the count is still 0); an event posted there would find the
    /// condition unmet.
    public func firstInstant(whenCounterReaches count: UInt64) -> SimTime? {
        let (hi, lo) = count.multipliedFullWidth(by: 1_000_000_000_000)
        guard hi < counterHz else { return nil }
        let (q, r) = counterHz.dividingFullWidth((hi, lo))
        if r == 0 { return SimTime(picoseconds: q) }
        return q == .max ? nil : SimTime(picoseconds: q + 1)
    }

    // MARK: Per-timer state, for the machine and for tests

    /// CNT*_CTL_EL0 of timer `kind` on core `core` as software reads it at `now`, ISTATUS included.
    public func control(core: Int, _ kind: GenericTimerKind, now: SimTime) -> Control {
        let t = timers[index(core, kind)]
        var c = t.control
        if conditionMet(t, kind, now: now) { c.insert(.istatus) }
        return c
    }

    /// CNT*_CVAL_EL0 of timer `kind` on core `core`.
    public func compareValue(core: Int, _ kind: GenericTimerKind) -> UInt64 {
        timers[index(core, kind)].compareValue
    }

    /// The level this device last drove on the PPI of timer `kind` on core `core`.
    public func lineLevel(core: Int, _ kind: GenericTimerKind) -> Bool {
        timers[index(core, kind)].line
    }

    /// CNTKCTL_EL1 of core `core`, whose EL0 access bits the CPU checks before EL0 reads the counter or timers.
    public func kernelControl(core: Int) -> UInt64 { kernelControls[core] }

    // MARK: SystemRegisterDevice

    public func readSystemRegister(_ encoding: UInt16, core: Int, now: SimTime) -> UInt64? {
        assert(core >= 0 && core < cores, "core index out of range")
        switch encoding {
        case Register.cntfrqEL0: return counterHz
        case Register.cntpctEL0: return counter(at: now)
        case Register.cntvctEL0: return counter(at: now) &- virtualOffset
        case Register.cntkctlEL1: return kernelControls[core]
        case Register.cntpCtlEL0: return control(core: core, .physical, now: now).rawValue
        case Register.cntvCtlEL0: return control(core: core, .virtual, now: now).rawValue
        case Register.cntpCvalEL0: return compareValue(core: core, .physical)
        case Register.cntvCvalEL0: return compareValue(core: core, .virtual)
        case Register.cntpTvalEL0: return timerValue(core: core, .physical, now: now)
        case Register.cntvTvalEL0: return timerValue(core: core, .virtual, now: now)
        default: return nil
        }
    }

    public func writeSystemRegister(_ encoding: UInt16, core: Int, value: UInt64, now: SimTime) -> Bool {
        assert(core >= 0 && core < cores, "core index out of range")
        switch encoding {
        case Register.cntfrqEL0:
            // Writable only at the highest implemented EL (firmware); evlsim
            // reports the board's frequency and ignores the write.
            return true
        case Register.cntpctEL0, Register.cntvctEL0:
            return true     // read-only; the CPU decides whether the MSR is UNDEFINED
        case Register.cntkctlEL1:
            kernelControls[core] = value & Self.kernelControlMask
        case Register.cntpCtlEL0: setControl(core: core, .physical, value, now: now)
        case Register.cntvCtlEL0: setControl(core: core, .virtual, value, now: now)
        case Register.cntpCvalEL0: setCompareValue(core: core, .physical, value, now: now)
        case Register.cntvCvalEL0: setCompareValue(core: core, .virtual, value, now: now)
        case Register.cntpTvalEL0: setTimerValue(core: core, .physical, value, now: now)
        case Register.cntvTvalEL0: setTimerValue(core: core, .virtual, value, now: now)
        default: return false
        }
        return true
    }

    // MARK: Events

    /// Handles a wakeup this timer scheduled, now due: re-evaluates that timer's line.
    ///
    /// - Precondition: `now` is at or after the time the event was scheduled for.
    public func fire(_ event: DeviceEvent, now: SimTime) {
        switch event {
        case .timer(let core, let kind):
            timers[index(core, kind)].pendingToken = nil
            update(core: core, kind, now: now)
        }
    }

    // MARK: Internals

    @inline(__always) private func index(_ core: Int, _ kind: GenericTimerKind) -> Int {
        core * Self.kinds + kind.rawValue
    }

    /// The count timer `kind` compares against: virtual timers see the virtual count.
    private func count(_ kind: GenericTimerKind, now: SimTime) -> UInt64 {
        kind == .virtual ? counter(at: now) &- virtualOffset : counter(at: now)
    }

    /// ISTATUS: enabled and the count has reached CVAL (an unsigned 64-bit comparison).
    private func conditionMet(_ t: TimerState, _ kind: GenericTimerKind, now: SimTime) -> Bool {
        t.control.contains(.enable) && count(kind, now: now) >= t.compareValue
    }

    /// TVAL reads (CVAL − count)[31:0]; bits 63:32 are RES0, so the signed value comes back zero-extended.
    private func timerValue(core: Int, _ kind: GenericTimerKind, now: SimTime) -> UInt64 {
        (timers[index(core, kind)].compareValue &- count(kind, now: now)) & 0xFFFF_FFFF
    }

    private func setControl(core: Int, _ kind: GenericTimerKind, _ value: UInt64, now: SimTime) {
        timers[index(core, kind)].control = Control(rawValue: value).intersection(.writable)
        update(core: core, kind, now: now)
    }

    private func setCompareValue(core: Int, _ kind: GenericTimerKind, _ value: UInt64, now: SimTime) {
        timers[index(core, kind)].compareValue = value
        update(core: core, kind, now: now)
    }

    /// TVAL writes set CVAL = count + SignExtend(value[31:0]).
    private func setTimerValue(core: Int, _ kind: GenericTimerKind, _ value: UInt64, now: SimTime) {
        let delta = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: value)))
        setCompareValue(core: core, kind, count(kind, now: now) &+ delta, now: now)
    }

    /// Drives the timer's line to ENABLE && ISTATUS && !IMASK and replaces its pending wakeup.
    ///
    /// Only an enabled, unmasked timer whose condition is not yet met needs a
    /// wakeup: a masked timer's line cannot rise, and ISTATUS is computed on read.
    /// Once met, the condition stays met (the count only grows) until software
    /// changes CTL or CVAL, which calls this again.
    private func update(core: Int, _ kind: GenericTimerKind, now: SimTime) {
        let i = index(core, kind)
        if let token = timers[i].pendingToken {
            scheduler.cancel(token)
            timers[i].pendingToken = nil
        }
        let t = timers[i]
        let met = conditionMet(t, kind, now: now)
        let level = met && !t.control.contains(.imask)
        if level != t.line {
            timers[i].line = level
            if let ppi = ppis[kind] { interrupts.setPPI(ppi, core: core, level: level) }
        }
        guard t.control.contains(.enable), !t.control.contains(.imask), !met else { return }
        // The physical count at which the condition becomes true.
        let target = kind == .virtual ? t.compareValue &+ virtualOffset : t.compareValue
        if let when = firstInstant(whenCounterReaches: target) {
            timers[i].pendingToken = scheduler.schedule(.timer(core: core, timer: kind), at: when)
        }
    }
}
