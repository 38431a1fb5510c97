import AArch64
import ArgumentParser
import Debugger
import GDBStub
import Board
import Foundation
import Guest
import SimCore

/// `evlsim boot`: builds a board, loads a bare-metal image and runs it with the UART on the terminal.
public struct BootCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "Boot a bare-metal AArch64 image on a simulated board.",
        discussion: """
            Core 0 starts at the image's entry in EL1 with the MMU off and interrupts masked; the \
            other cores wait for PSCI CPU_ON. UART output goes to stdout. PSCI SYSTEM_OFF ends the \
            run with status 0; --duration ends it with status 124. BOARD is a name from \
            `evlsim machines` or a path to a board file.
            """)

    @Argument(help: "The board: a name from `evlsim machines`, or a path to a .yaml board file (with --restore: taken from the snapshot).")
    var board: String?

    @Option(name: .long, help: "The image: an AArch64 ELF (loaded at its physical addresses) or, with --load-address, a raw binary.")
    var image: String?

    @Option(name: .long, help: "Number of cores (default: the board's).")
    var smp: Int?

    @Option(name: .long, help: "Stop when simulated time since boot reaches this (e.g. 10ms, 2s); with --restore too, it counts from boot.")
    var duration: String?

    @OptionGroup var snapshots: SnapshotOptions
    @OptionGroup var debugger: DebuggerOptions
    var restore: String? { snapshots.restore }
    var snapshotAt: String? { snapshots.snapshotAt }
    var snapshotOut: String? { snapshots.snapshotOut }
    var stopAfterSnapshot: Bool { snapshots.stopAfterSnapshot }

    @Option(name: .long, help: "Load a raw binary at this physical address (hex with 0x, or decimal) and start there.")
    var loadAddress: String?

    @Option(name: .long, help: "Feed this file's bytes to the first UART's receiver.")
    var uartInput: String?

    @Option(name: .long, help: "Write the first UART's output to this file instead of stdout.")
    var uartOutput: String?

    @Option(name: .long, help: "Write run statistics as JSON to this file.")
    var stats: String?

    @Option(name: .long, help: "functional (one cycle per instruction, the default), approximate (the cores' timing model, blocks replayed from schedules) or detailed (the same model instruction by instruction).")
    var timing: TimingMode?

    public init() {}

    public func validate() throws {
        if restore == nil && (board == nil || image == nil) {
            throw ValidationError("boot needs a BOARD and --image FILE (or --restore FILE)")
        }
    }

    public func run() throws {
        let diagnostics: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        var out = FileHandle.standardOutput
        if let uartOutput {
            guard FileManager.default.createFile(atPath: uartOutput, contents: nil), let file = FileHandle(forWritingAtPath: uartOutput) else {
                diagnostics("evlsim: error: --uart-output: cannot create \(uartOutput)")
                throw ExitCode(badInputStatus)
            }
            out = file
        }
        let status = execute(uart: { out.write(Data($0)) }, diagnostics: diagnostics)
        try? out.synchronize()
        if status != 0 { throw ExitCode(status) }
    }

    /// Boots and runs; returns evlsim's exit status. UART bytes go to `uart` in chunks.
    public func execute(uart: @escaping ([UInt8]) -> Void, diagnostics: @escaping (String) -> Void) -> Int32 {
        func fail(_ message: String) -> Int32 { diagnostics("evlsim: error: " + message); return badInputStatus }
        // The snapshot options first: they decide where the board and the image come from.
        let pauseAt: SimTime?
        switch snapshots.pauseTime() {
        case .success(let t): pauseAt = t
        case .failure(let e): return fail(e.description)
        }
        var restored: (header: SnapshotHeader, reader: SnapshotReader)?
        if let restore {
            guard image == nil, loadAddress == nil, smp == nil else { return fail("--restore takes the board, image and cores from the snapshot: drop --image, --load-address and --smp") }
            do {
                var reader = SnapshotReader(try SnapshotFile.read(restore))
                let header = try SnapshotHeader(from: &reader, path: restore, expecting: "boot")
                restored = (header, reader)
            } catch {
                return fail("\(error)")
            }
        } else if board == nil || image == nil {
            return fail("boot needs a BOARD and --image FILE (or --restore FILE)")
        }

        var spec: MachineSpec
        let boardName: String, boardText: String, imagePath: String
        let timingMode: TimingMode
        do {
            let resolved: BoardDescription
            if let restored {
                resolved = try BoardDescription.parse(restored.header.board, file: "\(restore!)/\(restored.header.boardName).yaml")
                if let board, try BoardCatalog().load(board).name != resolved.name {
                    throw SnapshotError.wrongMachine(path: restore!, detail: "a snapshot of board \(resolved.name), not \(board)")
                }
                timingMode = TimingMode(rawValue: restored.header.timing) ?? .functional
                if let timing, timing != timingMode {
                    throw SnapshotError.wrongMachine(path: restore!, detail: "taken with --timing \(timingMode.rawValue); it resumes only that way")
                }
                imagePath = restored.header.image
            } else {
                let description = try BoardCatalog().load(board!)
                resolved = try smp.map { try description.withCores($0) } ?? description
                timingMode = timing ?? .functional
                imagePath = image!
            }
            spec = resolved.machineSpec()
            spec.approximateTiming = timingMode != .functional
            spec.timingSchedules = timingMode == .approximate
            boardName = resolved.name
            boardText = resolved.render()
            if spec.approximateTiming && spec.timingProfile == nil { throw MachineSpec.NoTimingFigures(board: boardName) }
        } catch {
            return fail("\(error)")
        }
        var limit: SimTime?
        if let duration {
            guard let t = SimTime(parsing: duration) else {
                return fail("--duration: expected a time such as 500us, 10ms or 2s, got '\(duration)'")
            }
            limit = t
        }
        var rawAddress: UInt64?
        if let loadAddress {
            guard let a = UInt64(boardInteger: loadAddress) else {
                return fail("--load-address: expected an address such as 0x40080000, got '\(loadAddress)'")
            }
            rawAddress = a
        }
        var input: [UInt8] = []
        if let uartInput {
            guard let data = FileManager.default.contents(atPath: uartInput) else {
                return fail("--uart-input: cannot read \(uartInput)")
            }
            input = [UInt8](data)
        }
        // After a restore the image is read for its symbols only (fault reports); RAM comes from the snapshot.
        let program: BareMetalImage?
        do {
            program = try BareMetalImage(path: imagePath, rawLoadAddress: restored == nil ? rawAddress : restored!.header.rawLoadAddress)
        } catch {
            if restored == nil { return fail("\(error)") }
            program = nil
        }

        let address: (host: String, port: UInt16)?
        switch debugger.address(snapshotAt: snapshotAt) {
        case .success(let a): address = a
        case .failure(let e): return fail(e.description)
        }
        let console = UARTBuffer(sink: uart)
        // Under a debugger, UART output already shown is not shown again when gdb goes back in time.
        let replay = address == nil ? nil : ReplayConsole { console.append($0) }
        let machine: Machine
        do {
            machine = try Machine(spec: spec, uartOutput: { index, byte in
                guard index == 0 else { return }
                if let replay { replay.append(byte) } else { console.append(byte) }
            })
            if var reader = restored?.reader {
                let started = HostClock.seconds()
                try machine.restore(from: &reader)
                diagnostics(String(format: "evlsim: restored %@ at %@ (%.1f ms)", restore!, "\(machine.now)", (HostClock.seconds() - started) * 1000))
            } else {
                try program!.load(into: machine)
            }
        } catch {
            return fail("\(restore ?? imagePath): \(error)")
        }
        if !input.isEmpty { machine.feedUART(0, input) }
        if let limit, limit < machine.now {
            return fail("--duration \(duration!) lies before the snapshot's time (\(machine.now)); --duration counts from boot")
        }

        let header = SnapshotHeader(kind: "boot", boardName: boardName, board: boardText, image: imagePath,
                                    rawLoadAddress: restored?.header.rawLoadAddress ?? rawAddress, timing: timingMode.rawValue)
        let start = HostClock.seconds()
        var exit: MachineExit
        if let address, let replay {
            let target = MachineDebugTarget(machine: machine, console: replay, end: limit)
            target.writeSnapshot = { path in _ = try header.write(machine, to: path) }
            do {
                guard let e = try debugger.serve(target, at: address, diagnostics: diagnostics) else {
                    console.flush()
                    diagnostics("evlsim: killed by gdb at \(machine.now)")
                    return 137
                }
                exit = e
            } catch {
                return fail("\(error)")
            }
        } else {
            exit = machine.run(until: limit, pause: pauseAt)
        }
        if exit == .paused, let snapshotOut {
            console.flush()
            do {
                let (size, ms) = try header.write(machine, to: snapshotOut)
                diagnostics("evlsim: snapshot at \(machine.now) written to \(snapshotOut)" + String(format: " (%d bytes, %.1f ms)", size, ms))
            } catch {
                diagnostics("evlsim: error: --snapshot-out: \(error)")
                return 1
            }
            exit = stopAfterSnapshot ? .paused : machine.run(until: limit)
        } else if snapshotAt != nil {
            diagnostics("evlsim: warning: the run ended at \(machine.now), before --snapshot-at \(snapshotAt!): no snapshot written")
        }
        let hostSeconds = HostClock.seconds() - start
        console.flush()

        var status: Int32 = 0
        switch exit {
        case .systemOff, .paused, .debugger:
            status = 0
        case .systemReset:
            diagnostics("evlsim: the guest requested a system reset (PSCI SYSTEM_RESET); the run ends here")
        case .timeLimit:
            diagnostics("evlsim: stopped at \(machine.now) of simulated time (--duration)")
            status = 124
        case .deadlock:
            diagnostics("evlsim: every core is off or waiting and no event is due: the guest can never continue (at \(machine.now))")
            status = 1
        case .unsupported(let what):
            diagnostics("evlsim: error: the guest needs something evlsim does not model: \(what)")
            status = 1
        case .exceptionLoop(let core, let pc, let esr, let far):
            diagnostics("evlsim: core \(core) is stuck taking exceptions: " + describe(pc: pc, core: core, machine: machine, program: program)
                        + String(format: "; ESR_EL1 0x%08llx, FAR_EL1 0x%llx", esr, far))
            status = 1
        }
        if let stats {
            let report = BootStatistics(board: boardName, image: imagePath, exit: exit, machine: machine, hostSeconds: hostSeconds)
            return writeStatistics(report, to: stats, status: status, diagnostics: diagnostics)
        }
        return status
    }

    private func describe(pc: UInt64, core: Int, machine: Machine, program: BareMetalImage?) -> String {
        var s = "last exception from pc 0x\(hex(pc))"
        if let sym = program?.symbols.describe(pc) { s += " <\(sym)>" }
        if let word = machine.instructionWord(core: core, at: pc) {
            s += ": \(hex(UInt64(word), width: 8))"
            if let text = Disassembler()?.text(word: word, address: pc) { s += "  " + text }
        }
        return s
    }
}

/// Collects UART bytes and hands them on in chunks (a write per byte would dominate a chatty guest).
final class UARTBuffer {
    private var bytes: [UInt8] = []
    private let sink: ([UInt8]) -> Void
    init(sink: @escaping ([UInt8]) -> Void) { self.sink = sink }
    func append(_ b: UInt8) {
        bytes.append(b)
        if b == 10 || bytes.count >= 4096 { flush() }
    }
    func flush() {
        guard !bytes.isEmpty else { return }
        sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
