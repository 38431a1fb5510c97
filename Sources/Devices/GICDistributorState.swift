/// The state both GIC generations share: per-interrupt enable, pending, active,
/// group, priority and trigger, the CPU interfaces' masks and active priorities,
/// and the choice of what each core's IRQ and FIQ inputs see.
///
/// INTIDs 0–31 (SGIs and PPIs) are banked per core; SPIs (32 and up) are
/// global and routed by the front end through `spiTargets`. Selection is
/// deterministic: the highest priority wins, and the lowest INTID breaks ties.
final class GICDistributorState {
    struct Interrupt {
        var enabled = false
        var latched = false      // pending, remembered (edge, software-set)
        var line = false         // the input level
        var active = false
        var edge = false
        var group1 = false
        var priority: UInt8 = 0
    }

    let cores: Int
    let spis: Int
    let priorityMask: UInt8
    var banked: [Interrupt]   // core * 32 + intid
    var shared: [Interrupt]   // intid - 32
    /// Cores each SPI is delivered to (a bit per core), maintained by the front end's routing.
    var spiTargets: [UInt64]
    /// GICv2: for each (core, SGI), the source cores whose request is pending; and the source of the active one.
    var sgiSources: [UInt8]
    var sgiActiveSource: [UInt8]

    // Distributor and per-core interface controls.
    var group0Enabled = false, group1Enabled = false

    /// GICD_CTLR's EnableGrp0 (bit 0) and EnableGrp1 (bit 1), the same bits in GICv2 and in
    /// GICv3 with DS = 1; setting them re-evaluates every core's outputs.
    var groupEnables: UInt64 {
        get { (group0Enabled ? 1 : 0) | (group1Enabled ? 2 : 0) }
        set {
            group0Enabled = newValue & 1 != 0
            group1Enabled = newValue & 2 != 0
            updateAll()
        }
    }
    var interfaceGroup0: [Bool], interfaceGroup1: [Bool]
    var pmr: [UInt8]
    var bpr0: [UInt8], bpr1: [UInt8]
    var eoiModeSplit: [Bool]
    /// Group 0 signals FIQ (GICv3 with DS = 1; GICv2 with FIQEn), else IRQ.
    var group0IsFIQ: [Bool]
    /// Active priorities per core: count of active interrupts at each priority (for the running priority).
    var activeCounts: [[UInt16]]

    var irq: [Bool], fiq: [Bool]
    var signalsChanged: ((Int) -> Void)?

    init(cores: Int, spis: Int, priorityBits: Int, group0IsFIQ: Bool) {
        self.cores = cores
        self.spis = spis
        priorityMask = UInt8(truncatingIfNeeded: 0xFF << (8 - priorityBits))
        banked = Array(repeating: Interrupt(), count: cores * 32)
        shared = Array(repeating: Interrupt(), count: spis)
        spiTargets = Array(repeating: 0, count: spis)
        sgiSources = Array(repeating: 0, count: cores * 16)
        sgiActiveSource = Array(repeating: 0, count: cores * 16)
        for c in 0..<cores { for i in 0..<16 { banked[c * 32 + i].edge = true } }
        interfaceGroup0 = Array(repeating: false, count: cores)
        interfaceGroup1 = Array(repeating: false, count: cores)
        pmr = Array(repeating: 0, count: cores)
        let minimumBPR = UInt8(max(0, 7 - priorityBits))
        bpr0 = Array(repeating: minimumBPR, count: cores)
        bpr1 = Array(repeating: minimumBPR + 1, count: cores)
        eoiModeSplit = Array(repeating: false, count: cores)
        self.group0IsFIQ = Array(repeating: group0IsFIQ, count: cores)
        activeCounts = Array(repeating: Array(repeating: 0, count: 256), count: cores)
        irq = Array(repeating: false, count: cores)
        fiq = Array(repeating: false, count: cores)
    }

    var minimumBPR: UInt8 { UInt8(max(0, 7 - priorityMask.nonzeroBitCount)) }

    // MARK: Access

    /// Reads interrupt `id` as core `core` sees it.
    func get(_ id: Int, core: Int) -> Interrupt {
        id < 32 ? banked[core * 32 + id] : shared[id - 32]
    }

    func exists(_ id: Int) -> Bool { id >= 0 && id < 32 + spis }

    /// Changes interrupt `id` as core `core` sees it, then re-evaluates the outputs it can affect.
    func modify(_ id: Int, core: Int, _ change: (inout Interrupt) -> Void) {
        guard exists(id) else { return }
        if id < 32 { change(&banked[core * 32 + id]); update(core: core) } else { change(&shared[id - 32]); updateAll() }
    }

    func isPending(_ i: Interrupt) -> Bool { i.latched || (!i.edge && i.line) }

    /// Sets an input line; an edge-triggered interrupt latches on the rising edge.
    func setLine(_ id: Int, core: Int, level: Bool) {
        modify(id, core: core) { i in
            if i.edge && level && !i.line { i.latched = true }
            i.line = level
        }
    }

    // MARK: Priorities

    func runningPriority(_ core: Int) -> UInt8 {
        for p in 0..<256 where activeCounts[core][p] > 0 { return UInt8(p) }
        return 0xFF
    }

