import AArch64
import Devices
import Memory
import SimCore

/// Why a machine run ended.
public enum MachineExit: Equatable, Sendable {
    /// PSCI SYSTEM_OFF.
    case systemOff
    /// PSCI SYSTEM_RESET (the run ends; evlsim does not reboot the image).
    case systemReset
    /// The requested simulated duration elapsed.
    case timeLimit
    /// Every core is off or waiting, and no event is scheduled that could wake one.
    case deadlock
    /// The run reached the pause time asked for (a snapshot point); `run` can carry on from here
    /// exactly as if it had not stopped.
    case paused
    /// A debugger's stop (`Machine.debugEvent` says which); `run` carries on from the middle of
    /// the quantum exactly where it stopped.
    case debugger
    /// The guest used something the model does not implement (named in the text).
    case unsupported(String)
    /// A core keeps taking exceptions without retiring an instruction (typically a fault in the
    /// exception vectors themselves, or no vectors at all); the last one is described.
    case exceptionLoop(core: Int, pc: UInt64, esr: UInt64, far: UInt64)
}

/// The run state of one core, as the scheduler sees it.
public enum CoreRunState: String, Sendable {
    case running, waitingForInterrupt, waitingForEvent, off
}

/// Counters of one core.
public struct CoreStatistics: Sendable, Equatable {
    public var instructions: UInt64 = 0
    public var cycles: UInt64 = 0
    public var idleCycles: UInt64 = 0
    public var exceptions: UInt64 = 0
    public var interrupts: UInt64 = 0
    public var waits: UInt64 = 0
    public var deviceAccesses: UInt64 = 0
    public var tlbWalks: UInt64 = 0
    public var tlbHits: UInt64 = 0
}

/// A simulated board: cores, RAM, devices and the event queue, run in quanta.
///
/// Each core runs until the earlier of the quantum's end and the next due
/// event, then the next core runs (DESIGN.md, "The run loop"). Events fire
/// between quanta at their exact times; a core waiting in WFI or WFE does not
/// step, and when every core waits the clock jumps to the next event.
public final class Machine {
    public let cores: [AArch64CPU]
    public let bus: PhysicalBus
    public let interrupts: InterruptSignals
    public let quantum: SimTime
    public let psciConduit: PSCI.Conduit
    public internal(set) var now = SimTime(picoseconds: 0)
    public internal(set) var states: [CoreRunState]
    public internal(set) var statistics: [CoreStatistics]
    /// Events fired (statistics).
    public internal(set) var eventsFired: UInt64 = 0
    let scheduler: MachineScheduler
    /// The devices whose state a snapshot holds, in a fixed order (the interrupt controller, the
    /// generic timer, the UARTs).
    var snapshotDevices: [Snapshotting] = []
    /// Delivers a due device event (the generic timer's `fire`).
    var deliver: (DeviceEvent, SimTime) -> Void = { _, _ in }
    /// The UARTs, for input.
    var uarts: [UARTDevice] = []
    /// Bytes waiting to enter each UART's receive FIFO.
    var pendingInput: [Int: [UInt8]] = [:]

    init(cores: [AArch64CPU], bus: PhysicalBus, interrupts: InterruptSignals, quantum: SimTime,
         psciConduit: PSCI.Conduit, scheduler: MachineScheduler) {
        self.cores = cores
        self.bus = bus
        self.interrupts = interrupts
        self.quantum = quantum
        self.psciConduit = psciConduit
        self.scheduler = scheduler
        states = cores.indices.map { $0 == 0 ? .running : .off }
        statistics = Array(repeating: CoreStatistics(), count: cores.count)
        for (i, c) in cores.enumerated() {
            c.system!.interruptLines = { [unowned interrupts] in
                (interrupts.irqAsserted(core: i), interrupts.fiqAsserted(core: i))
            }
            c.system!.broadcastTLBI = { [unowned self] op in
                for other in self.cores { other.translationsInvalidated(op) }
            }
        }
    }

    /// Starts core 0 at `entry` in EL1h (the other cores wait for PSCI CPU_ON).
    public func reset(entry: UInt64) {
        cores[0].pc = entry
    }

