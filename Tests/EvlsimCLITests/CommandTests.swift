import ArgumentParser
import Foundation
import Linux
import Testing
@testable import EvlsimCLI

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
func guest(_ name: String) -> String { root.appendingPathComponent("guests/build/\(name)").path }

@Suite struct RunCommandTests {
    func run(_ args: [String], stdin: [UInt8] = []) throws -> (status: Int32, io: CapturedHostIO, diagnostics: [String]) {
        let command = try RunCommand.parse(args)
        let io = CapturedHostIO(stdin: stdin)
        var diagnostics: [String] = []
        let status = command.execute(io: io, diagnostics: { diagnostics.append($0) })
        return (status, io, diagnostics)
    }

    @Test func passesOutputArgumentsAndStatusThrough() throws {
        let r = try run([guest("hello_args"), "one", "two words"])
        #expect(r.status == 0)
        #expect(r.io.stdoutText.contains("one"))
        #expect(r.io.stdoutText.contains("two words"))
        let e = try run([guest("exit3")])
        #expect(e.status == 3)
    }

    @Test func statsFileHasTheNamedFields() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-stats-\(getpid()).json").path
        let r = try run(["--stats", path, guest("hello_args")])
        #expect(r.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let stats = try #require(json)
        for key in ["instructions", "cycles", "simulated_ns", "host_seconds", "mips"] { #expect(stats[key] != nil, "\(key)") }
        #expect((stats["instructions"] as? Int ?? 0) > 1000)
        #expect((stats["simulated_ns"] as? Int ?? 0) > 0)
    }

    @Test func instructionLimitStopsWithStatus124() throws {
        let r = try run(["--max-instructions", "500", guest("hello_args")])
        #expect(r.status == 124)
        #expect(r.diagnostics.contains { $0.contains("stopped after 500 instructions") })
    }

    @Test func traceNamesInstructionsAndChangedRegisters() throws {
        let r = try run(["--trace", "--max-instructions", "50", guest("hello_args")])
        #expect(r.status == 124)
        let lines = r.diagnostics.filter { $0.hasPrefix("0x") }
        #expect(lines.count == 50)
        // The first instruction is at the entry point, _start; capstone's text follows the word.
        #expect(lines[0].contains("<_start>"))
        #expect(lines.contains { $0.contains("x29=") || $0.contains("sp=") })
    }

    @Test(arguments: [
        ("/nonexistent/prog", "no such file"),
        ("/bin/true", "expected AArch64"),
    ])
    func badExecutablesExitWithStatus2(path: String, message: String) throws {
        let r = try run([path])
        #expect(r.status == 2)
        #expect(r.diagnostics.count == 1)
        #expect(r.diagnostics[0].contains(message))
        #expect(r.diagnostics[0].hasPrefix("evlsim: error: \(path)"))
    }

    @Test func badCommandLinesAreRejected() {
        #expect(throws: (any Error).self) { try RunCommand.parse([]) }
        #expect(throws: (any Error).self) { try RunCommand.parse(["--max-instructions", "lots", "x"]) }
        #expect(throws: (any Error).self) { try EvlsimCommand.parseAsRoot(["frobnicate"]) }
    }

    @Test func guestArgumentsMayLookLikeOptions() throws {
        let c = try RunCommand.parse([guest("hello_args"), "--trace", "-x"])
        #expect(!c.trace)
        #expect(c.arguments == ["--trace", "-x"])
    }
}

@Suite struct DisasmCommandTests {
    @Test func disassemblesOneFunction() throws {
        let c = try DisasmCommand.parse([guest("hello_args"), "--symbol", "_start"])
        var out: [String] = []
        let status = c.execute(output: { out.append($0) }, diagnostics: { _ in })
        #expect(status == 0)
        #expect(out.first?.hasSuffix("<_start>:") == true)
        // glibc's AArch64 _start clears the frame pointer and link register first (sysdeps/aarch64/start.S);
        // `aarch64-linux-gnu-objdump -d` shows d280001d (mov x29, #0) as the second word.
        #expect(out.count > 3)
        #expect(out[2].contains("d280001d") && out[2].contains("x29, #0"))
    }

    @Test func unknownSymbolIsAnError() throws {
        let c = try DisasmCommand.parse([guest("hello_args"), "--symbol", "no_such_function"])
        var diags: [String] = []
        #expect(c.execute(output: { _ in }, diagnostics: { diags.append($0) }) == 1)
        #expect(diags.first?.contains("no symbol named 'no_such_function'") == true)
    }

    @Test func notAnELFExitsWith2() throws {
        let c = try DisasmCommand.parse([#filePath])
        var diags: [String] = []
        #expect(c.execute(output: { _ in }, diagnostics: { diags.append($0) }) == 2)
        #expect(diags.first?.contains("not an ELF file") == true)
    }
}
