import AArch64
import Microarch
import SimCore
import Yams

// The board file's `timing:` section: every figure the cycle-approximate model uses, each cited
// beside its value in the file. A board whose core is another board's can say
// `timing: { same-as: rpi4 }` instead; the catalog resolves it (BoardCatalog.load).

extension BoardFileReader {
    static let timingKeys = ["core", "predictor", "tlb", "mispredict-penalty", "l1i", "l1d", "l2", "dram"]

    /// The timing section: its figures, or the name of the board whose figures it borrows.
    mutating func timing(_ node: Node) throws -> (BoardDescription.Timing?, String?) {
        if let m = node.mapping, m.count == 1, m.keys.first?.scalar?.string == "same-as" {
            let f = try mapping(node, path: "timing", allowed: ["same-as"])
            return (nil, try string(f, "same-as"))
        }
        let f = try mapping(node, path: "timing", allowed: Self.timingKeys + ["same-as"])
        if let other = f.values["same-as"] {
            throw error(other, "timing.same-as", "same-as borrows another board's whole timing section; remove it or the other keys")
        }
        func cache(_ key: String) throws -> BoardDescription.Timing.Cache {
            let c = try mapping(f.required(key, reader: self), path: f.child(key), allowed: ["size", "ways", "line", "latency"])
            let level = BoardDescription.Timing.Cache(
                size: try size(c, "size", range: 1024...(1 << 30)),
                ways: Int(try integer(c, "ways", range: 1...64, what: "an associativity")),
                lineSize: Int(try integer(c, "line", range: 16...256, what: "a line size in bytes")),
                latency: Int(try integer(c, "latency", range: 0...1000, what: "a hit latency in cycles")))
            let sets = level.size / UInt64(level.ways * level.lineSize)
            guard level.lineSize & (level.lineSize - 1) == 0, sets > 0, sets & (sets - 1) == 0,
                  level.size == sets * UInt64(level.ways * level.lineSize) else {
                throw error(c.node, f.child(key), "expected a power-of-two line size and set count (size / (ways x line)), got \(level.size) bytes, \(level.ways) ways, \(level.lineSize)-byte lines")
            }
            return level
        }
        let dram = try mapping(f.required("dram", reader: self), path: f.child("dram"), allowed: ["latency", "bandwidth-mb-per-s"])
        return (BoardDescription.Timing(
            core: try core(try mapping(f.required("core", reader: self), path: f.child("core"),
                                       allowed: ["issue", "width", "window", "pipes", "classes"])),
            predictor: try predictor(try mapping(f.required("predictor", reader: self), path: f.child("predictor"),
                                                 allowed: ["history-bits", "btb", "return-stack"])),
            tlb: try tlb(try mapping(f.required("tlb", reader: self), path: f.child("tlb"),
                                     allowed: ["l1i", "l1d", "l2", "l2-ways", "l2-latency", "walk"])),
            mispredictPenalty: Int(try integer(f, "mispredict-penalty", range: 0...100, what: "a penalty in cycles")),
            l1i: try cache("l1i"), l1d: try cache("l1d"), l2: try cache("l2"),
            dramLatency: try time(dram, "latency", range: .nanoseconds(1)...SimTime.microseconds(10)),
            dramBandwidthMBps: try integer(dram, "bandwidth-mb-per-s", range: 1...1_000_000, what: "a bandwidth in MB/s")), nil)
    }

    /// How the core issues (`in-order` or `out-of-order`).
    enum IssueOrder: String, CaseIterable { case inOrder = "in-order", outOfOrder = "out-of-order" }

    private mutating func core(_ f: Fields) throws -> BoardDescription.Timing.Core {
        let order: IssueOrder = try choice(f, "issue")
        let pipesNode = try f.required("pipes", reader: self)
        guard let pipeMap = pipesNode.mapping, !pipeMap.isEmpty else {
            throw error(pipesNode, f.child("pipes"), "expected a mapping of pipe-group names to pipe counts, got \(Self.describe(pipesNode))")
        }
        let pipeNames: [String] = Array(pipeMap.keys.compactMap { $0.scalar?.string })
        let pf = try mapping(pipesNode, path: f.child("pipes"), allowed: pipeNames)
        var pipes: [BoardDescription.Timing.PipeGroup] = []
        for name in pipeNames {
            pipes.append(.init(name: name, count: Int(try integer(pf, name, range: 1...UInt64(CoreTimingModel.maxPipesPerGroup),
                                                                 what: "a pipe count"))))
        }
        let classesNode = try f.required("classes", reader: self)
        let classNames = TimingShape.Kind.allCases.filter { $0 != .none }.map(\.boardName)
        let cf = try mapping(classesNode, path: f.child("classes"), allowed: classNames)
        var classes: [String: BoardDescription.Timing.Class] = [:]
        for name in classNames {
            guard let node = cf.values[name] else {
                throw error(classesNode, cf.child(name), "missing the figures of class \(name); every class needs latency and pipe (classes: \(classNames.joined(separator: ", ")))")
            }
            let c = try mapping(node, path: cf.child(name), allowed: ["latency", "pipe", "occupancy"])
            let pipe = try string(c, "pipe")
            guard pipeNames.contains(pipe) else {
                throw error(c.values["pipe"], c.child("pipe"), "expected one of the pipe groups \(pipeNames.joined(separator: ", ")), got '\(pipe)'")
            }
            classes[name] = .init(latency: Int(try integer(c, "latency", range: 0...1000, what: "a latency in cycles")), pipe: pipe,
                                  occupancy: c.values["occupancy"] == nil ? 1
                                      : Int(try integer(c, "occupancy", range: 1...1000, what: "an occupancy in cycles")))
        }
        return .init(outOfOrder: order == .outOfOrder,
                     width: Int(try integer(f, "width", range: 1...8, what: "a dispatch width")),
                     window: Int(try integer(f, "window", range: 1...1024, what: "a window (reorder buffer) size")),
                     pipes: pipes, classes: classes)
    }

