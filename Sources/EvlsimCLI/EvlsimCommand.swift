import ArgumentParser

/// The `evlsim` command line: one subcommand per user task.
public struct EvlsimCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "evlsim",
        abstract: "A full-system simulator of a dual-kernel (Dovetail/EVL) machine.",
        discussion: """
            `run` executes a static AArch64 Linux program in user mode; `boot` runs a bare-metal image \
            on a simulated board (see `machines`). The dual kernel comes next.
            """,
        subcommands: [RunCommand.self, BootCommand.self, MachinesCommand.self, DisasmCommand.self])

    public init() {}
}

/// Exit status for a file evlsim cannot use (missing, not ELF, truncated, wrong architecture).
let badInputStatus: Int32 = 2
