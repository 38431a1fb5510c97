import SimCore

extension LinuxProcess {
    static let CLOCK_REALTIME: UInt64 = 0, CLOCK_MONOTONIC: UInt64 = 1, CLOCK_PROCESS_CPUTIME_ID: UInt64 = 2
    static let CLOCK_THREAD_CPUTIME_ID: UInt64 = 3, CLOCK_MONOTONIC_RAW: UInt64 = 4
    static let CLOCK_REALTIME_COARSE: UInt64 = 5, CLOCK_MONOTONIC_COARSE: UInt64 = 6, CLOCK_BOOTTIME: UInt64 = 7
    static let TIMER_ABSTIME: UInt64 = 1

    /// The reading of `clock` at simulated time `now`, in nanoseconds; nil for an unknown clock.
    /// All clocks run on simulated time; REALTIME starts at the identity's epoch.
    func clockNanoseconds(_ clock: UInt64, now: SimTime) -> UInt64? {
        switch clock {
        case Self.CLOCK_REALTIME, Self.CLOCK_REALTIME_COARSE:
            return identity.realtimeEpoch &* 1_000_000_000 &+ now.nanoseconds
        case Self.CLOCK_MONOTONIC, Self.CLOCK_MONOTONIC_RAW, Self.CLOCK_MONOTONIC_COARSE, Self.CLOCK_BOOTTIME,
             Self.CLOCK_PROCESS_CPUTIME_ID, Self.CLOCK_THREAD_CPUTIME_ID:
            return now.nanoseconds
        default:
            return nil
        }
    }

    static func timespec(_ ns: UInt64) -> [UInt8] {
        var b: [UInt8] = []
        b.put64(ns / 1_000_000_000)
        b.put64(ns % 1_000_000_000)
        return b
    }

    /// Reads a struct timespec; nil on EFAULT, and `valid` false when tv_nsec is out of range.
    func readTimespec(_ address: UInt64) -> (ns: UInt64, valid: Bool)? {
        guard let raw = copyFromUser(address, count: 16) else { return nil }
        let sec = Int64(bitPattern: raw.get64(0)), nsec = Int64(bitPattern: raw.get64(8))
        guard sec >= 0, nsec >= 0, nsec < 1_000_000_000 else { return (0, false) }
        let (total, overflow) = UInt64(sec).multipliedReportingOverflow(by: 1_000_000_000)
        return (overflow ? UInt64.max : total &+ UInt64(nsec), true)
    }

    func clockGettime(clock: UInt64, buffer: UInt64, now: SimTime) -> Int64 {
        guard let ns = clockNanoseconds(clock, now: now) else { return Errno.EINVAL.result }
        return copyToUser(buffer, Self.timespec(ns)) ? 0 : Errno.EFAULT.result
    }

    func clockGetres(clock: UInt64, buffer: UInt64) -> Int64 {
        guard clockNanoseconds(clock, now: .zero) != nil else { return Errno.EINVAL.result }
        if buffer == 0 { return 0 }
        return copyToUser(buffer, Self.timespec(1)) ? 0 : Errno.EFAULT.result
    }

    func gettimeofday(buffer: UInt64, now: SimTime) -> Int64 {
        if buffer == 0 { return 0 }
        let ns = clockNanoseconds(Self.CLOCK_REALTIME, now: now)!
        var b: [UInt8] = []
        b.put64(ns / 1_000_000_000)
        b.put64((ns % 1_000_000_000) / 1000)
        return copyToUser(buffer, b) ? 0 : Errno.EFAULT.result
    }

    func nanosleep(request: UInt64, now: SimTime) -> SyscallOutcome {
        guard let (ns, valid) = readTimespec(request) else { return .returns(Errno.EFAULT.result) }
        guard valid else { return .returns(Errno.EINVAL.result) }
        return .sleep(until: now + SimTime.nanoseconds(min(ns, UInt64.max / 2000)), value: 0)
    }

    func clockNanosleep(clock: UInt64, flags: UInt64, request: UInt64, now: SimTime) -> SyscallOutcome {
        guard let current = clockNanoseconds(clock, now: now),
              clock != Self.CLOCK_THREAD_CPUTIME_ID else { return .returns(-Errno.EINVAL.rawValue) }
        guard let (ns, valid) = readTimespec(request) else { return .returns(-Errno.EFAULT.rawValue) }
        guard valid else { return .returns(-Errno.EINVAL.rawValue) }
        // clock_nanosleep returns the error number itself, not -1/errno; glibc negates the raw result.
        if flags & Self.TIMER_ABSTIME != 0 {
            if ns <= current { return .returns(0) }
            return .sleep(until: now + SimTime.nanoseconds(ns - current), value: 0)
        }
        return .sleep(until: now + SimTime.nanoseconds(min(ns, UInt64.max / 2000)), value: 0)
    }

    func getrusage(buffer: UInt64, now: SimTime) -> Int64 {
        var b: [UInt8] = []
        let us = now.nanoseconds / 1000
        b.put64(us / 1_000_000); b.put64(us % 1_000_000) // ru_utime
        b.put64(0); b.put64(0)                            // ru_stime
        for _ in 0..<14 { b.put64(0) }
        return copyToUser(buffer, b) ? 0 : Errno.EFAULT.result
    }
}
