#if canImport(Glibc)
import Glibc
#endif

/// A GDB remote stub on a TCP port: it accepts one client at a time and answers its packets
/// from a `GDBTarget`, in all-stop mode.
public final class GDBServer {
    /// How a client session ended.
    public enum SessionEnd: Equatable, Sendable {
        /// `detach`: the client let the target go on.
        case detached
        /// `kill`: the client asked for the run to end.
        case killed
        /// The connection dropped without a word.
        case disconnected
    }

    /// A bad `--gdb` address or a socket that cannot be set up.
    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    public let target: GDBTarget
    public let host: String
    public private(set) var port: UInt16
    private let listener: Int32
    private var connection: RSPConnection?
    /// The thread `g`, `m` and the like address (Hg), and the one to resume (Hc; nil: any).
    private var currentThread = 1
    private var resumeThread: Int?
    /// Why the target last stopped (the `?` reply).
    public var lastStop: GDBStopEvent

    /// Parses `[HOST:]PORT` (a port alone means 127.0.0.1).
    public static func parseAddress(_ text: String) throws -> (host: String, port: UInt16) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let portText = parts.last, let port = UInt16(portText) else {
            throw SetupError(description: "--gdb: expected [HOST:]PORT such as 1234 or 127.0.0.1:1234, got '\(text)'")
        }
        let host = parts.count == 2 ? String(parts[0]) : "127.0.0.1"
        var address = in_addr()
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address) == 1 else {
            throw SetupError(description: "--gdb: '\(host)' is not an IPv4 address")
        }
        return (host, port)
    }

    /// Listens on `host:port` (port 0: any free port, then `port` says which).
    public init(target: GDBTarget, host: String = "127.0.0.1", port: UInt16, initialStop: GDBStopEvent) throws {
        self.target = target
        self.host = host
        lastStop = initialStop
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        guard listener >= 0 else { throw SetupError(description: "--gdb: cannot create a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &a.sin_addr)
        let bound = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(listener, 1) == 0 else {
            let why = String(cString: strerror(errno))
            close(listener)
            throw SetupError(description: "--gdb: cannot listen on \(host):\(port): \(why)")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        self.port = UInt16(bigEndian: a.sin_port)
    }

    deinit { close(listener) }

    /// Waits for a client; `timeout` in ms (-1: forever). True once one is connected.
    @discardableResult
    public func waitForClient(timeout: Int32 = -1) -> Bool {
        var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, timeout) > 0 else { return false }
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { return false }
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        connection = RSPConnection(fd: fd)
        return true
    }

    /// Answers the connected client until it detaches, kills or goes away.
    public func serve() -> SessionEnd {
        guard let c = connection else { return .disconnected }
        defer { connection = nil }
        if let t = stopThread(lastStop) { currentThread = t }
        while true {
            switch c.receive() {
            case .disconnected: return .disconnected
            case .interrupt: continue // already stopped: nothing to interrupt
            case .oversized: c.send("E01")
            case .packet(let p):
                if let end = handle(p, c) { return end }
            }
        }
    }

    // MARK: Packets

    private func handle(_ packet: [UInt8], _ c: RSPConnection) -> SessionEnd? {
        let text = String(decoding: packet, as: UTF8.self)
        guard let first = text.first else { c.send(""); return nil }
        let args = text.dropFirst()
        switch first {
        case "?": c.send(stopReply(lastStop))
        case "q", "Q": query(text, c)
        case "H":
            guard let op = args.first, let t = thread(args.dropFirst()) else { c.send("E01"); break }
            if op == "g" { if let t { guard target.threadIDs.contains(t) else { c.send("E01"); break }; currentThread = t } }
            else { resumeThread = t }
            c.send("OK")
        case "T":
            guard let t = thread(args), let t, target.threadIDs.contains(t) else { c.send("E01"); break }
            c.send("OK")
        case "g":
            guard let r = target.readRegisters(thread: currentThread) else { c.send("E01"); break }
            c.send(hexBytes(r))
        case "G":
            guard let b = bytes(fromHex: args), target.writeRegisters(thread: currentThread, b) else { c.send("E01"); break }
            c.send("OK")
        case "p":
            guard let n = Int(args, radix: 16), let r = target.readRegister(thread: currentThread, number: n) else { c.send("E01"); break }
            c.send(hexBytes(r))
        case "P":
            let parts = args.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let n = Int(parts[0], radix: 16), let b = bytes(fromHex: parts[1]),
                  target.writeRegister(thread: currentThread, number: n, b) else { c.send("E01"); break }
            c.send("OK")
        case "m":
            guard let (address, length) = addressLength(args) else { c.send("E01"); break }
            guard let b = target.readMemory(thread: currentThread, address: address, length: min(length, RSPConnection.maxPacket / 2 - 8)) else {
                c.send("E14"); break
            }
            c.send(hexBytes(b))
        case "M", "X":
            guard let colon = packet.firstIndex(of: UInt8(ascii: ":")),
                  let (address, length) = addressLength(args.prefix(colon - 1)) else { c.send("E01"); break }
            let payload = Array(packet[(colon + 1)...])
            let data = first == "X" ? payload : bytes(fromHex: Substring(String(decoding: payload, as: UTF8.self)))
            guard let data, data.count == length else { c.send("E01"); break }
            c.send(target.writeMemory(thread: currentThread, address: address, data) ? "OK" : "E14")
        case "Z", "z":
            let parts = args.split(separator: ",")
            guard parts.count >= 3, let type = Int(parts[0]), let address = UInt64(parts[1], radix: 16),
                  let kindText = parts[2].split(separator: ";").first, let kind = Int(kindText, radix: 16) else { c.send("E01"); break }
            guard let k = GDBBreakpointKind(rawValue: type) else { c.send(""); break }
            let ok = first == "Z" ? target.insertBreakpoint(k, address: address, length: kind)
                                  : target.removeBreakpoint(k, address: address, length: kind)
            c.send(ok ? "OK" : "E01")
        case "c", "s", "C", "S":
            // An address would move the PC; gdb does not send one, and this stub does not take it.
            let rest = first == "C" || first == "S" ? args.drop { $0 != ";" }.dropFirst() : args
            guard rest.isEmpty else { c.send("E01"); break }
            run(first == "c" || first == "C" ? .continue : .step, thread: resumeThread, c)
        case "b":
            guard args == "c" || args == "s" else { c.send(""); break }
            run(args == "c" ? .reverseContinue : .reverseStep, thread: resumeThread, c)
        case "v": return verbose(text, c)
        case "D":
            c.send("OK")
            return .detached
        case "k":
            return .killed
        default:
            c.send("")
        }
        return nil
    }

    private func run(_ action: GDBResumeAction, thread: Int?, _ c: RSPConnection) {
        let stop = target.resume(action, thread: thread ?? currentThread) { c.interruptPending() }
        if c.interruptPending() && !c.hungUp { _ = c.receive() } // a late Ctrl-C belongs to this stop
        lastStop = stop
        if let t = stopThread(stop) { currentThread = t }
        c.send(stopReply(stop))
    }

    private func verbose(_ text: String, _ c: RSPConnection) -> SessionEnd? {
        if text == "vCont?" { c.send("vCont;c;C;s;S;t"); return nil }
        if text == "vMustReplyEmpty" { c.send(""); return nil }
        if text.hasPrefix("vKill") { c.send("OK"); return .killed }
        if text.hasPrefix("vCont;") {
            // All-stop: the first step action names the thread to step; otherwise continue.
            var action = GDBResumeAction.continue
            var thread: Int?
            for a in text.dropFirst(6).split(separator: ";") {
                let parts = a.split(separator: ":", maxSplits: 1)
                guard let verb = parts.first?.first else { c.send("E01"); return nil }
                var t: Int?
                if parts.count == 2 { guard let parsed = self.thread(parts[1]) else { c.send("E01"); return nil }; t = parsed }
                switch verb {
                case "s", "S":
                    if action != .step { action = .step; thread = t ?? currentThread }
                case "c", "C": if action != .step && thread == nil { thread = t }
                case "t": break
                default: c.send("E01"); return nil
                }
            }
            if let thread, !target.threadIDs.contains(thread) { c.send("E01"); return nil }
            run(action, thread: thread ?? currentThread, c)
            return nil
        }
        c.send("")
        return nil
    }

    private func query(_ text: String, _ c: RSPConnection) {
        if text.hasPrefix("qSupported") {
            c.send("PacketSize=\(hex(RSPConnection.maxPacket));qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+;ReverseStep+;ReverseContinue+")
        } else if text == "QStartNoAckMode" {
            c.send("OK")
            c.noAck = true
        } else if text.hasPrefix("qXfer:features:read:") {
            let parts = text.dropFirst("qXfer:features:read:".count).split(separator: ":")
            guard parts.count == 2, let (offset, length) = addressLength(parts[1]) else { c.send("E01"); return }
            guard let doc = target.targetDescription(annex: String(parts[0])) else { c.send("E00"); return }
            let bytes = Array(doc.utf8)
            guard offset <= UInt64(bytes.count) else { c.send("E01"); return }
            let start = Int(offset), n = min(length, bytes.count - start, RSPConnection.maxPacket / 2)
            c.send([UInt8(ascii: start + n < bytes.count ? "m" : "l")] + bytes[start..<start + n])
        } else if text == "qAttached" || text.hasPrefix("qAttached:") {
            c.send("1")
        } else if text == "qC" {
            c.send("QC" + hex(currentThread))
        } else if text == "qfThreadInfo" {
            c.send("m" + target.threadIDs.map { hex($0) }.joined(separator: ","))
        } else if text == "qsThreadInfo" {
            c.send("l")
        } else if text.hasPrefix("qThreadExtraInfo,") {
            guard let t = thread(text.dropFirst("qThreadExtraInfo,".count)), let t, target.threadIDs.contains(t) else { c.send("E01"); return }
            c.send(hexBytes(Array(target.threadDescription(t).utf8)))
        } else if text.hasPrefix("qRcmd,") {
            guard let b = bytes(fromHex: text.dropFirst("qRcmd,".count)) else { c.send("E01"); return }
            let command = String(decoding: b, as: UTF8.self)
            let reply = target.monitor(command) ?? "unknown monitor command: \(command) (try `monitor help`)\n"
            // Long output goes in several O packets, each within the packet size.
            var rest = Array(reply.utf8)[...]
            while !rest.isEmpty {
                let piece = rest.prefix(RSPConnection.maxPacket / 2 - 8)
                c.send("O" + hexBytes(Array(piece)))
                rest = rest.dropFirst(piece.count)
            }
            c.send("OK")
        } else if text.hasPrefix("qSymbol") {
            c.send("OK")
        } else {
            c.send("")
        }
    }

    // MARK: Encoding helpers

    /// A thread id: hex, "-1" (all) or "0" (any) give nil inside; nil outside on bad input.
    private func thread(_ s: Substring) -> Int?? {
        if s == "-1" || s == "0" { return .some(nil) }
        if s.hasPrefix("p") { // multiprocess form p<pid>.<tid>
            let parts = s.dropFirst().split(separator: ".")
            guard parts.count == 2 else { return nil }
            return thread(parts[1])
        }
        guard let v = Int(s, radix: 16), v > 0 else { return nil }
        return .some(v)
    }

    private func addressLength(_ s: Substring) -> (UInt64, Int)? {
        let parts = s.split(separator: ",")
        guard parts.count == 2, let a = UInt64(parts[0], radix: 16), let n = Int(parts[1], radix: 16), n >= 0 else { return nil }
        return (a, n)
    }

    private func stopThread(_ e: GDBStopEvent) -> Int? {
        switch e {
        case .signal(let t, _), .breakpoint(let t, _), .watchpoint(let t, _, _), .historyEnd(let t, _): return t
        case .exited, .terminated: return nil
        }
    }

    func stopReply(_ e: GDBStopEvent) -> String {
        switch e {
        case .signal(let t, let s): return "T\(hex(s, width: 2))thread:\(hex(t));"
        case .breakpoint(let t, let software): return "T05thread:\(hex(t));\(software ? "swbreak" : "hwbreak"):;"
        case .watchpoint(let t, let kind, let address):
            let name = kind == .read ? "rwatch" : kind == .access ? "awatch" : "watch"
            return "T05thread:\(hex(t));\(name):\(hex(address));"
        case .historyEnd(let t, let begin): return "T05thread:\(hex(t));replaylog:\(begin ? "begin" : "end");"
        case .exited(let code): return "W\(hex(UInt8(truncatingIfNeeded: code), width: 2))"
        case .terminated(let s): return "X\(hex(UInt8(truncatingIfNeeded: s), width: 2))"
        }
    }
}