    private func groupPriority(_ p: UInt8, group1: Bool, core: Int) -> UInt8 {
        let bpr = group1 ? bpr1[core] : bpr0[core]
        let shift = group1 ? max(Int(bpr), 1) : Int(bpr) + 1
        return shift >= 8 ? 0 : p & UInt8(truncatingIfNeeded: 0xFF << shift)
    }

    /// The highest-priority interrupt core `core` could take now, ignoring PMR and preemption.
    func highestPending(core: Int, group: Bool? = nil) -> Int? {
        var best: Int?, bestPriority = 0x100
        func consider(_ id: Int, _ i: Interrupt) {
            guard i.enabled, isPending(i), !i.active else { return }
            if let g = group, i.group1 != g { return }
            guard i.group1 ? (group1Enabled && interfaceGroup1[core]) : (group0Enabled && interfaceGroup0[core]) else { return }
            if Int(i.priority) < bestPriority { best = id; bestPriority = Int(i.priority) }
        }
        for id in 0..<32 { consider(id, banked[core * 32 + id]) }
        let bit = UInt64(1) << UInt64(core & 63)
        for s in 0..<spis where spiTargets[s] & bit != 0 { consider(32 + s, shared[s]) }
        return best
    }

    /// Whether `id`'s priority passes PMR and preempts the running priority of `core`.
    func canSignal(_ id: Int, core: Int) -> Bool {
        let i = get(id, core: core)
        guard i.priority < pmr[core] else { return false }
        let running = runningPriority(core)
        return running == 0xFF || groupPriority(i.priority, group1: i.group1, core: core) < groupPriority(running, group1: i.group1, core: core)
    }

    // MARK: Acknowledge and completion

    /// Acknowledges the highest-pending interrupt of `group` (nil: either) for `core`; 1023 if none may be taken.
    func acknowledge(core: Int, group: Bool?) -> (id: Int, source: Int) {
        guard let id = highestPending(core: core, group: group), canSignal(id, core: core) else { return (1023, 0) }
        var source = 0
        if id < 16 && !sgiSourcesIgnored {
            let pending = sgiSources[core * 16 + id]
            source = pending.trailingZeroBitCount
            sgiSources[core * 16 + id] &= ~(1 << UInt8(source))
            sgiActiveSource[core * 16 + id] = UInt8(source)
            banked[core * 32 + id].latched = sgiSources[core * 16 + id] != 0
            banked[core * 32 + id].active = true
        } else if id < 32 {
            banked[core * 32 + id].latched = false
            banked[core * 32 + id].active = true
        } else {
            shared[id - 32].latched = false
            shared[id - 32].active = true
        }
        activeCounts[core][Int(get(id, core: core).priority)] += 1
        if id >= 32 { updateAll() } else { update(core: core) }
        return (id, source)
    }

    /// GICv3 keeps no per-source SGI state.
    var sgiSourcesIgnored = false

    /// The priority drop of an EOI: the highest active priority of `core` is no longer running.
    func dropPriority(core: Int) {
        let running = runningPriority(core)
        if running != 0xFF { activeCounts[core][Int(running)] -= 1 }
        update(core: core)
    }

    /// An EOI write: the priority drop, and the deactivation too unless EOImode splits them.
    func endOfInterrupt(_ id: Int, core: Int) {
        guard exists(id) else { return }
        dropPriority(core: core)
        if !eoiModeSplit[core] { deactivate(id, core: core) }
    }

    /// Deactivates `id` on `core` (EOI with EOImode 0, or DIR).
    func deactivate(_ id: Int, core: Int) {
        modify(id, core: core) { $0.active = false }
    }

    /// Makes SGI `id` pending on `target` from `source`.
    func raiseSGI(_ id: Int, target: Int, source: Int) {
        guard target < cores else { return }
        if !sgiSourcesIgnored { sgiSources[target * 16 + id] |= 1 << UInt8(source & 7) }
        modify(id, core: target) { $0.latched = true }
    }

    // MARK: Outputs

    func updateAll() { for c in 0..<cores { update(core: c) } }

    /// Recomputes core `core`'s IRQ and FIQ inputs and reports a change.
    func update(core: Int) {
        var newIRQ = false, newFIQ = false
        if let id = highestPending(core: core), canSignal(id, core: core) {
            let i = get(id, core: core)
            if !i.group1 && group0IsFIQ[core] { newFIQ = true } else { newIRQ = true }
        }
        if newIRQ != irq[core] || newFIQ != fiq[core] {
            irq[core] = newIRQ
            fiq[core] = newFIQ
            signalsChanged?(core)
        }
    }
}

/// A GIC generation's front end over the shared state: the interrupt lines and core outputs are the same for both.
protocol GICFrontEnd: InterruptSink, InterruptSignals {
    var state: GICDistributorState { get }
}

extension GICFrontEnd {
    public var signalsChanged: ((Int) -> Void)? {
        get { state.signalsChanged }
        set { state.signalsChanged = newValue }
    }
    public func irqAsserted(core: Int) -> Bool { state.irq[core] }
    public func fiqAsserted(core: Int) -> Bool { state.fiq[core] }
    public func setSPI(_ intid: Int, level: Bool) { state.setLine(intid, core: 0, level: level) }
    public func setPPI(_ intid: Int, core: Int, level: Bool) { state.setLine(intid, core: core, level: level) }
}
