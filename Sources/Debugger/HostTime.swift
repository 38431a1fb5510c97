#if canImport(Glibc)
import Glibc
#endif

/// The host's monotonic clock, for reporting what a debugger command cost (never simulated time).
func hostSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
