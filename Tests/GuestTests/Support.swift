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
///
/// The child starts with no signals blocked and every disposition at its default, as from a shell:
/// the test runner blocks some signals (SIGUSR1 among them), and qemu-user would pass that mask on to
/// the guest, so a guest's raise(SIGUSR1) would never be delivered.
func runHost(_ executable: String, _ arguments: [String]) throws -> (stdout: [UInt8], status: Int32) {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t(), all = sigset_t()
    sigemptyset(&empty)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var pipeFDs: [Int32] = [0, 0]
    guard pipe(&pipeFDs) == 0 else { throw POSIXError(.EMFILE) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
    posix_spawn_file_actions_addclose(&actions, pipeFDs[1])

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid = pid_t()
    let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
    close(pipeFDs[1])
    guard rc == 0 else { close(pipeFDs[0]); throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .ENOENT) }
    let data = FileHandle(fileDescriptor: pipeFDs[0], closeOnDealloc: true).readDataToEndOfFile()
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let termSignal = status & 0x7F
    return ([UInt8](data), termSignal == 0 ? (status >> 8) & 0xFF : 128 + termSignal)
}

/// The first of `names` found on PATH.
func which(_ names: String...) -> String? {
    let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    for n in names { for d in dirs where FileManager.default.isExecutableFile(atPath: "\(d)/\(n)") { return "\(d)/\(n)" } }
    return nil
}
