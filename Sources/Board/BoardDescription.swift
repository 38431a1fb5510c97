import SimCore
import Devices

// A board description is the hardware a machine is built from, read from a
// board file (machines/*.yaml). Its sections mirror the file's: cpu, memory,
// interrupt-controller, timer, uarts, psci. Parsing lives in
// BoardDescription+Parsing.swift, the checks that span fields in
// BoardDescription+Validation.swift, the value syntax (sizes, frequencies,
// times) in BoardDescription+Values.swift and the printed form in
// BoardDescription+Render.swift.
//
// Every value is resolved: nothing is left for the machine to default.

/// One board's hardware as a board file describes it: cores, memory map, interrupt controller, timer, UARTs and PSCI conduit.
public struct BoardDescription: Sendable {
    /// The board's name, equal to its file name without `.yaml` ("qemu-virt").
    public var name: String
    /// One line for `evlsim machines`.
    public var description: String
    /// The path the board was read from, for messages.
    public var file: String
    /// The application cores.
    public var cpu: CPU
    /// The run-loop quantum: how far one core may run ahead of another.
    public var quantum: SimTime
    /// RAM regions, in file order.
    public var memory: [MemoryRegion]
    /// The GIC.
    public var interruptController: InterruptController
    /// The generic timer.
    public var timer: Timer
    /// UARTs, in file order.
    public var uarts: [UART]
    /// The PSCI firmware interface.
    public var psci: PSCI
    /// The cycle-approximate model's figures; nil: the board has none (only functional timing).
    public var timing: Timing?
    /// The board whose figures `timing` are (`timing: { same-as: rpi4 }`); the catalog fills `timing` in.
    public var timingSameAs: String?

    /// Where each field came from in the file (path like "uarts[0].irq" to line and column),
    /// so checks made after parsing, such as `withCores`, still name the line.
    var positions: [String: SourcePosition] = [:]

    // MARK: Sections

    /// The application cores: how many, which model, how fast, and how they are numbered.
    public struct CPU: Sendable, Equatable {
        /// The core model, which fixes the ID registers beyond MIDR_EL1.
        public var model: CPUModel
        /// The default core count (`--smp` overrides it through `withCores`).
        public var count: Int
        /// The core clock in Hz.
        public var frequencyHz: UInt64
        /// MIDR_EL1 as the cores report it.
        public var midr: UInt64
        /// Cores per affinity-level-1 cluster: Aff0 = core % clusterSize, Aff1 = core / clusterSize.
        public var clusterSize: Int
    }

    /// The core models a board can name.
    public enum CPUModel: String, Sendable, CaseIterable {
        case cortexA72 = "cortex-a72"
        case cortexA53 = "cortex-a53"

        /// The physical address size ID_AA64MMFR0_EL1.PARange reports (A72 TRM: 44 bits; A53 TRM: 40 bits).
        public var physicalAddressBits: Int {
            switch self {
            case .cortexA72: return 44
            case .cortexA53: return 40
            }
        }
    }

    /// A block of RAM on the physical bus.
    public struct MemoryRegion: Sendable, Equatable {
        /// A label for messages and traces ("ram").
        public var name: String
        /// The physical address of its first byte.
        public var base: UInt64
        /// Its size in bytes, a multiple of 4 KiB.
        public var size: UInt64
        /// The first physical address past it.
        public var end: UInt64 { base &+ size }
    }

    /// The GIC: which architecture version and where its frames are.
    public struct InterruptController: Sendable, Equatable {
        public var type: GICType
        /// GICD base.
        public var distributor: UInt64
        /// GICC base (GICv2 only).
        public var cpuInterface: UInt64?
        /// Base of the first core's GICR frames (GICv3 only); each core's follow at `redistributorStride`.
        public var redistributors: UInt64?
        /// The number of SPIs, INTIDs 32 ..< 32 + spis.
        public var spis: Int
        /// Implemented priority bits (GICD_IPRIORITYR keeps the top `priorityBits` bits of each byte).
        public var priorityBits: Int

