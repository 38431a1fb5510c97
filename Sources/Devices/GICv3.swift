import Memory
import SimCore

/// The GICv3 interrupt controller (IHI 0069) in a single security state (GICD_CTLR.DS = 1,
/// affinity routing on): a distributor, one redistributor per core, and the CPU interface
/// reached through the ICC_* system registers.
public final class GICv3: GICFrontEnd, SystemRegisterDevice {
    let state: GICDistributorState
    /// Each core's affinity (Aff3.Aff2.Aff1.Aff0 as MPIDR_EL1 lays them out, flag bits clear).
    public let affinities: [UInt64]
    var routes: [UInt64]          // GICD_IROUTER<n>
    var asleep: [Bool]            // GICR_WAKER.ProcessorSleep
    private let priorityBits: Int
    public let distributor: MMIODevice
    public let redistributors: MMIODevice

    /// GICD_IIDR / GICR_IIDR: implementer ARM (0x43B), product 0 (a generic GICv3 model).
    public static let implementerIID: UInt64 = 0x0000_043B

    /// The CPU interface registers (ARM ARM, "GIC system registers"): op0 op1 CRn CRm op2.
    public enum Register {
        public static let pmr = systemRegisterEncoding(3, 0, 4, 6, 0)
        public static let iar0 = systemRegisterEncoding(3, 0, 12, 8, 0)
        public static let eoir0 = systemRegisterEncoding(3, 0, 12, 8, 1)
        public static let hppir0 = systemRegisterEncoding(3, 0, 12, 8, 2)
        public static let bpr0 = systemRegisterEncoding(3, 0, 12, 8, 3)
        public static let ap0r0 = systemRegisterEncoding(3, 0, 12, 8, 4)
        public static let ap1r0 = systemRegisterEncoding(3, 0, 12, 9, 0)
        public static let dir = systemRegisterEncoding(3, 0, 12, 11, 1)
        public static let rpr = systemRegisterEncoding(3, 0, 12, 11, 3)
        public static let sgi1r = systemRegisterEncoding(3, 0, 12, 11, 5)
        public static let asgi1r = systemRegisterEncoding(3, 0, 12, 11, 6)
        public static let sgi0r = systemRegisterEncoding(3, 0, 12, 11, 7)
        public static let iar1 = systemRegisterEncoding(3, 0, 12, 12, 0)
        public static let eoir1 = systemRegisterEncoding(3, 0, 12, 12, 1)
        public static let hppir1 = systemRegisterEncoding(3, 0, 12, 12, 2)
        public static let bpr1 = systemRegisterEncoding(3, 0, 12, 12, 3)
        public static let ctlr = systemRegisterEncoding(3, 0, 12, 12, 4)
        public static let sre = systemRegisterEncoding(3, 0, 12, 12, 5)
        public static let igrpen0 = systemRegisterEncoding(3, 0, 12, 12, 6)
        public static let igrpen1 = systemRegisterEncoding(3, 0, 12, 12, 7)
    }

    public init(cores: Int, spis: Int, priorityBits: Int = 5, affinities: [UInt64]) {
        precondition(cores >= 1 && affinities.count == cores, "one affinity per core")
        precondition(spis % 32 == 0 && spis <= 988, "SPIs come in multiples of 32, at most 988")
        precondition((4...8).contains(priorityBits), "a GIC implements 4 to 8 priority bits")
        state = GICDistributorState(cores: cores, spis: spis, priorityBits: priorityBits, group0IsFIQ: true)
        state.sgiSourcesIgnored = true
        self.affinities = affinities
        self.priorityBits = priorityBits
        routes = Array(repeating: 0, count: spis)
        asleep = Array(repeating: true, count: cores)
        let d = Frame(name: "gicv3-distributor"), r = Frame(name: "gicv3-redistributors")
        distributor = d
        redistributors = r
        d.owner = self; d.isDistributor = true
        r.owner = self
        for s in 0..<spis { state.spiTargets[s] = 1 } // IROUTER resets to affinity 0.0.0.0: core 0
    }

    /// Recomputes every SPI's target core from IROUTER: an affinity, or (IRM = 1) the lowest-numbered
    /// core whose interface has the interrupt's group enabled, so the choice is the same on every run.
    private func reroute() {
        for s in 0..<state.spis {
            let r = routes[s]
            var target: Int?
            if r >> 31 & 1 == 1 {
                let g1 = state.get(32 + s, core: 0).group1
                target = (0..<state.cores).first { g1 ? state.interfaceGroup1[$0] : state.interfaceGroup0[$0] } ?? 0
            } else {
                let affinity = r & 0xFF_00FF_FFFF
                target = affinities.firstIndex(of: affinity)
            }
            state.spiTargets[s] = target.map { 1 << UInt64($0 & 63) } ?? 0
        }
        state.updateAll()
    }

