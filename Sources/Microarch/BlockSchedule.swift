/// A basic block's schedule on one core model, computed once from its timing records, so
/// that replaying the block costs a few operations per block instead of the dataflow
/// model's work per instruction.
///
/// The schedule is the block issued from a clean start (every input ready and every pipe
/// free at the moment its first instruction dispatches), as `CoreTimingModel` would issue
/// it. At run time the block starts at time T and each output is T plus its clean offset;
/// what the clean start left out is put back at block grain:
/// - in order (Cortex-A53): a late input or busy pipe delays the whole block, by how much
///   its first user in the block would have waited (T is the latest such start);
/// - out of order (Cortex-A72): the block dispatches when the front end and the window let
///   it; a late input delays only the results that depend on it, by the longest latency
///   path from it through the block (a max-plus term per input and result).
///
/// This is exact when nothing binds but the front end, which is the common case, and
/// approximate otherwise (an in-order stall that a later instruction of the block would
/// have absorbed, pipes shared with the block before). Blocks in which something dynamic
/// happened (a cache miss, a long divide, a fetch stall) are not replayed from their
/// schedule but instruction by instruction, exactly.
///
/// Storage is one raw allocation (header, then its lists), owned by whoever holds the
/// block's records (a decoded page frees it with the page).
public struct BlockSchedule {
    /// Longest block given a schedule; longer straight-line code replays exactly.
    public static let maxLength = 64

    /// The fixed part, followed in memory by the constraints, outputs and terms.
    @usableFromInline struct Header {
        /// `CoreTimingModel.identity` of the model that computed it.
        @usableFromInline var owner: UInt32
        @usableFromInline var length: UInt16
        @usableFromInline var branch: CoreTimingModel.BranchCategory
        @usableFromInline var constraintCount: UInt8
        @usableFromInline var groupCount: UInt8
        @usableFromInline var outputCount: UInt8
        @usableFromInline var termCount: UInt16
        /// Scaled offsets from the block's start: where dispatch stands after it, the last
        /// issue (in order), the latest completion, and the issue of its final branch.
        @usableFromInline var dispatchEnd: UInt32
        @usableFromInline var lastIssue: UInt32
        @usableFromInline var retire: UInt32
        @usableFromInline var branchIssue: UInt32
    }

    /// An input: a clock in the model's state (a register slot's ready time) that the block's
    /// first user of it reads at `firstUse` after the block's start.
    @usableFromInline struct Constraint {
        @usableFromInline var index: UInt32
        @usableFromInline var firstUse: UInt32
    }

    /// A group of (one or two identical) pipes the block uses: its first and second use, and
    /// the pipes' free times after the block. With one use, only the pipe that was free
    /// first is taken and written.
    @usableFromInline struct PipeGroup {
        @usableFromInline var pipeA: UInt16, pipeB: UInt16
        @usableFromInline var first: UInt32, second: UInt32
        @usableFromInline var freeA: UInt32, freeB: UInt32
        @usableFromInline var uses: UInt32
    }

    /// A clock the block sets: state index and offset from the block's start.
    @usableFromInline struct Output {
        @usableFromInline var index: UInt32
        @usableFromInline var offset: UInt32
    }

    /// Out of order: output `output` is at least input clock `index` plus `length`. Outputs
    /// past the register list are the branch's issue (`outputCount`) and the block's latest
    /// completion (`outputCount + 1`).
    @usableFromInline struct Term {
        @usableFromInline var index: UInt16
        @usableFromInline var output: UInt16
        @usableFromInline var length: UInt32
    }

    @usableFromInline let base: UnsafeMutableRawPointer

    @inlinable init(_ base: UnsafeMutableRawPointer) { self.base = base }