        /// The GICD frame's size: 4 KiB for GICv2, 64 KiB for GICv3.
        public var distributorSize: UInt64 { type == .gicv2 ? 0x1000 : 0x1_0000 }
        /// The GICC frame's size, 8 KiB (GICv2 architecture, GICC_DIR at 0x1000).
        public static let cpuInterfaceSize: UInt64 = 0x2000
        /// One core's GICR frames: RD_base plus SGI_base, 64 KiB each.
        public static let redistributorStride: UInt64 = 0x2_0000
        /// The highest SPI INTID: 32 + spis - 1, but never into the special INTIDs 1020–1023.
        public var lastSPI: Int { min(32 + spis - 1, 1019) }
    }

    /// The GIC architecture versions evlsim models.
    public enum GICType: String, Sendable, CaseIterable {
        case gicv2
        case gicv3
    }

    /// The generic timer's counter frequency and the PPI each timer drives.
    public struct Timer: Sendable, Equatable {
        /// CNTFRQ_EL0: the system counter's frequency in Hz.
        public var frequencyHz: UInt64
        /// The EL1 physical timer's PPI (CNTP_*_EL0).
        public var physicalPPI: Int
        /// The virtual timer's PPI (CNTV_*_EL0).
        public var virtualPPI: Int
        /// The EL2 physical timer's PPI (CNTHP_*_EL2).
        public var hypervisorPPI: Int
        /// The secure physical timer's PPI (CNTPS_*_EL1).
        public var securePhysicalPPI: Int

        /// The PPIs in the form `GenericTimer(ppis:)` takes.
        public var ppis: [GenericTimerKind: Int] {
            [.physical: physicalPPI, .virtual: virtualPPI,
             .hypervisor: hypervisorPPI, .securePhysical: securePhysicalPPI]
        }
    }

    /// A UART on the physical bus.
    public struct UART: Sendable, Equatable {
        /// A label for messages and traces ("uart0").
        public var name: String
        /// Which device model answers there.
        public var type: UARTType
        /// The physical address of its register window.
        public var base: UInt64
        /// The GIC INTID (an SPI) of its interrupt line.
        public var irq: Int
        /// evlsim maps 4 KiB for every UART model (PL011.windowSize, IMXUART.windowSize); the
        /// i.MX device tree reserves 64 KiB, but its registers end at 0xBC.
        public var size: UInt64 { 0x1000 }
    }

    /// The UART models evlsim has.
    public enum UARTType: String, Sendable, CaseIterable {
        /// The ARM PrimeCell PL011 (`PL011`).
        case pl011
        /// The i.MX 8M Mini UART (`IMXUART`).
        case imxUART = "imx-uart"
    }

    /// How the guest calls PSCI firmware.
    public struct PSCI: Sendable, Equatable {
        /// The calling instruction.
        public var conduit: PSCIConduit
    }

    /// The instruction that calls PSCI: HVC (QEMU virt without EL2 firmware) or SMC (TF-A).
    public enum PSCIConduit: String, Sendable, CaseIterable {
        case hvc
        case smc
    }

    /// What the cycle-approximate model takes from the board file: the core's pipeline and
    /// per-class latencies, its predictor and TLBs, the cache levels and DRAM, each cited in the file.
    public struct Timing: Sendable, Equatable {
        /// One cache level.
        public struct Cache: Sendable, Equatable {
            public var size: UInt64
            public var ways: Int
            public var lineSize: Int
            /// Load-to-use latency of a hit, in core cycles.
            public var latency: Int
        }
        /// The core's pipeline: how it issues, its pipe groups and each instruction class's figures.
        public struct Core: Sendable, Equatable {
            public var outOfOrder: Bool
            public var width: Int
            public var window: Int
            /// Pipe groups in file order, with how many identical pipes each has.
            public var pipes: [PipeGroup]
            /// Figures per instruction class, by the class's board-file name ("alu-shifted").
            public var classes: [String: Class]
        }
        /// A named group of identical pipes.
        public struct PipeGroup: Sendable, Equatable {
            public var name: String
            public var count: Int
            public init(name: String, count: Int) { self.name = name; self.count = count }
        }
        /// One instruction class's result latency, pipe group and pipe occupancy, in cycles.
        public struct Class: Sendable, Equatable {
            public var latency: Int
            public var pipe: String
            public var occupancy: Int
            public init(latency: Int, pipe: String, occupancy: Int = 1) { self.latency = latency; self.pipe = pipe; self.occupancy = occupancy }
        }
        /// The branch predictor's sizes.
        public struct Predictor: Sendable, Equatable {
            public var historyBits: Int
            public var btbEntries: Int
            public var returnStack: Int
        }
        /// The TLBs' sizes and costs.
        public struct TLB: Sendable, Equatable {
            public var l1iEntries: Int
            public var l1dEntries: Int
            public var l2Entries: Int
            public var l2Ways: Int
            public var l2Latency: Int
            public var walkLatency: Int
        }
        public var core: Core
        public var predictor: Predictor
        public var tlb: TLB
        public var mispredictPenalty: Int
        public var l1i: Cache
        public var l1d: Cache
        public var l2: Cache
        public var dramLatency: SimTime
        /// DRAM bandwidth in MB/s (10^6 bytes per second).
        public var dramBandwidthMBps: UInt64
    }