    // MARK: Distributor

    func readDistributor(_ offset: UInt64, size: Int, core: Int) -> UInt64 {
        let s = state
        switch offset {
        case 0x0000: return s.groupEnables | 1 << 4 | 1 << 6 // ARE, DS
        case 0x0004: // TYPER: IDbits = 9 (10-bit INTIDs), CPUNumber, ITLinesNumber
            return 9 << 19 | UInt64(min(s.cores, 8) - 1) << 5 | UInt64((s.spis + 32) / 32 - 1)
        case 0x0008: return Self.implementerIID
        case 0x6000..<0x7FE0:
            let id = Int((offset - 0x6000) / 8)
            guard id >= 32, id - 32 < s.spis else { return 0 }
            return offset & 4 == 0 ? routes[id - 32] & (size == 8 ? ~0 : 0xFFFF_FFFF) : routes[id - 32] >> 32
        case 0xFFE8: return 0x3B // GICD_PIDR2: ArchRev 3
        default: return s.readCommon(offset, size: size, core: core, firstAllowed: 32) ?? 0
        }
    }

    func writeDistributor(_ offset: UInt64, size: Int, value: UInt64, core: Int) {
        let s = state
        switch offset {
        case 0x0000:
            s.groupEnables = value
        case 0x6000..<0x7FE0:
            let id = Int((offset - 0x6000) / 8)
            guard id >= 32, id - 32 < s.spis else { return }
            let mask: UInt64 = 0xFF_8000_00FF_FFFF // Aff3, IRM, Aff2.Aff1.Aff0
            if size == 8 { routes[id - 32] = value & mask }
            else if offset & 4 == 0 { routes[id - 32] = (routes[id - 32] & ~0xFFFF_FFFF) | (value & 0x80FF_FFFF) }
            else { routes[id - 32] = (routes[id - 32] & 0xFFFF_FFFF) | (value & 0xFF) << 32 }
            reroute()
        default:
            let groupBefore = s.spis > 0 ? (0..<s.spis).map { s.get(32 + $0, core: 0).group1 } : []
            _ = s.writeCommon(offset, size: size, value: value, core: core, firstAllowed: 32)
            if offset >> 7 == 1 && groupBefore != (0..<s.spis).map({ s.get(32 + $0, core: 0).group1 }) { reroute() }
        }
    }

    // MARK: Redistributors

    func readRedistributor(_ offset: UInt64, size: Int) -> UInt64 {
        let core = Int(offset / 0x2_0000), off = offset % 0x2_0000
        guard core < state.cores else { return 0 }
        switch off {
        case 0x0000: return 0
        case 0x0004: return Self.implementerIID
        case 0x0008: // TYPER: affinity, processor number, Last
            let a = affinities[core]
            let value = (a & 0xFF_FFFF | (a >> 32 & 0xFF) << 24) << 32 | UInt64(core) << 8 | (core == state.cores - 1 ? 1 << 4 : 0)
            return size == 8 ? value : value & 0xFFFF_FFFF
        case 0x000C: return (affinities[core] & 0xFF_FFFF | (affinities[core] >> 32 & 0xFF) << 24)
        case 0x0014: return asleep[core] ? 0b110 : 0 // ProcessorSleep, ChildrenAsleep follows it
        case 0xFFE8: return 0x3B
        case 0x1_0000...:
            return state.readCommon(off - 0x1_0000, size: size, core: core, firstAllowed: 0).map { v in
                off - 0x1_0000 >= 0x80 && off - 0x1_0000 < 0x400 && (off - 0x1_0000) & 0x7F != 0 ? 0 : v
            } ?? 0
        default: return 0
        }
    }

    func writeRedistributor(_ offset: UInt64, size: Int, value: UInt64) {
        let core = Int(offset / 0x2_0000), off = offset % 0x2_0000
        guard core < state.cores else { return }
        switch off {
        case 0x0014: asleep[core] = value & 2 != 0
        case 0x1_0000...:
            let local = off - 0x1_0000
            // Only the first word of each bit register (INTIDs 0–31) and IPRIORITYR0–7, ICFGR0/1 exist here.
            if local >= 0x80 && local < 0x400 && local & 0x7F != 0 { return }
            if local >= 0x420 && local < 0x800 { return }
            _ = state.writeCommon(local, size: size, value: value, core: core, firstAllowed: 0)
        default: break
        }
    }

