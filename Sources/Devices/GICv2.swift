import Memory

/// The GICv2 interrupt controller (IHI 0048B, as the GIC-400 implements it) without the
/// Security Extensions: a distributor and a banked CPU interface, both memory-mapped.
public final class GICv2: GICFrontEnd {
    let state: GICDistributorState
    /// SPI routing: a CPU-target byte per SPI (GICD_ITARGETSR).
    var targets: [UInt8]
    var ackControl: [Bool]
    public let distributor: MMIODevice
    public let cpuInterface: MMIODevice

    /// GIC-400's GICD_IIDR (GIC-400 TRM, 3.2): implementer ARM, product 0x02, revision r0p1.
    public static let distributorIID: UInt64 = 0x0200_143B
    /// GIC-400's GICC_IIDR (GIC-400 TRM, 3.3).
    public static let cpuInterfaceIID: UInt64 = 0x0202_143B

    public init(cores: Int, spis: Int, priorityBits: Int = 5) {
        precondition((1...8).contains(cores), "GICv2 supports 1 to 8 cores")
        precondition(spis % 32 == 0 && spis <= 988, "SPIs come in multiples of 32, at most 988")
        precondition((4...8).contains(priorityBits), "a GIC implements 4 to 8 priority bits")
        state = GICDistributorState(cores: cores, spis: spis, priorityBits: priorityBits, group0IsFIQ: false)
        targets = Array(repeating: 0, count: spis)
        ackControl = Array(repeating: false, count: cores)
        let d = Frame(name: "gicv2-distributor"), c = Frame(name: "gicv2-cpu-interface")
        distributor = d
        cpuInterface = c
        d.owner = self; d.isDistributor = true
        c.owner = self
    }

    // MARK: Distributor

    func readDistributor(_ offset: UInt64, size: Int, core: Int) -> UInt64 {
        let s = state
        switch offset {
        case 0x000: return s.groupEnables
        case 0x004: return UInt64(s.cores - 1) << 5 | UInt64((s.spis + 32) / 32 - 1)
        case 0x008: return Self.distributorIID
        case 0x800..<0xC00:
            let first = Int(offset - 0x800)
            var v: UInt64 = 0
            for n in 0..<size {
                let id = first + n
                let byte: UInt64 = id < 32 ? 1 << UInt64(core) : (id - 32 < s.spis ? UInt64(targets[id - 32]) : 0)
                v |= byte << UInt64(8 * n)
            }
            return v
        case 0xF10..<0xF30: // CPENDSGIR / SPENDSGIR: a byte of source CPUs per SGI
            let first = Int((offset - 0xF10) & 0xF)
            var v: UInt64 = 0
            for n in 0..<size where first + n < 16 { v |= UInt64(s.sgiSources[core * 16 + first + n]) << UInt64(8 * n) }
            return v
        case 0xFE8: return 0x2B // ICPIDR2: ArchRev 2
        default: return s.readCommon(offset, size: size, core: core, firstAllowed: 0) ?? 0
        }
    }

    func writeDistributor(_ offset: UInt64, size: Int, value: UInt64, core: Int) {
        let s = state
        switch offset {
        case 0x000:
            s.groupEnables = value
        case 0x800..<0xC00:
            for n in 0..<size {
                let id = Int(offset - 0x800) + n
                guard id >= 32, id - 32 < s.spis else { continue }
                targets[id - 32] = UInt8(truncatingIfNeeded: value >> UInt64(8 * n)) & UInt8(truncatingIfNeeded: (1 << s.cores) - 1)
                s.spiTargets[id - 32] = UInt64(targets[id - 32])
            }
            s.updateAll()
        case 0xF00: // GICD_SGIR
            let id = Int(value & 0xF)
            let list = UInt8(truncatingIfNeeded: value >> 16)
            for t in 0..<s.cores {
                let hit: Bool
                switch (value >> 24) & 3 {
                case 0: hit = list >> UInt8(t) & 1 == 1
                case 1: hit = t != core
                case 2: hit = t == core
                default: hit = false
                }
                if hit { s.raiseSGI(id, target: t, source: core) }
            }
        case 0xF10..<0xF30:
            let set = offset >= 0xF20
            let first = Int((offset - 0xF10) & 0xF)
            for n in 0..<size where first + n < 16 {
                let bits = UInt8(truncatingIfNeeded: value >> UInt64(8 * n))
                let slot = core * 16 + first + n
                s.sgiSources[slot] = set ? s.sgiSources[slot] | bits : s.sgiSources[slot] & ~bits
                let pending = s.sgiSources[slot] != 0
                s.modify(first + n, core: core) { $0.latched = pending }
            }
        default:
            _ = s.writeCommon(offset, size: size, value: value, core: core, firstAllowed: 0)
        }
    }

