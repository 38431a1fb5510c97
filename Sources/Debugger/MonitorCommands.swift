/// The `monitor` commands both debugger targets answer: the words are read here, the figures
/// come from the target.
struct MonitorCommands {
    static let help = "monitor commands: time, icount, stats, snapshot FILE\n"

    var time: () -> String
    var icount: () -> String
    var stats: () -> String
    /// Writes a snapshot (set by the command line); nil where there is none.
    var writeSnapshot: ((String) throws -> Void)?
    /// Why a snapshot cannot be taken now, if it cannot.
    var snapshotRefusal: () -> String? = { nil }
    /// The simulated time a snapshot is taken at, for its message.
    var now: () -> String

    /// The text for `monitor COMMAND`, or nil for an unknown command.
    func answer(_ command: String) -> String? {
        let words = command.split(separator: " ").map(String.init)
        switch words.first {
        case "time": return time()
        case "icount", "instructions": return icount()
        case "stats": return stats()
        case "snapshot":
            guard words.count == 2 else { return "usage: monitor snapshot FILE\n" }
            if let why = snapshotRefusal() { return why }
            guard let writeSnapshot else { return "snapshots are not available here\n" }
            do { try writeSnapshot(words[1]); return "snapshot at \(now()) written to \(words[1])\n" } catch { return "error: \(error)\n" }
        case "help", nil: return Self.help
        default: return nil
        }
    }
}