    // MARK: Derived values

    /// MPIDR_EL1 of core `core` as it reads it: Aff1.Aff0 from the cluster size, bit 31 RES1, U (bit 30) clear.
    public func mpidr(core: Int) -> UInt64 {
        precondition(core >= 0 && core < cpu.count, "core index out of range")
        let aff0 = UInt64(core % cpu.clusterSize), aff1 = UInt64(core / cpu.clusterSize)
        return 1 << 31 | aff1 << 8 | aff0
    }

    /// The size of the whole GICR region: one 128 KiB frame pair per core (0 for GICv2).
    public var redistributorSize: UInt64 {
        interruptController.type == .gicv3 ? InterruptController.redistributorStride * UInt64(cpu.count) : 0
    }

    /// The core clock as a clock domain.
    public var cpuClock: ClockDomain { ClockDomain(hertz: cpu.frequencyHz) }

    /// The system counter as a clock domain.
    public var timerClock: ClockDomain { ClockDomain(hertz: timer.frequencyHz) }

    /// One window on the physical bus, named by its field path.
    public struct Region: Sendable, Equatable {
        /// The field path of its base address ("memory[0].base", "interrupt-controller.distributor", "uarts[1].base").
        public var field: String
        /// What sits there ("ram", "GIC distributor", "uart0 (pl011)").
        public var label: String
        /// Its first physical address.
        public var base: UInt64
        /// Its size in bytes.
        public var size: UInt64
        /// The first physical address past it.
        public var end: UInt64 { base &+ size }
    }

    /// Every window on the physical bus, in file order: memory, GIC frames, UARTs.
    public var regions: [Region] {
        var r = memory.enumerated().map {
            Region(field: "memory[\($0.offset)].base", label: "memory '\($0.element.name)'",
                   base: $0.element.base, size: $0.element.size)
        }
        let gic = interruptController
        r.append(Region(field: "interrupt-controller.distributor", label: "GIC distributor",
                        base: gic.distributor, size: gic.distributorSize))
        if let c = gic.cpuInterface {
            r.append(Region(field: "interrupt-controller.cpu-interface", label: "GIC CPU interface",
                            base: c, size: InterruptController.cpuInterfaceSize))
        }
        if let rd = gic.redistributors {
            r.append(Region(field: "interrupt-controller.redistributors",
                            label: "GIC redistributors (\(cpu.count) cores)",
                            base: rd, size: redistributorSize))
        }
        for (i, u) in uarts.enumerated() {
            r.append(Region(field: "uarts[\(i)].base", label: "UART '\(u.name)'", base: u.base, size: u.size))
        }
        return r
    }
}

extension BoardDescription: Equatable {
    /// Two descriptions are equal when they describe the same hardware; where they were read from does not count.
    public static func == (a: BoardDescription, b: BoardDescription) -> Bool {
        a.name == b.name && a.description == b.description && a.cpu == b.cpu && a.quantum == b.quantum
            && a.memory == b.memory && a.interruptController == b.interruptController
            && a.timer == b.timer && a.uarts == b.uarts && a.psci == b.psci && a.timing == b.timing
    }
}

/// A line and column in a board file, both counted from 1.
struct SourcePosition: Sendable, Equatable {
    var line: Int
    var column: Int
}
