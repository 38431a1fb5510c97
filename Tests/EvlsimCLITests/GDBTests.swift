import Foundation
import Linux
import Testing
@testable import EvlsimCLI

/// The stub against the real client: gdb-multiarch in batch mode against `evlsim run --gdb`
/// and `evlsim boot --gdb` (issue 8). Expected values come from the guests' own printout, their
/// source (debugme.c, smp_common.inc, exceptions.c) and the A64 encodings.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gdb-multiarch")))
struct GDBTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    /// Starts evlsim with `--gdb 0 --gdb-wait` on a thread, runs gdb with `commands` against it,
    /// and returns gdb's output, the guest's output and evlsim's exit status.
    func debug(boot: Bool, _ args: [String], file: String, _ commands: [String], dropFirstClient: Bool = false, interruptAfter: Double? = nil) throws -> (gdb: String, guest: String, status: Int32, diagnostics: [String]) {
        let diagnostics = Lines()
        let output = Lines()
        let finished = DispatchSemaphore(value: 0)
        final class Status: @unchecked Sendable { var value: Int32 = -1 }
        let status = Status()
        Thread {
            if boot {
                let c = try! BootCommand.parse(args + ["--gdb", "0", "--gdb-wait"])
                status.value = c.execute(uart: { output.add(String(decoding: $0, as: UTF8.self)) }, diagnostics: diagnostics.add)
            } else {
                let io = CapturedHostIO()
                let c = try! RunCommand.parse(["--gdb", "0", "--gdb-wait"] + args)
                status.value = c.execute(io: io, diagnostics: diagnostics.add)
                output.add(io.stdoutText)
            }
            finished.signal()
        }.start()
        var port: String?
        for _ in 0..<500 where port == nil {
            for line in diagnostics.all {
                if let r = line.range(of: "listening on 127.0.0.1:") { port = String(line[r.upperBound...].prefix { $0.isNumber }) }
            }
            usleep(10_000)
        }
        let p = try #require(port, "evlsim did not start its stub: \(diagnostics.all)")
        if dropFirstClient {
            // A client that connects and vanishes without a word.
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = UInt16(p)!.bigEndian
            inet_pton(AF_INET, "127.0.0.1", &a.sin_addr)
            _ = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            _ = "$qC#b4".withCString { send(fd, $0, 6, Int32(MSG_NOSIGNAL)) }
            close(fd)
            for _ in 0..<500 where !diagnostics.all.contains(where: { $0.contains("waiting for another client") }) { usleep(10_000) }
        }
        let gdb = Process()
        // Through env: the test runner may hand its children SIGINT ignored, and gdb keeps it so.
        gdb.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gdb.arguments = ["--default-signal=INT", "/usr/bin/gdb-multiarch", "-batch", "-nx", "-ex", "set pagination off", "-ex", "set confirm off", "-ex", "file \(file)",
                         "-ex", "target remote 127.0.0.1:\(p)"] + commands.flatMap { ["-ex", $0] }
        let pipe = Pipe()
        gdb.standardOutput = pipe
        gdb.standardError = pipe
        try gdb.run()
        if let interruptAfter {
            usleep(UInt32(interruptAfter * 1e6))
            kill(gdb.processIdentifier, SIGINT) // gdb sends the stub a Ctrl-C (0x03)
        }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        gdb.waitUntilExit()
        #expect(finished.wait(timeout: .now() + 60) == .success, "evlsim did not finish after gdb left")
        return (text, output.all.joined(), status.value, diagnostics.all)
    }

    /// The value gdb printed for `$N = value` lines, in order.
    func values(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("$"), let eq = line.range(of: " = ") else { return nil }
            return String(line[eq.upperBound...])
        }
    }

    @Test func userModeBreakpointRegistersMemoryAndWatchpoint() throws {
        let r = try debug(boot: false, [guest("debugme")], file: guest("debugme"), [
            "break bump", "continue",
            "print $x0", "print/x &counter", "x/2xw &counter",
            "watch counter", "continue", "print counter",
            "delete", "continue",
        ])
        #expect(r.gdb.contains("Breakpoint 1, bump (step=1) at glibc/debugme.c"), "\(r.gdb)")
        let v = values(r.gdb)
        #expect(v.count >= 3, "\(r.gdb)")
        guard v.count >= 3 else { return }
        #expect(v[0] == "1") // bump's first call: step = 1 in x0 (AAPCS64)
        // The guest prints its own &counter: gdb must read the same address...
        let printed = try #require(r.guest.split(separator: "\n").first { $0.hasPrefix("counter ") })
        #expect(printed.hasSuffix(v[1]), "guest: \(printed), gdb: \(v[1])")
        #expect(r.gdb.contains(":\t0x00000000\t0x00000000")) // ...and the memory there, zero before the first bump
        // The watchpoint fires on the store of counter += step, reported on the line after it.
        #expect(r.gdb.contains("Old value = 0\nNew value = 1\nbump (step=1) at glibc/debugme.c:14"), "\(r.gdb)")
        #expect(v[2] == "1")
        #expect(r.guest == "counter 15 at \(v[1])\nsyscall done\npid 1000\nhandled 10\n")
        #expect(r.gdb.contains("exited normally") && r.status == 0)
    }

    @Test func readAndAccessWatchpoints() throws {
        let r = try debug(boot: false, [guest("debugme")], file: guest("debugme"), [
            "rwatch counter", "continue", "delete", "awatch handled", "continue", "continue", "kill",
        ])
        // The first read of counter is bump's load for counter += step, with step = 1.
        #expect(r.gdb.contains("Hardware read watchpoint 1: counter\n\nValue = 0\n"), "\(r.gdb)")
        #expect(r.gdb.contains("in bump (step=1) at glibc/debugme.c:13"))
        // handled is written by the SIGUSR1 handler (10), then read by main's printf.
        #expect(r.gdb.contains("Old value = 0\nNew value = 10\non_usr1 (s=10)"), "\(r.gdb)")
        #expect(r.gdb.contains("Value = 10\n") && r.gdb.contains("in main () at glibc/debugme.c:33"))
    }

    @Test func userModeSteppingAcrossASystemCallAndASignal() throws {
        let r = try debug(boot: false, [guest("debugme")], file: guest("debugme"), [
            "break svc_site", "continue", "print/x $pc", "print $x8",
            "stepi", "print/x $pc", "print $x0",
            "break on_usr1", "continue", "print s", "kill",
        ])
        let v = values(r.gdb)
        #expect(v.count == 5, "\(r.gdb)")
        guard v.count == 5 else { return }
        #expect(v[1] == "172") // __NR_getpid on AArch64
        #expect(UInt64(v[2].dropFirst(2), radix: 16) == UInt64(v[0].dropFirst(2), radix: 16)! + 4) // one SVC retired
        #expect(v[3] == "1000") // the Linux model's pid (ProcessIdentity)
        #expect(r.gdb.contains("Breakpoint 2, on_usr1 (s=10)"), "\(r.gdb)") // SIGUSR1 delivered to the handler
        #expect(v[4] == "10")
    }

    @Test func userModeRunsBackwards() throws {
        let r = try debug(boot: false, [guest("debugme")], file: guest("debugme"), [
            "break bump", "continue", "continue", "print $x0", "print/x $pc",
            "stepi", "stepi", "print/x $pc",
            "reverse-stepi", "reverse-stepi", "print/x $pc", "print $x0",
            "reverse-continue", "print $x0", "print counter",
            "watch counter", "continue", "continue", "print counter",
            "reverse-continue", "print counter",
            "reverse-continue", "reverse-continue", "reverse-continue", "print/x $pc",
            "kill",
        ])
        let v = values(r.gdb)
        #expect(v.count == 10, "\(r.gdb)")
        guard v.count == 10 else { return }
        #expect(v[0] == "2") // the second call
        #expect(v[2] != v[1]) // two steps moved the PC...
        #expect(v[3] == v[1] && v[4] == "2") // ...and two steps back restored it and x0
        #expect(v[5] == "1" && v[6] == "0") // back to the first call, before any bump
        // With a watchpoint, forward from before the first call: the 0 -> 1 store fires first,
        // then the breakpoint in the second call, where counter is 1...
        #expect(r.gdb.contains("Old value = 0\nNew value = 1"), "\(r.gdb)")
        #expect(v[7] == "1")
        // ...and backwards the last change is undone: gdb stops before that store, counter 0.
        #expect(r.gdb.contains("Old value = 1\nNew value = 0"), "\(r.gdb)")
        #expect(v[8] == "0")
        #expect(r.gdb.contains("No more reverse-execution history"), "\(r.gdb)")
        #expect(v[9] == "0x400580") // _start, where the history begins (the ELF entry)
    }

    @Test func fourCoresAreFourThreadsAndRunBackwards() throws {
        let image = bareMetal("smp_gicv3")
        let r = try debug(boot: true, [board("qemu-virt-gicv3"), "--image", image], file: image, [
            "break secondary_main", "continue", "info threads", "continue", "continue",
            "print ctx", "reverse-continue", "print ctx", "thread 1", "print $pc != 0",
            "print/x $vbar_el1", "print/x &rt_vectors", "print/x $cpsr & 0xf",
            "delete", "monitor icount", "detach",
        ])
        for core in 0..<4 { #expect(r.gdb.contains("core \(core) (EL1"), "\(r.gdb)") }
        // PSCI CPU_ON passes context id 0x100 + core (smp_common.inc), and cores start in order.
        #expect(r.gdb.contains("Thread 2 hit Breakpoint 1.2, secondary_main (ctx=257)"), "\(r.gdb)")
        #expect(r.gdb.contains("Thread 3 hit Breakpoint 1.2, secondary_main (ctx=258)"))
        #expect(r.gdb.contains("Thread 4 hit Breakpoint 1.2, secondary_main (ctx=259)"))
        let v = values(r.gdb)
        #expect(v.count == 6, "\(r.gdb)")
        if v.count == 6 {
            #expect(v[0] == "259" && v[1] == "258") // reverse-continue: back to core 2's hit
            #expect(v[3] == v[4]) // the EL1 registers: VBAR_EL1 is the runtime's vector table (start.S)
            #expect(v[5] == "0x5") // EL1h
        }
        // Detached: the board runs to its end, its output unrepeated despite the re-execution.
        #expect(r.guest.hasSuffix("failures 0\nDONE\n"))
        let expected = try String(contentsOfFile: root.appendingPathComponent("guests/baremetal/expected/smp_gicv3.txt").path, encoding: .utf8)
        #expect(r.guest == expected)
        #expect(r.status == 0)
    }

    @Test func fullSystemStepIntoTheExceptionVector() throws {
        let image = bareMetal("exceptions")
        // svc #0x123 encodes as 0xd4002461 (A64: SVC, imm16 << 5 | 1); the vector for a
        // synchronous exception from the current EL with SP_ELx is VBAR_EL1 + 0x200.
        let r = try debug(boot: true, [board("qemu-virt"), "--image", image], file: image, [
            "find /w _start, +0x8000, 0xd4002461", "break *$_", "continue",
            "print/x $pc", "stepi", "print/x $pc", "print/x (unsigned long)&rt_vectors + 0x200", "print/x $cpsr & 0xf",
            "kill",
        ])
        let v = values(r.gdb)
        #expect(v.count == 4, "\(r.gdb)")
        guard v.count == 4 else { return }
        #expect(v[1] == v[2]) // the step across the SVC lands on the vector
        #expect(v[3] == "0x5") // EL1h
    }

    @Test func aDroppedClientLeavesTheRunPausedWhenAsked() throws {
        let r = try debug(boot: false, ["--gdb-disconnect", "wait", guest("debugme")], file: guest("debugme"),
                          ["break bump", "continue", "print step", "delete", "continue"], dropFirstClient: true)
        #expect(r.diagnostics.contains { $0.contains("gdb disconnected; waiting for another client") }, "\(r.diagnostics)")
        // The second client still finds the program before its first instruction.
        #expect(r.gdb.contains("Breakpoint 1, bump (step=1)") && r.gdb.contains("exited normally"), "\(r.gdb)")
        #expect(r.guest.hasPrefix("counter 15") && r.status == 0)
    }

    @Test func ctrlCStopsARunningProgram() throws {
        // bench_sort 300 runs about 9 x 10^8 instructions: far longer than the second gdb waits.
        let r = try debug(boot: false, [guest("bench_sort"), "300"], file: guest("bench_sort"),
                          ["continue", "monitor icount", "kill"], interruptAfter: 1.0)
        #expect(r.gdb.contains("Program received signal SIGINT, Interrupt."), "\(r.gdb)")
        #expect(r.gdb.contains("instructions retired") && r.status == 137)
    }

    @Test func badDebuggerOptionsAreRefused() throws {
        var diagnostics: [String] = []
        let io = CapturedHostIO()
        #expect(try RunCommand.parse(["--gdb", "not-a-port", guest("debugme")]).execute(io: io) { diagnostics.append($0) } == 2)
        #expect(diagnostics == ["evlsim: error: --gdb: expected [HOST:]PORT such as 1234 or 127.0.0.1:1234, got 'not-a-port'"])
        diagnostics = []
        #expect(try RunCommand.parse(["--gdb-wait", guest("debugme")]).execute(io: io) { diagnostics.append($0) } == 2)
        #expect(diagnostics == ["evlsim: error: --gdb-wait needs --gdb [HOST:]PORT"])
        diagnostics = []
        let boot = try BootCommand.parse([board("qemu-virt"), "--image", bareMetal("wfi"), "--gdb", "1:2:3"])
        #expect(boot.execute(uart: { _ in }) { diagnostics.append($0) } == 2)
        #expect(diagnostics.first?.contains("--gdb: expected [HOST:]PORT") == true)
    }
}
