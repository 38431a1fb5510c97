import Foundation
import SimCore
import Yams

// Reading a board file: YAML text → Yams node tree (with line and column
// marks) → BoardDescription, checking each field as it is read. Checks that
// involve several fields (overlaps, core counts against the GIC type, IRQs
// against the SPI count) run afterwards, in BoardDescription+Validation.swift.
//
// Yams's Codable decoding would lose the marks; walking `Node`s by hand keeps
// them, so every error names its line.

extension BoardDescription {
    /// Reads, parses and validates the board file at `path`.
    public static func load(path: String) throws -> BoardDescription {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw BoardFileError(file: path, field: "",
                                 message: "cannot read the board file (\(error.localizedDescription))")
        }
        return try parse(text, file: path)
    }

    /// Parses and validates board-file text; `file` names it in errors and must end in the board's name.
    public static func parse(_ text: String, file: String) throws -> BoardDescription {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw BoardFileReader.syntaxError(error, file: file)
        }
        guard let root else {
            throw BoardFileError(file: file, field: "", message: "the file is empty; expected a mapping with keys "
                                 + BoardFileReader.topLevelKeys.joined(separator: ", "))
        }
        var reader = BoardFileReader(file: file)
        var board = try reader.board(root)
        board.file = file
        board.positions = reader.positions
        try board.validate()
        return board
    }
}

/// Walks one board file's node tree, recording where each field was found.
struct BoardFileReader {
    let file: String
    /// Field path → where its value (or, for a missing optional field, its section) is in the file.
    private(set) var positions: [String: SourcePosition] = [:]

    init(file: String) { self.file = file }

    static let topLevelKeys = ["name", "description", "cpu", "quantum", "memory",
                               "interrupt-controller", "timer", "uarts", "psci", "timing"]

    // MARK: Sections

    mutating func board(_ root: Node) throws -> BoardDescription {
        let top = try mapping(root, path: "", allowed: Self.topLevelKeys)
        let name = try string(top, "name")
        let description = try optionalString(top, "description") ?? ""
        let cpu = try self.cpu(try mapping(top.required("cpu", reader: self), path: "cpu",
                                           allowed: ["model", "count", "frequency", "midr", "cluster-size"]))
        let quantum = try time(top, "quantum", range: .nanoseconds(1)...SimTime.microseconds(1_000_000))
        let memory = try list(top, "memory", required: true) { reader, node, path in
            try reader.memoryRegion(node, path: path)
        }
        guard !memory.isEmpty else {
            throw error(top.values["memory"], "memory", "expected at least one RAM region, got an empty list")
        }
        let gic = try interruptController(try mapping(top.required("interrupt-controller", reader: self),
                                                      path: "interrupt-controller",
                                                      allowed: ["type", "distributor", "cpu-interface",
                                                                "redistributors", "spis", "priority-bits"]))
        let timer = try self.timer(try mapping(top.required("timer", reader: self), path: "timer",
                                               allowed: ["frequency", "ppis"]))
        let uarts = try list(top, "uarts", required: false) { reader, node, path in
            try reader.uart(node, path: path)
        }
        let psciFields = try mapping(top.required("psci", reader: self), path: "psci", allowed: ["conduit"])
        let psci = BoardDescription.PSCI(conduit: try choice(psciFields, "conduit"))
        var timing: BoardDescription.Timing?
        var timingSameAs: String?
        if let node = top.values["timing"] {
            (timing, timingSameAs) = try self.timing(node)
        }
        var board = BoardDescription(name: name, description: description, file: file, cpu: cpu, quantum: quantum,
                                     memory: memory, interruptController: gic, timer: timer, uarts: uarts, psci: psci,
                                     timing: timing)
        board.timingSameAs = timingSameAs
        return board
    }

    private mutating func cpu(_ f: Fields) throws -> BoardDescription.CPU {
        // Core-count limits that depend on the GIC are checked in validate(), which withCores reruns.
        BoardDescription.CPU(
            model: try choice(f, "model"),
            count: Int(try integer(f, "count", range: 1...64, what: "a core count")),
            frequencyHz: try frequency(f, "frequency", range: 1_000_000...10_000_000_000),
            midr: try integer(f, "midr", range: 0...0xFFFF_FFFF, what: "a 32-bit MIDR_EL1 value"),
            clusterSize: Int(try integer(f, "cluster-size", range: 1...256,
                                         what: "a cluster size (Aff0 is 8 bits)")))
    }

    private mutating func memoryRegion(_ node: Node, path: String) throws -> BoardDescription.MemoryRegion {
        let f = try mapping(node, path: path, allowed: ["name", "base", "size"])
        return BoardDescription.MemoryRegion(
            name: try string(f, "name"),
            base: try integer(f, "base", range: 0...UInt64.max, what: "an address"),
            size: try size(f, "size", range: 0x1000...UInt64.max))
    }

