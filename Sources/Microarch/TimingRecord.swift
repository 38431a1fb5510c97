/// One decoded instruction as a core timing model sees it, packed in 8 bytes: its class and
/// the register slots it reads and writes. An ISA computes the record once, when it decodes
/// the instruction, so that issuing it costs loads, not logic.
///
/// Slots 0–31 are the ISA's integer registers; `flags` is the condition flags. An unused
/// source names `noSource`, whose value is always ready; an unused destination names `sink`,
/// which nobody reads. So the model reads and writes every field without testing any.
/// Slots 37–39 are the model's own clocks; no record names them.
/// `d2` is the early destination: a base register's write-back or a call's link register,
/// ready after one cycle even when the instruction's main result comes later (a load miss).
public struct TimingRecord: Equatable, Sendable {
    public var kind: UInt8
    public var s0: UInt8, s1: UInt8, s2: UInt8, s3: UInt8
    public var d0: UInt8, d1: UInt8, d2: UInt8

    public static let flags: UInt8 = 34
    public static let noSource: UInt8 = 35
    public static let sink: UInt8 = 36
    /// Slots a model must provide.
    public static let slotCount = 40
    /// A record that issues nothing: the loop's own sentinels (end of page).
    public static let absent: UInt8 = 255

    public init(kind: UInt8, sources: [UInt8] = [], destinations: [UInt8] = [], early: UInt8 = sink) {
        precondition(sources.count <= 4 && destinations.count <= 2, "a timing record holds four sources and two destinations")
        self.kind = kind
        let s = sources + Array(repeating: Self.noSource, count: 4 - sources.count)
        let d = destinations + Array(repeating: Self.sink, count: 2 - destinations.count)
        s0 = s[0]; s1 = s[1]; s2 = s[2]; s3 = s[3]
        d0 = d[0]; d1 = d[1]; d2 = early
    }

    public var sources: [UInt8] { [s0, s1, s2, s3].filter { $0 != Self.noSource } }
    public var destinations: [UInt8] { [d0, d1].filter { $0 != Self.sink } }
}
