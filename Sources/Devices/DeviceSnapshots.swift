import SimCore

// Each device's registers and internal state in a snapshot. The wiring (interrupt sinks,
// output closures, the scheduler) is not state: a restore rebuilds the same board and then
// reads these values into it.

extension GICDistributorState {
    func save(to w: inout SnapshotWriter) {
        w.section("gic-distributor")
        for list in [banked, shared] {
            w.int(list.count)
            for i in list {
                w.u8((i.enabled ? 1 : 0) | (i.latched ? 2 : 0) | (i.line ? 4 : 0) | (i.active ? 8 : 0) | (i.edge ? 16 : 0) | (i.group1 ? 32 : 0))
                w.u8(i.priority)
            }
        }
        w.u64s(spiTargets); w.u8s(sgiSources); w.u8s(sgiActiveSource)
        w.bool(group0Enabled); w.bool(group1Enabled); w.bool(sgiSourcesIgnored)
        w.bools(interfaceGroup0); w.bools(interfaceGroup1)
        w.u8s(pmr); w.u8s(bpr0); w.u8s(bpr1); w.bools(eoiModeSplit); w.bools(group0IsFIQ)
        for counts in activeCounts { w.int(counts.count); for c in counts { w.u16(c) } }
        w.bools(irq); w.bools(fiq)
    }

    func restore(from r: inout SnapshotReader) throws {
        try r.section("gic-distributor")
        func interrupts(_ expected: Int) throws -> [Interrupt] {
            let n = try r.count()
            guard n == expected else { throw r.fail("\(n) interrupts where this board has \(expected)") }
            return try (0..<n).map { _ in
                let f = try r.u8()
                return Interrupt(enabled: f & 1 != 0, latched: f & 2 != 0, line: f & 4 != 0, active: f & 8 != 0,
                                 edge: f & 16 != 0, group1: f & 32 != 0, priority: try r.u8())
            }
        }
        banked = try interrupts(cores * 32)
        shared = try interrupts(spis)
        spiTargets = try r.u64s(count: spis)
        sgiSources = try r.u8s(count: cores * 16)
        sgiActiveSource = try r.u8s(count: cores * 16)
        group0Enabled = try r.bool(); group1Enabled = try r.bool(); sgiSourcesIgnored = try r.bool()
        interfaceGroup0 = try r.bools(count: cores); interfaceGroup1 = try r.bools(count: cores)
        pmr = try r.u8s(count: cores); bpr0 = try r.u8s(count: cores); bpr1 = try r.u8s(count: cores)
        eoiModeSplit = try r.bools(count: cores); group0IsFIQ = try r.bools(count: cores)
        activeCounts = try (0..<cores).map { _ in
            let n = try r.count()
            guard n == 256 else { throw r.fail("\(n) active-priority counters where 256 were expected") }
            return try (0..<n).map { _ in try r.u16() }
        }
        irq = try r.bools(count: cores); fiq = try r.bools(count: cores)
    }
}

extension GICv2: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        state.save(to: &w)
        w.section("gicv2")
        w.u8s(targets); w.bools(ackControl)
    }

    public func restore(from r: inout SnapshotReader) throws {
        try state.restore(from: &r)
        try r.section("gicv2")
        targets = try r.u8s(count: targets.count); ackControl = try r.bools(count: ackControl.count)
    }
}

extension GICv3: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        state.save(to: &w)
        w.section("gicv3")
        w.u64s(routes); w.bools(asleep)
    }

    public func restore(from r: inout SnapshotReader) throws {
        try state.restore(from: &r)
        try r.section("gicv3")
        routes = try r.u64s(count: routes.count); asleep = try r.bools(count: asleep.count)
    }
}

extension GenericTimer: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        w.section("generic-timer")
        w.int(timers.count)
        for t in timers {
            w.u64(t.control.rawValue); w.u64(t.compareValue)
            w.bool(t.pendingToken != nil); w.u64(t.pendingToken ?? 0)
            w.bool(t.line)
        }
        w.u64s(kernelControls)
    }

    public func restore(from r: inout SnapshotReader) throws {
        try r.section("generic-timer")
        let n = try r.count()
        guard n == timers.count else { throw r.fail("\(n) timers where this board has \(timers.count)") }
        timers = try (0..<n).map { _ in
            let control = Control(rawValue: try r.u64()), compare = try r.u64()
            let pending = try r.bool(), token = try r.u64()
            return TimerState(control: control, compareValue: compare, pendingToken: pending ? token : nil, line: try r.bool())
        }
        kernelControls = try r.u64s(count: cores)
    }
}

extension PL011: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        w.section("pl011 " + name)
        for v in [ilpr, ibrd, fbrd, lineControl, control, fifoLevels, mask.rawValue, raw.rawValue, dmaControl] { w.u32(v) }
        saveReceiver(&w, rxSlots, rxHead, rxCount, line)
    }

    public func restore(from r: inout SnapshotReader) throws {
        try r.section("pl011 " + name)
        ilpr = try r.u32(); ibrd = try r.u32(); fbrd = try r.u32(); lineControl = try r.u32(); control = try r.u32()
        fifoLevels = try r.u32(); mask = Interrupts(rawValue: try r.u32()); raw = Interrupts(rawValue: try r.u32())
        dmaControl = try r.u32()
        (rxSlots, rxHead, rxCount, line) = try restoreReceiver(&r, depth: Self.fifoDepth)
    }
}

extension IMXUART: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        w.section("imx-uart " + name)
        for v in [ucr1, ucr2, ucr3, ucr4, ufcr, usr1Latched, usr2Latched, uesc, utim, ubir, ubmr, ubrc, onems, utsControl, umcr] { w.u32(v) }
        saveReceiver(&w, rxSlots, rxHead, rxCount, line)
    }

    public func restore(from r: inout SnapshotReader) throws {
        try r.section("imx-uart " + name)
        ucr1 = try r.u32(); ucr2 = try r.u32(); ucr3 = try r.u32(); ucr4 = try r.u32(); ufcr = try r.u32()
        usr1Latched = try r.u32(); usr2Latched = try r.u32(); uesc = try r.u32(); utim = try r.u32(); ubir = try r.u32()
        ubmr = try r.u32(); ubrc = try r.u32(); onems = try r.u32(); utsControl = try r.u32(); umcr = try r.u32()
        (rxSlots, rxHead, rxCount, line) = try restoreReceiver(&r, depth: Self.fifoDepth)
    }
}

// Both UARTs keep their receive FIFO as a ring (slots, head, count) and their interrupt line.

private func saveReceiver(_ w: inout SnapshotWriter, _ slots: [UInt8], _ head: Int, _ count: Int, _ line: Bool) {
    w.u8s(slots); w.int(head); w.int(count); w.bool(line)
}

private func restoreReceiver(_ r: inout SnapshotReader, depth: Int) throws -> ([UInt8], Int, Int, Bool) {
    let slots = try r.u8s(count: depth)
    let head = try r.int(), count = try r.int()
    guard (0..<depth).contains(head), (0...depth).contains(count) else { throw r.fail("receive FIFO indices out of range") }
    return (slots, head, count, try r.bool())
}
