import ArgumentParser
import Debugger
import GDBStub
import SimCore

/// The snapshot options `boot` and `run` share.
struct SnapshotOptions: ParsableArguments {
    @Option(name: .long, help: "Take a snapshot at the first scheduling boundary (boot: quantum, run: slice) at or after this simulated time.")
    var snapshotAt: String?

    @Option(name: .long, help: "Where --snapshot-at writes the snapshot.")
    var snapshotOut: String?

    @Flag(name: .long, help: "End the run once the snapshot is written (status 0).")
    var stopAfterSnapshot = false

    @Option(name: .long, help: "Resume from a snapshot the same command wrote (its board or program, arguments and timing mode come from it).")
    var restore: String?

    /// When to pause for the snapshot; an error message for options that do not go together.
    func pauseTime() -> Result<SimTime?, CommandLineError> {
        guard let snapshotAt else {
            return snapshotOut != nil || stopAfterSnapshot ? .failure(.init("--snapshot-out and --stop-after-snapshot need --snapshot-at TIME")) : .success(nil)
        }
        guard let t = SimTime(parsing: snapshotAt) else {
            return .failure(.init("--snapshot-at: expected a time such as 500us, 10ms or 2s, got '\(snapshotAt)'"))
        }
        guard snapshotOut != nil else { return .failure(.init("--snapshot-at needs --snapshot-out FILE")) }
        return .success(t)
    }
}

/// The gdb options `boot` and `run` share.
struct DebuggerOptions: ParsableArguments {
    @Option(name: .long, help: "Serve gdb's remote protocol on [HOST:]PORT (127.0.0.1 unless a host is given; with boot each core is a thread).")
    var gdb: String?

    @Flag(name: .long, help: "With --gdb: wait for gdb before the first instruction.")
    var gdbWait = false

    @Option(name: .long, help: "With --gdb: after gdb disconnects, finish (run on to the end, the default) or wait (stay paused for another client).")
    var gdbDisconnect: GDBDisconnect = .finish

    /// Where to listen, if anywhere; an error message for a bad address or a bad combination.
    func address(snapshotAt: String?) -> Result<(host: String, port: UInt16)?, CommandLineError> {
        guard let gdb else { return gdbWait ? .failure(.init("--gdb-wait needs --gdb [HOST:]PORT")) : .success(nil) }
        guard snapshotAt == nil else { return .failure(.init("--gdb and --snapshot-at do not combine (use `monitor snapshot FILE` in gdb)")) }
        do { return .success(try GDBServer.parseAddress(gdb)) } catch { return .failure(.init("\(error)")) }
    }

    /// Serves gdb until the run has ended (how), or gdb killed it (nil).
    func serve<Target: DebugSessionTarget>(_ target: Target, at address: (host: String, port: UInt16),
                                          diagnostics: (String) -> Void) throws -> Target.End? {
        let server = try GDBServer(target: target, host: address.host, port: address.port, initialStop: .signal(thread: 1, signal: 5))
        diagnostics("evlsim: gdb stub listening on \(address.host):\(server.port)\(gdbWait ? ", waiting for gdb before the first instruction" : "")")
        if gdbWait {
            server.waitForClient()
        } else if let ended = target.run(until: { server.waitForClient(timeout: 0) }) {
            return ended // the run ended before anyone attached
        }
        while true {
            switch server.serve() {
            case .killed: return nil
            case .detached: return target.finish()
            case .disconnected:
                if gdbDisconnect == .finish || target.hasEnded { return target.finish() }
                diagnostics("evlsim: gdb disconnected; waiting for another client on \(address.host):\(server.port)")
                server.waitForClient()
            }
        }
    }
}

/// What a gdb session needs of a debugger target beyond the protocol: running before a client
/// comes and after it leaves.
protocol DebugSessionTarget: GDBTarget {
    associatedtype End
    func run(until clientArrived: () -> Bool) -> End?
    func finish() -> End
    var hasEnded: Bool { get }
}

extension ProcessDebugTarget: DebugSessionTarget {}
extension MachineDebugTarget: DebugSessionTarget {}

/// A command line that cannot run, with the message the user sees.
struct CommandLineError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