    private mutating func interruptController(_ f: Fields) throws -> BoardDescription.InterruptController {
        let type: BoardDescription.GICType = try choice(f, "type")
        let (used, unused) = type == .gicv2 ? ("cpu-interface", "redistributors") : ("redistributors", "cpu-interface")
        if let node = f.values[unused] {
            throw error(node, f.child(unused), "not used by \(type.rawValue) (it takes \(used)); remove it or change type")
        }
        let frame = try integer(f, used, range: 0...UInt64.max, what: "an address")
        let spis = Int(try integer(f, "spis", range: 32...992, what: "an SPI count"))
        guard spis % 32 == 0 else {
            throw error(f.values["spis"], f.child("spis"),
                        "expected a multiple of 32 (GICD_TYPER.ITLinesNumber counts blocks of 32), got \(spis)")
        }
        return BoardDescription.InterruptController(
            type: type,
            distributor: try integer(f, "distributor", range: 0...UInt64.max, what: "an address"),
            cpuInterface: type == .gicv2 ? frame : nil,
            redistributors: type == .gicv3 ? frame : nil,
            spis: spis,
            priorityBits: Int(try integer(f, "priority-bits", range: 4...8,
                                          what: "a priority bit count (the GIC architecture allows 4 to 8)")))
    }

    private mutating func timer(_ f: Fields) throws -> BoardDescription.Timer {
        let hz = try frequency(f, "frequency", range: 1_000...1_000_000_000)
        let p = try mapping(f.required("ppis", reader: self), path: f.child("ppis"),
                            allowed: ["physical", "virtual", "hypervisor", "secure-physical"])
        func ppi(_ key: String) throws -> Int {
            Int(try integer(p, key, range: 16...31, what: "a PPI INTID"))
        }
        return BoardDescription.Timer(frequencyHz: hz, physicalPPI: try ppi("physical"), virtualPPI: try ppi("virtual"),
                                      hypervisorPPI: try ppi("hypervisor"), securePhysicalPPI: try ppi("secure-physical"))
    }

    private mutating func uart(_ node: Node, path: String) throws -> BoardDescription.UART {
        let f = try mapping(node, path: path, allowed: ["name", "type", "base", "irq"])
        // The IRQ's upper bound depends on the SPI count, checked in validate().
        return BoardDescription.UART(
            name: try string(f, "name"),
            type: try choice(f, "type"),
            base: try integer(f, "base", range: 0...UInt64.max, what: "an address"),
            irq: Int(try integer(f, "irq", range: 0...0xFFFF_FFFF, what: "an SPI INTID")))
    }

    // MARK: Structure

    /// A mapping's entries by key, with its field path.
    struct Fields {
        let path: String
        let node: Node
        let values: [String: Node]

        func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        func required(_ key: String, reader: BoardFileReader) throws -> Node {
            guard let v = values[key] else {
                throw reader.error(node, child(key), "missing required field")
            }
            return v
        }
    }

    /// `node` as a mapping whose keys are all in `allowed`.
    mutating func mapping(_ node: Node, path: String, allowed: [String]) throws -> Fields {
        guard let m = node.mapping else {
            throw error(node, path.isEmpty ? "" : path,
                        "expected a mapping with keys \(allowed.joined(separator: ", ")), got \(Self.describe(node))")
        }
        var values: [String: Node] = [:]
        for (key, value) in m {
            guard let k = key.scalar?.string else {
                throw error(key, path, "expected a key name, got \(Self.describe(key))")
            }
            let child = path.isEmpty ? k : "\(path).\(k)"
            guard allowed.contains(k) else {
                throw error(key, child, "unknown key '\(k)'; allowed keys: \(allowed.joined(separator: ", "))")
            }
            values[k] = value
            record(child, value)
        }
        record(path, node)
        return Fields(path: path, node: node, values: values)
    }

    /// The list at `key`, each item converted by `item`; an absent optional list is empty.
    mutating func list<T>(_ f: Fields, _ key: String, required: Bool,
                                  _ item: (inout BoardFileReader, Node, String) throws -> T) throws -> [T] {
        guard let node = required ? try f.required(key, reader: self) : f.values[key] else { return [] }
        guard let items = node.sequence else {
            throw error(node, f.child(key), "expected a list, got \(Self.describe(node))")
        }
        var result: [T] = []
        for (i, n) in items.enumerated() {
            let path = "\(f.child(key))[\(i)]"
            record(path, n)
            result.append(try item(&self, n, path))
        }
        return result
    }

    // MARK: Scalars

