import Foundation
import Testing
@testable import Guest

/// Whole programs against an oracle nobody here wrote: every program in guests/ must give the same
/// stdout and exit status under `evlsim run` as under `qemu-aarch64` (QEMU 7.2 user mode).
@Suite struct QemuComparisonTests {
    @Test("same stdout and exit status as qemu-aarch64", arguments: guestPrograms())
    func matchesQemu(_ program: GuestProgram) throws {
        let qemu = try #require(which("qemu-aarch64", "qemu-aarch64-static"), "qemu-aarch64 is not installed (the README's test command installs qemu-user)")
        let reference = try runHost(qemu, [program.path] + program.arguments)
        let ours = try runUnderEvlsim(program.path, program.arguments)
        if let fault = ours.result.fault { Issue.record("evlsim: \(fault.description)") }
        #expect(ours.status == reference.status, "exit status")
        #expect(String(decoding: ours.stdout, as: UTF8.self) == String(decoding: reference.stdout, as: UTF8.self))
    }

    @Test func guestProgramsAreBuilt() {
        let programs = guestPrograms()
        #expect(programs.count >= 10, "run `make -C guests` first; guests/programs.txt lists the programs")
        for p in programs { #expect(FileManager.default.fileExists(atPath: p.path), "\(p.name) is not built") }
    }
}

/// DESIGN.md: same inputs and seed, same results, bit for bit.
@Suite struct DeterminismTests {
    @Test func twoRunsAgreeExactly() throws {
        for program in guestPrograms().prefix(4) {
            let a = try runUnderEvlsim(program.path, program.arguments, seed: 11)
            let b = try runUnderEvlsim(program.path, program.arguments, seed: 11)
            #expect(a.result.instructions == b.result.instructions, "\(program.name)")
            #expect(a.result.cycles == b.result.cycles)
            #expect(a.stdout == b.stdout)
            #expect(a.stderr == b.stderr)
            #expect(a.status == b.status)
        }
    }
}
