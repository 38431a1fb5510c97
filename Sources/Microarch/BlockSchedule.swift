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
///   it; a late input (a register, or a pipe still busy with the blocks before) delays only
///   the results that depend on it, by the longest path from it through the block (a
///   max-plus term per input and result).
///
/// This is exact when nothing binds but the front end, which is the common case, and
/// approximate otherwise (an in-order stall that a later instruction of the block would
/// have absorbed; out of order, a busy pipe whose twin would have taken the instruction,
/// and the window, which holds the block's start rather than each instruction, though each
/// instruction notes its own retirement for the window to read). Blocks in
/// which something dynamic happened (a cache miss, a long divide, a fetch stall) are not
/// replayed from their schedule but instruction by instruction, exactly.
///
/// Consecutive blocks replay as a group from one schedule of their instructions as one
/// straight line (see `Successor`), so the per-block work (reading inputs, writing outputs,
/// the window) is done once per group.
///
/// Storage is one raw allocation (header, successors, then its lists), owned by whoever holds
/// the block's records (a decoded page frees it with the page, and the groups' schedules
/// made from it).
public struct BlockSchedule {
    /// Longest block given a schedule; longer straight-line code replays exactly.
    public static let maxLength = 64

    /// The fixed part, followed in memory by the successors and then its lists: inputs, pipe
    /// inputs (in order), outputs, retirement deltas (out of order), pairs, terms, blocks.
    /// What holding a block reads comes first, in the allocation's first cache line.
    @usableFromInline struct Header {
        /// `CoreTimingModel.identity` of the model that computed it.
        @usableFromInline var owner: UInt32
        @usableFromInline var length: UInt16
        @usableFromInline var branch: CoreTimingModel.BranchCategory
        /// The blocks the schedule joins (see `blocks`), and the final branch's address less
        /// the last block's, in bytes.
        @usableFromInline var blocks: UInt8
        @usableFromInline var branchAt: UInt16
        /// The inputs the scheduler found in its walk: in order the registers (the pipe
        /// inputs that can bind, `pipeInputs`, follow them); out of order every input, pipes
        /// among them.
        @usableFromInline var inputCount: UInt8
        @usableFromInline var pipeInputs: UInt8
        @usableFromInline var outputCount: UInt8
        @usableFromInline var pairCount: UInt8
        @usableFromInline var termCount: UInt16
        /// Scaled offsets from the block's start: where dispatch stands after it, the last
        /// issue (in order), the latest completion, and the issue of its final branch.
        @usableFromInline var dispatchEnd: UInt32
        @usableFromInline var lastIssue: UInt32
        @usableFromInline var retire: UInt32
        @usableFromInline var branchIssue: UInt32
        @usableFromInline var pairsAt: UInt16
        @usableFromInline var termsAt: UInt16
        /// Out of order, where the retirement deltas start (see `retirements`).
        @usableFromInline var retiresAt: UInt16
        @usableFromInline var blocksAt: UInt16
    }

    /// One block of a group: where its records are from the first block's, and how many.
    struct Block {
        var offset: Int32
        var count: UInt16
    }

    /// An input (a clock in the model's state: a register slot's ready time or a pipe's free
    /// time) that the block first reads at `offset` after the block's start (out of order,
    /// the latest it may be and bind none of its terms; see `Term`); or an output, which the
    /// block sets to its start plus `offset`.
    @usableFromInline struct Clock {
        @usableFromInline var index: UInt16
        /// Out of order, where an input's terms start in the list (they end where the next
        /// clock's start; an output's is the number of terms).
        @usableFromInline var terms: UInt16
        @usableFromInline var offset: UInt32
    }

    /// In order, a group of two identical pipes the block uses once: the pipe free first
    /// (`low`: the model keeps each pair ordered) takes the use, and the pair is ordered
    /// again. Out of order, a pair of which the block sets a pipe, to be ordered again.
    @usableFromInline struct Pair {
        @usableFromInline var low: UInt16, high: UInt16
        @usableFromInline var offset: UInt32
    }

