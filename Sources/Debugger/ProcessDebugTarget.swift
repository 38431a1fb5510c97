import AArch64
import GDBStub
import Guest
import Memory
import SimCore

/// A user-mode process as gdb sees it through the stub: one thread, its registers and memory,
/// breakpoints and watchpoints, and execution in both directions.
///
/// Going backwards never undoes anything: it restores the latest checkpoint before the target
/// and re-executes forward to it, which lands on the very same state because every run is
/// deterministic. Checkpoints are taken as the program runs forward (`ExecutionHistory`).
public final class ProcessDebugTarget: GDBTarget {
    public let process: GuestProcess
    let io: ReplayHostIO
    private var history: ExecutionHistory<(state: [UInt8], io: ReplayHostIO.Mark)>
    private var table = BreakpointTable()
    /// How the program ended, once it has (at the end of the recorded history).
    private var ending: RunResult?
    /// Writes a snapshot of the process (`monitor snapshot FILE`); set by the command line.
    public var writeSnapshot: ((String) throws -> Void)?
    /// Instructions run between polls of the client for Ctrl-C.
    static let chunk: UInt64 = 1 << 20

    /// `io` must be the process's host I/O, so that re-execution does not repeat output.
    public init(process: GuestProcess, io: ReplayHostIO, checkpointInterval: UInt64 = 1 << 22) {
        self.process = process
        self.io = io
        history = ExecutionHistory(interval: checkpointInterval)
        checkpoint()
    }

    private var position: UInt64 { process.cpu.retired }

    private func checkpoint() {
        var w = SnapshotWriter()
        process.save(to: &w)
        history.record(position, (w.bytes, io.mark))
    }

    private func restore(_ c: ExecutionHistory<(state: [UInt8], io: ReplayHostIO.Mark)>.Checkpoint) {
        var r = SnapshotReader(c.state.state)
        // The state was written by this process moments ago: a failure here is a bug, not bad input.
        do { try process.restore(from: &r) } catch { preconditionFailure("checkpoint restore failed: \(error)") }
        io.rewind(to: c.state.io)
        ending = nil
        applyWatches() // the restored software TLB may map watched pages
    }

    // MARK: GDBTarget: threads, registers, memory

    public var threadIDs: [Int] { [1] }
    public func threadDescription(_ thread: Int) -> String { "process (\(position) instructions)" }
    public func targetDescription(annex: String) -> String? { AArch64TargetDescription.xml(annex: annex) }

    public func readRegisters(thread: Int) -> [UInt8]? {
        thread == 1 ? AArch64RegisterFile.read(process.cpu, cpsr: process.cpu.nzcvRegister) : nil
    }

    public func writeRegisters(thread: Int, _ bytes: [UInt8]) -> Bool {
        guard thread == 1, AArch64RegisterFile.write(process.cpu, bytes) else { return false }
        timelineChanged()
        return true
    }

    public func readRegister(thread: Int, number: Int) -> [UInt8]? {
        thread == 1 ? AArch64RegisterFile.read(process.cpu, number: number, cpsr: process.cpu.nzcvRegister) : nil
    }

    public func writeRegister(thread: Int, number: Int, _ bytes: [UInt8]) -> Bool {
        guard thread == 1, AArch64RegisterFile.write(process.cpu, number: number, bytes) else { return false }
        timelineChanged()
        return true
    }

    public func readMemory(thread: Int, address: UInt64, length: Int) -> [UInt8]? {
        process.space.debugRead(address, count: length)
    }

    public func writeMemory(thread: Int, address: UInt64, _ bytes: [UInt8]) -> Bool {
        guard process.space.debugWrite(address, bytes) else { return false }
        timelineChanged()
        return true
    }

    /// The user changed the state: what lies ahead in the history is another timeline now.
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

    private func applyBreakpoints(_ on: Bool, except pc: UInt64? = nil) {
        var set = on ? table.addresses : []
        if let pc { set.remove(pc) }
        process.cpu.setDebuggerBreakpoints(set)
    }

    private func applyWatches() {
        process.space.watchpoints = table.watchpoints
    }

    // MARK: Running

    /// Host seconds the last resume took (`monitor stats`: what a reverse step costs).
    private var lastResume = 0.0

    public func resume(_ action: GDBResumeAction, thread: Int?, interrupted: () -> Bool) -> GDBStopEvent {
        let started = hostSeconds()
        defer { lastResume = hostSeconds() - started }
        switch action {
        case .step: return step()
        case .continue: return forward(interrupted: interrupted)
        case .reverseStep: return reverseStep()
        case .reverseContinue: return reverseContinue(interrupted: interrupted)
        }
    }

    /// Runs forward to instruction `stop` (or an event), recording checkpoints on the way.
    private func run(to stop: UInt64, stopping: Bool) -> RunResult {
        applyBreakpoints(stopping)
        process.space.watchpointsSuspended = !stopping
        defer { process.space.watchpointsSuspended = false; applyBreakpoints(true) }
        while true {
            let next = min(stop, (position / history.interval + 1) * history.interval)
            let r = process.run(stopAt: next)
            if r.debugStop == .reachedInstruction, position < stop {
                if history.due(at: position) { checkpoint() }
                continue
            }
            if r.debugStop == nil && !r.paused { ending = r }
            return r
        }
    }

