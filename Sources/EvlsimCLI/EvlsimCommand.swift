import ArgumentParser

/// The `evlsim` command line: one subcommand per user task.
public struct EvlsimCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "evlsim",
        abstract: "A full-system simulator of a dual-kernel (Dovetail/EVL) machine.",
        discussion: "Runs static AArch64 Linux programs on a simulated core today; boards and the dual kernel come next.",
        subcommands: [RunCommand.self, DisasmCommand.self])

    public init() {}
}

/// Exit status for a file evlsim cannot use (missing, not ELF, truncated, wrong architecture).
let badInputStatus: Int32 = 2
