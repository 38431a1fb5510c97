/// A point or span of simulated time, counted in picoseconds.
///
/// Every clock domain (CPU cycles, timer ticks) converts to this one base, so
/// events from different devices order exactly and identically on every host.
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var picoseconds: UInt64

    @inlinable public init(picoseconds: UInt64) { self.picoseconds = picoseconds }
    public static let zero = SimTime(picoseconds: 0)
    public static let max = SimTime(picoseconds: .max)

    @inlinable public static func nanoseconds(_ ns: UInt64) -> SimTime { SimTime(picoseconds: ns &* 1000) }
    @inlinable public static func microseconds(_ us: UInt64) -> SimTime { SimTime(picoseconds: us &* 1_000_000) }

    @inlinable public var nanoseconds: UInt64 { picoseconds / 1000 }

    @inlinable public static func < (a: SimTime, b: SimTime) -> Bool { a.picoseconds < b.picoseconds }
    @inlinable public static func + (a: SimTime, b: SimTime) -> SimTime { SimTime(picoseconds: a.picoseconds &+ b.picoseconds) }
    @inlinable public static func - (a: SimTime, b: SimTime) -> SimTime { SimTime(picoseconds: a.picoseconds &- b.picoseconds) }

    public var description: String {
        let ns = picoseconds / 1000, frac = picoseconds % 1000
        return frac == 0 ? "\(ns) ns" : "\(ns).\(String(frac + 1000).dropFirst()) ns"
    }
}

/// A clock domain with a fixed frequency, converting its ticks to and from simulated time.
///
/// Conversions use 128-bit intermediates so a 1.5 GHz core or a 54 MHz timer
/// never overflows or drifts over long runs.
public struct ClockDomain: Sendable, Equatable {
    public let hertz: UInt64

    public init(hertz: UInt64) {
        precondition(hertz > 0 && hertz <= 1_000_000_000_000, "clock frequency out of range")
        self.hertz = hertz
    }

    /// The simulated time at which tick `n` of this clock starts.
    @inlinable public func time(ofTicks n: UInt64) -> SimTime {
        let (hi, lo) = n.multipliedFullWidth(by: 1_000_000_000_000)
        if hi >= hertz { return .max }
        return SimTime(picoseconds: hertz.dividingFullWidth((hi, lo)).quotient)
    }

    /// The number of whole ticks of this clock that have elapsed at `t`.
    @inlinable public func ticks(at t: SimTime) -> UInt64 {
        let (hi, lo) = t.picoseconds.multipliedFullWidth(by: hertz)
        return UInt64(1_000_000_000_000).dividingFullWidth((hi, lo)).quotient
    }
}
