#if canImport(Glibc)
import Glibc
#endif

/// The one seam between a simulated process and the host's standard streams.
///
/// The kernel model never calls host I/O directly: `evlsim run` passes the real
/// streams through, tests capture them in memory. Nothing else in a simulation
/// touches the host.
public protocol HostIO: AnyObject {
    /// Writes guest bytes to host stream 1 (stdout) or 2 (stderr).
    func write(stream: Int, _ bytes: UnsafeRawBufferPointer)
    /// Reads up to `buffer.count` bytes of host stdin; 0 at end of input.
    func readStdin(into buffer: UnsafeMutableRawBufferPointer) -> Int
    /// Flushes anything buffered (called when the guest exits).
    func flush()
}

/// Passes guest output straight to the host's file descriptors 1 and 2, and reads host stdin.
public final class StandardHostIO: HostIO {
    public init() {}

    public func write(stream: Int, _ bytes: UnsafeRawBufferPointer) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(Int32(stream), bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return // host stream closed: the guest's write still succeeds, as with a full pipe reader gone
            }
            done += n
        }
    }

    public func readStdin(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let n = Glibc.read(0, buffer.baseAddress, buffer.count)
            if n < 0 && errno == EINTR { continue }
            return max(n, 0)
        }
    }

    public func flush() {}
}

/// Keeps guest output in memory and feeds stdin from a byte string (tests, embedding).
public final class CapturedHostIO: HostIO {
    public private(set) var stdout: [UInt8] = []
    public private(set) var stderr: [UInt8] = []
    private var stdinBytes: [UInt8]
    private var stdinOffset = 0

    public init(stdin: [UInt8] = []) { stdinBytes = stdin }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    public func write(stream: Int, _ bytes: UnsafeRawBufferPointer) {
        if stream == 2 { stderr.append(contentsOf: bytes) } else { stdout.append(contentsOf: bytes) }
    }

    public func readStdin(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(buffer.count, stdinBytes.count - stdinOffset)
        for i in 0..<n { buffer[i] = stdinBytes[stdinOffset + i] }
        stdinOffset += n
        return n
    }

    public func flush() {}
}
