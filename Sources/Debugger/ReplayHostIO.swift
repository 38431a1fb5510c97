import Linux

/// The host side of a process that a debugger can take back in time: output the guest already
/// produced is not produced twice when the debugger re-executes, and stdin it already read is
/// read again from a log rather than from the host.
///
/// Positions are byte counts per stream since the run began; a checkpoint records them
/// (`mark`) and going back to it rewinds them (`rewind`).
public final class ReplayHostIO: HostIO {
    private let host: HostIO
    /// Bytes passed on so far, per stream (1, 2): the high-water mark.
    private var emitted = [0, 0, 0]
    /// Bytes the guest has written so far on this timeline, per stream.
    private var written = [0, 0, 0]
    private var stdinLog: [UInt8] = []
    private var stdinRead = 0

    public init(_ host: HostIO) { self.host = host }

    /// Where the streams stand now (for a checkpoint).
    public struct Mark: Sendable { var written: [Int]; var stdinRead: Int }
    public var mark: Mark { Mark(written: written, stdinRead: stdinRead) }
    public func rewind(to m: Mark) { written = m.written; stdinRead = m.stdinRead }

    public func write(stream: Int, _ bytes: UnsafeRawBufferPointer) {
        let s = stream == 2 ? 2 : 1
        let start = written[s]
        written[s] += bytes.count
        // Only the part beyond what the host has seen goes out: re-execution repeats the rest.
        let fresh = written[s] - max(emitted[s], start)
        guard fresh > 0 else { return }
        host.write(stream: s, UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - fresh)...]))
        emitted[s] = written[s]
    }

    public func readStdin(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if stdinRead == stdinLog.count {
            let n = host.readStdin(into: buffer)
            stdinLog.append(contentsOf: buffer[0..<n])
        }
        let n = min(buffer.count, stdinLog.count - stdinRead)
        for i in 0..<n { buffer[i] = stdinLog[stdinRead + i] }
        stdinRead += n
        return n
    }

    public func flush() { host.flush() }
}
