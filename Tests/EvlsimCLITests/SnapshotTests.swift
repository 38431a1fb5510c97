import Foundation
import Linux
import SimCore
import Testing
@testable import EvlsimCLI

/// Snapshots of full-system runs. The reference is always the same run without a snapshot:
/// restore-and-continue must give its UART output and its `--stats` figures (host time aside)
/// byte for byte (issue 8).
@Suite struct SnapshotTests {
    let dir: String = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-snapshots-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    func statistics(_ path: String) throws -> NSDictionary {
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        json["host"] = nil; json["host_seconds"] = nil; json["mips"] = nil // host time, the only figures allowed to differ
        return NSDictionary(dictionary: json)
    }

    /// Boots `image` straight through, then again with a snapshot at each of `instants` (stopping
    /// there), and resumes each snapshot: output and statistics must match the straight run.
    func roundTrip(board: String, image: String, instants: [String], extra: [String] = []) throws {
        let tag = "\(image)-\(extra.joined())"
        let reference = try boot([board, "--image", bareMetal(image), "--stats", "\(dir)/\(tag).json"] + extra)
        #expect(reference.status == 0 && reference.uart.hasSuffix("DONE\n"))
        for at in instants {
            let snap = "\(dir)/\(tag)-\(at).snap"
            let first = try boot([board, "--image", bareMetal(image), "--snapshot-at", at, "--snapshot-out", snap, "--stop-after-snapshot"] + extra)
            #expect(first.status == 0, "\(image) @\(at): \(first.diagnostics)")
            #expect(first.diagnostics.contains { $0.contains("snapshot at") })
            let second = try boot(["--restore", snap, "--stats", "\(dir)/\(tag)-\(at).json"])
            #expect(second.status == 0, "\(image) @\(at): \(second.diagnostics)")
            #expect(first.uart + second.uart == reference.uart, "\(image) @\(at)")
            #expect(try statistics("\(dir)/\(tag)-\(at).json").isEqual(try statistics("\(dir)/\(tag).json")), "\(image) @\(at)")
        }
    }

    @Test func fourCoreImagesResumeIdentically() throws {
        try roundTrip(board: "qemu-virt-gicv3", image: "smp_gicv3", instants: ["10us", "300us", "1ms"])
        try roundTrip(board: "qemu-virt", image: "smp_gicv2", instants: ["10us", "300us", "1ms"])
    }

    @Test func timerAndWfiImagesResumeIdentically() throws {
        try roundTrip(board: "qemu-virt", image: "timer_gicv2", instants: ["50us", "5ms"])
        try roundTrip(board: "qemu-virt-gicv3", image: "wfi", instants: ["50us", "1ms"])
    }

    @Test func timingModelRunsResumeIdentically() throws {
        // The caches, TLB model, predictor and core clocks must all come back: any difference
        // shows in the cycle counts and the per-level miss figures of --stats.
        try roundTrip(board: "qemu-virt", image: "smp_gicv2", instants: ["100us", "2ms"], extra: ["--timing", "approximate"])
    }

    @Test func anIdleGigabyteBoardWritesASmallFile() throws {
        // qemu-virt-gicv3 has 1 GiB of RAM; the image touches a few pages.
        let snap = "\(dir)/idle.snap"
        _ = try boot([board("qemu-virt-gicv3"), "--image", bareMetal("wfi"), "--snapshot-at", "10us", "--snapshot-out", snap, "--stop-after-snapshot"])
        let size = try #require(try FileManager.default.attributesOfItem(atPath: snap)[.size] as? Int)
        #expect(size < 64 * 1024)
    }

