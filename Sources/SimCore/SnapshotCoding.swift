/// The byte stream a snapshot's state is written to: little-endian fixed-width fields, with
/// named section marks so that a reader out of step says where.
///
/// Each part of the machine writes its own fields in a fixed order and reads them back in the
/// same order (`Snapshotting`); the format is defined by that code, once, and versioned as a
/// whole by `SnapshotFile.formatVersion`.
public struct SnapshotWriter {
    public private(set) var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(1 << 16) }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func u16(_ v: UInt16) { append(v) }
    public mutating func u32(_ v: UInt32) { append(v) }
    public mutating func u64(_ v: UInt64) { append(v) }
    public mutating func int(_ v: Int) { append(Int64(v)) }

    private mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A length, then the bytes.
    public mutating func data(_ d: [UInt8]) { int(d.count); bytes.append(contentsOf: d) }
    public mutating func raw(_ p: UnsafeRawPointer, count: Int) {
        int(count)
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: count))
    }
    public mutating func string(_ s: String) { data(Array(s.utf8)) }
    public mutating func u64s(_ a: [UInt64]) { int(a.count); for v in a { u64(v) } }
    public mutating func bools(_ a: [Bool]) { int(a.count); for v in a { bool(v) } }
    public mutating func u8s(_ a: [UInt8]) { data(a) }

    /// Marks the start of a named part; the reader checks the mark.
    public mutating func section(_ name: String) { string("§" + name) }
}

/// Reads what a `SnapshotWriter` wrote, checking every length and section mark.
public struct SnapshotReader {
    private let bytes: [UInt8]
    private var at = 0
    /// The last section mark read, for error messages.
    public private(set) var currentSection = "header"

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { at == bytes.count }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, bytes.count - at >= n else {
            throw SnapshotError.malformed(section: currentSection, detail: "the state ends early (wanted \(n) more bytes)")
        }
        defer { at += n }
        return bytes[at..<at + n]
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let s = try take(MemoryLayout<T>.size)
        var v: T = 0
        for (i, b) in s.enumerated() { v |= T(b) << (8 * i) }
        return v
    }

    public mutating func u8() throws -> UInt8 { try integer(UInt8.self) }
    public mutating func bool() throws -> Bool {
        let b = try u8()
        guard b <= 1 else { throw fail("a flag is \(b), not 0 or 1") }
        return b == 1
    }
    public mutating func u16() throws -> UInt16 { try integer(UInt16.self) }
    public mutating func u32() throws -> UInt32 { try integer(UInt32.self) }
    public mutating func u64() throws -> UInt64 { try integer(UInt64.self) }
    public mutating func int() throws -> Int { Int(try integer(Int64.self)) }

    /// A count, which must be at most `limit` (so a damaged count cannot ask for huge memory).
    public mutating func count(atMost limit: Int = 1 << 34) throws -> Int {
        let n = try int()
        guard n >= 0, n <= limit else { throw fail("a count of \(n) is out of range (0...\(limit))") }
        return n
    }

    public mutating func data() throws -> [UInt8] { Array(try take(try count(atMost: bytes.count - at))) }
    public mutating func raw(into p: UnsafeMutableRawPointer, count expected: Int) throws {
        let n = try count(atMost: bytes.count - at)
        guard n == expected else { throw fail("a block of \(n) bytes where \(expected) were expected") }
        let s = try take(n)
        s.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: n) }
    }
    public mutating func string() throws -> String {
        guard let s = String(validating: try data(), as: UTF8.self) else { throw fail("a name is not UTF-8") }
        return s
    }
    public mutating func u64s(count expected: Int? = nil) throws -> [UInt64] {
        let n = try count(atMost: (bytes.count - at) / 8)
        if let expected, n != expected { throw fail("\(n) values where \(expected) were expected") }
        return try (0..<n).map { _ in try u64() }
    }
    public mutating func bools(count expected: Int? = nil) throws -> [Bool] {
        let n = try count(atMost: bytes.count - at)
        if let expected, n != expected { throw fail("\(n) flags where \(expected) were expected") }
        return try (0..<n).map { _ in try bool() }
    }
    public mutating func u8s(count expected: Int? = nil) throws -> [UInt8] {
        let d = try data()
        if let expected, d.count != expected { throw fail("\(d.count) bytes where \(expected) were expected") }
        return d
    }

    /// Reads a section mark; a different one means the file and this evlsim disagree on layout.
    public mutating func section(_ name: String) throws {
        let saved = currentSection
        let found = try string()
        guard found == "§" + name else {
            currentSection = saved
            throw fail("expected the \"\(name)\" state, found \(found.hasPrefix("§") ? "\"\(found.dropFirst())\"" : "other data")")
        }
        currentSection = name
    }

    /// An error naming the current section.
    public func fail(_ detail: String) -> SnapshotError { .malformed(section: currentSection, detail: detail) }
}

/// A part of the simulation whose state a snapshot holds.
public protocol Snapshotting: AnyObject {
    func save(to w: inout SnapshotWriter)
    func restore(from r: inout SnapshotReader) throws
}

/// Why a snapshot could not be written or read back.
public enum SnapshotError: Error, CustomStringConvertible, Equatable {
    case notASnapshot(path: String)
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    case damaged(path: String, detail: String)
    case wrongMachine(path: String, detail: String)
    case malformed(section: String, detail: String)
    case io(path: String, detail: String)

    public var description: String {
        switch self {
        case .notASnapshot(let p): return "\(p): not an evlsim snapshot (no EVLSNAP header)"
        case .unsupportedVersion(let p, let f, let s):
            return "\(p): snapshot format version \(f); this evlsim reads version \(s) only"
        case .damaged(let p, let d): return "\(p): damaged snapshot: \(d)"
        case .wrongMachine(let p, let d): return "\(p): \(d)"
        case .malformed(let s, let d): return "snapshot state \"\(s)\": \(d)"
        case .io(let p, let d): return "\(p): \(d)"
        }
    }
}
