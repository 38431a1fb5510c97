/// The Linux system calls the kernel model knows, independent of architecture.
public enum LinuxSyscall: String, CaseIterable, Sendable {
    case read, write, readv, writev, pread64, pwrite64, openat, close, lseek, ioctl, fcntl, dup, dup3
    case fstat, newfstatat, readlinkat, faccessat, getcwd
    case exit, exit_group, getpid, getppid, gettid, getuid, geteuid, getgid, getegid
    case set_tid_address, set_robust_list, rseq, futex, sched_yield, sched_getaffinity
    case rt_sigaction, rt_sigprocmask, rt_sigreturn, sigaltstack, kill, tgkill
    case uname, sysinfo, prlimit64, getrlimit, setrlimit, getrusage, umask, prctl
    case clock_gettime, clock_getres, clock_nanosleep, gettimeofday, nanosleep
    case getrandom, brk, mmap, munmap, mremap, mprotect, madvise, membarrier
}

/// One architecture's syscall numbering.
public struct SyscallTable: Sendable {
    public let architecture: String
    private let byNumber: [UInt64: LinuxSyscall]

    public init(architecture: String, numbers: [LinuxSyscall: UInt64]) {
        self.architecture = architecture
        var map: [UInt64: LinuxSyscall] = [:]
        for (call, n) in numbers { map[n] = call }
        byNumber = map
    }

    public func lookup(_ number: UInt64) -> LinuxSyscall? { byNumber[number] }

    /// AArch64 uses the generic table (include/uapi/asm-generic/unistd.h).
    public static let aarch64 = SyscallTable(architecture: "aarch64", numbers: [
        .getcwd: 17, .dup: 23, .dup3: 24, .fcntl: 25, .ioctl: 29, .faccessat: 48,
        .openat: 56, .close: 57, .lseek: 62, .read: 63, .write: 64, .readv: 65, .writev: 66,
        .pread64: 67, .pwrite64: 68, .readlinkat: 78, .newfstatat: 79, .fstat: 80,
        .exit: 93, .exit_group: 94, .set_tid_address: 96, .futex: 98, .set_robust_list: 99,
        .nanosleep: 101, .clock_gettime: 113, .clock_getres: 114, .clock_nanosleep: 115,
        .sched_getaffinity: 123, .sched_yield: 124, .kill: 129, .tgkill: 131, .sigaltstack: 132,
        .rt_sigaction: 134, .rt_sigprocmask: 135, .rt_sigreturn: 139,
        .uname: 160, .getrlimit: 163, .setrlimit: 164, .getrusage: 165, .umask: 166, .prctl: 167,
        .gettimeofday: 169, .getpid: 172, .getppid: 173, .getuid: 174, .geteuid: 175, .getgid: 176,
        .getegid: 177, .gettid: 178, .sysinfo: 179, .brk: 214, .munmap: 215, .mremap: 216,
        .mmap: 222, .mprotect: 226, .madvise: 233, .prlimit64: 261, .getrandom: 278,
        .membarrier: 283, .rseq: 293,
    ])
}
