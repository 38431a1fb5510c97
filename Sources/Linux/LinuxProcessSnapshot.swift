import SimCore

// The kernel model's view of one process in a snapshot: the memory map's bounds, open
// files, signal state, the random stream and the counters --stats reports. The identity
// and the syscall table are fixed by the run's options, which a restore repeats.

extension LinuxProcess: Snapshotting {
    public func save(to w: inout SnapshotWriter) {
        w.section("linux-process")
        w.string(executablePath)
        w.u64s(rng.state)
        for v in [brkStart, brkCurrent, mmapTop, mmapBottom, signalMask, pendingSignals, clearChildTid] { w.u64(v) }
        w.u64(UInt64(bitPattern: umaskValue))
        let open = files.sorted { $0.key < $1.key }
        w.int(open.count)
        for (fd, f) in open {
            w.u64(UInt64(bitPattern: fd))
            switch f { case .stdin: w.u8(0) case .stdout: w.u8(1) case .stderr: w.u8(2) case .null: w.u8(3) }
        }
        w.int(signalActions.count)
        for a in signalActions { w.u64(a.handler); w.u64(a.flags); w.u64(a.restorer); w.u64(a.mask) }
        let counts = syscallCounts.sorted { $0.key < $1.key }
        w.int(counts.count)
        for (name, n) in counts { w.string(name); w.int(n) }
        w.u64s(reportedUnknown.sorted())
    }

    public func restore(from r: inout SnapshotReader) throws {
        try r.section("linux-process")
        executablePath = try r.string()
        rng = SeededRNG(state: try r.u64s(count: 4))
        brkStart = try r.u64(); brkCurrent = try r.u64(); mmapTop = try r.u64(); mmapBottom = try r.u64()
        signalMask = try r.u64(); pendingSignals = try r.u64(); clearChildTid = try r.u64()
        umaskValue = Int64(bitPattern: try r.u64())
        files = [:]
        for _ in 0..<(try r.count(atMost: 1 << 16)) {
            let fd = Int64(bitPattern: try r.u64())
            switch try r.u8() {
            case 0: files[fd] = .stdin
            case 1: files[fd] = .stdout
            case 2: files[fd] = .stderr
            case 3: files[fd] = .null
            default: throw r.fail("an open file of unknown kind")
            }
        }
        let n = try r.count(atMost: 1024)
        guard n == signalActions.count else { throw r.fail("\(n) signal actions where \(signalActions.count) were expected") }
        for i in 0..<n {
            var a = SignalAction()
            a.handler = try r.u64(); a.flags = try r.u64(); a.restorer = try r.u64(); a.mask = try r.u64()
            signalActions[i] = a
        }
        syscallCounts = [:]
        for _ in 0..<(try r.count(atMost: 4096)) { syscallCounts[try r.string()] = try r.int() }
        reportedUnknown = Set(try r.u64s())
    }
}
