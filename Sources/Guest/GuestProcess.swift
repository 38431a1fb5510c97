import AArch64
import Foundation
import Linux
import Memory
import Microarch
import SimCore

/// Settings of one user-mode run.
public struct RunOptions: Sendable {
    /// Seeds every random choice (AT_RANDOM, getrandom).
    public var seed: UInt64 = 0
    /// Stop after this many instructions (nil: run to exit).
    public var maxInstructions: UInt64?
    /// Guest RAM available to the process.
    public var ramBytes: Int = 4 << 30
    /// Instructions per run slice between checks of the limit.
    public var slice: UInt64 = 1 << 22
    public var layout = ProcessLayout()
    public var core = AArch64CoreInfo()
    /// The cycle-approximate model of the core (nil: functional, one cycle per instruction).
    public var timing: ApproximateTiming.CoreProfile?
    public init() {}
}

/// How a guest fault looked when it stopped the process: the facts a user needs to find it.
public struct FaultReport: Sendable, Equatable {
    public var signal: Int32
    public var pc: UInt64
    public var word: UInt32?
    public var disassembly: String?
    public var symbol: String?
    public var faultAddress: UInt64?
    public var detail: String

    public var description: String {
        var s = "guest \(Signal.name(signal)) (\(detail)) at pc 0x\(hex(pc))"
        if let symbol { s += " <\(symbol)>" }
        if let word { s += ": \(hex(UInt64(word), width: 8))" }
        if let disassembly { s += "  \(disassembly)" }
        if let faultAddress { s += "; fault address 0x\(hex(faultAddress))" }
        return s
    }
}

/// A stop that belongs to a debugger: the instruction at the PC has not run.
public enum DebugStop: Equatable, Sendable {
    /// A breakpoint (`DecodeCache.breakpoints`) is at the PC.
    case breakpoint
    /// The instruction at the PC would access a watched address (`MemoryPort.watchpoints`).
    case watchpoint(address: UInt64, isWrite: Bool)
    /// The instruction count asked for was reached.
    case reachedInstruction
}

/// The end of a run.
public struct RunResult: Sendable {
    /// The process's exit status, or 128 + signal when a signal killed it.
    public var exitStatus: Int32
    public var killedBy: Int32?
    public var fault: FaultReport?
    /// True when the run stopped at `maxInstructions` before the guest exited.
    public var hitInstructionLimit = false
    /// True when the run paused at the time asked for; `run` again carries on exactly.
    public var paused = false
    /// Why a debugger's run stopped before the program ended, if it did.
    public var debugStop: DebugStop?
    public var instructions: UInt64
    public var cycles: UInt64
    public var simulatedTime: SimTime
    public var syscalls: Int
}

/// A static AArch64 Linux program running on one simulated core, with the Linux model answering its syscalls.
public final class GuestProcess {
    public let image: ELFImage
    public let cpu: AArch64CPU
    public let kernel: LinuxProcess
    public let space: AddressSpace
    public let options: RunOptions
    public private(set) var program: LoadedProgram
    /// Receives one line per executed instruction when set (`--trace`).
    public var tracer: InstructionTracer?
    /// Receives the kernel model's one-time warnings (unknown syscalls).
    public var warn: (String) -> Void = { _ in } {
        didSet { kernel.warn = warn }
    }
    var syscallCount = 0

    public init(image: ELFImage, arguments: [String], environment: [String], io: HostIO, options: RunOptions = RunOptions()) throws {
        self.image = image
        self.options = options
        let ram = try PhysicalMemory(size: options.ramBytes)
        space = AddressSpace(physical: ram)
        program = try ProcessLoader.load(image, into: space, layout: options.layout)
        var rng = SeededRNG(seed: options.seed)
        try ProcessLoader.buildStack(&program, image: image, space: space, layout: options.layout,
                                     arguments: arguments, environment: environment, rng: &rng)
        // readlink("/proc/self/exe") answers an absolute, resolved path, as Linux does (glibc asserts it).
        let absolute = URL(fileURLWithPath: image.path).standardizedFileURL.resolvingSymlinksInPath().path
        kernel = LinuxProcess(space: space, table: .aarch64, io: io, executablePath: absolute, seed: options.seed)
        kernel.setBreak(start: program.imageEnd)
        cpu = AArch64CPU(space: space, info: options.core)
        if let profile = options.timing {
            cpu.timing = ApproximateTiming(profile: profile, memory: MemoryHierarchy(cores: 1, profile.memory), core: 0)
        }
        cpu.pc = program.entry
        cpu.sp = program.stackPointer
    }

