import SimCore

// The contracts between devices, the interrupt controller and the machine.
// Devices never call a CPU directly: they drive interrupt lines, answer MMIO
// and system-register accesses, and ask the machine's event queue for wakeups.

/// The input side of an interrupt controller: devices drive their lines here.
///
/// Lines are levels. An edge-triggered interrupt latches pending on a rising
/// edge, so a device that "pulses" calls `level: true` then `level: false`.
public protocol InterruptSink: AnyObject {
    /// Sets the level of shared peripheral interrupt `intid` (32 and up).
    func setSPI(_ intid: Int, level: Bool)
    /// Sets the level of private peripheral interrupt `intid` (16–31) of core `core`.
    func setPPI(_ intid: Int, core: Int, level: Bool)
}

/// The output side of an interrupt controller: what each core's IRQ and FIQ inputs see.
public protocol InterruptSignals: AnyObject {
    /// Whether core `core`'s IRQ input is asserted (a pending interrupt beats its running priority and mask).
    func irqAsserted(core: Int) -> Bool
    /// Whether core `core`'s FIQ input is asserted.
    func fiqAsserted(core: Int) -> Bool
    /// Called with the core index whenever that core's IRQ or FIQ input may have changed.
    var signalsChanged: ((Int) -> Void)? { get set }
}

/// A device reached through system registers (MRS/MSR) rather than MMIO: the
/// GICv3 CPU interface and the generic timer.
///
/// `encoding` packs the register's op0:op1:CRn:CRm:op2 as
/// `op0 << 14 | op1 << 11 | CRn << 7 | CRm << 3 | op2`, as `SystemRegisterEncoding` does.
public protocol SystemRegisterDevice: AnyObject {
    /// The value of register `encoding` as core `core` reads it at `now`; nil when the register is not this device's.
    func readSystemRegister(_ encoding: UInt16, core: Int, now: SimTime) -> UInt64?
    /// Writes register `encoding` for core `core` at `now`; false when the register is not this device's.
    func writeSystemRegister(_ encoding: UInt16, core: Int, value: UInt64, now: SimTime) -> Bool
}

/// Packs a system register's op0, op1, CRn, CRm and op2 the way `SystemRegisterDevice` expects.
@inlinable public func systemRegisterEncoding(_ op0: UInt16, _ op1: UInt16, _ crn: UInt16, _ crm: UInt16, _ op2: UInt16) -> UInt16 {
    op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2
}

/// A wakeup a device asked for. An enum rather than a closure, so that the
/// machine's event queue holds only plain values (snapshots can save it).
public enum DeviceEvent: Hashable, Sendable {
    /// Generic timer `timer` of core `core` reaches its compare value.
    case timer(core: Int, timer: GenericTimerKind)
}

/// The four timers of the ARM generic timer that a core at EL1 and below can see.
public enum GenericTimerKind: Int, Hashable, Sendable, CaseIterable {
    /// CNTP_*_EL0, the EL1 physical timer.
    case physical
    /// CNTV_*_EL0, the virtual timer.
    case virtual
    /// CNTHP_*_EL2, the EL2 physical timer (its PPI exists even when EL2 does not run).
    case hypervisor
    /// CNTPS_*_EL1, the secure physical timer.
    case securePhysical
}

/// The machine's event queue as devices see it.
public protocol DeviceEventScheduler: AnyObject {
    /// Schedules `event` at `time`; returns a token for `cancel`.
    func schedule(_ event: DeviceEvent, at time: SimTime) -> UInt64
    /// Cancels an event scheduled earlier; cancelling one that already fired does nothing.
    func cancel(_ token: UInt64)
}
