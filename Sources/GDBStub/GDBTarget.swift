/// What the GDB stub can ask of a simulated machine or process: threads, registers, memory,
/// breakpoints, and running in either direction. The stub knows nothing else of the simulator.
public protocol GDBTarget: AnyObject {
    /// Thread ids gdb sees (1-based: cores of a board, the thread of a process).
    var threadIDs: [Int] { get }
    /// A short description for `info threads` (qThreadExtraInfo).
    func threadDescription(_ thread: Int) -> String
    /// A target description file by name ("target.xml" and what it includes), or nil.
    func targetDescription(annex: String) -> String?
    /// Every register in target-description order, little-endian (the `g` packet); nil for an unknown thread.
    func readRegisters(thread: Int) -> [UInt8]?
    func writeRegisters(thread: Int, _ bytes: [UInt8]) -> Bool
    func readRegister(thread: Int, number: Int) -> [UInt8]?
    func writeRegister(thread: Int, number: Int, _ bytes: [UInt8]) -> Bool
    /// Memory through the thread's current translation: the readable prefix, nil if none is.
    func readMemory(thread: Int, address: UInt64, length: Int) -> [UInt8]?
    func writeMemory(thread: Int, address: UInt64, _ bytes: [UInt8]) -> Bool
    func insertBreakpoint(_ kind: GDBBreakpointKind, address: UInt64, length: Int) -> Bool
    func removeBreakpoint(_ kind: GDBBreakpointKind, address: UInt64, length: Int) -> Bool
    /// Runs as asked until something stops it; `interrupted()` turns true once the client sent Ctrl-C.
    func resume(_ action: GDBResumeAction, thread: Int?, interrupted: () -> Bool) -> GDBStopEvent
    /// `monitor COMMAND`: the text to show, or nil for an unknown command.
    func monitor(_ command: String) -> String?
}

/// The kinds of the Z and z packets: 0 software, 1 hardware breakpoint, 2 write, 3 read, 4 access watchpoint.
public enum GDBBreakpointKind: Int, Sendable {
    case software, hardware, write, read, access
}

/// How gdb asked the target to run.
public enum GDBResumeAction: Sendable {
    case `continue`, step, reverseContinue, reverseStep
}

/// Why the target stopped, as a stop reply reports it.
public enum GDBStopEvent: Equatable, Sendable {
    /// A plain stop: SIGTRAP (5) after a step, SIGINT (2) after Ctrl-C.
    case signal(thread: Int, signal: Int)
    case breakpoint(thread: Int, software: Bool)
    case watchpoint(thread: Int, kind: GDBBreakpointKind, address: UInt64)
    /// Reverse execution reached the start of the recorded history (`begin`), or replay its end.
    case historyEnd(thread: Int, begin: Bool)
    case exited(code: Int)
    case terminated(signal: Int)
}
