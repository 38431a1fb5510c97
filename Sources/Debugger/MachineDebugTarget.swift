import AArch64
import Board
import GDBStub
import Memory
import SimCore

/// A whole board as gdb sees it through the stub: each core a thread, memory through the
/// selected core's current translation, breakpoints and watchpoints on every core, and
/// execution in both directions.
///
/// The debugger never perturbs the machine's schedule: stepping core N runs the board as it
/// would run anyway until core N has retired one more instruction, so every state gdb sees
/// lies on the one deterministic execution, and going back (restore the latest checkpoint,
/// re-execute) reaches exactly the state that was there.
public final class MachineDebugTarget: GDBTarget {
    public let machine: Machine
    let console: ReplayConsole
    /// Where the run ends (`--duration`), if anywhere.
    let end: SimTime?
    private var history: ExecutionHistory<(state: [UInt8], console: Int, retired: [UInt64])>
    private var table = BreakpointTable()
    /// How the run ended, once it has.
    private var ending: MachineExit?
    public var writeSnapshot: ((String) throws -> Void)?
    static let chunk: UInt64 = 1 << 20

    public init(machine: Machine, console: ReplayConsole, end: SimTime?, checkpointInterval: UInt64 = 1 << 22) {
        self.machine = machine
        self.console = console
        self.end = end
        history = ExecutionHistory(interval: checkpointInterval)
        checkpoint()
    }

    /// The position on the execution: instructions retired by all cores together (the cores
    /// run one after another within a quantum, so this orders every retirement).
    private var position: UInt64 { machine.cores.reduce(0) { $0 + $1.retired } }

    private func checkpoint() {
        guard machine.isBetweenQuanta else { return }
        var w = SnapshotWriter()
        machine.save(to: &w)
        history.record(position, (w.bytes, console.written, machine.cores.map(\.retired)))
    }

    private func restore(_ c: ExecutionHistory<(state: [UInt8], console: Int, retired: [UInt64])>.Checkpoint) {
        var r = SnapshotReader(c.state.state)
        do { try machine.restore(from: &r) } catch { preconditionFailure("checkpoint restore failed: \(error)") }
        console.written = c.state.console
        ending = nil
        applyWatches()
        applyBreakpoints(true)
    }

    private func core(_ thread: Int) -> AArch64CPU? {
        machine.cores.indices.contains(thread - 1) ? machine.cores[thread - 1] : nil
    }

    // MARK: GDBTarget: threads, registers, memory

    public var threadIDs: [Int] { Array(1...machine.cores.count) }

    public func threadDescription(_ thread: Int) -> String {
        guard let c = core(thread) else { return "" }
        return "core \(thread - 1) (EL\(c.system!.el), \(machine.states[thread - 1].rawValue))"
    }

    public func targetDescription(annex: String) -> String? {
        AArch64TargetDescription.xml(annex: annex, systemRegisters: AArch64RegisterFile.systemRegisterNames)
    }

    public func readRegisters(thread: Int) -> [UInt8]? {
        core(thread).map { AArch64RegisterFile.read($0, cpsr: $0.system!.pstate(nzcv: $0.nzcv)) + AArch64RegisterFile.systemRegisterBytes($0) }
    }

    /// The core and FP/SIMD part is written; the EL1 part must come back unchanged (read-only).
    public func writeRegisters(thread: Int, _ bytes: [UInt8]) -> Bool {
        guard let c = core(thread) else { return false }
        let system = AArch64RegisterFile.systemRegisterBytes(c)
        guard bytes.count > system.count, Array(bytes.suffix(system.count)) == system,
              AArch64RegisterFile.write(c, Array(bytes.dropLast(system.count))) else { return false }
        timelineChanged()
        return true
    }

    public func readRegister(thread: Int, number: Int) -> [UInt8]? {
        guard let c = core(thread) else { return nil }
        return AArch64RegisterFile.read(c, number: number, cpsr: c.system!.pstate(nzcv: c.nzcv))
            ?? AArch64RegisterFile.systemRegister(c, number: number)
    }

    public func writeRegister(thread: Int, number: Int, _ bytes: [UInt8]) -> Bool {
        guard let c = core(thread), AArch64RegisterFile.write(c, number: number, bytes) else { return false }
        timelineChanged()
        return true
    }

    public func readMemory(thread: Int, address: UInt64, length: Int) -> [UInt8]? {
        core(thread)?.system!.mmu.debugRead(address, count: length)
    }

    public func writeMemory(thread: Int, address: UInt64, _ bytes: [UInt8]) -> Bool {
        guard let c = core(thread), c.system!.mmu.debugWrite(address, bytes) else { return false }
        timelineChanged()
        return true
    }