    // MARK: Running

    /// Runs until the guest powers off, `duration` of simulated time passes, or nothing can happen any more.
    public func run(for duration: SimTime? = nil) -> MachineExit {
        run(until: duration.map { now + $0 })
    }

    /// Runs until the guest powers off, simulated time reaches `end`, or nothing can happen any
    /// more; or pauses at the first quantum boundary at or after `pause`. Quanta are cut the
    /// same way whether or not a run pauses, so a paused run (or one restored from a snapshot
    /// taken there) continues exactly as an uninterrupted one.
    public func run(until end: SimTime?, pause: SimTime? = nil) -> MachineExit {
        debugEvent = nil
        while true {
            if let (target, next) = quantumInProgress {
                // Run the quantum's cores in turn; a debugger's stop leaves it half done, and
                // the next call carries on with the core it stopped in.
                for i in next..<cores.count {
                    quantumInProgress = (target, i)
                    runCore(i, until: target)
                    if debugEvent != nil { return .debugger }
                    if pendingExit != nil { break }
                }
                quantumInProgress = nil
                if let exit = pendingExit { return exit }
                now = target
                continue
            }
            if let pause, now >= pause { return .paused }
            fireDueEvents()
            if let exit = pendingExit { return exit }
            if let end, now >= end { return .timeLimit }
            var target = now + quantum
            if let next = scheduler.queue.nextTime, next < target { target = next }
            if let end, end < target { target = end }
            if allIdle() {
                // Nothing runs until the next event: skip straight to it.
                guard let next = scheduler.queue.nextTime else { return end == nil ? .deadlock : idleUntil(end!) }
                target = end.map { min($0, next) } ?? next
                advanceIdle(to: target)
                now = target
                continue
            }
            quantumInProgress = (target, 0)
        }
    }

    /// A quantum a debugger's stop interrupted: its end, and the core to run next.
    var quantumInProgress: (target: SimTime, next: Int)?
    /// Whether the machine stands between quanta (where snapshots and checkpoints are taken).
    public var isBetweenQuanta: Bool { quantumInProgress == nil }

    /// What a debugger wants the run to stop at: core `core` reaching `retired` instructions
    /// (it stops as soon as it has, or when it is next scheduled with that count).
    public var debugStopAt: (core: Int, retired: UInt64)?
    /// Whether breakpoint and watchpoint stops end the run (off while a debugger re-executes).
    public var debugStopsEnabled = true
    /// Why the last `run` returned `.debugger`: the core, and its stop (a breakpoint, a watchpoint
    /// abort, or `.limit` for `debugStopAt`), with that core's instruction not run.
    public private(set) var debugEvent: (core: Int, stop: StopReason)?

    var pendingExit: MachineExit?
    // Exception-loop detection: exceptions taken with no instruction retired in between.
    lazy var lastRetired = [UInt64](repeating: 0, count: cores.count)
    lazy var lastExceptions = [UInt64](repeating: 0, count: cores.count)
    lazy var exceptionStreak = [Int](repeating: 0, count: cores.count)

    /// Copies an image segment into RAM at physical address `pa`, zero-filling up to `memorySize`.
    public func load(_ bytes: [UInt8], at pa: UInt64, memorySize: UInt64? = nil) throws {
        let total = Int(memorySize ?? UInt64(bytes.count))
        var padded = bytes
        if padded.count < total { padded += [UInt8](repeating: 0, count: total - padded.count) }
        let ok = padded.withUnsafeBytes { bus.write(pa, bytes: $0) }
        guard ok else { throw LoadError.outsideRAM(address: pa, size: UInt64(total)) }
    }