    @inlinable var header: UnsafeMutablePointer<Header> { base.assumingMemoryBound(to: Header.self) }
    @inlinable var constraints: UnsafeMutablePointer<Constraint> {
        (base + Self.headerBytes).assumingMemoryBound(to: Constraint.self)
    }
    @inlinable var groups: UnsafeMutablePointer<PipeGroup> {
        (base + Self.headerBytes + Int(header.pointee.constraintCount) * MemoryLayout<Constraint>.stride)
            .assumingMemoryBound(to: PipeGroup.self)
    }
    @inlinable var outputs: UnsafeMutablePointer<Output> {
        let h = header.pointee
        return (base + Self.headerBytes + Int(h.constraintCount) * MemoryLayout<Constraint>.stride
                + Int(h.groupCount) * MemoryLayout<PipeGroup>.stride).assumingMemoryBound(to: Output.self)
    }
    @inlinable var terms: UnsafeMutablePointer<Term> {
        let h = header.pointee
        return (base + Self.headerBytes + Int(h.constraintCount) * MemoryLayout<Constraint>.stride
                + Int(h.groupCount) * MemoryLayout<PipeGroup>.stride + Int(h.outputCount) * MemoryLayout<Output>.stride)
            .assumingMemoryBound(to: Term.self)
    }
    @usableFromInline static var headerBytes: Int { (MemoryLayout<Header>.stride + 15) & ~15 }

    /// Frees a schedule made by `CoreTimingModel.schedule`.
    public static func free(_ p: UnsafeMutableRawPointer) { p.deallocate() }

    /// How many instructions it covers.
    public var length: Int { Int(header.pointee.length) }
}

extension CoreTimingModel {
    /// The schedule of the block whose records start at `records`: the instructions up to and
    /// including the first branch, stopping before a record of kind `absent` or at
    /// `BlockSchedule.maxLength`. The caller owns the memory returned (`BlockSchedule.free`).
    public func schedule(_ records: UnsafePointer<TimingRecord>) -> UnsafeMutableRawPointer {
        var n = 0
        while n < BlockSchedule.maxLength && records[n].kind != TimingRecord.absent {
            let c = classes[Int(records[n].kind)]
            n += 1
            if c.branch != .none { break }
        }
        if !inOrder { n = min(n, window) }
        return BlockScheduler(model: self, records: records, count: n).build()
    }
}

/// Issues one block from a clean start and lays out its schedule (not a hot path: once per
/// block and model).
private struct BlockScheduler {
    let model: CoreTimingModel
    let records: UnsafePointer<TimingRecord>
    let count: Int

    /// Paths from each input (by position in `inputs`) to a value, or nil where none leads.
    typealias Paths = [Int: UInt64]