    @Test func damagedTruncatedAndForeignFilesAreRefused() throws {
        let snap = "\(dir)/good.snap"
        _ = try boot([board("qemu-virt"), "--image", bareMetal("timer_gicv2"), "--snapshot-at", "20us", "--snapshot-out", snap, "--stop-after-snapshot"])
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: snap)))
        func refused(_ bytes: [UInt8], _ name: String, args: [String] = []) throws -> String {
            let path = "\(dir)/\(name).snap"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let r = try boot(["--restore", path] + args)
            #expect(r.status == 2, "\(name)")
            #expect(r.diagnostics.count == 1, "\(name): \(r.diagnostics)")
            return r.diagnostics.first ?? ""
        }
        var flipped = good
        flipped[flipped.count / 2] ^= 0x40
        #expect(try refused(flipped, "flipped").contains("checksum mismatch"))
        #expect(try refused(Array(good.prefix(good.count - 100)), "truncated").contains("truncated"))
        #expect(try refused(Array(good.prefix(20)), "header").contains("truncated header"))
        #expect(try refused(Array("not a snapshot at all".utf8), "text").contains("not an evlsim snapshot"))
        var future = good
        future[8] = 99
        #expect(try refused(future, "version").contains("format version 99"))
        #expect(try refused(good, "board", args: ["qemu-virt-gicv3"]).contains("a snapshot of board qemu-virt, not qemu-virt-gicv3"))
        #expect(try refused(good, "timing", args: ["--timing", "approximate"]).contains("taken with --timing functional"))
        // A state the container accepts but whose contents are out of step with this board.
        var w = SnapshotWriter()
        SnapshotHeader(kind: "boot", boardName: "qemu-virt", board: try String(contentsOfFile: board("qemu-virt"), encoding: .utf8),
                       image: bareMetal("timer_gicv2"), rawLoadAddress: nil, timing: "functional").save(to: &w)
        w.section("machine"); w.int(7)
        #expect(try refused(try SnapshotFile.encode(w.bytes), "cores").contains("a snapshot of 7 cores"))
    }

    @Test func corruptedStatesAreRefusedOrRunNeverCrash() throws {
        // A state whose container is intact (the CRC recomputed) but whose fields are not: 200
        // single-bit flips at fixed pseudo-random places. Each restore must be refused with one
        // error (2), or run as a guest with damaged state would (0, 1, 124): never trap.
        let snap = "\(dir)/corrupt-base.snap"
        _ = try boot([board("qemu-virt"), "--image", bareMetal("timer_gicv2"), "--snapshot-at", "100us", "--snapshot-out", snap, "--stop-after-snapshot"])
        let state = try SnapshotFile.read(snap)
        var seed: UInt64 = 12345
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        var refused = 0
        for i in 0..<200 {
            var s = state
            // Mostly outside RAM (the first and last parts of the state hold the machine, devices and cores).
            let pos = i % 2 == 0 ? next() % (s.count / 20) : s.count - 1 - next() % (s.count / 3)
            s[pos] ^= UInt8(1 << (next() % 8))
            let path = "\(dir)/corrupt.snap"
            try Data(try SnapshotFile.encode(s)).write(to: URL(fileURLWithPath: path))
            let r = try boot(["--restore", path, "--duration", "2ms"])
            #expect([0, 1, 2, 124].contains(r.status), "flip at \(pos): status \(r.status) \(r.diagnostics)")
            if r.status == 2 { refused += 1; #expect(r.diagnostics.count == 1) }
        }
        #expect(refused > 20) // section marks, counts and ranges catch a good share
    }

    @Test func snapshotOptionsNeedEachOther() throws {
        let r = try boot([board("qemu-virt"), "--image", bareMetal("wfi"), "--snapshot-at", "1ms"])
        #expect(r.status == 2 && r.diagnostics == ["evlsim: error: --snapshot-at needs --snapshot-out FILE"])
        let s = try boot([board("qemu-virt"), "--image", bareMetal("wfi"), "--snapshot-out", "\(dir)/x.snap"])
        #expect(s.status == 2)
        let t = try boot(["--restore", "\(dir)/missing.snap"])
        #expect(t.status == 2 && t.diagnostics.first?.contains("cannot open") == true)
    }

    // MARK: User-mode runs

    func run(_ args: [String]) throws -> (status: Int32, out: [UInt8], diagnostics: [String]) {
        let io = CapturedHostIO()
        var diagnostics: [String] = []
        let status = try RunCommand.parse(args).execute(io: io, diagnostics: { diagnostics.append($0) })
        return (status, io.stdout + io.stderr, diagnostics)
    }

    /// The user-mode counterpart of `roundTrip`: glibc programs, stopped between run slices.
    func runRoundTrip(_ program: [String], at instants: [String], options: [String] = []) throws {
        let tag = program.joined().replacingOccurrences(of: "/", with: "_") + options.joined()
        let reference = try run(["--stats", "\(dir)/\(tag).json"] + options + program)
        #expect(reference.status == 0)
        for at in instants {
            let snap = "\(dir)/\(tag)-\(at).snap"
            let first = try run(["--snapshot-at", at, "--snapshot-out", snap, "--stop-after-snapshot"] + options + program)
            #expect(first.status == 0 && first.diagnostics.first?.contains("snapshot at") == true, "\(first.diagnostics)")
            let second = try run(["--restore", snap, "--stats", "\(dir)/\(tag)-\(at).json"])
            #expect(second.status == 0, "\(second.diagnostics)")
            #expect(first.out + second.out == reference.out, "\(program) @\(at)")
            #expect(try statistics("\(dir)/\(tag)-\(at).json").isEqual(try statistics("\(dir)/\(tag).json")), "\(program) @\(at)")
        }
    }

    @Test func glibcProgramsResumeIdentically() throws {
        // malloc_test and string_funcs are static glibc programs (brk, mmap, stdio buffers).
        try runRoundTrip([guest("malloc_test")], at: ["1ms", "3ms"])
        try runRoundTrip([guest("string_funcs")], at: ["1ms"])
    }

    @Test func userModeTimingRunsResumeIdentically() throws {
        try runRoundTrip([guest("bench_sort"), "4"], at: ["1ms"], options: ["--board", "rpi4"])
        try runRoundTrip([guest("cm_workload"), "20"], at: ["500us"], options: ["--board", "imx8mm"])
    }

    @Test func aRunSnapshotIsNotABootSnapshot() throws {
        let snap = "\(dir)/user.snap"
        _ = try run(["--snapshot-at", "1ms", "--snapshot-out", snap, "--stop-after-snapshot", guest("bench_sort"), "4"])
        let r = try boot(["--restore", snap])
        #expect(r.status == 2 && r.diagnostics.first?.contains("resume it with `evlsim run --restore`") == true)
        let t = try run(["--restore", snap, guest("bench_sort")])
        #expect(t.status == 2 && t.diagnostics.first?.contains("give none") == true)
    }
}
