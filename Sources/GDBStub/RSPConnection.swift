#if canImport(Glibc)
import Glibc
#endif

/// One client connection speaking the GDB Remote Serial Protocol's framing: `$data#cs`
/// packets with a two-hex-digit checksum, `+`/`-` acknowledgements (until QStartNoAckMode),
/// `}`-escapes for binary data, and a bare 0x03 byte for Ctrl-C.
final class RSPConnection {
    /// What arrived from the client.
    enum Incoming: Equatable {
        case packet([UInt8])
        case interrupt
        /// A packet longer than the advertised size, skipped whole.
        case oversized
        case disconnected
    }

    static let maxPacket = 0x4000
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var at = 0
    private var lastSent: [UInt8] = []
    var noAck = false
    /// Ctrl-C bytes seen while looking for something else.
    private var pendingInterrupts = 0

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Fills the buffer; false at end of stream or error. `timeout` in ms (-1 blocks).
    private func fill(timeout: Int32) -> Bool? {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&p, 1, timeout)
        if ready == 0 { return nil }
        if ready < 0 { return errno == EINTR ? nil : false }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return false }
        if at > 0 && at == buffer.count { buffer.removeAll(keepingCapacity: true); at = 0 }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    private func nextByte(timeout: Int32 = -1) -> UInt8?? {
        while at == buffer.count {
            guard let got = fill(timeout: timeout) else { return .some(nil) }
            if !got { return nil }
        }
        defer { at += 1 }
        return buffer[at]
    }

    /// The next packet or event, blocking.
    func receive() -> Incoming {
        if pendingInterrupts > 0 { pendingInterrupts -= 1; return .interrupt }
        while true {
            guard let b = nextByte() else { return .disconnected }
            switch b {
            case 0x03: return .interrupt
            case UInt8(ascii: "-"): send(raw: lastSent) // the client wants the last packet again
            case UInt8(ascii: "$"):
                var body: [UInt8] = []
                var oversized = false
                while true {
                    guard let c = nextByte() else { return .disconnected }
                    guard let c else { continue }
                    if c == UInt8(ascii: "#") { break }
                    if c == UInt8(ascii: "$") { body = []; oversized = false; continue } // a new start: the old one was noise
                    if body.count < Self.maxPacket { body.append(c) } else { oversized = true }
                }
                guard let h = nextByte(), let h, let l = nextByte(), let l else { return .disconnected }
                if oversized {
                    if !noAck { send(raw: Array("+".utf8)) }
                    return .oversized
                }
                let sum = body.reduce(UInt8(0)) { $0 &+ $1 }
                guard let expected = hexValue(h).flatMap({ hi in hexValue(l).map { hi << 4 | $0 } }), expected == sum else {
                    if !noAck { send(raw: Array("-".utf8)) } // ask for it again
                    continue
                }
                if !noAck { send(raw: Array("+".utf8)) }
                return .packet(unescape(body))
            default:
                continue // '+' acknowledgements and noise between packets
            }
        }
    }

    /// Set once the client has gone: a running target should stop rather than run on unwatched.
    private(set) var hungUp = false

    /// Whether the client has sent Ctrl-C, or hung up (non-blocking; other bytes stay for `receive`).
    func interruptPending() -> Bool {
        if pendingInterrupts > 0 || hungUp { return true }
        while true {
            if at == buffer.count {
                guard let got = fill(timeout: 0) else { return false }
                if !got { hungUp = true; return true }
            }
            if let i = buffer[at...].firstIndex(of: 0x03), !buffer[at..<i].contains(UInt8(ascii: "$")) {
                buffer.remove(at: i)
                pendingInterrupts += 1
                return true
            }
            return false
        }
    }

    /// Sends one packet (escaping what must be) and remembers it for a `-`.
    func send(_ data: [UInt8]) {
        var body: [UInt8] = []
        body.reserveCapacity(data.count + 4)
        for b in data {
            if b == UInt8(ascii: "#") || b == UInt8(ascii: "$") || b == UInt8(ascii: "}") || b == UInt8(ascii: "*") {
                body.append(UInt8(ascii: "}")); body.append(b ^ 0x20)
            } else {
                body.append(b)
            }
        }
        let sum = body.reduce(UInt8(0)) { $0 &+ $1 }
        let packet = [UInt8(ascii: "$")] + body + [UInt8(ascii: "#")] + Array(hex(sum, width: 2).utf8)
        lastSent = packet
        send(raw: packet)
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    private func send(raw: [UInt8]) {
        var done = 0
        while done < raw.count {
            let n = raw.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + done, $0.count - done, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            done += n
        }
    }

    private func unescape(_ b: [UInt8]) -> [UInt8] {
        guard b.contains(UInt8(ascii: "}")) else { return b }
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "}"), i + 1 < b.count { out.append(b[i + 1] ^ 0x20); i += 2 } else { out.append(b[i]); i += 1 }
        }
        return out
    }
}

func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}

func hex<T: BinaryInteger>(_ v: T, width: Int = 0) -> String {
    let s = String(v, radix: 16)
    return s.count < width ? String(repeating: "0", count: width - s.count) + s : s
}

/// Bytes as lower-case hex pairs, the protocol's usual encoding.
func hexBytes(_ b: [UInt8]) -> String { b.map { hex($0, width: 2) }.joined() }

/// Hex pairs back to bytes; nil on an odd length or a non-hex digit.
func bytes(fromHex s: Substring) -> [UInt8]? {
    let u = Array(s.utf8)
    guard u.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(u.count / 2)
    var i = 0
    while i < u.count {
        guard let h = hexValue(u[i]), let l = hexValue(u[i + 1]) else { return nil }
        out.append(h << 4 | l)
        i += 2
    }
    return out
}
