import ArgumentParser
import Board
import Foundation

/// `evlsim machines`: lists the board files, or prints one resolved.
public struct MachinesCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "machines",
        abstract: "List the simulated boards, or show one with every value resolved.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self)

    public init() {}

    /// `evlsim machines [list]`.
    public struct List: ParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the boards with a one-line description each.")
        public init() {}
        public func run() throws {
            let text = MachinesCommand.listing()
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// `evlsim machines show BOARD`.
    public struct Show: ParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one board with every value resolved.")
        @Argument(help: "A board name from `evlsim machines`, or a path to a board file.")
        var board: String
        @Option(name: .long, help: "Show the board with this many cores.")
        var smp: Int?
        public init() {}
        public func run() throws {
            do {
                let d = try BoardCatalog().load(board)
                let resolved = try smp.map { try d.withCores($0) } ?? d
                FileHandle.standardOutput.write(Data(resolved.render().utf8))
            } catch {
                FileHandle.standardError.write(Data("evlsim: error: \(error)\n".utf8))
                throw ExitCode(badInputStatus)
            }
        }
    }

    /// One line per board: name and description.
    static func listing() -> String {
        let boards = BoardCatalog().list()
        let width = boards.map(\.name.count).max() ?? 0
        return boards.map { $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.description + "\n" }.joined()
    }
}
