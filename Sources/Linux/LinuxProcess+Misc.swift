import SimCore

extension LinuxProcess {
    /// struct utsname: six 65-byte fields.
    func uname(buffer: UInt64) -> Int64 {
        var b: [UInt8] = []
        for s in ["Linux", identity.nodename, identity.release, identity.version, identity.machine, "(none)"] {
            b.putString(s, field: 65)
        }
        return copyToUser(buffer, b) ? 0 : Errno.EFAULT.result
    }

    func sysinfo(buffer: UInt64, now: SimTime) -> Int64 {
        var b: [UInt8] = []
        b.put64(now.nanoseconds / 1_000_000_000)                          // uptime
        for _ in 0..<3 { b.put64(0) }                                     // loads
        b.put64(UInt64(space.physical.size)); b.put64(UInt64(space.physical.size - space.physical.framesInUse * 4096))
        b.put64(0); b.put64(0); b.put64(0); b.put64(0)                    // shared, buffer, totalswap, freeswap
        b.put32(1 << 16 | 1); b.put32(0)                                  // procs (u16) + pad
        b.put64(0); b.put64(0); b.put32(1); b.put32(0)                    // totalhigh, freehigh, mem_unit
        return copyToUser(buffer, b) ? 0 : Errno.EFAULT.result
    }

    /// getrlimit/prlimit64 on the process itself: 8 MiB stack, everything else unlimited except files.
    func getrlimit(resource: UInt64, old: UInt64) -> Int64 {
        guard resource < 16 else { return Errno.EINVAL.result }
        if old == 0 { return 0 }
        let infinity = UInt64.max
        let (cur, max): (UInt64, UInt64)
        switch resource {
        case 3: (cur, max) = (8 << 20, infinity)   // RLIMIT_STACK
        case 7: (cur, max) = (1024, 1024)          // RLIMIT_NOFILE
        default: (cur, max) = (infinity, infinity)
        }
        var b: [UInt8] = []
        b.put64(cur); b.put64(max)
        return copyToUser(old, b) ? 0 : Errno.EFAULT.result
    }

    func getrandom(buffer: UInt64, count: UInt64, flags: UInt64) -> Int64 {
        guard flags & ~0x7 == 0 else { return Errno.EINVAL.result }
        let n = Int(min(count, 1 << 25))
        var bytes = [UInt8](repeating: 0, count: n)
        bytes.withUnsafeMutableBytes { rng.fill($0) }
        return copyToUser(buffer, bytes) ? Int64(n) : Errno.EFAULT.result
    }

    func schedGetaffinity(size: UInt64, mask: UInt64) -> Int64 {
        guard size >= 8, size % 8 == 0 else { return Errno.EINVAL.result }
        var b = [UInt8](repeating: 0, count: 8)
        b[0] = 1 // one CPU
        return copyToUser(mask, b) ? 8 : Errno.EFAULT.result
    }

    /// futex(2) for a single-threaded process: a wait whose value matches would block forever.
    func futex(address: UInt64, op: UInt64, value: UInt64) -> Int64 {
        let cmd = op & 0x7F
        switch cmd {
        case 0, 9: // FUTEX_WAIT, FUTEX_WAIT_BITSET
            guard let raw = copyFromUser(address, count: 4) else { return Errno.EFAULT.result }
            let current = UInt32(raw[0]) | UInt32(raw[1]) << 8 | UInt32(raw[2]) << 16 | UInt32(raw[3]) << 24
            return current == UInt32(truncatingIfNeeded: value) ? Errno.ETIMEDOUT.result : Errno.EAGAIN.result
        case 1, 10: return 0 // FUTEX_WAKE: nobody waits
        default: return Errno.ENOSYS.result
        }
    }

    // MARK: Signals

    func sigaction(signal: UInt64, new: UInt64, old: UInt64, size: UInt64) -> Int64 {
        guard size == 8, signal >= 1, signal <= 64 else { return Errno.EINVAL.result }
        let s = Int(signal)
        if old != 0 {
            let a = signalActions[s]
            var b: [UInt8] = []
            b.put64(a.handler); b.put64(a.flags); b.put64(a.restorer); b.put64(a.mask)
            guard copyToUser(old, b) else { return Errno.EFAULT.result }
        }
        if new != 0 {
            guard s != 9 && s != 19 else { return Errno.EINVAL.result } // SIGKILL, SIGSTOP
            guard let raw = copyFromUser(new, count: 32) else { return Errno.EFAULT.result }
            var a = SignalAction()
            a.handler = raw.get64(0); a.flags = raw.get64(8); a.restorer = raw.get64(16); a.mask = raw.get64(24)
            signalActions[s] = a
        }
        return 0
    }

    func sigprocmask(how: UInt64, new: UInt64, old: UInt64, size: UInt64) -> Int64 {
        guard size == 8 else { return Errno.EINVAL.result }
        if old != 0 {
            var b: [UInt8] = []
            b.put64(signalMask)
            guard copyToUser(old, b) else { return Errno.EFAULT.result }
        }
        if new != 0 {
            guard let raw = copyFromUser(new, count: 8) else { return Errno.EFAULT.result }
            let set = raw.get64(0) & ~(1 << 8 | 1 << 18) // SIGKILL and SIGSTOP cannot be blocked
            switch how {
            case 0: signalMask |= set      // SIG_BLOCK
            case 1: signalMask &= ~set     // SIG_UNBLOCK
            case 2: signalMask = set       // SIG_SETMASK
            default: return Errno.EINVAL.result
            }
        }
        return 0
    }

    func sigaltstack(old: UInt64) -> Int64 {
        if old != 0 {
            var b: [UInt8] = []
            b.put64(0); b.put32(2); b.put32(0); b.put64(0) // ss_sp, ss_flags = SS_DISABLE, ss_size
            guard copyToUser(old, b) else { return Errno.EFAULT.result }
        }
        return 0
    }
}

/// Linux signal numbers used by the fault paths (asm-generic/signal.h).
public enum Signal {
    public static let SIGILL: Int32 = 4, SIGTRAP: Int32 = 5, SIGABRT: Int32 = 6, SIGBUS: Int32 = 7
    public static let SIGFPE: Int32 = 8, SIGKILL: Int32 = 9, SIGSEGV: Int32 = 11

    public static func name(_ s: Int32) -> String {
        let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT",
                                      7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV",
                                      12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM"]
        return names[s] ?? "signal \(s)"
    }
}
