import AArch64
import Devices
import Microarch
import SimCore

/// Everything needed to build a `Machine`, resolved from a board file (or written by hand in tests).
public struct MachineSpec: Sendable {
    /// The core types evlsim models.
    public enum CoreModel: String, Sendable, CaseIterable {
        case cortexA72 = "cortex-a72", cortexA53 = "cortex-a53"
    }

    /// The interrupt controller and where its frames are.
    public enum InterruptController: Sendable, Equatable {
        case gicv2(distributor: UInt64, cpuInterface: UInt64)
        case gicv3(distributor: UInt64, redistributors: UInt64)
    }

    /// One UART window.
    public struct UART: Sendable, Equatable {
        /// The UART models evlsim has.
        public enum Model: String, Sendable { case pl011, imx }
        public var name: String
        public var base: UInt64
        public var intid: Int
        public var model: Model
        public init(name: String, base: UInt64, intid: Int, model: Model = .pl011) {
            self.name = name; self.base = base; self.intid = intid; self.model = model
        }
    }

    public var coreModel: CoreModel
    public var coreCount: Int
    public var coreHz: UInt64
    public var midr: UInt64?
    /// MPIDR affinity: Aff0 = core % clusterSize, Aff1 = core / clusterSize.
    public var clusterSize: Int
    public var quantum: SimTime
    public var ram: [(base: UInt64, size: UInt64)]
    public var interruptController: InterruptController
    public var spiCount: Int
    public var priorityBits: Int
    public var timerHz: UInt64
    public var timerPPIs: [GenericTimerKind: Int]
    public var uarts: [UART]
    public var psci: PSCI.Conduit
    /// Cycle-approximate timing for every core (false: functional, one cycle per instruction).
    public var approximateTiming = false
    /// With approximate timing: blocks replay from their schedules (true) or instruction by
    /// instruction through the dataflow model (false, `--timing detailed`).
    public var timingSchedules = true
    /// Approximate timing was asked of a board whose file has no timing section.
    public struct NoTimingFigures: Error, CustomStringConvertible {
        public var board: String
        public init(board: String = "this board") { self.board = board }
        public var description: String {
            "\(board) has no timing section in its board file, so no cycle-approximate model (rpi4 and imx8mm have one; add one, or `timing: { same-as: rpi4 }` for a Cortex-A72 board); use --timing functional"
        }
    }

    /// The timing model's figures, from the board file's timing section (nil if it has none).
    public var timingProfile: ApproximateTiming.CoreProfile? {
        guard var p = boardTiming?.profile(coreHz: coreHz, cores: coreCount) else { return nil }
        p.schedules = timingSchedules
        return p
    }
    /// The board file's timing section, if it has one.
    public var boardTiming: BoardDescription.Timing?

    public init(coreModel: CoreModel, coreCount: Int, coreHz: UInt64, midr: UInt64? = nil, clusterSize: Int,
                quantum: SimTime, ram: [(base: UInt64, size: UInt64)], interruptController: InterruptController,
                spiCount: Int, priorityBits: Int, timerHz: UInt64, timerPPIs: [GenericTimerKind: Int],
                uarts: [UART], psci: PSCI.Conduit) {
        self.coreModel = coreModel; self.coreCount = coreCount; self.coreHz = coreHz; self.midr = midr
        self.clusterSize = clusterSize; self.quantum = quantum; self.ram = ram
        self.interruptController = interruptController; self.spiCount = spiCount; self.priorityBits = priorityBits
        self.timerHz = timerHz; self.timerPPIs = timerPPIs; self.uarts = uarts; self.psci = psci
    }

    /// MPIDR_EL1 of core `i` as it reads (bit 31 is RES1).
    public func mpidr(core i: Int) -> UInt64 {
        1 << 31 | UInt64(i / clusterSize) << 8 | UInt64(i % clusterSize)
    }

    /// The affinity value of core `i` (MPIDR without its flag bits), as GICv3 routing uses it.
    public func affinity(core i: Int) -> UInt64 { mpidr(core: i) & 0xFF_00FF_FFFF }
}
