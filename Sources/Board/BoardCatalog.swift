import Foundation

// Finding board files. An argument that ends in .yaml or contains '/' is a
// path. Anything else is a board name, looked up as NAME.yaml in, in order:
//
//   1. each directory in $EVLSIM_MACHINES (colon-separated),
//   2. ./machines,
//   3. the first machines/ directory found walking up from the running
//      executable's directory (so .build/debug/evlsim finds the checkout's
//      machines/, and an installed bin/evlsim finds a sibling machines/).
//
// The first match wins, and `list()` shows each name once, from the
// directory that wins.

/// The set of board files evlsim can find, by name or by path.
public struct BoardCatalog: Sendable {
    /// The directories searched for NAME.yaml, in order.
    public var searchPath: [String]

    /// A catalog searching `searchPath`, in order.
    public init(searchPath: [String]) {
        self.searchPath = searchPath
    }

    /// A catalog searching the default path for this process: $EVLSIM_MACHINES, ./machines, then next to the executable.
    public init() {
        self.init(searchPath: Self.defaultSearchPath())
    }

    /// One board file the catalog can see.
    public struct Entry: Sendable, Equatable {
        /// The board name (the file name without .yaml).
        public var name: String
        /// The board's description line, empty when the file does not parse.
        public var description: String
        /// The file's path.
        public var path: String
        /// Why the file does not load, when it does not.
        public var problem: String?
    }

    /// No board file with that name on the search path.
    public struct NotFound: Error, CustomStringConvertible, Equatable, Sendable {
        /// The board name asked for.
        public var name: String
        /// The search-path directories that exist.
        public var searched: [String]
        /// Every board name the catalog can see, sorted.
        public var available: [String]

        public var description: String {
            let where_ = searched.isEmpty ? "no machines directory was found" : "searched \(searched.joined(separator: ", "))"
            let names = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "no board named '\(name)' (\(where_)); available boards: \(names)"
        }
    }

    /// The search path for a process with `environment`, working directory `currentDirectory` and argv[0] `executable`.
    public static func defaultSearchPath(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executable: String = CommandLine.arguments.first ?? ""
    ) -> [String] {
        var dirs: [String] = []
        if let env = environment["EVLSIM_MACHINES"] {
            dirs += env.split(separator: ":").map { absolute(String($0), from: currentDirectory) }
        }
        dirs.append(absolute("machines", from: currentDirectory))
        if let exeDir = executableDirectory(executable, environment: environment, currentDirectory: currentDirectory),
           let found = machinesDirectory(above: exeDir) {
            dirs.append(found)
        }
        var seen = Set<String>()
        return dirs.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.filter { seen.insert($0).inserted }
    }

    // MARK: Lookup

    /// Whether `argument` names a file rather than a board.
    public static func isPath(_ argument: String) -> Bool {
        argument.hasSuffix(".yaml") || argument.contains("/")
    }

    /// The path of the board file `argument` names: itself when it is a path, else NAME.yaml on the search path.
    public func locate(_ argument: String) throws -> String {
        if Self.isPath(argument) { return argument }
        for dir in searchPath {
            let candidate = (dir as NSString).appendingPathComponent("\(argument).yaml")
            if Self.isFile(candidate) { return candidate }
        }
        throw NotFound(name: argument, searched: searchPath.filter(Self.isDirectory), available: list().map(\.name))
    }

    /// Loads the board `argument` names (a name or a path).
    public func load(_ argument: String) throws -> BoardDescription {
        var board = try BoardDescription.load(path: try locate(argument))
        if let other = board.timingSameAs {
            board.timing = try borrowedTiming(other, for: board)
        }
        return board
    }

    /// The timing figures of board `name`, which `board` names with `timing: { same-as: name }`:
    /// that board must be found, have figures of its own, and have the same core model.
    private func borrowedTiming(_ name: String, for board: BoardDescription) throws -> BoardDescription.Timing {
        func failure(_ message: String) -> BoardFileError { board.fail("timing.same-as", message) }
        let source: BoardDescription
        do {
            source = try BoardDescription.load(path: try locate(name))
        } catch {
            throw failure("cannot use the timing figures of '\(name)': \(error)")
        }
        guard let timing = source.timing else {
            throw failure("board '\(name)' has no timing figures of its own to borrow")
        }
        guard source.cpu.model == board.cpu.model else {
            throw failure("board '\(name)' has \(source.cpu.model.rawValue) cores, this board \(board.cpu.model.rawValue): its figures do not apply")
        }
        return timing
    }

    /// Every board on the search path, sorted by name; where two directories hold the same name, the earlier wins.
    public func list() -> [Entry] {
        var entries: [String: Entry] = [:]
        for dir in searchPath {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for file in files.sorted() where file.hasSuffix(".yaml") {
                let name = String(file.dropLast(5))
                guard entries[name] == nil else { continue }
                let path = (dir as NSString).appendingPathComponent(file)
                do {
                    let board = try BoardDescription.load(path: path)
                    entries[name] = Entry(name: name, description: board.description, path: path, problem: nil)
                } catch {
                    entries[name] = Entry(name: name, description: "", path: path, problem: "\(error)")
                }
            }
        }
        return entries.values.sorted { $0.name < $1.name }
    }

    // MARK: Host paths

    /// The directory holding the running executable, following symlinks; argv[0] without a '/' is looked up on $PATH.
    static func executableDirectory(_ argv0: String, environment: [String: String],
                                    currentDirectory: String) -> String? {
        guard !argv0.isEmpty else { return nil }
        var path: String?
        if argv0.contains("/") {
            path = absolute(argv0, from: currentDirectory)
        } else {
            for dir in (environment["PATH"] ?? "").split(separator: ":") {
                let candidate = absolute((String(dir) as NSString).appendingPathComponent(argv0), from: currentDirectory)
                if FileManager.default.isExecutableFile(atPath: candidate) { path = candidate; break }
            }
        }
        guard let path else { return nil }
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    /// The first `machines` directory in `start` or one of its ancestors.
    static func machinesDirectory(above start: String) -> String? {
        var dir = URL(fileURLWithPath: start).standardizedFileURL.path
        while true {
            let candidate = (dir as NSString).appendingPathComponent("machines")
            if isDirectory(candidate) { return candidate }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { return nil }
            dir = parent
        }
    }

    private static func absolute(_ path: String, from base: String) -> String {
        path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    private static func isFile(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
    }
}
