/// One traced occurrence, as posted by any layer.
public struct TraceEvent: Sendable, Equatable {
    /// What kind of occurrence this is; each layer adds its own cases.
    public enum Kind: Sendable, Equatable {
        case instruction(pc: UInt64, word: UInt32)
        case registerWrite(name: String, value: UInt64)
        case syscall(number: UInt64, name: String, result: Int64)
        case guestFault(pc: UInt64, what: String)
        case note(String)
    }
    public var time: SimTime
    public var cpu: Int
    public var kind: Kind

    public init(time: SimTime, cpu: Int, kind: Kind) {
        self.time = time; self.cpu = cpu; self.kind = kind
    }
}

/// A consumer of trace events (a log printer, a JSON exporter, a counter).
public protocol TraceSink: AnyObject {
    func consume(_ event: TraceEvent)
}

/// The trace bus: layers post typed events; sinks receive them.
///
/// Posting is gated on `isActive`, a stored Bool, so that with no sink attached
/// a producer pays one predictable branch and builds no event at all:
/// `if bus.isActive { bus.post(...) }`.
public final class TraceBus {
    public private(set) var isActive = false
    private var sinks: [TraceSink] = []

    public init() {}

    public func attach(_ sink: TraceSink) {
        sinks.append(sink)
        isActive = true
    }

    public func detachAll() {
        sinks.removeAll()
        isActive = false
    }

    public func post(_ event: TraceEvent) {
        for sink in sinks { sink.consume(event) }
    }
}

/// A sink that keeps every event in memory (tests, and post-run explanation).
public final class TraceRecorder: TraceSink {
    public private(set) var events: [TraceEvent] = []
    public init() {}
    public func consume(_ event: TraceEvent) { events.append(event) }
}
