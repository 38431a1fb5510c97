import Foundation
import Guest
import Linux
import Testing

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let guestBuild = repositoryRoot.appendingPathComponent("guests/build")

/// One line of guests/programs.txt: a program and its arguments.
struct GuestProgram: CustomTestStringConvertible, Sendable {
    var name: String
    var arguments: [String]
    var path: String { guestBuild.appendingPathComponent(name).path }
    var testDescription: String { ([name] + arguments).joined(separator: " ") }
}

/// Every program the guests Makefile builds, as listed in guests/programs.txt.
func guestPrograms() -> [GuestProgram] {
    guard let text = try? String(contentsOf: repositoryRoot.appendingPathComponent("guests/programs.txt"), encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { line in
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        let parts = trimmed.split(separator: " ").map(String.init)
        return GuestProgram(name: parts[0], arguments: Array(parts.dropFirst()))
    }
}

/// The result of running a guest under evlsim in-process.
struct EvlsimOutcome {
    var stdout: [UInt8]
    var stderr: [UInt8]
    var status: Int32
    var result: RunResult
}

func runUnderEvlsim(_ path: String, _ arguments: [String], seed: UInt64 = 0, stdin: [UInt8] = []) throws -> EvlsimOutcome {
    let io = CapturedHostIO(stdin: stdin)
    let image = try ELFImage(path: path)
    var options = RunOptions()
    options.seed = seed
    options.maxInstructions = 2_000_000_000
    let process = try GuestProcess(image: image, arguments: [path] + arguments, environment: [], io: io, options: options)
    let result = process.run()
    return EvlsimOutcome(stdout: io.stdout, stderr: io.stderr, status: result.exitStatus, result: result)
}

/// Runs a host command; returns stdout and the exit status (128 + signal when killed by one, as a shell reports it).
func runHost(_ executable: String, _ arguments: [String]) throws -> (stdout: [UInt8], status: Int32) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let status = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
    return ([UInt8](data), status)
}

/// The first of `names` found on PATH.
func which(_ names: String...) -> String? {
    let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    for n in names { for d in dirs where FileManager.default.isExecutableFile(atPath: "\(d)/\(n)") { return "\(d)/\(n)" } }
    return nil
}