    /// The scalar text at `key`, or a typed error naming what was expected.
    func scalar(_ f: Fields, _ key: String, expected: String) throws -> (text: String, node: Node) {
        let node = try f.required(key, reader: self)
        guard let s = node.scalar, node.null == nil else {
            throw error(node, f.child(key), "expected \(expected), got \(Self.describe(node))")
        }
        return (s.string, node)
    }

    func string(_ f: Fields, _ key: String) throws -> String {
        let (text, node) = try scalar(f, key, expected: "a string")
        guard !text.isEmpty else { throw error(node, f.child(key), "expected a non-empty string, got ''") }
        return text
    }

    func optionalString(_ f: Fields, _ key: String) throws -> String? {
        f.values[key] == nil ? nil : try string(f, key)
    }

    func integer(_ f: Fields, _ key: String, range: ClosedRange<UInt64>, what: String) throws -> UInt64 {
        let (text, node) = try scalar(f, key, expected: what)
        guard let v = BoardValue.integer(text) else {
            throw error(node, f.child(key), "expected \(what) (\(BoardValue.integerExpectation)), got '\(text)'")
        }
        guard range.contains(v) else {
            throw error(node, f.child(key), "expected \(what) \(Self.describe(range, hex: text.hasPrefix("0x"))), got \(text)")
        }
        return v
    }

    func size(_ f: Fields, _ key: String, range: ClosedRange<UInt64>) throws -> UInt64 {
        let (text, node) = try scalar(f, key, expected: BoardValue.sizeExpectation)
        guard let v = BoardValue.size(text) else {
            throw error(node, f.child(key), "expected \(BoardValue.sizeExpectation), got '\(text)'")
        }
        guard range.contains(v) else {
            throw error(node, f.child(key), "expected a size of at least \(BoardValue.formatSize(range.lowerBound)), got \(text)")
        }
        return v
    }

    func frequency(_ f: Fields, _ key: String, range: ClosedRange<UInt64>) throws -> UInt64 {
        let (text, node) = try scalar(f, key, expected: BoardValue.frequencyExpectation)
        guard let v = BoardValue.frequency(text) else {
            throw error(node, f.child(key), "expected \(BoardValue.frequencyExpectation), got '\(text)'")
        }
        guard range.contains(v) else {
            throw error(node, f.child(key), "expected a frequency between \(BoardValue.formatFrequency(range.lowerBound))"
                        + " and \(BoardValue.formatFrequency(range.upperBound)), got \(text)")
        }
        return v
    }

    func time(_ f: Fields, _ key: String, range: ClosedRange<SimTime>) throws -> SimTime {
        let (text, node) = try scalar(f, key, expected: BoardValue.timeExpectation)
        guard let v = BoardValue.time(text) else {
            throw error(node, f.child(key), "expected \(BoardValue.timeExpectation), got '\(text)'")
        }
        guard range.contains(v) else {
            throw error(node, f.child(key), "expected a time between \(BoardValue.formatTime(range.lowerBound))"
                        + " and \(BoardValue.formatTime(range.upperBound)), got \(text)")
        }
        return v
    }

    /// One of an enumeration's spellings.
    func choice<E: RawRepresentable & CaseIterable>(_ f: Fields, _ key: String) throws -> E where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        let expected = "one of " + names.joined(separator: ", ")
        let (text, node) = try scalar(f, key, expected: expected)
        guard let v = E(rawValue: text) else {
            throw error(node, f.child(key), "expected \(expected), got '\(text)'")
        }
        return v
    }

    // MARK: Errors and positions

    private mutating func record(_ path: String, _ node: Node) {
        if let m = node.mark { positions[path] = SourcePosition(line: m.line, column: m.column) }
    }

    func error(_ node: Node?, _ field: String, _ message: String) -> BoardFileError {
        BoardFileError(file: file, line: node?.mark?.line, column: node?.mark?.column, field: field, message: message)
    }

    /// What a node is, for "got …" in messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if node.null != nil { return "nothing" }
            return "'\(s.string)'"
        case .alias: return "an alias"
        }
    }

    static func describe(_ range: ClosedRange<UInt64>, hex: Bool) -> String {
        if range.upperBound == .max { return "of at least \(range.lowerBound)" }
        let f: (UInt64) -> String = hex ? BoardValue.hex : { String($0) }
        return "between \(f(range.lowerBound)) and \(f(range.upperBound))"
    }

    /// A YAML syntax error from Yams, placed at the line and column libyaml reported.
    static func syntaxError(_ error: YamlError, file: String) -> BoardFileError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return BoardFileError(file: file, line: mark.line, column: mark.column, field: "", message: message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return BoardFileError(file: file, line: context.mark.line, column: context.mark.column, field: "",
                                  message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping")
        default:
            return BoardFileError(file: file, field: "", message: "YAML error: \(error)")
        }
    }
}
