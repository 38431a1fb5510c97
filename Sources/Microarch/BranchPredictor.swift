/// A core's branch prediction: a gshare conditional predictor (2-bit counters indexed by
/// PC XOR global history), a direct-mapped branch target buffer for indirect branches,
/// and a return stack.
///
/// Each method takes what the branch really did, says whether the prediction was right,
/// and trains. The core model charges the mispredict penalty for a wrong answer. Tables
/// live in raw memory (a class owns them): the run loop calls this on every branch.
public final class BranchPredictor {
    /// Sizes, as a board file gives them.
    public struct Configuration: Sendable, Equatable {
        public var historyBits: Int
        public var btbEntries: Int
        public var returnStackDepth: Int
        public init(historyBits: Int, btbEntries: Int, returnStackDepth: Int) {
            self.historyBits = historyBits; self.btbEntries = btbEntries; self.returnStackDepth = returnStackDepth
        }
    }

    public let configuration: Configuration
    @usableFromInline let counters: UnsafeMutablePointer<UInt8>
    @usableFromInline var history: UInt64 = 0
    @usableFromInline let historyMask: UInt64
    @usableFromInline let btbMask: Int
    @usableFromInline let btbTag: UnsafeMutablePointer<UInt64>
    @usableFromInline let btbTarget: UnsafeMutablePointer<UInt64>
    @usableFromInline let returnStack: UnsafeMutablePointer<UInt64>
    @usableFromInline let returnDepth: Int
    @usableFromInline var returnTop = 0
    @usableFromInline var returnCount = 0

    public var conditional: UInt64 { conditionalCount }
    public var conditionalMispredicts: UInt64 { conditionalWrong }
    @usableFromInline var conditionalCount: UInt64 = 0
    @usableFromInline var conditionalWrong: UInt64 = 0
    public internal(set) var indirect: UInt64 = 0
    public internal(set) var indirectMispredicts: UInt64 = 0
    public internal(set) var returns: UInt64 = 0
    public internal(set) var returnMispredicts: UInt64 = 0

    public var mispredicts: UInt64 { conditionalMispredicts + indirectMispredicts + returnMispredicts }

    public init(_ c: Configuration) {
        precondition(c.historyBits > 0 && c.historyBits <= 20 && c.btbEntries > 0 && c.btbEntries & (c.btbEntries - 1) == 0
                     && c.returnStackDepth > 0)
        configuration = c
        counters = .allocate(capacity: 1 << c.historyBits)
        counters.initialize(repeating: 1, count: 1 << c.historyBits) // weakly not-taken
        historyMask = (1 << UInt64(c.historyBits)) - 1
        btbMask = c.btbEntries - 1
        btbTag = .allocate(capacity: c.btbEntries)
        btbTag.initialize(repeating: .max, count: c.btbEntries)
        btbTarget = .allocate(capacity: c.btbEntries)
        btbTarget.initialize(repeating: 0, count: c.btbEntries)
        returnDepth = c.returnStackDepth
        returnStack = .allocate(capacity: c.returnStackDepth)
        returnStack.initialize(repeating: 0, count: c.returnStackDepth)
    }

    deinit {
        counters.deallocate(); btbTag.deallocate(); btbTarget.deallocate(); returnStack.deallocate()
    }

    /// A conditional branch at `pc` that was (not) taken: true if predicted right.
    @inlinable @inline(__always)
    public func conditional(pc: UInt64, taken: Bool) -> Bool {
        conditionalCount &+= 1
        let i = Int(truncatingIfNeeded: ((pc >> 2) ^ history) & historyMask)
        let c = counters[i]
        let right = (c >= 2) == taken
        counters[i] = taken ? min(c &+ 1, 3) : (c == 0 ? 0 : c &- 1)
        history = ((history << 1) | (taken ? 1 : 0)) & historyMask
        if !right { conditionalWrong &+= 1 }
        return right
    }

    /// An indirect branch (BR, BLR) at `pc` to `target`: true if the BTB held that target.
    @inline(__always)
    public func indirect(pc: UInt64, target: UInt64) -> Bool {
        indirect &+= 1
        let i = Int(truncatingIfNeeded: pc >> 2) & btbMask
        let right = btbTag[i] == pc && btbTarget[i] == target
        btbTag[i] = pc
        btbTarget[i] = target
        if !right { indirectMispredicts &+= 1 }
        return right
    }

    /// A call (BL, BLR): pushes its return address (the oldest entry is lost when full).
    @inline(__always)
    public func call(returnAddress: UInt64) {
        returnTop = returnTop + 1 == returnDepth ? 0 : returnTop + 1
        returnStack[returnTop] = returnAddress
        returnCount = min(returnCount + 1, returnDepth)
    }

    /// A return (RET) to `target`: true if the return stack predicted it.
    @inline(__always)
    public func ret(target: UInt64) -> Bool {
        returns &+= 1
        var right = false
        if returnCount > 0 {
            right = returnStack[returnTop] == target
            returnTop = returnTop == 0 ? returnDepth - 1 : returnTop - 1
            returnCount -= 1
        }
        if !right { returnMispredicts &+= 1 }
        return right
    }
}
