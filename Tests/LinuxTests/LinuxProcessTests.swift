import Memory
import SimCore
import Testing
@testable import Linux

/// The syscall model on its own, with numbers from include/uapi/asm-generic/unistd.h.
@Suite struct LinuxProcessTests {
    let space: AddressSpace
    let io = CapturedHostIO(stdin: Array("typed input".utf8))
    let process: LinuxProcess
    let scratch: UInt64 = 0x10_0000

    init() throws {
        space = AddressSpace(physical: try PhysicalMemory(size: 256 << 20))
        process = LinuxProcess(space: space, table: .aarch64, io: io, executablePath: "/guests/prog", seed: 5)
        try space.map(scratch, length: 0x10000, permissions: .rw)
        process.setBreak(start: 0x50_0123)
    }

    func call(_ n: UInt64, _ args: UInt64..., now: SimTime = .zero) -> SyscallOutcome {
        process.syscall(n, args + [UInt64](repeating: 0, count: 6 - args.count), now: now)
    }

    func value(_ n: UInt64, _ args: UInt64...) -> Int64 {
        guard case .returns(let v) = process.syscall(n, args + [UInt64](repeating: 0, count: 6 - args.count), now: .zero) else {
            Issue.record("syscall \(n) did not return"); return .min
        }
        return v
    }

    @Test func writeAndWritevReachTheHostStreams() {
        space.write(scratch, bytes: Array("hello, world".utf8))
        #expect(value(64, 1, scratch, 5) == 5)                 // write(1, "hello", 5)
        #expect(value(64, 2, scratch + 7, 5) == 5)             // write(2, "world", 5)
        var iov: [UInt8] = []
        iov.put64(scratch + 5); iov.put64(2); iov.put64(scratch); iov.put64(0); iov.put64(scratch + 7); iov.put64(5)
        space.write(scratch + 0x100, bytes: iov)
        #expect(value(66, 1, scratch + 0x100, 3) == 7)         // writev(1, iov, 3)
        #expect(io.stdoutText == "hello, world")
        #expect(io.stderrText == "world")
        #expect(value(64, 1, 0xDEAD_0000, 4) == Errno.EFAULT.result)
        #expect(value(64, 9, scratch, 1) == Errno.EBADF.result)
    }

    @Test func readComesFromHostStdinAndDevNull() {
        #expect(value(63, 0, scratch, 5) == 5)
        #expect(space.read(scratch, count: 5) == Array("typed".utf8))
        space.write(scratch + 0x200, bytes: Array("/dev/null\0".utf8))
        let fd = value(56, UInt64(bitPattern: -100), scratch + 0x200, 2) // openat(AT_FDCWD, "/dev/null", O_RDWR)
        #expect(fd == 3)
        #expect(value(63, UInt64(fd), scratch, 10) == 0)
        #expect(value(64, UInt64(fd), scratch, 10) == 10)
        #expect(value(57, UInt64(fd)) == 0)
        #expect(value(57, UInt64(fd)) == Errno.EBADF.result)
        space.write(scratch + 0x200, bytes: Array("/etc/passwd\0".utf8))
        #expect(value(56, UInt64(bitPattern: -100), scratch + 0x200, 0) == Errno.ENOENT.result)
    }

    @Test func brkGrowsAndShrinks() {
        let start = UInt64(0x50_1000) // rounded up from the image end
        #expect(value(214, 0) == Int64(start))
        #expect(value(214, start + 0x2345) == Int64(start + 0x2345))
        space.write(start + 0x2000, bytes: [42])
        #expect(space.read(start + 0x2000, count: 1) == [42])
        #expect(value(214, start + 0x100) == Int64(start + 0x100))
        #expect(space.read(start + 0x2000, count: 1) == nil)       // unmapped again
        #expect(value(214, start - 0x1000) == Int64(start + 0x100)) // below the start: unchanged
    }

    @Test func mmapIsTopDownAndHonoursFixed() {
        let a = value(222, 0, 0x3000, 3, 0x22, UInt64(bitPattern: -1), 0) // PROT_READ|WRITE, MAP_PRIVATE|MAP_ANONYMOUS
        let b = value(222, 0, 0x1000, 1, 0x22, UInt64(bitPattern: -1), 0)
        #expect(a > 0 && b > 0)
        #expect(UInt64(a) + 0x3000 == process.mmapTop & ~0xFFF)
        #expect(b == a - 0x1000)
        #expect(space.entry(page: UInt64(b) >> 12)?.permissions == .read)
        let fixed = value(222, 0x20_0000, 0x1000, 7, 0x32, UInt64(bitPattern: -1), 0) // MAP_FIXED, rwx
        #expect(fixed == 0x20_0000)
        #expect(value(222, 0x20_0000, 0x1000, 3, 0x10_0022, UInt64(bitPattern: -1), 0) == Errno.EEXIST.result) // MAP_FIXED_NOREPLACE
        #expect(value(226, UInt64(a), 0x1000, 1) == 0)              // mprotect
        #expect(space.entry(page: UInt64(a) >> 12)?.permissions == .read)
        #expect(value(215, UInt64(a), 0x3000) == 0)                  // munmap
        #expect(space.entry(page: UInt64(a) >> 12) == nil)
        #expect(value(222, 0, 0x1000, 3, 0x02, 1, 0) == Errno.ENODEV.result) // a file mapping of stdout
        #expect(value(222, 0, 0, 3, 0x22, UInt64(bitPattern: -1), 0) == Errno.EINVAL.result)
    }