    private mutating func predictor(_ f: Fields) throws -> BoardDescription.Timing.Predictor {
        let btb = Int(try integer(f, "btb", range: 1...65536, what: "a BTB size"))
        guard btb & (btb - 1) == 0 else { throw error(f.values["btb"], f.child("btb"), "expected a power of two, got \(btb)") }
        return .init(historyBits: Int(try integer(f, "history-bits", range: 1...20, what: "a history length in bits")),
                     btbEntries: btb,
                     returnStack: Int(try integer(f, "return-stack", range: 1...256, what: "a return-stack depth")))
    }

    private mutating func tlb(_ f: Fields) throws -> BoardDescription.Timing.TLB {
        let t = BoardDescription.Timing.TLB(
            l1iEntries: Int(try integer(f, "l1i", range: 1...4096, what: "an entry count")),
            l1dEntries: Int(try integer(f, "l1d", range: 1...4096, what: "an entry count")),
            l2Entries: Int(try integer(f, "l2", range: 1...65536, what: "an entry count")),
            l2Ways: Int(try integer(f, "l2-ways", range: 1...64, what: "an associativity")),
            l2Latency: Int(try integer(f, "l2-latency", range: 0...1000, what: "a latency in cycles")),
            walkLatency: Int(try integer(f, "walk", range: 0...10000, what: "a walk latency in cycles")))
        if let problem = t.configuration.problem { throw error(f.node, f.path, problem) }
        return t
    }
}

extension BoardDescription.Timing.TLB {
    /// The TLB model's configuration.
    public var configuration: TLBModel.Configuration {
        .init(l1iEntries: l1iEntries, l1dEntries: l1dEntries, l2Entries: l2Entries, l2Ways: l2Ways, l2Latency: l2Latency, walkLatency: walkLatency)
    }
}

extension BoardDescription.Timing {
    /// The model's figures for a core at `coreHz` in a board of `cores` cores sharing one L2.
    public func profile(coreHz: UInt64, cores: Int) -> ApproximateTiming.CoreProfile {
        func geometry(_ c: Cache) -> CacheGeometry {
            CacheGeometry(size: Int(c.size), ways: c.ways, lineSize: c.lineSize, hitLatency: c.latency)
        }
        let kinds = TimingShape.Kind.allCases
        let groupIndex = Dictionary(uniqueKeysWithValues: core.pipes.enumerated().map { ($0.element.name, $0.offset) })
        // `none` (NOPs, hints) takes one slot on the ALU's pipe group with no latency of note.
        let figures = kinds.map { k in core.classes[k.boardName] ?? Class(latency: 1, pipe: core.classes["alu"]?.pipe ?? core.pipes[0].name, occupancy: 1) }
        let parameters = CoreTimingModel.Parameters(
            width: core.width, inOrder: !core.outOfOrder, window: core.window, mispredictPenalty: mispredictPenalty,
            latency: figures.map(\.latency), pipe: figures.map { groupIndex[$0.pipe] ?? 0 }, occupancy: figures.map(\.occupancy),
            pipeGroups: core.pipes.map(\.count))
        let memory = MemoryHierarchy.Configuration(
            l1i: geometry(l1i), l1d: geometry(l1d), l2: geometry(l2), coresPerL2: max(cores, 1),
            // ns at the core clock, rounded to the nearest cycle; MB/s as bytes per core cycle.
            dramLatency: Int((dramLatency.picoseconds * coreHz + 500_000_000_000) / 1_000_000_000_000),
            dramBytesPerCycle: Double(dramBandwidthMBps) * 1e6 / Double(coreHz))
        return ApproximateTiming.CoreProfile(
            core: parameters,
            predictor: .init(historyBits: predictor.historyBits, btbEntries: predictor.btbEntries, returnStackDepth: predictor.returnStack),
            tlb: tlb.configuration, memory: memory)
    }
}
