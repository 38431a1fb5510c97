import SimCore

/// What a snapshot says about the run it came from, ahead of the machine's state: which
/// command took it, the board (its whole rendered description, so a restore needs no board
/// file), the program, and the timing mode.
struct SnapshotHeader {
    var kind: String
    var boardName: String
    var board: String
    var image: String
    var rawLoadAddress: UInt64?
    var timing: String
    /// User-mode runs: the program's arguments (the path first) and environment.
    var arguments: [String] = []
    var environment: [String] = []

    init(kind: String, boardName: String, board: String, image: String, rawLoadAddress: UInt64?, timing: String, arguments: [String] = [], environment: [String] = []) {
        self.kind = kind; self.boardName = boardName; self.board = board; self.image = image; self.rawLoadAddress = rawLoadAddress; self.timing = timing
        self.arguments = arguments; self.environment = environment
    }

    func save(to w: inout SnapshotWriter) {
        w.section("run")
        w.string(kind); w.string(boardName); w.string(board); w.string(image)
        w.bool(rawLoadAddress != nil); w.u64(rawLoadAddress ?? 0)
        w.string(timing)
        w.int(arguments.count)
        for a in arguments { w.string(a) }
        w.int(environment.count)
        for e in environment { w.string(e) }
    }

    /// Reads the header; a snapshot of the other command is refused by name.
    init(from r: inout SnapshotReader, path: String, expecting: String) throws {
        try r.section("run")
        kind = try r.string()
        guard kind == expecting else {
            throw SnapshotError.wrongMachine(path: path, detail: "a snapshot of `evlsim \(kind)`; resume it with `evlsim \(kind) --restore`")
        }
        boardName = try r.string(); board = try r.string(); image = try r.string()
        let raw = try r.bool(), address = try r.u64()
        rawLoadAddress = raw ? address : nil
        timing = try r.string()
        arguments = try (0..<(try r.count(atMost: 4096))).map { _ in try r.string() }
        environment = try (0..<(try r.count(atMost: 4096))).map { _ in try r.string() }
    }
}

extension SnapshotHeader {
    /// Writes this header and `part`'s state to `path`; returns the file's size and the host
    /// milliseconds it took.
    func write(_ part: Snapshotting, to path: String) throws -> (bytes: Int, milliseconds: Double) {
        let started = HostClock.seconds()
        var w = SnapshotWriter()
        save(to: &w)
        part.save(to: &w)
        let size = try SnapshotFile.write(w.bytes, to: path)
        return (size, (HostClock.seconds() - started) * 1000)
    }
}
