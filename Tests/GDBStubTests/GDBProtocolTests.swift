import Foundation
import Testing
@testable import GDBStub

/// A target with two threads, 64 bytes of memory at 0x1000 and a PC that a step advances by 4.
final class MockTarget: GDBTarget {
    var memory = [UInt8](0..<64)
    var pc: UInt64 = 0x1000
    var breakpoints: [(GDBBreakpointKind, UInt64)] = []
    var resumes: [GDBResumeAction] = []
    /// What `resume(.continue)` does: wait for Ctrl-C (true) or stop at once.
    var continueUntilInterrupt = false

    var threadIDs: [Int] { [1, 2] }
    func threadDescription(_ thread: Int) -> String { "mock \(thread)" }
    func targetDescription(annex: String) -> String? { annex == "target.xml" ? AArch64TargetDescription.xml(annex: annex) : nil }
    func readRegisters(thread: Int) -> [UInt8]? { thread <= 2 ? (0..<8).map { UInt8(truncatingIfNeeded: pc >> (8 * $0)) } : nil }
    func writeRegisters(thread: Int, _ bytes: [UInt8]) -> Bool { bytes.count == 8 }
    func readRegister(thread: Int, number: Int) -> [UInt8]? { number == 32 ? readRegisters(thread: thread) : nil }
    func writeRegister(thread: Int, number: Int, _ bytes: [UInt8]) -> Bool { number == 32 && bytes.count == 8 }
    func readMemory(thread: Int, address: UInt64, length: Int) -> [UInt8]? {
        guard address >= 0x1000, address < 0x1040 else { return nil }
        let start = Int(address - 0x1000)
        return Array(memory[start..<min(start + length, 64)])
    }
    func writeMemory(thread: Int, address: UInt64, _ bytes: [UInt8]) -> Bool {
        guard address >= 0x1000, address + UInt64(bytes.count) <= 0x1040 else { return false }
        for (i, b) in bytes.enumerated() { memory[Int(address - 0x1000) + i] = b }
        return true
    }
    func insertBreakpoint(_ kind: GDBBreakpointKind, address: UInt64, length: Int) -> Bool { breakpoints.append((kind, address)); return true }
    func removeBreakpoint(_ kind: GDBBreakpointKind, address: UInt64, length: Int) -> Bool {
        guard let i = breakpoints.firstIndex(where: { $0.0 == kind && $0.1 == address }) else { return false }
        breakpoints.remove(at: i)
        return true
    }
    func resume(_ action: GDBResumeAction, thread: Int?, interrupted: () -> Bool) -> GDBStopEvent {
        resumes.append(action)
        switch action {
        case .step: pc += 4; return .signal(thread: thread ?? 1, signal: 5)
        case .continue:
            if continueUntilInterrupt {
                while !interrupted() { usleep(1000) }
                return .signal(thread: 1, signal: 2)
            }
            return .watchpoint(thread: 2, kind: .write, address: 0x1008)
        case .reverseStep: pc -= 4; return .signal(thread: 1, signal: 5)
        case .reverseContinue: return .historyEnd(thread: 1, begin: true)
        }
    }
    func monitor(_ command: String) -> String? { command == "time" ? "simulated time 5 ns\n" : nil }
}