    func build() -> UnsafeMutableRawPointer {
        let scale = model.scale
        let slots = CoreTimingModel.pipesAt
        var ready = [UInt64](repeating: 0, count: slots)
        var written = [Bool](repeating: false, count: slots)
        var pipeFree = [UInt64](repeating: 0, count: model.pipeCount)
        // Input registers in order of first use, with that use's issue time.
        var inputs: [(slot: Int, firstUse: UInt64)] = []
        var inputOf = [Int: Int]() // slot -> position in inputs
        var paths = [Paths](repeating: [:], count: slots) // out of order: input -> path to the slot's value
        var retirePaths: Paths = [:]
        var branchPaths: Paths = [:]
        // Pipe groups by their first pipe: issue times of uses, in order.
        var groupUses: [Int: [UInt64]] = [:]
        var groupPipes: [Int: (Int, Int)] = [:]
        var dispatch: UInt64 = 0, lastIssue: UInt64 = 0, retired: UInt64 = 0, branchIssue: UInt64 = 0
        var branch = CoreTimingModel.BranchCategory.none

        for k in 0..<count {
            let r = records[k]
            let c = model.classes[Int(r.kind)]
            var t = dispatch
            dispatch = t + 1
            let sources = [r.s0, r.s1, r.s2, r.s3].map(Int.init)
            for s in sources { t = max(t, ready[s]) }
            if model.inOrder { t = max(t, lastIssue) }
            let pa = Int(c.pipeA), pb = Int(c.pipeB)
            let pipe = pipeFree[pb] < pipeFree[pa] ? pb : pa
            t = max(t, min(pipeFree[pa], pipeFree[pb]))
            pipeFree[pipe] = t + UInt64(c.occupancy)
            if model.inOrder { lastIssue = t }
            let done = t + UInt64(c.latency)

            // Inputs: sources not yet written in the block (a real slot, not "no source").
            var issuePaths: Paths = [:]
            for s in sources where s != Int(TimingRecord.noSource) {
                if !written[s] {
                    if inputOf[s] == nil {
                        inputOf[s] = inputs.count
                        inputs.append((s, t))
                    }
                    let j = inputOf[s]!
                    issuePaths[j] = max(issuePaths[j] ?? 0, 0)
                } else {
                    for (j, p) in paths[s] { issuePaths[j] = max(issuePaths[j] ?? 0, p) }
                }
            }
            groupUses[pa, default: []].append(t)
            groupPipes[pa] = (pa, pb)

            for (j, p) in issuePaths { retirePaths[j] = max(retirePaths[j] ?? 0, p + UInt64(c.latency)) }
            for (d, value, extra) in [(Int(r.d0), done, UInt64(c.latency)), (Int(r.d1), done, UInt64(c.latency)), (Int(r.d2), t + scale, scale)]
            where d != Int(TimingRecord.sink) {
                ready[d] = value
                written[d] = true
                paths[d] = issuePaths.mapValues { $0 + extra }
            }
            retired = max(retired, done)
            if model.inOrder && dispatch < t { dispatch = t }
            if c.branch != .none && k == count - 1 {
                branch = c.branch
                branchIssue = t
                branchPaths = issuePaths
            }
        }

        // Lay out: header, constraints (inputs), pipe groups, outputs, terms.
        var outputs: [(index: Int, offset: UInt64)] = []
        for s in 0..<slots where written[s] && s != Int(TimingRecord.sink) { outputs.append((s, ready[s])) }
        var groups: [BlockSchedule.PipeGroup] = []
        for (first, uses) in groupUses.sorted(by: { $0.key < $1.key }) {
            let (pa, pb) = groupPipes[first]!
            let two = pa != pb && uses.count >= 2
            groups.append(.init(pipeA: UInt16(pa), pipeB: UInt16(pb), first: UInt32(uses[0]),
                                second: two ? UInt32(uses[1]) : .max,
                                freeA: UInt32(pipeFree[pa]), freeB: UInt32(pipeFree[pb]), uses: two ? 2 : 1))
            if !two { groups[groups.count - 1].freeA = UInt32(max(pipeFree[pa], pa == pb ? 0 : pipeFree[pb])) }
        }
        var terms: [BlockSchedule.Term] = []
        if !model.inOrder {
            for (o, out) in outputs.enumerated() {
                for (j, p) in paths[out.index].sorted(by: { $0.key < $1.key }) {
                    terms.append(.init(index: UInt16(inputs[j].slot), output: UInt16(o), length: UInt32(p)))
                }
            }
            for (j, p) in branchPaths.sorted(by: { $0.key < $1.key }) {
                terms.append(.init(index: UInt16(inputs[j].slot), output: UInt16(outputs.count), length: UInt32(p)))
            }
            for (j, p) in retirePaths.sorted(by: { $0.key < $1.key }) {
                terms.append(.init(index: UInt16(inputs[j].slot), output: UInt16(outputs.count + 1), length: UInt32(p)))
            }
        }

        let bytes = BlockSchedule.headerBytes + inputs.count * MemoryLayout<BlockSchedule.Constraint>.stride
            + groups.count * MemoryLayout<BlockSchedule.PipeGroup>.stride + outputs.count * MemoryLayout<BlockSchedule.Output>.stride
            + terms.count * MemoryLayout<BlockSchedule.Term>.stride
        let base = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        base.bindMemory(to: BlockSchedule.Header.self, capacity: 1).initialize(to: .init(
            owner: model.identity, length: UInt16(count), branch: branch, constraintCount: UInt8(inputs.count),
            groupCount: UInt8(groups.count), outputCount: UInt8(outputs.count), termCount: UInt16(terms.count),
            dispatchEnd: UInt32(dispatch), lastIssue: UInt32(lastIssue), retire: UInt32(retired), branchIssue: UInt32(branchIssue)))
        let s = BlockSchedule(base)
        for (k, input) in inputs.enumerated() {
            (s.constraints + k).initialize(to: .init(index: UInt32(input.slot), firstUse: UInt32(input.firstUse)))
        }
        for (k, g) in groups.enumerated() { (s.groups + k).initialize(to: g) }
        for (k, o) in outputs.enumerated() { (s.outputs + k).initialize(to: .init(index: UInt32(o.index), offset: UInt32(o.offset))) }
        for (k, t) in terms.enumerated() { (s.terms + k).initialize(to: t) }
        return base
    }
}
