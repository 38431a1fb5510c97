import HeapModule

/// A scheduled occurrence: fires at `time`; `sequence` breaks ties in insertion order.
public struct ScheduledEvent<Payload>: Comparable {
    public let time: SimTime
    public let sequence: UInt64
    public let payload: Payload

    public static func < (a: Self, b: Self) -> Bool {
        a.time != b.time ? a.time < b.time : a.sequence < b.sequence
    }
    public static func == (a: Self, b: Self) -> Bool { a.time == b.time && a.sequence == b.sequence }
}

/// The deterministic event queue: events pop in (time, insertion sequence) order.
///
/// Two events at the same picosecond fire in the order they were scheduled, so a
/// run never depends on heap layout or host timing. Cancellation is by token:
/// cancelled events are skipped when they reach the front.
public struct EventQueue<Payload> {
    private var heap = Heap<ScheduledEvent<Payload>>()
    private var nextSequence: UInt64 = 0
    private var cancelled = Set<UInt64>()

    public init() {}

    public var isEmpty: Bool { mutating get { dropCancelled(); return heap.isEmpty } }
    public var count: Int { heap.count - cancelled.count }

    /// Schedules `payload` at `time`; returns a token for `cancel`.
    @discardableResult
    public mutating func schedule(_ payload: Payload, at time: SimTime) -> UInt64 {
        let seq = nextSequence
        nextSequence &+= 1
        heap.insert(ScheduledEvent(time: time, sequence: seq, payload: payload))
        return seq
    }

    /// Cancels a scheduled event; cancelling one that already fired does nothing.
    public mutating func cancel(_ token: UInt64) {
        if heap.unordered.contains(where: { $0.sequence == token }) { cancelled.insert(token) }
    }

    /// The time of the earliest pending event, or `nil` when none is pending.
    public var nextTime: SimTime? { mutating get { dropCancelled(); return heap.min?.time } }

    /// Removes and returns the earliest event due at or before `time`.
    public mutating func popDue(atOrBefore time: SimTime) -> ScheduledEvent<Payload>? {
        dropCancelled()
        guard let first = heap.min, first.time <= time else { return nil }
        return heap.removeMin()
    }

    /// Removes and returns the earliest event, whatever its time.
    public mutating func popNext() -> ScheduledEvent<Payload>? {
        dropCancelled()
        return heap.popMin()
    }

    private mutating func dropCancelled() {
        while let first = heap.min, cancelled.contains(first.sequence) {
            cancelled.remove(first.sequence)
            heap.removeMin()
        }
    }
}

extension EventQueue {
    /// Everything a snapshot needs to rebuild the queue exactly: the pending events in firing
    /// order (cancelled ones included, flagged), and the next sequence number to hand out.
    public func snapshot() -> (events: [(event: ScheduledEvent<Payload>, cancelled: Bool)], nextSequence: UInt64) {
        (heap.unordered.sorted().map { ($0, cancelled.contains($0.sequence)) }, nextSequence)
    }

    /// Replaces the queue's contents with a snapshot's; sequence numbers (and so tie order and
    /// the tokens devices hold) are kept.
    public mutating func restore(events: [(event: ScheduledEvent<Payload>, cancelled: Bool)], nextSequence: UInt64) {
        heap = Heap(events.map(\.event))
        cancelled = Set(events.filter(\.cancelled).map(\.event.sequence))
        self.nextSequence = nextSequence
    }
}

extension ScheduledEvent {
    /// An event as a snapshot recorded it.
    public init(restoring time: SimTime, sequence: UInt64, payload: Payload) {
        self.init(time: time, sequence: sequence, payload: payload)
    }
}