/// A raw protocol client, to send exactly the bytes a test wants (gdb itself is in GDBTests).
final class RawClient {
    let fd: Int32
    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &a.sin_addr)
        let r = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard r == 0 else { throw POSIXError(.ECONNREFUSED) }
    }
    private var open = true
    deinit { hangUp() }
    /// Closes the connection (once: a second close could hit a descriptor reused meanwhile).
    func hangUp() { if open { close(fd); open = false } }
    func sendRaw(_ s: String) { sendRaw(Array(s.utf8)) }
    func sendRaw(_ b: [UInt8]) { _ = b.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
    func packet(_ body: String) {
        let sum = body.utf8.reduce(UInt8(0)) { $0 &+ $1 }
        sendRaw("$\(body)#\(String(format: "%02x", sum))")
    }
    private var pending: [UInt8] = []
    /// The next reply packet's body (acks skipped), or nil if the stub closed the connection.
    func reply(timeout: Int32 = 5000) -> String? {
        while true {
            if let start = pending.firstIndex(of: UInt8(ascii: "$")), let hash = pending[start...].firstIndex(of: UInt8(ascii: "#")), pending.count >= hash + 3 {
                let body = String(decoding: pending[(start + 1)..<hash], as: UTF8.self)
                pending.removeFirst(hash + 3)
                return body
            }
            guard let more = read(timeout: timeout) else { return nil }
            pending += more
        }
    }
    /// The acknowledgement characters received so far.
    func acks(timeout: Int32 = 5000) -> String? {
        if pending.isEmpty { guard let more = read(timeout: timeout) else { return nil }; pending = more }
        let n = pending.prefix { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }.count
        defer { pending.removeFirst(n) }
        return String(decoding: pending.prefix(n), as: UTF8.self)
    }
    private func read(timeout: Int32) -> [UInt8]? {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, timeout) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? Array(buffer[0..<n]) : nil
    }
}

/// The stub's side of the GDB Remote Serial Protocol, driven byte by byte. Expected replies
/// are those the GDB manual's "Remote Protocol" appendix gives (section per test).
@Suite(.serialized) struct GDBProtocolTests {
    /// Serves `target` on a free port in the background; returns the client and a way to wait for the session's end.
    func session(_ target: MockTarget = MockTarget()) throws -> (RawClient, () -> GDBServer.SessionEnd?) {
        let server = try GDBServer(target: target, port: 0, initialStop: .signal(thread: 1, signal: 5))
        final class Box: @unchecked Sendable { var end: GDBServer.SessionEnd? } // written before `done` is signalled
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread {
            server.waitForClient()
            box.end = server.serve()
            done.signal()
        }.start()
        let client = try RawClient(port: server.port)
        return (client, { done.wait(timeout: .now() + 10) == .success ? box.end : nil })
    }

    @Test func acknowledgesAndAnswersTheHandshake() throws {
        let (c, _) = try session()
        c.packet("qSupported:multiprocess+;swbreak+")
        #expect(c.acks()?.first == "+") // "Packet Acknowledgment": + for a good packet
        let features = try #require(c.reply())
        for f in ["PacketSize=4000", "qXfer:features:read+", "swbreak+", "hwbreak+", "QStartNoAckMode+", "ReverseStep+", "ReverseContinue+"] {
            #expect(features.contains(f))
        }
        c.packet("?")
        #expect(c.reply() == "T05thread:1;") // "Stop Reply Packets": T AA n1:r1;...
        c.packet("qfThreadInfo"); #expect(c.reply() == "m1,2")
        c.packet("qsThreadInfo"); #expect(c.reply() == "l")
        c.packet("qThreadExtraInfo,2"); #expect(c.reply() == Array("mock 2".utf8).map { String(format: "%02x", $0) }.joined())
        c.packet("qAttached"); #expect(c.reply() == "1")
        c.packet("vMustReplyEmpty"); #expect(c.reply() == "") // unknown packets get an empty reply
        c.packet("qFrobnicate"); #expect(c.reply() == "")
    }

    @Test func badChecksumsAreRefusedAndTheRetransmissionAnswered() throws {
        let (c, _) = try session()
        c.sendRaw("$qC#00") // wrong checksum ("Overview": the stub replies -)
        #expect(c.acks() == "-")
        c.packet("qC")
        #expect(c.reply() == "QC1")
        c.sendRaw("$qC#zz") // not even hex
        #expect(c.acks()?.first == "-")
    }