    // MARK: CPU interface

    public func readSystemRegister(_ encoding: UInt16, core: Int, now: SimTime) -> UInt64? {
        let s = state
        switch encoding {
        case Register.pmr: return UInt64(s.pmr[core])
        case Register.iar0: return UInt64(s.acknowledge(core: core, group: false).id)
        case Register.iar1: return UInt64(s.acknowledge(core: core, group: true).id)
        case Register.hppir0: return UInt64(s.highestPending(core: core, group: false) ?? 1023)
        case Register.hppir1: return UInt64(s.highestPending(core: core, group: true) ?? 1023)
        case Register.bpr0: return UInt64(s.bpr0[core])
        case Register.bpr1: return UInt64(s.bpr1[core])
        case Register.rpr: return UInt64(s.runningPriority(core))
        case Register.ctlr: return UInt64(priorityBits - 1) << 8 | (s.eoiModeSplit[core] ? 2 : 0)
        case Register.sre: return 0x7 // SRE, DFB, DIB: the system-register interface is always on
        case Register.igrpen0: return s.interfaceGroup0[core] ? 1 : 0
        case Register.igrpen1: return s.interfaceGroup1[core] ? 1 : 0
        case Register.ap0r0, Register.ap1r0:
            let running = s.runningPriority(core)
            return running == 0xFF ? 0 : 1 << UInt64(running >> 3)
        case Register.dir, Register.eoir0, Register.eoir1, Register.sgi0r, Register.sgi1r, Register.asgi1r:
            return 0 // write-only
        default: return nil
        }
    }

    public func writeSystemRegister(_ encoding: UInt16, core: Int, value: UInt64, now: SimTime) -> Bool {
        let s = state
        switch encoding {
        case Register.pmr: s.pmr[core] = UInt8(truncatingIfNeeded: value) & s.priorityMask; s.update(core: core)
        case Register.eoir0, Register.eoir1:
            s.endOfInterrupt(Int(value & 0xFF_FFFF), core: core)
        case Register.dir:
            let id = Int(value & 0xFF_FFFF)
            if s.exists(id) { s.deactivate(id, core: core) }
        case Register.bpr0: s.bpr0[core] = max(UInt8(value & 7), s.minimumBPR); s.update(core: core)
        case Register.bpr1: s.bpr1[core] = max(UInt8(value & 7), s.minimumBPR + 1); s.update(core: core)
        case Register.ctlr: s.eoiModeSplit[core] = value & 2 != 0
        case Register.sre, Register.ap0r0, Register.ap1r0: break
        case Register.igrpen0: s.interfaceGroup0[core] = value & 1 != 0; reroute()
        case Register.igrpen1: s.interfaceGroup1[core] = value & 1 != 0; reroute()
        case Register.sgi0r, Register.sgi1r, Register.asgi1r:
            let id = Int(value >> 24 & 0xF)
            if value >> 40 & 1 == 1 { // IRM: every core but this one
                for t in 0..<s.cores where t != core { s.raiseSGI(id, target: t, source: core) }
            } else {
                let upper = (value >> 48 & 0xFF) << 32 | (value >> 32 & 0xFF) << 16 | (value >> 16 & 0xFF) << 8
                let rangeBase = (value >> 44 & 0xF) * 16
                for bit in 0..<16 where value >> UInt64(bit) & 1 == 1 {
                    if let t = affinities.firstIndex(of: upper | (rangeBase + UInt64(bit))) { s.raiseSGI(id, target: t, source: core) }
                }
            }
        case Register.iar0, Register.iar1, Register.hppir0, Register.hppir1, Register.rpr:
            break // read-only
        default: return false
        }
        return true
    }

    /// One MMIO window of the GIC, forwarding to its owner.
    final class Frame: MMIODevice {
        let name: String
        unowned(unsafe) var owner: GICv3!
        var isDistributor = false
        init(name: String) { self.name = name }
        func read(offset: UInt64, size: Int, core: Int) -> UInt64 {
            isDistributor ? owner.readDistributor(offset, size: size, core: core) : owner.readRedistributor(offset, size: size)
        }
        func write(offset: UInt64, size: Int, value: UInt64, core: Int) {
            if isDistributor { owner.writeDistributor(offset, size: size, value: value, core: core) }
            else { owner.writeRedistributor(offset, size: size, value: value) }
        }
    }
}