    private func timelineChanged() {
        ending = nil
        history.forget(from: position)
        checkpoint() // when it can: a board inside a quantum keeps only the checkpoints before
    }

    // MARK: Breakpoints and watchpoints

    public func insertBreakpoint(_ kind: GDBBreakpointKind, address: UInt64, length: Int) -> Bool {
        guard table.insert(kind, address: address, length: length) else { return false }
        applyBreakpoints(true); applyWatches()
        return true
    }

    public func removeBreakpoint(_ kind: GDBBreakpointKind, address: UInt64, length: Int) -> Bool {
        guard table.remove(kind, address: address, length: length) else { return false }
        applyBreakpoints(true); applyWatches()
        return true
    }

    private func applyBreakpoints(_ on: Bool, except: (core: Int, pc: UInt64)? = nil) {
        let all = on ? table.addresses : []
        for (i, c) in machine.cores.enumerated() {
            var set = all
            if let except, except.core == i { set.remove(except.pc) }
            c.setDebuggerBreakpoints(set)
        }
    }

    private func applyWatches(suspended: Bool = false) {
        let list = table.watchpoints
        for c in machine.cores {
            c.port.watchpoints = list
            c.port.watchpointsSuspended = suspended
        }
    }

    // MARK: Running

    /// Host seconds the last resume took (`monitor stats`: what a reverse step costs).
    private var lastResume = 0.0

    public func resume(_ action: GDBResumeAction, thread: Int?, interrupted: () -> Bool) -> GDBStopEvent {
        let started = hostSeconds()
        defer { lastResume = hostSeconds() - started }
        let t = thread.flatMap { core($0) == nil ? nil : $0 } ?? 1
        switch action {
        case .step: return step(t)
        case .continue: return forward(t, interrupted: interrupted)
        case .reverseStep: return reverseStep(t)
        case .reverseContinue: return reverseContinue(t, interrupted: interrupted)
        }
    }

    /// Runs the board quantum by quantum, checkpointing between quanta, until core `stop.core`
    /// reaches `stop.retired` instructions, a breakpoint or watchpoint fires (when `stopping`),
    /// the run ends, or the position reaches `limit` (then `.paused`).
    @discardableResult
    private func run(until stop: (core: Int, retired: UInt64)? = nil, stopping: Bool, limit: UInt64 = .max) -> MachineExit {
        applyBreakpoints(stopping)
        applyWatches(suspended: !stopping)
        machine.debugStopsEnabled = stopping
        machine.debugStopAt = stop
        defer { machine.debugStopsEnabled = true; applyWatches(); applyBreakpoints(true) }
        while position < limit {
            // One quantum per call: control comes back between quanta for checkpoints.
            let exit = machine.run(until: end, pause: machine.now + SimTime(picoseconds: 1))
            if exit != .paused {
                if exit != .debugger { ending = exit }
                return exit
            }
            if history.due(at: position) { checkpoint() }
        }
        return .paused
    }

    /// One instruction of core `t` (the board runs on as it would meanwhile), stepping over a
    /// breakpoint or watchpoint at its PC.
    private func stepOver(_ t: Int) -> MachineExit {
        let c = machine.cores[t - 1]
        applyBreakpoints(true, except: (t - 1, c.pc))
        c.port.watchpointsSuspended = true
        machine.debugStopAt = (t - 1, c.retired + 1)
        let exit = machine.run(until: end)
        c.port.watchpointsSuspended = false
        applyBreakpoints(true)
        if exit != .debugger { ending = exit }
        return exit
    }

    private func step(_ t: Int) -> GDBStopEvent {
        if let ending { return ended(ending) }
        return report(stepOver(t))
    }

    private func forward(_ t: Int, interrupted: () -> Bool) -> GDBStopEvent {
        if let ending { return ended(ending) }
        let first = stepOver(t)
        if !reached(first) { return report(first) }
        while true {
            let exit = run(stopping: true, limit: position + Self.chunk)
            if exit != .paused { return report(exit) }
            if interrupted() { return .signal(thread: t, signal: 2) }
        }
    }

    private func reached(_ exit: MachineExit) -> Bool {
        exit == .debugger && machine.debugEvent?.stop == .limit
    }

    private func report(_ exit: MachineExit) -> GDBStopEvent {
        guard exit == .debugger, let event = machine.debugEvent else { return ended(exit) }
        let thread = event.core + 1
        switch event.stop {
        case .debuggerBreakpoint:
            return table.breakpointEvent(thread: thread, pc: machine.cores[event.core].pc)
        case .dataAbort(let f) where f.kind == .watchpoint:
            return table.watchEvent(thread: thread, address: f.address, isWrite: f.isWrite)
        default:
            return .signal(thread: thread, signal: 5)
        }
    }