    /// Runs until the guest exits, a fatal signal kills it, or the instruction limit is reached;
    /// or pauses at the first slice boundary at or after simulated time `pause`. Slices are cut
    /// the same way whether or not a run pauses, so pausing changes nothing that follows.
    /// A debugger also stops it when `cpu.retired` reaches `stopAt`, and at its breakpoints and
    /// watchpoints, with the instruction there not run.
    public func run(pause: SimTime? = nil, stopAt: UInt64? = nil) -> RunResult {
        var exitStatus: Int32?
        var killedBy: Int32?
        var fault: FaultReport?
        var hitLimit = false
        var paused = false
        var debugStop: DebugStop?
        while exitStatus == nil && debugStop == nil {
            if let pause, cpu.now >= pause { paused = true; break }
            var budget = options.slice
            if let max = options.maxInstructions {
                guard cpu.retired < max else { hitLimit = true; break }
                budget = min(budget, max - cpu.retired)
            }
            if let stopAt {
                guard cpu.retired < stopAt else { debugStop = .reachedInstruction; break }
                budget = min(budget, stopAt - cpu.retired)
            }
            let stop = tracer == nil ? cpu.run(limit: budget) : traceSteps(budget)
            switch stop {
            case .limit:
                continue
            case .debuggerBreakpoint:
                debugStop = .breakpoint
            case .dataAbort(let f) where f.kind == .watchpoint:
                debugStop = .watchpoint(address: f.address, isWrite: f.isWrite)
            case .supervisorCall:
                syscallCount += 1
                exitStatus = handleSyscall(&killedBy, &fault)
            case .undefinedInstruction(let word):
                exitStatus = deliverFault(Signal.SIGILL, code: 1, address: cpu.pc, word: word, detail: "ILL_ILLOPC: undefined or unimplemented instruction", &killedBy, &fault)
            case .systemInstruction(let word):
                switch SystemInstruction(word: word) {
                case .waitForEvent, .waitForInterrupt, .sendEvent, .sendEventLocal:
                    // Linux sets SCTLR_EL1.nTWI/nTWE, so EL0 runs these as hints; one thread has nothing to wait for.
                    cpu.retireWithoutEffect()
                default: // EL1 registers, TLBI, HVC, ERET...: UNDEFINED at EL0, as on Linux
                    exitStatus = deliverFault(Signal.SIGILL, code: 1, address: cpu.pc, word: word, detail: "ILL_ILLOPC: system instruction not allowed at EL0", &killedBy, &fault)
                }
            case .fpAccessTrap: // cannot happen in user mode: Linux enables FP/SIMD for EL0
                exitStatus = deliverFault(Signal.SIGILL, code: 1, address: cpu.pc, word: fetchWord(cpu.pc), detail: "ILL_ILLOPC: FP/SIMD access trapped", &killedBy, &fault)
            case .breakpoint:
                exitStatus = deliverFault(Signal.SIGTRAP, code: 1, address: cpu.pc, word: fetchWord(cpu.pc), detail: "TRAP_BRKPT: BRK instruction", &killedBy, &fault)
            case .dataAbort(let f):
                exitStatus = deliverFault(Signal.SIGSEGV, code: f.kind == .unmapped ? 1 : 2, address: f.address, word: fetchWord(cpu.pc),
                                          detail: f.kind == .unmapped ? "SEGV_MAPERR: \(f.isWrite ? "write to" : "read from") unmapped address"
                                                                       : "SEGV_ACCERR: \(f.isWrite ? "write" : "read") not permitted",
                                          &killedBy, &fault)
            case .instructionAbort(let f):
                exitStatus = deliverFault(Signal.SIGSEGV, code: f.kind == .unmapped ? 1 : 2, address: cpu.pc, word: nil,
                                          detail: f.kind == .unmapped ? "SEGV_MAPERR: jump to unmapped address" : "SEGV_ACCERR: jump to non-executable page",
                                          &killedBy, &fault)
            case .pcAlignment(let target):
                exitStatus = deliverFault(Signal.SIGBUS, code: 1, address: target, word: nil,
                                          detail: "BUS_ADRALN: misaligned PC after a branch", &killedBy, &fault)
            case .alignmentFault(let address):
                exitStatus = deliverFault(Signal.SIGBUS, code: 1, address: address, word: fetchWord(cpu.pc),
                                          detail: "BUS_ADRALN: exclusive or atomic access to a misaligned address", &killedBy, &fault)
            }
        }
        kernel.io.flush()
        return RunResult(exitStatus: exitStatus ?? 0, killedBy: killedBy, fault: fault, hitInstructionLimit: hitLimit, paused: paused, debugStop: debugStop,
                         instructions: cpu.retired, cycles: cpu.cycles, simulatedTime: cpu.now, syscalls: syscallCount)
    }