    /// Out of order: the clock `slot` is at least the input that owns the term plus `length`.
    /// The clock is an output, the model's latest completion (the longest path from the
    /// input to a register result) or the final branch's issue. Terms are grouped by input,
    /// in the inputs' order. An input no later than the block's start plus its offset binds
    /// none of its terms: that offset is the least, over its terms, of the clock's clean
    /// offset less the term's length (at least the input's earliest use, since every path
    /// from it begins at a use and the clean schedule holds each output that far after its uses).
    @usableFromInline struct Term {
        @usableFromInline var slot: UInt32
        @usableFromInline var length: UInt32
    }

    /// The schedule of this block or group followed by one successor, as one straight line:
    /// made the first time the successor ran whole after it, in the same page, while the
    /// predictor foresaw the branch between them (or nil: that successor cannot join). A
    /// block has at most two successors except after an indirect branch or a return, which
    /// no group joins past, so two entries hold them all and grouping does not depend on
    /// which ran first.
    @usableFromInline struct Successor {
        @usableFromInline var pc: UInt64
        @usableFromInline var schedule: UnsafeMutableRawPointer?
        @inlinable init(pc: UInt64, schedule: UnsafeMutableRawPointer?) { self.pc = pc; self.schedule = schedule }
    }
    @usableFromInline static var successorCount: Int { 2 }

    @usableFromInline let base: UnsafeMutableRawPointer

    @inlinable init(_ base: UnsafeMutableRawPointer) { self.base = base }

    @inlinable var header: UnsafeMutablePointer<Header> { base.assumingMemoryBound(to: Header.self) }
    @inlinable var successors: UnsafeMutablePointer<Successor> { (base + Self.successorsAt).assumingMemoryBound(to: Successor.self) }
    /// Register inputs, then pipe inputs, then outputs.
    @inlinable var clocks: UnsafeMutablePointer<Clock> { (base + Self.headerBytes).assumingMemoryBound(to: Clock.self) }
    @inlinable var pairs: UnsafeMutablePointer<Pair> { (base + Int(header.pointee.pairsAt)).assumingMemoryBound(to: Pair.self) }
    @inlinable var terms: UnsafeMutablePointer<Term> { (base + Int(header.pointee.termsAt)).assumingMemoryBound(to: Term.self) }
    /// Out of order, by instruction, how much earlier than the block's latest completion it
    /// retires in the clean schedule (its own completion or an earlier one's, whichever is
    /// later): the window then reads each instruction's own retirement, not the whole
    /// block's. A burst (`CoreTimingModel.retireBurst`) from any of them reads on into the
    /// lists after them, which the allocation pads: it notes garbage past the block's last
    /// instruction, where the ring is written again before it is read.
    @inlinable var retirements: UnsafeRawPointer { UnsafeRawPointer(base + Int(header.pointee.retiresAt)) }
    /// The blocks joined, in order (`header.blocks` of them; one for a block's own schedule).
    var blocks: UnsafeMutablePointer<Block> { (base + Int(header.pointee.blocksAt)).assumingMemoryBound(to: Block.self) }
    @usableFromInline static var successorsAt: Int { (MemoryLayout<Header>.stride + 7) & ~7 }
    @usableFromInline static var headerBytes: Int { successorsAt + successorCount * MemoryLayout<Successor>.stride }

    /// Frees a schedule made by `CoreTimingModel.schedule`, with the groups' schedules made from it.
    public static func free(_ p: UnsafeMutableRawPointer) {
        let s = BlockSchedule(p)
        for k in 0..<successorCount { if let q = s.successors[k].schedule { free(q) } } // a group's own successors too
        p.deallocate()
    }
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
        return schedule(records, count: n, blocks: [.init(offset: 0, count: UInt16(n))])
    }

    /// The schedule of the `count` instructions at `records` as one block (a branch before the
    /// last one taken as foreseen), which joins `blocks`.
    func schedule(_ records: UnsafePointer<TimingRecord>, count: Int, blocks: [BlockSchedule.Block]) -> UnsafeMutableRawPointer {
        BlockScheduler(model: self, records: records, count: count, blocks: blocks).build()
    }
}

/// Issues one block from a clean start and lays out its schedule (not a hot path: once per
/// block and model).
private struct BlockScheduler {
    let model: CoreTimingModel
    let records: UnsafePointer<TimingRecord>
    let count: Int
    let blocks: [BlockSchedule.Block]