    // MARK: CPU interface

    func readCPUInterface(_ offset: UInt64, size: Int, core: Int) -> UInt64 {
        let s = state
        switch offset {
        case 0x00:
            return (s.interfaceGroup0[core] ? 1 : 0) | (s.interfaceGroup1[core] ? 2 : 0) | (ackControl[core] ? 4 : 0)
                | (s.group0IsFIQ[core] ? 8 : 0) | (s.eoiModeSplit[core] ? 1 << 9 : 0)
        case 0x04: return UInt64(s.pmr[core])
        case 0x08: return UInt64(s.bpr0[core])
        case 0x0C, 0x20: // IAR, AIAR
            let (id, source) = s.acknowledge(core: core, group: offset == 0x20 ? true : nil)
            return UInt64(id) | (id < 16 ? UInt64(source) << 10 : 0)
        case 0x14: return UInt64(s.runningPriority(core))
        case 0x18, 0x28:
            guard let id = s.highestPending(core: core) else { return 1023 }
            return UInt64(id) | (id < 16 ? UInt64(s.sgiSources[core * 16 + id].trailingZeroBitCount) << 10 : 0)
        case 0x1C: return UInt64(s.bpr1[core])
        case 0xFC: return Self.cpuInterfaceIID
        default: return 0
        }
    }

    func writeCPUInterface(_ offset: UInt64, size: Int, value: UInt64, core: Int) {
        let s = state
        switch offset {
        case 0x00:
            s.interfaceGroup0[core] = value & 1 != 0
            s.interfaceGroup1[core] = value & 2 != 0
            ackControl[core] = value & 4 != 0
            s.group0IsFIQ[core] = value & 8 != 0
            s.eoiModeSplit[core] = value >> 9 & 1 != 0
            s.update(core: core)
        case 0x04: s.pmr[core] = UInt8(truncatingIfNeeded: value) & s.priorityMask; s.update(core: core)
        case 0x08: s.bpr0[core] = max(UInt8(value & 7), s.minimumBPR); s.update(core: core)
        case 0x1C: s.bpr1[core] = max(UInt8(value & 7), s.minimumBPR + 1); s.update(core: core)
        case 0x10, 0x24: // EOIR, AEOIR
            s.endOfInterrupt(Int(value & 0x3FF), core: core)
        case 0x1000: // DIR
            let id = Int(value & 0x3FF)
            if s.exists(id) { s.deactivate(id, core: core) }
        default:
            break
        }
    }

    /// One MMIO window of the GIC, forwarding to its owner.
    final class Frame: MMIODevice {
        let name: String
        unowned(unsafe) var owner: GICv2!
        var isDistributor = false
        init(name: String) { self.name = name }
        func read(offset: UInt64, size: Int, core: Int) -> UInt64 {
            isDistributor ? owner.readDistributor(offset, size: size, core: core) : owner.readCPUInterface(offset, size: size, core: core)
        }
        func write(offset: UInt64, size: Int, value: UInt64, core: Int) {
            if isDistributor { owner.writeDistributor(offset, size: size, value: value, core: core) }
            else { owner.writeCPUInterface(offset, size: size, value: value, core: core) }
        }
    }
}
