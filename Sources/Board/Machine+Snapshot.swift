import AArch64
import Devices
import Memory
import Microarch
import SimCore

// A whole board's state in a snapshot: the scheduler's view (time, core states, counters,
// the event queue), RAM, the devices, the shared caches and every core. A restore first
// builds the same board from the same board file (kept in the snapshot), then reads this
// into it; the wiring between the parts is rebuilt, never saved.

extension Machine: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        precondition(pendingExit == nil && quantumInProgress == nil, "a snapshot is taken between quanta, while the machine can still run")
        w.section("machine")
        w.int(cores.count)
        w.u64(now.picoseconds); w.u64(eventsFired)
        for s in states { w.string(s.rawValue) }
        for s in statistics {
            for v in [s.instructions, s.cycles, s.idleCycles, s.exceptions, s.interrupts, s.waits, s.deviceAccesses, s.tlbWalks, s.tlbHits] { w.u64(v) }
        }
        w.u64s(lastRetired); w.u64s(lastExceptions); w.u64s(exceptionStreak.map { UInt64($0) })
        let input = pendingInput.sorted { $0.key < $1.key }
        w.int(input.count)
        for (k, v) in input { w.int(k); w.u8s(v) }

        w.section("events")
        let (events, next) = scheduler.queue.snapshot()
        w.u64(next)
        w.int(events.count)
        for (e, cancelled) in events {
            w.u64(e.time.picoseconds); w.u64(e.sequence); w.bool(cancelled)
            switch e.payload {
            case .timer(let core, let timer): w.u8(0); w.int(core); w.int(timer.rawValue)
            }
        }

        w.int(bus.banks.count)
        for bank in bus.banks { bank.save(to: &w) }
        for d in snapshotDevices { d.save(to: &w) }
        w.bool(cores[0].timing != nil)
        cores[0].timing?.memory.save(to: &w)
        for c in cores { c.save(to: &w) }
        w.section("end")
    }

    /// Reads a snapshot into a machine just built from the same board (RAM untouched).
    public func restore(from r: inout SnapshotReader) throws {
        try r.section("machine")
        quantumInProgress = nil // snapshots are taken between quanta
        let n = try r.int()
        guard n == cores.count else { throw r.fail("a snapshot of \(n) cores; this board has \(cores.count)") }
        now = SimTime(picoseconds: try r.u64()); eventsFired = try r.u64()
        states = try (0..<n).map { _ in
            let name = try r.string()
            guard let s = CoreRunState(rawValue: name) else { throw r.fail("unknown core state \"\(name)\"") }
            return s
        }
        statistics = try (0..<n).map { _ in
            var s = CoreStatistics()
            s.instructions = try r.u64(); s.cycles = try r.u64(); s.idleCycles = try r.u64(); s.exceptions = try r.u64()
            s.interrupts = try r.u64(); s.waits = try r.u64(); s.deviceAccesses = try r.u64(); s.tlbWalks = try r.u64(); s.tlbHits = try r.u64()
            return s
        }
        lastRetired = try r.u64s(count: n); lastExceptions = try r.u64s(count: n)
        exceptionStreak = try r.u64s(count: n).map { Int(truncatingIfNeeded: $0) }
        pendingInput = [:]
        for _ in 0..<(try r.count(atMost: 64)) { pendingInput[try r.int()] = try r.u8s() }

        try r.section("events")
        let next = try r.u64()
        let events = try (0..<(try r.count(atMost: 1 << 20))).map { _ -> (event: ScheduledEvent<DeviceEvent>, cancelled: Bool) in
            let time = SimTime(picoseconds: try r.u64()), sequence = try r.u64(), cancelled = try r.bool()
            guard try r.u8() == 0 else { throw r.fail("unknown kind of device event") }
            let core = try r.int(), kind = try r.int()
            guard (0..<n).contains(core), let timer = GenericTimerKind(rawValue: kind) else { throw r.fail("a timer event for core \(core), timer \(kind)") }
            guard sequence < next else { throw r.fail("an event's sequence number is not below the next one") }
            return (ScheduledEvent(restoring: time, sequence: sequence, payload: .timer(core: core, timer: timer)), cancelled)
        }
        scheduler.queue.restore(events: events, nextSequence: next)

        let banks = try r.int()
        guard banks == bus.banks.count else { throw r.fail("\(banks) RAM banks; this board has \(bus.banks.count)") }
        for bank in bus.banks { try bank.restore(from: &r) }
        for d in snapshotDevices { try d.restore(from: &r) }
        guard try r.bool() == (cores[0].timing != nil) else {
            throw r.fail("the snapshot was taken with --timing \(cores[0].timing == nil ? "approximate" : "functional"); restore it the same way")
        }
        try cores[0].timing?.memory.restore(from: &r)
        for c in cores { try c.restore(from: &r) }
        try r.section("end")
        for i in cores.indices { interrupts.signalsChanged?(i) }
    }
}
