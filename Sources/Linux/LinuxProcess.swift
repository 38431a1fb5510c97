import Memory
import SimCore

/// What the CPU glue must do after a system call.
public enum SyscallOutcome: Equatable, Sendable {
    /// Put this value in the return register and resume.
    case returns(Int64)
    /// The process exits with this status (exit, exit_group).
    case exit(status: Int32)
    /// Advance the caller's clock to `until`, then return `value`.
    case sleep(until: SimTime, value: Int64)
    /// Restore the context saved by the last signal delivery (rt_sigreturn).
    case signalReturn
    /// Deliver `signal` to the process itself (kill/tgkill on its own pid).
    case raise(signal: Int32)
}

/// A signal's disposition as set by rt_sigaction (struct sigaction, asm-generic layout).
public struct SignalAction: Equatable, Sendable {
    public var handler: UInt64 = 0 // SIG_DFL = 0, SIG_IGN = 1
    public var flags: UInt64 = 0
    public var restorer: UInt64 = 0
    public var mask: UInt64 = 0
    public init() {}
}

/// Fixed facts a process sees about its "machine", so every run looks the same.
public struct ProcessIdentity: Sendable {
    public var pid: Int64 = 1000
    public var parentPid: Int64 = 1
    public var uid: Int64 = 0
    public var gid: Int64 = 0
    public var nodename = "evlsim"
    public var release = "6.1.0-evl"
    public var version = "#1 SMP PREEMPT evlsim"
    public var machine = "aarch64"
    /// Wall-clock time at simulated time zero (CLOCK_REALTIME), seconds since the epoch: 2026-01-01.
    public var realtimeEpoch: UInt64 = 1_767_225_600
    public init() {}
}

/// The in-band Linux kernel as one user process sees it: its memory map, files, signals and clocks.
///
/// Syscalls take their arguments as six 64-bit registers and answer with a
/// `SyscallOutcome`; the architecture glue reads and writes the registers.
/// Every answer depends only on the process state, the simulated time and the
/// seeded RNG, never on the host, except the bytes read from host stdin.
public final class LinuxProcess {
    public let space: AddressSpace
    public let table: SyscallTable
    public var identity: ProcessIdentity
    public let io: HostIO
    /// The executable's path, answered for readlink("/proc/self/exe").
    public var executablePath: String
    public var rng: SeededRNG

    // Memory map.
    public internal(set) var brkStart: UInt64 = 0
    public internal(set) var brkCurrent: UInt64 = 0
    /// The highest address mmap hands out; allocations grow down from here.
    public var mmapTop: UInt64 = 0x0000_7FFF_F7FF_F000
    public var mmapBottom: UInt64 = 0x0000_1000_0000_0000

    // Files and signals.
    var files: [Int64: OpenFile] = [0: .stdin, 1: .stdout, 2: .stderr]
    public var signalActions = [SignalAction](repeating: SignalAction(), count: 65)
    public var signalMask: UInt64 = 0
    /// Signals raised while blocked, delivered when unblocked (bit n-1 for signal n).
    public var pendingSignals: UInt64 = 0
    public var clearChildTid: UInt64 = 0
    var umaskValue: Int64 = 0o022

    /// Syscall counts, by name (a statistic).
    public internal(set) var syscallCounts: [String: Int] = [:]
    /// Unknown syscall numbers already reported (each is reported once).
    public internal(set) var reportedUnknown = Set<UInt64>()
    /// Called once per unknown syscall number, with a human-readable message.
    public var warn: (String) -> Void = { _ in }

    public init(space: AddressSpace, table: SyscallTable, io: HostIO, executablePath: String,
                seed: UInt64, identity: ProcessIdentity = ProcessIdentity()) {
        self.space = space
        self.table = table
        self.io = io
        self.executablePath = executablePath
        self.identity = identity
        rng = SeededRNG(seed: seed).derived(0x6C69_6E75_78) // "linux"
    }

    /// Sets the program break to start at `address` (just past the loaded image).
    public func setBreak(start address: UInt64) {
        brkStart = (address + 0xFFF) & ~0xFFF
        brkCurrent = brkStart
    }

