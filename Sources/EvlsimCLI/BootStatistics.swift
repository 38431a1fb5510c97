import Board
import Foundation

/// What `evlsim boot --stats` writes. Everything outside `host` is a function of the
/// board, the image and its input only, so two runs give identical figures.
struct BootStatistics: Codable {
    struct Core: Codable {
        var core: Int
        var instructions: UInt64
        var cycles: UInt64
        var idle_cycles: UInt64
        var exceptions: UInt64
        var interrupts: UInt64
        var waits: UInt64
        var device_accesses: UInt64
        var tlb_hits: UInt64
        var tlb_walks: UInt64
        var state: String
        /// IPC, caches and branches, with `--timing approximate`.
        var timing: TimingStatistics?
    }
    struct Host: Codable {
        var seconds: Double
        var mips: Double
    }
    var board: String
    var image: String
    var exit: String
    var simulated_ns: UInt64
    var instructions: UInt64
    var events_fired: UInt64
    var cores: [Core]
    /// The timing model's figures over all cores, with `--timing approximate`.
    var timing_total: TimingStatistics?
    var host: Host

    init(board: String, image: String, exit: MachineExit, machine: Machine, hostSeconds: Double) {
        self.board = board
        self.image = image
        switch exit {
        case .systemOff: self.exit = "system-off"
        case .systemReset: self.exit = "system-reset"
        case .timeLimit: self.exit = "time-limit"
        case .deadlock: self.exit = "deadlock"
        case .unsupported: self.exit = "unsupported"
        case .exceptionLoop: self.exit = "exception-loop"
        case .paused: self.exit = "paused"
        case .debugger: self.exit = "debugger"
        }
        simulated_ns = machine.now.nanoseconds
        events_fired = machine.eventsFired
        let stats = machine.collectStatistics()
        cores = stats.enumerated().map { i, s in
            Core(core: i, instructions: s.instructions, cycles: s.cycles, idle_cycles: s.idleCycles, exceptions: s.exceptions,
                 interrupts: s.interrupts, waits: s.waits, device_accesses: s.deviceAccesses, tlb_hits: s.tlbHits,
                 tlb_walks: s.tlbWalks, state: machine.states[i].rawValue,
                 timing: machine.cores[i].timing.map { TimingStatistics($0, instructions: s.instructions) })
        }
        instructions = stats.reduce(0) { $0 + $1.instructions }
        let perCore = cores.compactMap(\.timing)
        if perCore.count == cores.count, !perCore.isEmpty {
            timing_total = TimingStatistics(total: perCore, instructions: instructions, cycles: stats.reduce(0) { $0 + $1.cycles })
        }
        host = Host(seconds: hostSeconds, mips: hostSeconds > 0 ? Double(instructions) / hostSeconds / 1e6 : 0)
    }
}
