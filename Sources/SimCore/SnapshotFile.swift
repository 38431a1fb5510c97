import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// A snapshot on disk: a fixed header, then the state (`SnapshotWriter`'s bytes) compressed
/// with zlib.
///
/// Layout: "EVLSNAP\0", the format version (u32), the CRC-32 of everything after the CRC
/// field (u32), the state's length before and after compression (u64 each), the
/// compressed state. All little-endian. The version changes whenever any part's saved
/// fields change, so an older file is refused rather than misread.
public enum SnapshotFile {
    public static let magic: [UInt8] = Array("EVLSNAP".utf8) + [0]
    public static let formatVersion: UInt32 = 3 // 2: the core model saves its window as a ring by instruction, its latest completion among its clocks; 3: caches no longer save their two recent lines
    static let headerSize = 8 + 4 + 4 + 8 + 8

    /// Compresses `state` and writes it to `path` (through a temporary file, so a failed write
    /// never leaves half a snapshot under the name).
    /// Returns the file's size.
    @discardableResult
    public static func write(_ state: [UInt8], to path: String) throws -> Int {
        let bytes = try encode(state)
        let temporary = path + ".partial"
        guard let f = fopen(temporary, "wb") else { throw SnapshotError.io(path: path, detail: "cannot create: \(errnoText())") }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        let closed = fclose(f)
        guard written == bytes.count, closed == 0 else {
            unlink(temporary)
            throw SnapshotError.io(path: path, detail: "cannot write: \(errnoText())")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw SnapshotError.io(path: path, detail: "cannot rename into place: \(errnoText())")
        }
        return bytes.count
    }

    /// Reads `path` and returns the state, checking the header, version, length and checksum.
    public static func read(_ path: String) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw SnapshotError.io(path: path, detail: "cannot open: \(errnoText())") }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return try decode(bytes, path: path)
    }

    /// The file's bytes for `state`.
    public static func encode(_ state: [UInt8]) throws -> [UInt8] {
        var bound = compressBound(uLong(state.count))
        var packed = [UInt8](repeating: 0, count: Int(bound))
        let status = packed.withUnsafeMutableBytes { out in
            state.withUnsafeBytes { input in
                compress2(out.baseAddress!.assumingMemoryBound(to: Bytef.self), &bound,
                          input.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(state.count), 6)
            }
        }
        guard status == Z_OK else { throw SnapshotError.io(path: "snapshot", detail: "zlib could not compress the state (\(status))") }
        packed.removeSubrange(Int(bound)...)
        var body: [UInt8] = []
        appendLE(&body, UInt64(state.count))
        appendLE(&body, UInt64(packed.count))
        body += packed
        var out = magic
        appendLE(&out, formatVersion)
        appendLE(&out, crc(body))
        return out + body
    }

    /// The state inside a file's bytes.
    public static func decode(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else { throw SnapshotError.notASnapshot(path: path) }
        guard bytes.count >= headerSize else { throw SnapshotError.damaged(path: path, detail: "truncated header (\(bytes.count) bytes)") }
        let version = UInt32(truncatingIfNeeded: loadLE(bytes, at: 8, size: 4))
        guard version == formatVersion else {
            throw SnapshotError.unsupportedVersion(path: path, found: version, supported: formatVersion)
        }
        let expectedCRC = UInt32(truncatingIfNeeded: loadLE(bytes, at: 12, size: 4))
        let stateLength = loadLE(bytes, at: 16, size: 8), packedLength = loadLE(bytes, at: 24, size: 8)
        guard packedLength == UInt64(bytes.count - headerSize) else {
            throw SnapshotError.damaged(path: path, detail: "truncated or extended: \(bytes.count - headerSize) bytes of state where the header says \(packedLength)")
        }
        let body = Array(bytes[16...])
        guard crc(body) == expectedCRC else { throw SnapshotError.damaged(path: path, detail: "checksum mismatch") }
        guard stateLength < 1 << 40 else { throw SnapshotError.damaged(path: path, detail: "implausible state length \(stateLength)") }
        var state = [UInt8](repeating: 0, count: Int(stateLength))
        var length = uLong(stateLength)
        let status = state.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { input in
                uncompress(out.baseAddress?.assumingMemoryBound(to: Bytef.self), &length,
                           input.baseAddress!.assumingMemoryBound(to: Bytef.self) + headerSize, uLong(packedLength))
            }
        }
        guard status == Z_OK, length == uLong(stateLength) else {
            throw SnapshotError.damaged(path: path, detail: "the compressed state does not decompress (zlib \(status))")
        }
        return state
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(crc32(0, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count))) }
    }

    private static func appendLE<T: FixedWidthInteger>(_ a: inout [UInt8], _ v: T) {
        withUnsafeBytes(of: v.littleEndian) { a.append(contentsOf: $0) }
    }

    private static func loadLE(_ a: [UInt8], at offset: Int, size: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<size { v |= UInt64(a[offset + i]) << (8 * i) }
        return v
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