    /// One instruction, stepping over a breakpoint or watchpoint at the PC.
    private func stepOver() -> RunResult {
        applyBreakpoints(true, except: process.cpu.pc)
        process.space.watchpointsSuspended = true
        defer { process.space.watchpointsSuspended = false; applyBreakpoints(true) }
        let r = process.run(stopAt: position + 1)
        if r.debugStop == nil && !r.paused { ending = r }
        if history.due(at: position) && ending == nil { checkpoint() }
        return r
    }

    private func step() -> GDBStopEvent {
        if let ending { return ended(ending) }
        let r = stepOver()
        return r.debugStop == .reachedInstruction ? .signal(thread: 1, signal: 5) : report(r)
    }

    private func forward(interrupted: () -> Bool) -> GDBStopEvent {
        if let ending { return ended(ending) }
        let first = stepOver() // the instruction at the PC may hold the breakpoint we stopped at
        if first.debugStop != .reachedInstruction { return report(first) }
        while true {
            let r = run(to: position + Self.chunk, stopping: true)
            if r.debugStop != .reachedInstruction { return report(r) }
            if interrupted() { return .signal(thread: 1, signal: 2) }
        }
    }

    private func report(_ r: RunResult) -> GDBStopEvent {
        switch r.debugStop {
        case .breakpoint?:
            return table.breakpointEvent(thread: 1, pc: process.cpu.pc)
        case .watchpoint(let address, let isWrite)?:
            return table.watchEvent(thread: 1, address: address, isWrite: isWrite)
        case .reachedInstruction?:
            return .signal(thread: 1, signal: 5)
        case nil:
            return ended(r)
        }
    }

    private func ended(_ r: RunResult) -> GDBStopEvent {
        if let signal = r.killedBy { return .terminated(signal: Int(signal)) }
        return .exited(code: Int(r.exitStatus))
    }

    // MARK: Backwards

    /// Goes to instruction `target` (before the present) through the latest checkpoint at or before it.
    private func go(to target: UInt64) {
        guard let c = history.latest(atOrBefore: target) else { return }
        restore(c)
        if position < target { _ = run(to: target, stopping: false) }
    }

    private func reverseStep() -> GDBStopEvent {
        guard position > 0 else { return .historyEnd(thread: 1, begin: true) }
        go(to: position - 1)
        return .signal(thread: 1, signal: 5)
    }

    /// Back to the latest breakpoint or watchpoint hit before the present: each interval between
    /// checkpoints, newest first, is re-executed with them armed, noting where they fire.
    private func reverseContinue(interrupted: () -> Bool) -> GDBStopEvent {
        var end = position
        var hits: [(position: UInt64, event: GDBStopEvent)] = []
        while let c = history.latest(before: end) {
            restore(c)
            hits = []
            while position < end {
                let r = run(to: end, stopping: true)
                guard let stop = r.debugStop, stop != .reachedInstruction, position < end else { break }
                hits.append((position, report(r)))
                if stepOver().debugStop != .reachedInstruction { break }
                if interrupted() { break }
            }
            if let last = hits.last {
                go(to: last.position)
                return last.event
            }
            end = c.position
            if interrupted() { go(to: end); return .signal(thread: 1, signal: 2) }
        }
        go(to: 0)
        return .historyEnd(thread: 1, begin: true)
    }

    // MARK: Before and after a client

    /// Whether the run has ended (a client leaving then has nothing to leave paused).
    public var hasEnded: Bool { ending != nil }

    /// Runs forward (checkpointing) until `clientArrived()` or the program ends; nil if a client
    /// came first, else how the program ended.
    public func run(until clientArrived: () -> Bool) -> RunResult? {
        while ending == nil {
            if clientArrived() { return nil }
            _ = run(to: position + Self.chunk, stopping: false)
        }
        return ending
    }

    /// Lets the program run to its end with no debugger stops (after a detach).
    public func finish() -> RunResult {
        if let ending { return ending }
        table.removeAll()
        applyBreakpoints(false); applyWatches()
        let r = process.run()
        ending = r
        return r
    }

    // MARK: Monitor

    public func monitor(_ command: String) -> String? {
        MonitorCommands(
            time: { "simulated time \(self.process.cpu.now) (\(self.process.cpu.cycles) cycles)\n" },
            icount: { "\(self.position) instructions retired\n" },
            stats: {
                let cpu = self.process.cpu
                var s = "instructions \(self.position)\ncycles \(cpu.cycles)\nsimulated_ns \(cpu.now.nanoseconds)\n"
                s += "checkpoints \(self.history.checkpoints.count) (every \(self.history.interval) instructions)\n"
                s += String(format: "last resume %.3f s\n", self.lastResume)
                if let t = cpu.timing { s += String(format: "ipc %.3f\n", t.cycles > 0 ? Double(self.position) / Double(t.cycles) : 0) }
                return s
            },
            writeSnapshot: writeSnapshot,
            now: { "\(self.process.cpu.now)" }).answer(command)
    }
}