    @Test func registersMemoryAndBreakpoints() throws {
        let target = MockTarget()
        let (c, _) = try session(target)
        c.packet("g"); #expect(c.reply() == "0010000000000000")
        c.packet("p20"); #expect(c.reply() == "0010000000000000")
        c.packet("p99"); #expect(c.reply() == "E01")
        c.packet("m1004,4"); #expect(c.reply() == "04050607")
        c.packet("m2000,4"); #expect(c.reply() == "E14")
        c.packet("M1000,2:abcd"); #expect(c.reply() == "OK")
        #expect(target.memory[0] == 0xAB && target.memory[1] == 0xCD)
        // X carries binary: 0x23 ('#') and 0x7d ('}') travel escaped as }\u{03} and }] ("Binary Data").
        c.sendRaw(Array("$X1002,2:".utf8) + [0x7D, 0x03, 0x7D, 0x5D] + Array("#".utf8)
                  + Array(String(format: "%02x", (Array("X1002,2:".utf8) + [0x7D, 0x03, 0x7D, 0x5D]).reduce(UInt8(0)) { $0 &+ $1 }).utf8))
        #expect(c.reply() == "OK")
        #expect(target.memory[2] == 0x23 && target.memory[3] == 0x7D)
        c.packet("Z0,1010,4"); #expect(c.reply() == "OK")
        c.packet("Z2,1008,8"); #expect(c.reply() == "OK")
        c.packet("z0,1010,4"); #expect(c.reply() == "OK")
        c.packet("z0,1010,4"); #expect(c.reply() == "E01") // not set
        c.packet("Z9,1010,4"); #expect(c.reply() == "") // unsupported type: empty
        #expect(target.breakpoints.count == 1 && target.breakpoints[0].0 == .write)
    }

    @Test func malformedPacketsGetErrors() throws {
        let (c, _) = try session()
        for bad in ["mzz,4", "m1000", "M1000,4:zz", "M1000,4:ab", "Hgxyz", "Hg9", "G123", "Pzz=00", "Z0,zz", "T9", "qThreadExtraInfo,q", "qRcmd,zz", "c1000", "vCont;q", "Z0,1000,;", "Z0,,", "z", "P", "X1000,2", "qXfer:features:read:target.xml:zz"] {
            c.packet(bad)
            let r = c.reply()
            #expect(r?.hasPrefix("E") == true, "\(bad) -> \(r ?? "nothing")")
        }
        c.packet("qC"); #expect(c.reply() == "QC1") // still in step
    }

    @Test func resumingReportsEachKindOfStop() throws {
        let (c, _) = try session()
        c.packet("s"); #expect(c.reply() == "T05thread:1;")
        c.packet("vCont;s:2;c"); #expect(c.reply() == "T05thread:2;")
        c.packet("c"); #expect(c.reply() == "T05thread:2;watch:1008;") // "Stop Reply Packets": watch:addr
        c.packet("bs"); #expect(c.reply() == "T05thread:1;")
        c.packet("bc"); #expect(c.reply() == "T05thread:1;replaylog:begin;") // replaylog: the start of the log
        c.packet("vCont?"); #expect(c.reply() == "vCont;c;C;s;S;t")
    }

    @Test func ctrlCInterruptsARunningTarget() throws {
        let target = MockTarget()
        target.continueUntilInterrupt = true
        let (c, _) = try session(target)
        c.packet("c")
        #expect(c.acks()?.first == "+")
        c.sendRaw([0x03]) // "Interrupts": a bare 0x03 byte
        #expect(c.reply() == "T02thread:1;")
    }

    @Test func aClientHangingUpStopsARunningTarget() throws {
        // Nobody is left to send Ctrl-C: the run must stop rather than go on unwatched.
        let target = MockTarget()
        target.continueUntilInterrupt = true
        let (c, end) = try session(target)
        c.packet("c")
        #expect(c.acks()?.first == "+")
        c.hangUp()
        #expect(end() == .disconnected)
    }

    @Test func targetDescriptionComesInChunks() throws {
        let (c, _) = try session()
        var xml = ""
        var offset = 0
        while true {
            c.packet("qXfer:features:read:target.xml:\(String(offset, radix: 16)),200")
            let r = try #require(c.reply())
            xml += r.dropFirst()
            offset += r.count - 1
            if r.first == "l" { break }
            #expect(r.first == "m")
        }
        #expect(xml == AArch64TargetDescription.xml(annex: "target.xml"))
        #expect(xml.contains("<reg name=\"cpsr\" bitsize=\"32\"") && xml.contains("<reg name=\"v31\" bitsize=\"128\""))
        c.packet("qXfer:features:read:other.xml:0,100"); #expect(c.reply() == "E00")
    }

