import AArch64
import Linux
import Memory
import SimCore

// A user-mode run in a snapshot: guest RAM and the page table, the core, the kernel model's
// process state. A restore loads the same executable first (for the loader's fixed facts: the
// entry, the signal trampoline), then replaces every piece of state with the snapshot's.
// Host stdin already consumed is not part of it: a restored run reads on from its own stdin.

extension GuestProcess: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        w.section("process")
        w.int(syscallCount)
        space.save(to: &w)
        cpu.save(to: &w)
        cpu.timing?.memory.save(to: &w) // the core's own hierarchy (a board shares one among its cores)
        space.saveSoftTLB(to: &w)
        kernel.save(to: &w)
        w.section("end")
    }

    public func restore(from r: inout SnapshotReader) throws {
        try r.section("process")
        syscallCount = try r.int()
        try space.restore(from: &r)
        try cpu.restore(from: &r)
        try cpu.timing?.memory.restore(from: &r)
        try space.restoreSoftTLB(from: &r)
        try kernel.restore(from: &r)
        try r.section("end")
    }
}