    /// An image that does not fit the board's RAM.
    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case outsideRAM(address: UInt64, size: UInt64)
        public var description: String {
            switch self {
            case .outsideRAM(let a, let n):
                return "image segment at 0x\(String(a, radix: 16)) (\(n) bytes) does not lie in the board's RAM"
            }
        }
    }

    private func idleUntil(_ end: SimTime) -> MachineExit {
        advanceIdle(to: end)
        now = end
        return .timeLimit
    }

    private func fireDueEvents() {
        if !pendingInput.isEmpty { feedPendingInput() }
        while let e = scheduler.queue.popDue(atOrBefore: now) {
            eventsFired += 1
            deliver(e.payload, e.time)
        }
    }

    private func feedPendingInput() {
        for (index, bytes) in pendingInput where index < uarts.count {
            let taken = uarts[index].receive(bytes)
            let rest = Array(bytes.dropFirst(taken))
            pendingInput[index] = rest.isEmpty ? nil : rest
        }
    }

    /// Whether no core can make progress before the next event.
    private func allIdle() -> Bool {
        for i in cores.indices where canRun(i) { return false }
        return true
    }

    /// Whether core `i` has work now: it runs, or what it waits for has happened.
    private func canRun(_ i: Int) -> Bool {
        switch states[i] {
        case .running: return true
        case .off: return false
        case .waitingForInterrupt:
            return interrupts.irqAsserted(core: i) || interrupts.fiqAsserted(core: i)
        case .waitingForEvent:
            return cores[i].system!.eventRegister || interrupts.irqAsserted(core: i) || interrupts.fiqAsserted(core: i)
                || cores[i].exclusiveMonitorLost()
        }
    }

    private func advanceIdle(to t: SimTime) {
        for i in cores.indices { idle(i, until: cores[i].info.clock.ticks(at: t)) }
    }

    /// Core `i` waited (or was off) until its cycle `target`: its clock moves there and the
    /// time counts as idle.
    private func idle(_ i: Int, until target: UInt64) {
        let c = cores[i]
        guard c.cycles < target else { return }
        statistics[i].idleCycles &+= target - c.cycles
        c.cycles = target
    }

    private func runCore(_ i: Int, until t: SimTime) {
        let c = cores[i]
        let targetCycles = c.info.clock.ticks(at: t)
        while c.cycles < targetCycles {
            var budget = targetCycles - c.cycles
            if let s = debugStopAt, s.core == i {
                if c.retired >= s.retired { debugEvent = (i, .limit); return }
                budget = min(budget, s.retired - c.retired)
            }
            if states[i] != .running {
                guard canRun(i) else {
                    idle(i, until: targetCycles)
                    return
                }
                if states[i] == .waitingForEvent { c.system!.eventRegister = false }
                states[i] = .running
            }
            if c.takeInterruptIfUnmasked(irq: interrupts.irqAsserted(core: i), fiq: interrupts.fiqAsserted(core: i)) {
                statistics[i].interrupts &+= 1
            }
            // With a timing model the slice ends on the model's clock; the instruction budget is only a bound.
            c.timing?.deadline = targetCycles
            let stop = c.run(limit: budget)
            if debugStopsEnabled {
                if stop == .debuggerBreakpoint { debugEvent = (i, stop); return }
                if case .dataAbort(let f) = stop, f.kind == .watchpoint { debugEvent = (i, stop); return }
            } else if stop == .debuggerBreakpoint {
                continue // cannot happen: breakpoints are lifted while stops are off
            }
            if stop != .limit && c.retired == lastRetired[i] && c.system!.exceptionsTaken != lastExceptions[i] {
                exceptionStreak[i] += 1
                if exceptionStreak[i] >= 64 {
                    pendingExit = .exceptionLoop(core: i, pc: c.system!.elr, esr: c.system!.esr, far: c.system!.far)
                    return
                }
            } else if c.retired != lastRetired[i] {
                exceptionStreak[i] = 0
            }
            lastRetired[i] = c.retired
            lastExceptions[i] = c.system!.exceptionsTaken
            if case .dataAbort(let f) = stop, f.kind == .device { statistics[i].deviceAccesses &+= 1 }
            switch c.handle(stop) {
            case .proceed:
                break
            case .waitForInterrupt:
                statistics[i].waits &+= 1
                states[i] = .waitingForInterrupt
            case .waitForEvent:
                statistics[i].waits &+= 1
                states[i] = .waitingForEvent
            case .sendEvent:
                for other in cores { other.system!.eventRegister = true }
            case .hypervisorCall:
                if psciConduit == .hvc { firmwareCall(from: i) } else { c.undefinedCall() }
            case .secureMonitorCall:
                if psciConduit == .smc { firmwareCall(from: i) } else { c.undefinedCall() }
            }
            if let reason = c.system!.mmu.unsupported { pendingExit = .unsupported(reason); return }
            if pendingExit != nil || states[i] == .off { return }
        }
    }

    // MARK: PSCI

    private func firmwareCall(from i: Int) {
        let c = cores[i]
        guard let fn = PSCI.Function(rawValue: c[x: 0] & (c[x: 0] >> 30 & 1 == 1 ? ~0 : 0xFFFF_FFFF)) else {
            c.undefinedCall() // not a PSCI function: the call is an ordinary HVC/SMC, UNDEFINED without EL2/EL3
            return
        }
        let result: Int64
        switch fn {
        case .version: result = PSCI.versionValue
        case .cpuSuspend32, .cpuSuspend64:
            // Standby: behave as WFI, as QEMU does; a powerdown state would also return here after wakeup.
            states[i] = .waitingForInterrupt
            statistics[i].waits &+= 1
            result = PSCI.success
        case .cpuOff:
            states[i] = .off
            return
        case .cpuOn32, .cpuOn64:
            result = powerOn(mpidr: c[x: 1], entry: c[x: 2], context: c[x: 3], at: c.now)
        case .affinityInfo32, .affinityInfo64:
            if c[x: 2] != 0 { result = PSCI.invalidParameters }
            else if let t = core(withAffinity: c[x: 1]) { result = states[t] == .off ? 1 : 0 }
            else { result = PSCI.invalidParameters }
        case .migrateInfoType: result = 2 // no Trusted OS to migrate
        case .systemOff: pendingExit = .systemOff; return
        case .systemReset: pendingExit = .systemReset; return
        case .features:
            result = PSCI.Function(rawValue: c[x: 1]) != nil ? PSCI.success : PSCI.notSupported
        }
        c[x: 0] = UInt64(bitPattern: result)
    }

    private func core(withAffinity mpidr: UInt64) -> Int? {
        let affinity = mpidr & 0xFF_00FF_FFFF
        return cores.firstIndex { $0.system!.identity.mpidr & 0xFF_00FF_FFFF == affinity }
    }

    private func powerOn(mpidr: UInt64, entry: UInt64, context: UInt64, at time: SimTime) -> Int64 {
        guard let t = core(withAffinity: mpidr) else { return PSCI.invalidParameters }
        guard states[t] == .off else { return PSCI.alreadyOn }
        let c = cores[t]
        c.powerOnReset(entry: entry, context: context)
        idle(t, until: c.info.clock.ticks(at: time))
        states[t] = .running
        return PSCI.success
    }

    /// The instruction word at virtual address `pc` as core `core` would fetch it now, if it can.
    public func instructionWord(core: Int, at pc: UInt64) -> UInt32? {
        let mmu = cores[core].system!.mmu
        guard case .success(let t) = mmu.translate(pc, .execute, el: 1), let p = bus.ram(t.physical) else { return nil }
        return p.load(as: UInt32.self)
    }

    /// The statistics with the cores' own counters folded in.
    public func collectStatistics() -> [CoreStatistics] {
        var out = statistics
        for (i, c) in cores.enumerated() {
            out[i].instructions = c.retired
            out[i].cycles = c.cycles
            out[i].exceptions = c.system!.exceptionsTaken
            out[i].tlbHits = c.system!.mmu.archTLB.hits
            out[i].tlbWalks = c.system!.mmu.archTLB.misses
        }
        return out
    }
}

/// The machine's event queue behind the devices' scheduling interface.
final class MachineScheduler: DeviceEventScheduler {
    var queue = EventQueue<DeviceEvent>()
    func schedule(_ event: DeviceEvent, at time: SimTime) -> UInt64 { queue.schedule(event, at: time) }
    func cancel(_ token: UInt64) { queue.cancel(token) }
}
