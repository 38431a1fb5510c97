import GDBStub
import Memory

/// A debugger's breakpoints and watchpoints as gdb set them, and how a stop at one is reported.
struct BreakpointTable {
    private(set) var software = Set<UInt64>()
    private(set) var hardware = Set<UInt64>()
    private(set) var watches: [(kind: GDBBreakpointKind, start: UInt64, length: UInt64)] = []

    /// Adds one (Z packet); false if gdb asked for something meaningless.
    mutating func insert(_ kind: GDBBreakpointKind, address: UInt64, length: Int) -> Bool {
        switch kind {
        case .software: software.insert(address)
        case .hardware: hardware.insert(address)
        case .write, .read, .access:
            guard length > 0 else { return false }
            watches.append((kind, address, UInt64(length)))
        }
        return true
    }

    /// Removes one (z packet); false if it was not set.
    mutating func remove(_ kind: GDBBreakpointKind, address: UInt64, length: Int) -> Bool {
        switch kind {
        case .software: return software.remove(address) != nil
        case .hardware: return hardware.remove(address) != nil
        case .write, .read, .access:
            guard let i = watches.firstIndex(where: { $0.kind == kind && $0.start == address && $0.length == UInt64(length) }) else { return false }
            watches.remove(at: i)
            return true
        }
    }

    mutating func removeAll() { software = []; hardware = []; watches = [] }

    /// Every address a breakpoint of either kind stops at.
    var addresses: Set<UInt64> { software.union(hardware) }

    /// The watchpoints as the memory ports check them.
    var watchpoints: [Watchpoint] {
        watches.map { Watchpoint(start: $0.start, length: $0.length, reads: $0.kind != .write, writes: $0.kind != .read) }
    }

    /// The stop reply for a breakpoint at `pc` (software unless only a hardware one is there).
    func breakpointEvent(thread: Int, pc: UInt64) -> GDBStopEvent {
        .breakpoint(thread: thread, software: software.contains(pc) || !hardware.contains(pc))
    }

    /// The stop reply for an access at `address` (up to 16 bytes) that a watchpoint stopped,
    /// naming the first watched byte it touches, as gdb matches it against its watchpoints.
    func watchEvent(thread: Int, address: UInt64, isWrite: Bool) -> GDBStopEvent {
        let hit = watches.first { w in (isWrite ? w.kind != .read : w.kind != .write) && address < w.start + w.length && w.start <= address + 15 }
        guard let hit else { return .signal(thread: thread, signal: 5) }
        return .watchpoint(thread: thread, kind: hit.kind, address: max(address, hit.start))
    }
}