    @Test func clocksReadSimulatedTime() {
        let now = SimTime.nanoseconds(2_500_000_123)
        guard case .returns(0) = call(113, 1, scratch, now: now) else { Issue.record("clock_gettime"); return } // CLOCK_MONOTONIC
        let raw = space.read(scratch, count: 16)!
        #expect(raw.get64(0) == 2)
        #expect(raw.get64(8) == 500_000_123)
        guard case .returns(0) = call(113, 0, scratch, now: now) else { Issue.record("realtime"); return }
        #expect(space.read(scratch, count: 8)!.get64(0) == ProcessIdentity().realtimeEpoch + 2)
        #expect(value(113, 99, scratch) == Errno.EINVAL.result)
    }

    @Test func nanosleepAsksToAdvanceTheClock() {
        var ts: [UInt8] = []
        ts.put64(1); ts.put64(250_000_000)
        space.write(scratch, bytes: ts)
        #expect(call(101, scratch, 0, now: .nanoseconds(10)) == .sleep(until: .nanoseconds(1_250_000_010), value: 0))
        ts = []; ts.put64(0); ts.put64(1_000_000_000)
        space.write(scratch, bytes: ts)
        #expect(call(101, scratch, 0) == .returns(Errno.EINVAL.result))
    }

    @Test func getrandomIsSeeded() throws {
        #expect(value(278, scratch, 32, 0) == 32)
        let first = space.read(scratch, count: 32)!
        let other = LinuxProcess(space: space, table: .aarch64, io: io, executablePath: "x", seed: 5)
        #expect(other.syscall(278, [scratch + 64, 32, 0, 0, 0, 0], now: .zero) == .returns(32))
        #expect(space.read(scratch + 64, count: 32)! == first)
    }

    @Test func unknownSyscallsGetENOSYSAndOneWarning() {
        var warnings: [String] = []
        process.warn = { warnings.append($0) }
        #expect(value(999) == Errno.ENOSYS.result)
        #expect(value(999) == Errno.ENOSYS.result)
        #expect(warnings == ["unknown aarch64 syscall 999: returning ENOSYS"])
    }

    @Test func identityAndTerminals() {
        #expect(value(172) == 1000)                                   // getpid
        #expect(value(178) == 1000)                                   // gettid
        #expect(value(29, 1, 0x5401) == Errno.ENOTTY.result)          // ioctl(1, TCGETS)
        #expect(value(160, scratch) == 0)                             // uname
        #expect(space.readCString(scratch) == "Linux")
        #expect(space.readCString(scratch + 65 * 4) == "aarch64")
        space.write(scratch + 0x300, bytes: Array("/proc/self/exe\0".utf8))
        #expect(value(78, UInt64(bitPattern: -100), scratch + 0x300, scratch + 0x400, 64) == 12)
        #expect(space.read(scratch + 0x400, count: 12) == Array("/guests/prog".utf8))
        #expect(call(94, 0x1_03) == .exit(status: 3))                 // exit_group keeps the low byte
    }

    @Test func fstatOfStdoutLooksLikeAPipe() {
        #expect(value(80, 1, scratch) == 0)
        let st = space.read(scratch, count: 128)!
        let mode = UInt32(st[16]) | UInt32(st[17]) << 8 | UInt32(st[18]) << 16 | UInt32(st[19]) << 24
        #expect(mode & 0o170000 == 0o010000) // S_IFIFO
        space.write(scratch + 0x200, bytes: [0])
        #expect(value(79, 1, scratch + 0x200, scratch, 0x1000) == 0) // newfstatat(1, "", AT_EMPTY_PATH)
        #expect(value(79, 1, scratch + 0x200, scratch, 0) == Errno.ENOENT.result)
    }

    @Test func signalActionsRoundTrip() {
        var act: [UInt8] = []
        act.put64(0x40_1000); act.put64(0x4); act.put64(0); act.put64(1 << 9)
        space.write(scratch, bytes: act)
        #expect(value(134, 11, scratch, 0, 8) == 0)               // rt_sigaction(SIGSEGV, &act, NULL, 8)
        #expect(value(134, 11, 0, scratch + 0x100, 8) == 0)
        #expect(space.read(scratch + 0x100, count: 32) == act)
        #expect(value(134, 9, scratch, 0, 8) == Errno.EINVAL.result) // SIGKILL cannot be caught
        var set: [UInt8] = []
        set.put64(1 << 1)
        space.write(scratch + 0x200, bytes: set)
        #expect(value(135, 0, scratch + 0x200, 0, 8) == 0)        // SIG_BLOCK {SIGINT}
        #expect(process.signalMask == 2)
        #expect(call(131, 1000, 1000, 6) == .raise(signal: 6))    // tgkill(self, SIGABRT)
    }
}