    /// Handles system call `number` with arguments `a` (x0–x5 / rdi…r9) at simulated time `now`.
    public func syscall(_ number: UInt64, _ a: [UInt64], now: SimTime) -> SyscallOutcome {
        guard let call = table.lookup(number) else {
            if reportedUnknown.insert(number).inserted {
                warn("unknown \(table.architecture) syscall \(number): returning ENOSYS")
            }
            return .returns(Errno.ENOSYS.result)
        }
        syscallCounts[call.rawValue, default: 0] += 1
        switch call {
        case .read: return .returns(read(fd: a[0], buffer: a[1], count: a[2]))
        case .write: return .returns(write(fd: a[0], buffer: a[1], count: a[2]))
        case .readv: return .returns(vectored(fd: a[0], iov: a[1], count: a[2], isWrite: false))
        case .writev: return .returns(vectored(fd: a[0], iov: a[1], count: a[2], isWrite: true))
        case .pread64, .pwrite64, .lseek:
            guard files[Int64(bitPattern: a[0])] != nil else { return .returns(Errno.EBADF.result) }
            return .returns(Errno.ESPIPE.result)
        case .openat: return .returns(openat(dirfd: a[0], path: a[1], flags: a[2]))
        case .close: return .returns(close(fd: a[0]))
        case .dup: return .returns(dup(a[0], to: nil))
        case .dup3: return .returns(a[0] == a[1] ? Errno.EINVAL.result : dup(a[0], to: Int64(bitPattern: a[1])))
        case .fcntl: return .returns(fcntl(fd: a[0], command: a[1], argument: a[2]))
        case .ioctl: return .returns(ioctl(fd: a[0], request: a[1]))
        case .fstat: return .returns(fstat(fd: a[0], buffer: a[1]))
        case .newfstatat: return .returns(fstatat(dirfd: a[0], path: a[1], buffer: a[2], flags: a[3]))
        case .readlinkat: return .returns(readlinkat(path: a[1], buffer: a[2], size: a[3]))
        case .faccessat: return .returns(faccessat(path: a[1]))
        case .getcwd: return .returns(getcwd(buffer: a[0], size: a[1]))
        case .exit, .exit_group: return .exit(status: Int32(truncatingIfNeeded: a[0] & 0xFF))
        case .getpid, .gettid: return .returns(identity.pid)
        case .getppid: return .returns(identity.parentPid)
        case .getuid, .geteuid: return .returns(identity.uid)
        case .getgid, .getegid: return .returns(identity.gid)
        case .set_tid_address: clearChildTid = a[0]; return .returns(identity.pid)
        case .set_robust_list: return .returns(a[1] == 24 ? 0 : Errno.EINVAL.result)
        case .rseq: return .returns(Errno.ENOSYS.result) // glibc falls back without restartable sequences
        case .futex: return .returns(futex(address: a[0], op: a[1], value: a[2]))
        case .sched_yield: return .returns(0)
        case .sched_getaffinity: return .returns(schedGetaffinity(size: a[1], mask: a[2]))
        case .membarrier: return .returns(a[0] == 0 ? 0 : 0) // MEMBARRIER_CMD_QUERY: no commands; others are no-ops on one CPU
        case .rt_sigaction: return .returns(sigaction(signal: a[0], new: a[1], old: a[2], size: a[3]))
        case .rt_sigprocmask: return .returns(sigprocmask(how: a[0], new: a[1], old: a[2], size: a[3]))
        case .rt_sigreturn: return .signalReturn
        case .sigaltstack: return .returns(sigaltstack(old: a[1]))
        case .kill, .tgkill:
            let (pid, sig) = call == .kill ? (Int64(bitPattern: a[0]), a[1]) : (Int64(bitPattern: a[1]), a[2])
            guard pid == identity.pid || pid == 0 else { return .returns(Errno.ESRCH.result) }
            guard sig <= 64 else { return .returns(Errno.EINVAL.result) }
            return sig == 0 ? .returns(0) : .raise(signal: Int32(sig))
        case .uname: return .returns(uname(buffer: a[0]))
        case .sysinfo: return .returns(sysinfo(buffer: a[0], now: now))
        case .prlimit64: return .returns(getrlimit(resource: a[1], old: a[3]))
        case .getrlimit: return .returns(getrlimit(resource: a[0], old: a[1]))
        case .setrlimit: return .returns(0)
        case .getrusage: return .returns(getrusage(buffer: a[1], now: now))
        case .umask:
            let old = umaskValue
            umaskValue = Int64(a[0] & 0o777)
            return .returns(old)
        case .prctl: return .returns(Errno.EINVAL.result)
        case .clock_gettime: return .returns(clockGettime(clock: a[0], buffer: a[1], now: now))
        case .clock_getres: return .returns(clockGetres(clock: a[0], buffer: a[1]))
        case .gettimeofday: return .returns(gettimeofday(buffer: a[0], now: now))
        case .nanosleep: return nanosleep(request: a[0], now: now)
        case .clock_nanosleep: return clockNanosleep(clock: a[0], flags: a[1], request: a[2], now: now)
        case .getrandom: return .returns(getrandom(buffer: a[0], count: a[1], flags: a[2]))
        case .brk: return .returns(Int64(bitPattern: brk(a[0])))
        case .mmap: return .returns(mmap(address: a[0], length: a[1], prot: a[2], flags: a[3], fd: a[4], offset: a[5]))
        case .munmap: return .returns(munmap(address: a[0], length: a[1]))
        case .mremap: return .returns(mremap(old: a[0], oldSize: a[1], newSize: a[2], flags: a[3]))
        case .mprotect: return .returns(mprotect(address: a[0], length: a[1], prot: a[2]))
        case .madvise: return .returns(madvise(address: a[0], length: a[1], advice: a[2]))
        }
    }

    // MARK: Copies between kernel and user memory

    /// copy_to_user: false (→ EFAULT) if any byte is not writable.
    func copyToUser(_ address: UInt64, _ bytes: [UInt8]) -> Bool {
        bytes.isEmpty || space.write(address, bytes: bytes)
    }

    func copyFromUser(_ address: UInt64, count: Int) -> [UInt8]? {
        count == 0 ? [] : space.read(address, count: count)
    }
}

/// Little-endian encoding helpers for kernel structures.
extension Array where Element == UInt8 {
    mutating func put64(_ v: UInt64) { for i in 0..<8 { append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func put32(_ v: UInt32) { for i in 0..<4 { append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func putString(_ s: String, field: Int) {
        var b = Array(s.utf8.prefix(field - 1))
        b += [UInt8](repeating: 0, count: field - b.count)
        append(contentsOf: b)
    }

    func get64(_ offset: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(self[offset + i]) << (8 * i) }
        return v
    }
}