    private func traceSteps(_ budget: UInt64) -> StopReason {
        var left = budget
        while left > 0 {
            let before = RegisterSnapshot(cpu)
            let pc = cpu.pc
            let stop = cpu.step()
            if cpu.retired != before.retired { // only instructions that retired are traced
                tracer?.record(pc: pc, word: fetchWord(pc) ?? 0, before: before, after: RegisterSnapshot(cpu), symbols: image.symbols)
            }
            if stop != .limit { return stop }
            left -= 1
        }
        return .limit
    }

    func fetchWord(_ pc: UInt64) -> UInt32? {
        guard let b = space.read(pc, count: 4) else { return nil }
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    private func handleSyscall(_ killedBy: inout Int32?, _ fault: inout FaultReport?) -> Int32? {
        let number = cpu[x: 8]
        let args = (0..<6).map { cpu[x: $0] }
        switch kernel.syscall(number, args, now: cpu.now) {
        case .returns(let value):
            cpu[x: 0] = UInt64(bitPattern: value)
            // A signal left pending while blocked is delivered on the way back to user space.
            let deliverable = kernel.pendingSignals & ~kernel.signalMask
            if deliverable != 0 {
                let signal = Int32(deliverable.trailingZeroBitCount + 1)
                kernel.pendingSignals &= ~(1 << UInt64(signal - 1))
                return raise(signal, &killedBy)
            }
        case .exit(let status):
            return status
        case .sleep(let until, let value):
            let target = cpu.info.clock.ticks(at: until)
            if target > cpu.cycles { cpu.cycles = target }
            cpu[x: 0] = UInt64(bitPattern: value)
        case .signalReturn:
            if !returnFromSignal() {
                return deliverFault(Signal.SIGSEGV, code: 0, address: cpu.sp, word: nil, detail: "SI_KERNEL: bad signal frame in rt_sigreturn", &killedBy, &fault)
            }
        case .raise(let signal):
            cpu[x: 0] = 0
            return raise(signal, &killedBy)
        }
        return nil
    }

    /// A signal raised by the program itself (kill, tgkill, abort).
    private func raise(_ signal: Int32, _ killedBy: inout Int32?) -> Int32? {
        let action = kernel.signalActions[Int(signal)]
        if action.handler == 1 { return nil } // ignored
        if kernel.signalMask & (1 << UInt64(signal - 1)) != 0 {
            kernel.pendingSignals |= 1 << UInt64(signal - 1) // delivered when unblocked
            return nil
        }
        if action.handler == 0 {
            let ignoredByDefault: Set<Int32> = [17, 23, 28] // SIGCHLD, SIGURG, SIGWINCH
            if ignoredByDefault.contains(signal) { return nil }
            killedBy = signal
            return 128 + signal
        }
        guard pushSignalFrame(signal, code: -6, address: 0, action: action) else { killedBy = Signal.SIGSEGV; return 128 + Signal.SIGSEGV }
        return nil
    }

    /// A synchronous fault: delivered to the guest's handler if it has one, otherwise fatal and reported.
    private func deliverFault(_ signal: Int32, code: Int32, address: UInt64, word: UInt32?, detail: String,
                              _ killedBy: inout Int32?, _ fault: inout FaultReport?) -> Int32? {
        let action = kernel.signalActions[Int(signal)]
        let blocked = kernel.signalMask & (1 << UInt64(signal - 1)) != 0
        if action.handler > 1 && !blocked && pushSignalFrame(signal, code: code, address: address, action: action) {
            return nil
        }
        let disassembly = word.flatMap { w in Disassembler().map { $0.text(word: w, address: cpu.pc) } }
        fault = FaultReport(signal: signal, pc: cpu.pc, word: word, disassembly: disassembly,
                            symbol: image.symbols.describe(cpu.pc),
                            faultAddress: signal == Signal.SIGSEGV || signal == Signal.SIGBUS ? address : nil, detail: detail)
        killedBy = signal
        return 128 + signal
    }
}

/// The registers a trace line compares before and after an instruction.
public struct RegisterSnapshot: Equatable {
    public var x: [UInt64]
    public var nzcv: UInt64
    public var v: [UInt64]
    public var fpsr: UInt64, fpcr: UInt64, tpidr: UInt64
    public var retired: UInt64

    public init(_ cpu: AArch64CPU) {
        retired = cpu.retired
        x = (0..<32).map { cpu[x: $0] }
        nzcv = cpu.nzcv
        v = (0..<32).flatMap { i -> [UInt64] in let q = cpu.vector(i); return [q.lo, q.hi] }
        fpsr = cpu.fpsr; fpcr = cpu.fpcr; tpidr = cpu.tpidr
    }
}
