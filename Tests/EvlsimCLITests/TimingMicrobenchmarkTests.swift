import Foundation
import Linux
import Testing
@testable import EvlsimCLI

/// The cycle-approximate model against published figures. Each microbenchmark in guests/timing
/// runs N and 2N iterations under `evlsim run --board`; (cycles(2N) − cycles(N)) / N is the cost of
/// one iteration, checked within ±10% of the figure guests/timing/README.md derives for it.
/// Sources (see that README for each derivation): insn_bench_aarch64 measurements, the Cortex-A72
/// Software Optimization Guide, LLVM's A53/A57 scheduling models, sbc-bench memory latencies, and
/// ../shared/hardware-facts.md.
@Suite struct TimingMicrobenchmarkTests {
    struct Case: CustomStringConvertible, Sendable {
        var program: String
        var extra: [String]
        var iterations: Int
        var a53: Double   // imx8mm, Cortex-A53 at 1.8 GHz
        var a72: Double   // rpi4, Cortex-A72 at 1.5 GHz
        var description: String { ([program] + extra).joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(program: "tm_chain_add", extra: [], iterations: 20_000, a53: 16, a72: 16),       // 16 dependent ADDs, latency 1
        Case(program: "tm_chain_mul", extra: [], iterations: 20_000, a53: 32, a72: 40),       // 8 MUL X: A53 4, A72 5
        Case(program: "tm_chain_mul", extra: ["1"], iterations: 20_000, a53: 24, a72: 24),    // 8 MUL W: 3
        Case(program: "tm_chain_div", extra: [], iterations: 10_000, a53: 24, a72: 32),       // 8 UDIV X, 1/1: minimum 3 / 4
        Case(program: "tm_chain_div", extra: ["1"], iterations: 10_000, a53: 160, a72: 160),  // 64-bit quotient: 20 (SOG max)
        Case(program: "tm_chain_div", extra: ["2"], iterations: 10_000, a53: 96, a72: 96),    // 32-bit quotient: 12 (SOG max)
        Case(program: "tm_indep_alu", extra: [], iterations: 10_000, a53: 33, a72: 32.5),     // 66 ADDs (64 independent) 2 per cycle
        Case(program: "tm_chase", extra: ["16384"], iterations: 20_000, a53: 3, a72: 4),      // L1 load-to-use
        Case(program: "tm_chase", extra: ["262144"], iterations: 20_000, a53: 16, a72: 21),   // L2
        Case(program: "tm_chase", extra: ["67108864"], iterations: 4_000, a53: 281, a72: 243), // DRAM, 156 ns / 162 ns
        Case(program: "tm_stream", extra: ["3"], iterations: 4_000, a53: 281, a72: 243),      // strided: every access to DRAM
        // Sequential, no prefetcher: (7 L1 + DRAM) / 8, with DRAM at sbc-bench's 143 ns on huge pages
        // (one table walk per 512 loads is negligible): A53 (21 + 257.4) / 8, A72 (28 + 214.5) / 8.
        Case(program: "tm_stream", extra: ["2"], iterations: 4_000, a53: 34.8, a72: 30.3),
    ]

