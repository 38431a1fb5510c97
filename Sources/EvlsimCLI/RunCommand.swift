import AArch64
import ArgumentParser
import Debugger
import GDBStub
import Board
import Foundation
import Guest
import Linux
import Microarch
import SimCore

/// What a gdb disconnect does to the run (`--gdb-disconnect`).
public enum GDBDisconnect: String, ExpressibleByArgument, CaseIterable, Sendable {
    case finish, wait
}

/// How simulated time follows execution.
public enum TimingMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// One cycle per instruction: fastest.
    case functional
    /// The board's core model, caches and branch predictor; straight-line blocks replay from
    /// schedules computed once per block.
    case approximate
    /// The same model with every instruction through the dataflow model: slower, the reference
    /// `approximate` is measured against.
    case detailed
}

/// `evlsim run`: runs a static AArch64 Linux program in user mode and passes its output and status through.
public struct RunCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a static AArch64 Linux executable on the simulated CPU.",
        discussion: """
            The guest's stdout, stderr and exit status pass through. A guest killed by a signal \
            exits with 128 + the signal number, after a report naming the PC, the instruction and \
            the symbol. The guest environment is only what --env gives, so runs are reproducible.
            """)

    @Option(name: .long, help: "Write run statistics as JSON to this file.")
    var stats: String?

    @Option(name: .long, help: "Run on this board's core: its clock, counter frequency and timing model.")
    var board: String?

    @Option(name: .long, help: "functional (one cycle per instruction), approximate (the board's core model, blocks replayed from schedules; the default with --board) or detailed (the same model instruction by instruction).")
    var timing: TimingMode?

    @Flag(name: .long, help: "Print every executed instruction, its disassembly and the registers it changed (to stderr).")
    var trace = false

    @Option(name: .long, help: "Stop after this many instructions (exit status 124 if the guest has not exited).")
    var maxInstructions: UInt64?

    @Option(name: .long, help: "Seed for every random choice (AT_RANDOM, getrandom).")
    var seed: UInt64 = 0

    @Option(name: .customLong("env"), help: "Add NAME=VALUE to the guest environment (repeatable).")
    var environment: [String] = []

    @OptionGroup var snapshots: SnapshotOptions
    @OptionGroup var debugger: DebuggerOptions
    var restore: String? { snapshots.restore }
    var snapshotAt: String? { snapshots.snapshotAt }
    var snapshotOut: String? { snapshots.snapshotOut }
    var stopAfterSnapshot: Bool { snapshots.stopAfterSnapshot }

    @Argument(help: "The executable to run.")
    var elf: String?

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the guest.")
    var arguments: [String] = []

    public init() {}

    public func validate() throws {
        if elf == nil && restore == nil { throw ValidationError("Missing expected argument '<elf>' (or --restore FILE)") }
    }

    public func run() throws {
        let status = execute(io: StandardHostIO(), diagnostics: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs the guest; returns evlsim's exit status. Diagnostics (errors, fault reports, trace) go to `diagnostics`.
    public func execute(io: HostIO, diagnostics: @escaping (String) -> Void) -> Int32 {
        func fail(_ message: String) -> Int32 { diagnostics("evlsim: error: " + message); return badInputStatus }
        let pauseAt: SimTime?
        switch snapshots.pauseTime() {
        case .success(let t): pauseAt = t
        case .failure(let e): return fail(e.description)
        }
        var restored: (header: SnapshotHeader, reader: SnapshotReader)?
        if let restore {
            guard elf == nil, arguments.isEmpty, environment.isEmpty else {
                return fail("--restore takes the executable, its arguments and environment from the snapshot: give none")
            }
            do {
                var reader = SnapshotReader(try SnapshotFile.read(restore))
                let header = try SnapshotHeader(from: &reader, path: restore, expecting: "run")
                restored = (header, reader)
            } catch {
                return fail("\(error)")
            }
        } else if elf == nil {
            return fail("run needs an executable (or --restore FILE)")
        }
        let elfPath = restored?.header.image ?? elf!
        let guestArguments = restored?.header.arguments ?? [elfPath] + arguments
        let guestEnvironment = restored?.header.environment ?? environment
        let image: ELFImage
        do {
            image = try ELFImage(path: elfPath)
        } catch {
            return fail("\(error)")
        }
        var options = RunOptions()
        options.seed = seed
        options.maxInstructions = maxInstructions
        var boardName = "", boardText = ""
        var timingMode = TimingMode.functional
        do {
            var description: BoardDescription?
            if let restored, !restored.header.boardName.isEmpty {
                description = try BoardDescription.parse(restored.header.board, file: "\(restore!)/\(restored.header.boardName).yaml")
                if let board, try BoardCatalog().load(board).name != restored.header.boardName {
                    throw SnapshotError.wrongMachine(path: restore!, detail: "a snapshot of a run on board \(restored.header.boardName), not \(board)")
                }
            } else if restored != nil, board != nil {
                throw SnapshotError.wrongMachine(path: restore!, detail: "a snapshot of a run without --board; give none")
            } else if let board {
                description = try BoardCatalog().load(board)
                _ = restored
            }
            if let restored {
                timingMode = TimingMode(rawValue: restored.header.timing) ?? .functional
                if let timing, timing != timingMode {
                    throw SnapshotError.wrongMachine(path: restore!, detail: "taken with --timing \(timingMode.rawValue); it resumes only that way")
                }
            } else {
                timingMode = description == nil ? (timing ?? .functional) : (timing ?? .approximate)
            }
            if let description {
                boardName = description.name
                boardText = description.render()
                let spec = description.machineSpec()
                options.core.clock = ClockDomain(hertz: spec.coreHz)
                options.core.counterHz = spec.timerHz
                if timingMode != .functional {
                    guard var profile = spec.timingProfile else { throw MachineSpec.NoTimingFigures(board: boardName) }
                    profile.schedules = timingMode == .approximate
                    options.timing = profile
                }
            } else if timingMode != .functional {
                return fail("--timing \(timingMode.rawValue) needs --board (the timing model is the board's core)")
            }
        } catch {
            return fail("\(error)")
        }
        let address: (host: String, port: UInt16)?
        switch debugger.address(snapshotAt: snapshotAt) {
        case .success(let a): address = a
        case .failure(let e): return fail(e.description)
        }
        // Under a debugger, output already shown is not shown again when gdb goes back in time.
        let replayIO = address == nil ? nil : ReplayHostIO(io)
        let process: GuestProcess
        do {
            process = try GuestProcess(image: image, arguments: guestArguments, environment: guestEnvironment, io: replayIO ?? io, options: options)
            if var reader = restored?.reader { try process.restore(from: &reader) }
        } catch {
            return fail("\(restore ?? elfPath): \(restored == nil ? "cannot load: " : "")\(error)")
        }
        process.warn = { diagnostics("evlsim: warning: \($0)") }
        if trace { process.tracer = InstructionTracer(output: diagnostics) }

        let header = SnapshotHeader(kind: "run", boardName: boardName, board: boardText, image: elfPath, rawLoadAddress: nil,
                                    timing: timingMode.rawValue, arguments: guestArguments, environment: guestEnvironment)
        let start = HostClock.seconds()
        if let address, let replayIO {
            let target = ProcessDebugTarget(process: process, io: replayIO)
            target.writeSnapshot = { path in _ = try header.write(process, to: path) }
            let result: RunResult
            do {
                guard let r = try debugger.serve(target, at: address, diagnostics: diagnostics) else {
                    diagnostics("evlsim: killed by gdb at \(process.cpu.retired) instructions")
                    return 137
                }
                result = r
            } catch {
                return fail("\(error)")
            }
            return finish(result, process: process, hostSeconds: HostClock.seconds() - start, diagnostics: diagnostics)
        }
        var result = process.run(pause: pauseAt)
        if result.paused, let snapshotOut {
            do {
                let (size, ms) = try header.write(process, to: snapshotOut)
                diagnostics("evlsim: snapshot at \(process.cpu.now) (\(process.cpu.retired) instructions) written to \(snapshotOut)"
                            + String(format: " (%d bytes, %.1f ms)", size, ms))
            } catch {
                diagnostics("evlsim: error: --snapshot-out: \(error)")
                return 1
            }
            if stopAfterSnapshot { return 0 }
            result = process.run()
        } else if snapshotAt != nil {
            diagnostics("evlsim: warning: the program ended at \(process.cpu.now), before --snapshot-at \(snapshotAt!): no snapshot written")
        }
        return finish(result, process: process, hostSeconds: HostClock.seconds() - start, diagnostics: diagnostics)
    }

    /// Reports the end of a run: the fault, the instruction limit, the statistics.
    private func finish(_ result: RunResult, process: GuestProcess, hostSeconds: Double, diagnostics: (String) -> Void) -> Int32 {
        if let fault = result.fault { diagnostics("evlsim: \(fault.description)") }
        var status = result.exitStatus
        if result.hitInstructionLimit {
            diagnostics("evlsim: stopped after \(result.instructions) instructions (--max-instructions); pc 0x\(hex(process.cpu.pc))")
            status = 124
        }
        if let stats {
            var report = RunStatistics(result: result, hostSeconds: hostSeconds, pagesDecoded: process.cpu.decodeCache.pagesDecoded,
                                       syscallCounts: process.kernel.syscallCounts, clockHz: process.cpu.info.clock.hertz)
            if let model = process.cpu.timing { report.timing = TimingStatistics(model, instructions: result.instructions) }
            return writeStatistics(report, to: stats, status: status, diagnostics: diagnostics)
        }
        return status
    }
}

/// What `--stats` writes.
struct RunStatistics: Codable {
    var instructions: UInt64
    var cycles: UInt64
    var simulated_ns: UInt64
    var host_seconds: Double
    var mips: Double
    var exit_status: Int32
    var signal: Int32?
    var hit_instruction_limit: Bool
    var syscalls: Int
    var syscall_counts: [String: Int]
    var decoded_pages: Int
    var clock_hz: UInt64
    var timing: TimingStatistics?

    init(result: RunResult, hostSeconds: Double, pagesDecoded: Int, syscallCounts: [String: Int], clockHz: UInt64) {
        instructions = result.instructions
        cycles = result.cycles
        simulated_ns = result.simulatedTime.nanoseconds
        host_seconds = hostSeconds
        mips = hostSeconds > 0 ? Double(result.instructions) / hostSeconds / 1e6 : 0
        exit_status = result.exitStatus
        signal = result.killedBy
        hit_instruction_limit = result.hitInstructionLimit
        syscalls = result.syscalls
        syscall_counts = syscallCounts
        decoded_pages = pagesDecoded
        clock_hz = clockHz
    }

}

/// What the timing model counted (only with `--timing approximate`).
struct TimingStatistics: Codable {
    struct Level: Codable {
        var name: String
        var hits: UInt64
        var misses: UInt64
        var writebacks: UInt64
    }
    var ipc: Double
    var caches: [Level]
    var dram_reads: UInt64
    var branches: UInt64
    var branch_mispredicts: UInt64
    /// L1 TLB misses (instruction and data) and the page-table walks after an L2 TLB miss.
    var tlb_l1i_misses: UInt64
    var tlb_l1d_misses: UInt64
    var tlb_walks: UInt64

    init(_ t: ApproximateTiming, instructions: UInt64) {
        ipc = t.cycles > 0 ? Double(instructions) / Double(t.cycles) : 0
        caches = t.memory.statistics(core: t.core).map { Level(name: $0.name, hits: $0.hits, misses: $0.misses, writebacks: $0.writebacks) }
        dram_reads = t.memory.dramReads
        branches = t.predictor.conditional + t.predictor.indirect + t.predictor.returns
        branch_mispredicts = t.predictor.mispredicts
        tlb_l1i_misses = t.tlb.l1iMisses
        tlb_l1d_misses = t.tlb.l1dMisses
        tlb_walks = t.tlb.walks
    }

    /// The sum over cores: private levels (L1I, L1D) add up; a shared level and DRAM are the same
    /// object in every core's figures, so they count once. IPC is instructions over summed core cycles.
    init(total cores: [TimingStatistics], instructions: UInt64, cycles: UInt64) {
        ipc = cycles > 0 ? Double(instructions) / Double(cycles) : 0
        caches = cores[0].caches.enumerated().map { i, level in
            guard level.name.hasPrefix("l1") else { return level }
            return Level(name: level.name, hits: cores.reduce(0) { $0 + $1.caches[i].hits },
                         misses: cores.reduce(0) { $0 + $1.caches[i].misses }, writebacks: cores.reduce(0) { $0 + $1.caches[i].writebacks })
        }
        dram_reads = cores[0].dram_reads
        branches = cores.reduce(0) { $0 + $1.branches }
        branch_mispredicts = cores.reduce(0) { $0 + $1.branch_mispredicts }
        tlb_l1i_misses = cores.reduce(0) { $0 + $1.tlb_l1i_misses }
        tlb_l1d_misses = cores.reduce(0) { $0 + $1.tlb_l1d_misses }
        tlb_walks = cores.reduce(0) { $0 + $1.tlb_walks }
    }
}

/// Writes a `--stats` report as sorted, pretty-printed JSON; a failure is reported and turns status 0 into 1.
func writeStatistics<Report: Encodable>(_ report: Report, to path: String, status: Int32, diagnostics: (String) -> Void) -> Int32 {
    do {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (encoder.encode(report) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
        return status
    } catch {
        diagnostics("evlsim: error: cannot write statistics to \(path): \(error.localizedDescription)")
        return status == 0 ? 1 : status
    }
}

/// The host's monotonic clock: used only to report host_seconds, never inside a simulation.
enum HostClock {
    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