    /// Paths from each input (by position in `inputs`) to a value, or nil where none leads.
    typealias Paths = [Int: UInt64]

    func build() -> UnsafeMutableRawPointer {
        let scale = model.scale
        let slots = CoreTimingModel.pipesAt
        let pipeBase = CoreTimingModel.pipesAt
        var ready = [UInt64](repeating: 0, count: slots)
        // Out of order, a pipe is a clock like a register: its first user reads it, and each
        // user sets it (its issue plus its occupancy), so a pipe busy with the blocks before
        // delays this block's users of it and their dependents, through terms.
        var written = [Bool](repeating: false, count: slots + model.pipeCount)
        var pipeFree = [UInt64](repeating: 0, count: model.pipeCount)
        // Inputs in order of first use, with the time of their earliest use.
        var inputs: [(slot: Int, firstUse: UInt64)] = []
        var inputOf = [Int: Int]() // slot -> position in inputs
        var paths = [Paths](repeating: [:], count: slots + model.pipeCount) // out of order: input -> path to the slot's value
        var branchPaths: Paths = [:]
        // Pipe groups by their first pipe: issue times of uses, in order.
        var groupUses: [Int: [UInt64]] = [:]
        var groupPipes: [Int: (Int, Int)] = [:]
        var dispatch: UInt64 = 0, lastIssue: UInt64 = 0, retired: UInt64 = 0, branchIssue: UInt64 = 0
        var retiredBy: [UInt64] = [] // the latest completion after each instruction
        var branch = CoreTimingModel.BranchCategory.none

        for k in 0..<count {
            let r = records[k]
            let c = model.classes[Int(r.kind)]
            var t = dispatch
            dispatch = t + 1
            var sources = [r.s0, r.s1, r.s2, r.s3].map(Int.init)
            let pa = Int(c.pipeA), pb = Int(c.pipeB)
            let pipe = pipeFree[pb] < pipeFree[pa] ? pb : pa
            let reserved = max(t, min(pipeFree[pa], pipeFree[pb]))
            for s in sources { t = max(t, ready[s]) }
            if model.inOrder { t = max(t, lastIssue) }
            t = max(t, reserved)
            if !model.inOrder { sources.append(pipeBase + pipe) }
            // Out of order a pipelined unit's slot is taken in dispatch order, whether or not
            // the operands are ready (see `CoreTimingModel.issue`).
            pipeFree[pipe] = (model.inOrder || c.unpipelined ? t : reserved) + UInt64(c.occupancy)
            if model.inOrder { lastIssue = t }
            let done = t + UInt64(c.latency)

            // Inputs: sources not yet written in the block (a real slot, not "no source").
            var issuePaths: Paths = [:]
            for s in sources where s != Int(TimingRecord.noSource) {
                if !written[s] {
                    if inputOf[s] == nil {
                        inputOf[s] = inputs.count
                        // A pipe is first used at its slot's reservation, a register at the
                        // earliest issue of its users (out of order, not the first in order).
                        inputs.append((s, s >= slots ? reserved : t))
                    }
                    let j = inputOf[s]!
                    if s < slots { inputs[j].firstUse = min(inputs[j].firstUse, t) }
                    issuePaths[j] = max(issuePaths[j] ?? 0, 0)
                } else {
                    for (j, p) in paths[s] { issuePaths[j] = max(issuePaths[j] ?? 0, p) }
                }
            }
            groupUses[pa, default: []].append(t)
            groupPipes[pa] = (pa, pb)

            var destinations = [(Int(r.d0), done, UInt64(c.latency)), (Int(r.d1), done, UInt64(c.latency)), (Int(r.d2), t + scale, scale)]
            if !model.inOrder { destinations.append((pipeBase + pipe, t + UInt64(c.occupancy), UInt64(c.occupancy))) }
            for (d, value, extra) in destinations where d != Int(TimingRecord.sink) {
                if d < slots { ready[d] = value }
                // A pipelined unit's free time follows only its own backlog (its slots are
                // taken in dispatch order); an unpipelined one is busy from its user's issue.
                if d < slots || c.unpipelined {
                    paths[d] = issuePaths.mapValues { $0 + extra }
                } else {
                    paths[d] = (written[d] ? paths[d] : [inputOf[d]!: 0]).mapValues { $0 + extra }
                }
                written[d] = true
            }
            retired = max(retired, done)
            retiredBy.append(retired)
            if model.inOrder && dispatch < t { dispatch = t }
            if c.branch != .none && k == count - 1 {
                branch = c.branch
                branchIssue = t
                branchPaths = issuePaths
            }
        }

        // Lay out: header, register inputs, pipe inputs, outputs, pairs, terms. A pair of
        // pipes is kept ordered (the first free first), so the first use of a group is an
        // input on its low pipe and the second on its high one.
        var outputs: [(index: Int, offset: UInt64)] = []
        for s in 0..<slots where written[s] && s != Int(TimingRecord.sink) { outputs.append((s, ready[s])) }
        let registerOutputs = outputs.count
        if !model.inOrder {
            for p in 0..<model.pipeCount where written[pipeBase + p] { outputs.append((pipeBase + p, pipeFree[p])) }
        }
        var pipeInputs: [(index: Int, offset: UInt64)] = []
        var pairs: [BlockSchedule.Pair] = []
        // In order, what the block before left in a pipe is free by then plus the longest
        // occupancy of the pipe's classes: a later first use cannot wait for it, and a pipe
        // free by the end of dispatch cannot hold the next block. Neither is kept. Out of
        // order, pipes are inputs and outputs with terms like registers (above); a pair of
        // identical pipes is taken as the clean schedule chose them, the first free first,
        // which the model keeps true by ordering each pair after every block.
        func input(_ pipe: Int, _ use: UInt64) {
            if model.inOrder && use < model.longestOccupancy[pipe] { pipeInputs.append((pipeBase + pipe, use)) }
        }
        func output(_ pipe: Int, _ free: UInt64) {
            if !model.inOrder || free > dispatch { outputs.append((pipeBase + pipe, free)) }
        }
        for (first, uses) in groupUses.sorted(by: { $0.key < $1.key }) where model.inOrder {
            let (pa, pb) = groupPipes[first]!
            input(pa, uses[0])
            if pa == pb {
                output(pa, pipeFree[pa])
            } else if uses.count == 1 {
                pairs.append(.init(low: UInt16(pipeBase + pa), high: UInt16(pipeBase + pb), offset: UInt32(pipeFree[pa])))
            } else {
                input(pb, uses[1])
                output(pa, min(pipeFree[pa], pipeFree[pb]))
                output(pb, max(pipeFree[pa], pipeFree[pb]))
            }
        }
        var terms: [BlockSchedule.Term] = []
        var termsPerInput = [Int](repeating: 0, count: inputs.count)
        if !model.inOrder {
            for (j, _) in inputs.enumerated() {
                let before = terms.count
                var retire: UInt64?
                // How late the input may be (after the block's start) and bind no term: each
                // term's clock is at least the block's start plus its clean offset when the
                // terms apply, so a term binds only if the input is later than that offset
                // less the term's length. Apply takes no input that late as late.
                var slack = UInt64(UInt32.max)
                for (o, out) in outputs.enumerated() {
                    guard let p = paths[out.index][j] else { continue }
                    terms.append(.init(slot: UInt32(out.index), length: UInt32(p)))
                    slack = min(slack, out.offset > p ? out.offset - p : 0)
                    if o < registerOutputs { retire = max(retire ?? 0, p) }
                }
                if let r = retire {
                    terms.append(.init(slot: UInt32(CoreTimingModel.retireSlot), length: UInt32(r)))
                    slack = min(slack, retired > r ? retired - r : 0)
                }
                if let p = branchPaths[j] {
                    terms.append(.init(slot: UInt32(CoreTimingModel.branchSlot), length: UInt32(p)))
                    slack = min(slack, branchIssue > p ? branchIssue - p : 0)
                }
                termsPerInput[j] = terms.count - before
                inputs[j].firstUse = max(inputs[j].firstUse, slack)
            }
            while inputs.count % 4 != 0 {
                inputs.append((Int(TimingRecord.noSource), 0))
                termsPerInput.append(0)
            }
            // Each pair of identical pipes the block sets is ordered again after it.
            for g in model.pairs where outputs.contains(where: { $0.index == g.low || $0.index == g.high }) {
                pairs.append(.init(low: UInt16(g.low), high: UInt16(g.high), offset: 0))
            }
            // At least one output follows the inputs: its `terms` ends the last input's.
            if outputs.isEmpty { outputs.append((Int(TimingRecord.sink), 0)) }
            while outputs.count % 4 != 0 { outputs.append((Int(TimingRecord.sink), 0)) }
        }

        // The inputs (in order, registers and pipes together) and the outputs are padded to
        // fours, which apply takes four at a time: its loops then run once or twice, a count
        // the host's branch predictor foresees far better than an exact one. A padding input
        // reads the always-ready slot and has no terms; a padding output writes the sink.
        if model.inOrder {
            while (inputs.count + pipeInputs.count) % 4 != 0 { pipeInputs.append((Int(TimingRecord.noSource), 0)) }
            while outputs.count % 4 != 0 { outputs.append((Int(TimingRecord.sink), 0)) }
        }
        let clockCount = inputs.count + pipeInputs.count + outputs.count
        let retiresAt = BlockSchedule.headerBytes + clockCount * MemoryLayout<BlockSchedule.Clock>.stride
        let retireDeltas = model.inOrder ? [] : retiredBy.map { retired - $0 }
        let pairsAt = retiresAt + retireDeltas.count * MemoryLayout<UInt64>.stride
        let termsAt = pairsAt + pairs.count * MemoryLayout<BlockSchedule.Pair>.stride
        let blocksAt = termsAt + terms.count * MemoryLayout<BlockSchedule.Term>.stride
        // A burst starts at most at the last instruction.
        let burstEnd = model.inOrder ? 0 : retiresAt + (count + CoreTimingModel.retireBurst - 1) * MemoryLayout<UInt64>.stride
        let bytes = max(blocksAt + blocks.count * MemoryLayout<BlockSchedule.Block>.stride, burstEnd)
        precondition(terms.count < 65536 && outputs.count < 256 && blocksAt < 65536 && blocks.count < 256)
        // Aligned to a cache line, so that the header's first fields and the first successor
        // share one; zeroed, so that a burst's garbage is the same in every run.
        let base = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        base.bindMemory(to: BlockSchedule.Header.self, capacity: 1).initialize(to: .init(
            owner: model.identity, length: UInt16(count), branch: branch, blocks: UInt8(blocks.count),
            branchAt: UInt16((Int(blocks.last!.count) - 1) * Int(model.instructionBytes)), inputCount: UInt8(inputs.count),
            pipeInputs: UInt8(pipeInputs.count), outputCount: UInt8(outputs.count), pairCount: UInt8(pairs.count),
            termCount: UInt16(terms.count), dispatchEnd: UInt32(dispatch), lastIssue: UInt32(lastIssue), retire: UInt32(retired),
            branchIssue: UInt32(branchIssue), pairsAt: UInt16(pairsAt), termsAt: UInt16(termsAt), retiresAt: UInt16(retiresAt),
            blocksAt: UInt16(blocksAt)))
        let s = BlockSchedule(base)
        for k in 0..<BlockSchedule.successorCount { (s.successors + k).initialize(to: .init(pc: .max, schedule: nil)) }
        var k = 0, firstTerm = 0
        for c in inputs.map({ ($0.slot, $0.firstUse) }) + pipeInputs + outputs {
            (s.clocks + k).initialize(to: .init(index: UInt16(c.0), terms: UInt16(k < inputs.count ? firstTerm : terms.count), offset: UInt32(c.1)))
            if k < inputs.count { firstTerm += termsPerInput[k] }
            k += 1
        }
        for (k, p) in pairs.enumerated() { (s.pairs + k).initialize(to: p) }
        for (k, t) in terms.enumerated() { (s.terms + k).initialize(to: t) }
        for (k, d) in retireDeltas.enumerated() { (base + retiresAt).storeBytes(of: d, toByteOffset: 8 * k, as: UInt64.self) }
        for (k, b) in blocks.enumerated() { (s.blocks + k).initialize(to: b) }
        return base
    }
}