    func cycles(_ board: String, _ program: String, _ args: [String]) throws -> Double {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-timing-\(getpid())-\(UUID()).json").path
        let command = try RunCommand.parse(["--board", board, "--stats", path, guest(program)] + args)
        let status = command.execute(io: CapturedHostIO(stdin: []), diagnostics: { _ in })
        #expect(status == 0, "\(program) \(args) failed its own result check")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        try? FileManager.default.removeItem(atPath: path)
        return Double(try #require(json["cycles"] as? Int))
    }

    func perIteration(_ board: String, _ c: Case) throws -> Double {
        let a = try cycles(board, c.program, ["\(c.iterations)"] + c.extra)
        let b = try cycles(board, c.program, ["\(2 * c.iterations)"] + c.extra)
        return (b - a) / Double(c.iterations)
    }

    @Test(arguments: cases)
    func withinTenPercentOfThePublishedFigure(_ c: Case) throws {
        for (board, expected) in [("imx8mm", c.a53), ("rpi4", c.a72)] {
            let measured = try perIteration(board, c)
            #expect(abs(measured - expected) <= 0.1 * expected, "\(c) on \(board): \(measured) cycles per iteration, expected \(expected)")
        }
    }

    /// A random branch costs half the mispredict penalty more than a predictable one
    /// (the predictor is right half the time): A53 ~8.5 → 4.25, A72 ~15 → 7.5.
    @Test func mispredictPenalty() throws {
        for (board, expected) in [("imx8mm", 4.25), ("rpi4", 7.5)] {
            let predictable = try perIteration(board, Case(program: "tm_branch", extra: ["0"], iterations: 20_000, a53: 0, a72: 0))
            let random = try perIteration(board, Case(program: "tm_branch", extra: ["1"], iterations: 20_000, a53: 0, a72: 0))
            #expect(abs((random - predictable) - expected) <= 0.1 * expected, "\(board): \(random - predictable)")
        }
    }

    @Test func approximateRunsAreDeterministicAndFunctionalIsOneCyclePerInstruction() throws {
        let a = try cycles("rpi4", "tm_chase", ["5000", "262144"])
        let b = try cycles("rpi4", "tm_chase", ["5000", "262144"])
        #expect(a == b)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-functional-\(getpid()).json").path
        let command = try RunCommand.parse(["--board", "rpi4", "--timing", "functional", "--stats", path, guest("tm_chain_add"), "1000"])
        #expect(command.execute(io: CapturedHostIO(stdin: []), diagnostics: { _ in }) == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(json["cycles"] as? Int == json["instructions"] as? Int && json["timing"] == nil)
    }

    /// `--timing approximate` replays most blocks from schedules computed once per group of up
    /// to eight consecutive blocks (six out of order); `--timing detailed` puts every
    /// instruction through the dataflow model the schedules are computed from. Out of order the schedule is exact
    /// max-plus algebra but for the window (a group's start waits for its last instruction's
    /// place in it; each instruction notes its own clean retirement) and pairs of identical
    /// pipes (measured: 0.002 % or less on all four; noting one retirement time for a whole
    /// group gave 0.24 % on the CoreMark-style loop); in order a late input holds the whole
    /// group, which a later instruction could have absorbed (measured: 0.19 % on the
    /// CoreMark-style loop, 0.05 % or less on the others).
    @Test(arguments: [("bench_sort", "2"), ("cm_workload", "20"), ("bench_crc", "5"), ("bench_matmul", "2")])
    func blockSchedulesAgreeWithTheInstructionByInstructionModel(_ program: String, _ n: String) throws {
        for (board, tolerance) in [("rpi4", 0.0002), ("imx8mm", 0.003)] {
            func run(_ timing: String) throws -> Double {
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-\(timing)-\(getpid())-\(UUID()).json").path
                let command = try RunCommand.parse(["--board", board, "--timing", timing, "--stats", path, guest(program), n])
                #expect(command.execute(io: CapturedHostIO(stdin: []), diagnostics: { _ in }) == 0)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
                try? FileManager.default.removeItem(atPath: path)
                return Double(try #require(json["cycles"] as? Int))
            }
            let approximate = try run("approximate"), detailed = try run("detailed")
            #expect(abs(approximate - detailed) <= tolerance * detailed, "\(program) on \(board): \(approximate) against \(detailed) cycles")
        }
    }

    /// A chase over 64 MiB touches 16,384 pages, far more than the A53's 512-entry main TLB
    /// (A53 TRM §5.2), so nearly every access walks; over 16 KiB (4 pages) none does after the
    /// first touches. The walk is part of the 281 cycles the DRAM row above checks.
    @Test func tlbWalksFollowTheWorkingSet() throws {
        func walks(_ size: String, _ n: Int) throws -> Int {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-tlb-\(getpid())-\(UUID()).json").path
            let command = try RunCommand.parse(["--board", "imx8mm", "--stats", path, guest("tm_chase"), "\(n)", size])
            #expect(command.execute(io: CapturedHostIO(stdin: []), diagnostics: { _ in }) == 0)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            try? FileManager.default.removeItem(atPath: path)
            let timing = try #require(json["timing"] as? [String: Any])
            return try #require(timing["tlb_walks"] as? Int)
        }
        let big = try walks("67108864", 8000) - walks("67108864", 4000)
        #expect(big >= 3600 && big <= 4000, "\(big) walks in 4000 accesses")
        let small = try walks("16384", 8000) - walks("16384", 4000)
        #expect(small == 0)
    }
}