    @Test func monitorCommandsAnswerInOutputPackets() throws {
        let (c, _) = try session()
        c.packet("qRcmd," + Array("time".utf8).map { String(format: "%02x", $0) }.joined())
        #expect(c.reply() == "O" + Array("simulated time 5 ns\n".utf8).map { String(format: "%02x", $0) }.joined())
        #expect(c.reply() == "OK")
        c.packet("qRcmd," + Array("frob".utf8).map { String(format: "%02x", $0) }.joined())
        #expect(c.reply()?.hasPrefix("O") == true)
        #expect(c.reply() == "OK")
    }

    @Test func noAckModeStopsAcknowledgements() throws {
        let (c, _) = try session()
        c.packet("QStartNoAckMode")
        #expect(c.acks()?.first == "+")
        #expect(c.reply() == "OK")
        c.packet("qC")
        #expect(c.reply() == "QC1")
        c.sendRaw("$qC#00") // no ack mode: a bad checksum is dropped silently
        c.packet("qAttached")
        #expect(c.reply() == "1")
    }

    @Test func oversizedGarbageAndDisconnectEndCleanly() throws {
        let (c, end) = try session()
        c.sendRaw([0xFF, 0x00, 0x42, 0x13] + Array("noise+++".utf8)) // between packets: ignored
        c.packet("qC"); #expect(c.reply() == "QC1")
        c.packet("m1000," + String(repeating: "1", count: 20000)) // longer than PacketSize
        #expect(c.reply() == "E01")
        c.packet("qC"); #expect(c.reply() == "QC1") // in step again
        c.sendRaw("$m1000,4#") // cut off mid-packet
        c.hangUp()
        #expect(end() == .disconnected)
    }

    @Test func randomPacketsNeverBreakTheStub() throws {
        // 3000 packets of random text after each command letter (a fixed LCG: the same every run).
        // Whatever they say, the stub must answer each, and still answer qC afterwards.
        let (c, _) = try session()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let alphabet = Array("0123456789abcdefxyz,:;=.-pPqQ$}#*".utf8)
        let letters = Array("?gGpPmMXZzHTqQvbcsCSDk".utf8).filter { $0 != UInt8(ascii: "D") && $0 != UInt8(ascii: "k") }
        for _ in 0..<3000 {
            var body = [letters[Int(next() % UInt64(letters.count))]]
            for _ in 0..<Int(next() % 24) { body.append(alphabet[Int(next() % UInt64(alphabet.count))]) }
            let text = String(decoding: body.filter { $0 != UInt8(ascii: "$") && $0 != UInt8(ascii: "#") }, as: UTF8.self)
            if text.hasPrefix("vKill") || text.hasPrefix("vCont") && text.count < 6 { continue }
            c.packet(text)
            #expect(c.reply() != nil, "no answer to \(text)")
        }
        c.packet("qC")
        #expect(c.reply()?.hasPrefix("QC") == true)
    }

    @Test func detachAndKillEndTheSession() throws {
        let (c, end) = try session()
        c.packet("D")
        #expect(c.reply() == "OK")
        #expect(end() == .detached)
        let (k, endKill) = try session()
        k.packet("k")
        #expect(endKill() == .killed)
    }

    @Test func addressesAreParsed() throws {
        #expect(try GDBServer.parseAddress("1234") == ("127.0.0.1", 1234))
        #expect(try GDBServer.parseAddress("127.0.0.1:99") == ("127.0.0.1", 99))
        #expect(throws: GDBServer.SetupError.self) { try GDBServer.parseAddress("host:port") }
        #expect(throws: GDBServer.SetupError.self) { try GDBServer.parseAddress("99999") }
        #expect(throws: GDBServer.SetupError.self) { try GDBServer.parseAddress("a.b.c:12") }
    }
}