    private func ended(_ exit: MachineExit) -> GDBStopEvent {
        switch exit {
        case .systemOff, .timeLimit: return .exited(code: 0)
        case .systemReset: return .exited(code: 0)
        default: return .terminated(signal: 6) // deadlock, an unsupported feature, an exception loop
        }
    }

    // MARK: Backwards

    private func reverseStep(_ t: Int) -> GDBStopEvent {
        let c = machine.cores[t - 1]
        guard c.retired > 0 else { return .historyEnd(thread: t, begin: true) }
        goBack(core: t - 1, to: c.retired - 1)
        return .signal(thread: t, signal: 5)
    }

    /// Goes back to where core `i` had retired `target` instructions (the moment it reached the
    /// count, or its next turn when it reached it at a quantum's end, as a forward stop would):
    /// restores the latest checkpoint before that and re-executes.
    private func goBack(core i: Int, to target: UInt64) {
        guard let cp = history.checkpoints.last(where: { $0.state.retired[i] <= target }) else { return }
        restore(cp)
        run(until: (i, target), stopping: false)
    }

    /// Back to the latest breakpoint or watchpoint hit (by any core) before the present: the
    /// intervals between checkpoints, newest first, are re-executed with stops armed.
    private func reverseContinue(_ t: Int, interrupted: () -> Bool) -> GDBStopEvent {
        var end = position
        while let cp = history.latest(before: end) {
            restore(cp)
            var hits: [(core: Int, retired: UInt64, event: GDBStopEvent)] = []
            while true {
                let exit = run(stopping: true, limit: end)
                guard exit == .debugger, let e = machine.debugEvent, e.stop != .limit, position < end else { break }
                hits.append((e.core, machine.cores[e.core].retired, report(exit)))
                if !reached(stepOver(e.core + 1)) || interrupted() { break }
            }
            if let last = hits.last {
                goBack(core: last.core, to: last.retired)
                return last.event
            }
            end = cp.position
            if interrupted() { return .signal(thread: t, signal: 2) }
        }
        goBack(core: t - 1, to: 0)
        return .historyEnd(thread: t, begin: true)
    }

    // MARK: Before and after a client

    /// Whether the run has ended (a client leaving then has nothing to leave paused).
    public var hasEnded: Bool { ending != nil }

    /// Runs forward (checkpointing) until `clientArrived()` or the run ends; nil if a client came first.
    public func run(until clientArrived: () -> Bool) -> MachineExit? {
        while ending == nil {
            if clientArrived() { return nil }
            run(stopping: false, limit: position + Self.chunk)
        }
        return ending
    }

    /// Lets the board run to its end with no debugger stops (after a detach).
    public func finish() -> MachineExit {
        if let ending { return ending }
        table.removeAll()
        applyBreakpoints(false); applyWatches()
        machine.debugStopAt = nil
        let exit = machine.run(until: end)
        ending = exit
        return exit
    }

    // MARK: Monitor

    public func monitor(_ command: String) -> String? {
        MonitorCommands(
            time: { "simulated time \(self.machine.now)\n" },
            icount: {
                self.machine.cores.enumerated().map { "core \($0.offset): \($0.element.retired) instructions" }.joined(separator: "\n") + "\n"
            },
            stats: {
                var s = ""
                for (i, st) in self.machine.collectStatistics().enumerated() {
                    s += "core \(i): instructions \(st.instructions) cycles \(st.cycles) exceptions \(st.exceptions) interrupts \(st.interrupts) state \(self.machine.states[i].rawValue)\n"
                }
                return s + "events fired \(self.machine.eventsFired)\ncheckpoints \(self.history.checkpoints.count)\n"
                    + String(format: "last resume %.3f s\n", self.lastResume)
            },
            writeSnapshot: writeSnapshot,
            snapshotRefusal: { self.machine.isBetweenQuanta ? nil : "the machine is inside a scheduling quantum; continue or step to its end first\n" },
            now: { "\(self.machine.now)" }).answer(command)
    }
}

/// UART output of a machine a debugger can take back in time: bytes already shown are not
/// shown again when re-execution produces them a second time.
public final class ReplayConsole {
    private let sink: (UInt8) -> Void
    /// Bytes produced on the current timeline, and the most ever passed on.
    var written = 0
    private var emitted = 0

    public init(sink: @escaping (UInt8) -> Void) { self.sink = sink }

    public func append(_ byte: UInt8) {
        written += 1
        if written > emitted { sink(byte); emitted = written }
    }
}
