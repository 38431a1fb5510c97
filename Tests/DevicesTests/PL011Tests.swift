import Testing
import Memory
@testable import Devices

@Suite struct PL011Tests {
    typealias O = PL011.Offset
    let sink = RecordingSink()

    final class Output { var bytes: [UInt8] = [] }
    let out = Output()

    func makeUART() -> PL011 {
        let out = self.out
        return PL011(name: "uart0", interrupts: sink, intid: 33) { out.bytes.append($0) }
    }

    func read(_ u: PL011, _ offset: UInt64) -> UInt64 { u.read(offset: offset, size: 4, core: 0) }
    func write(_ u: PL011, _ offset: UInt64, _ value: UInt64) { u.write(offset: offset, size: 4, value: value, core: 0) }

    @Test func resetValues() {
        let u = makeUART()
        #expect(read(u, O.cr) == 0x300)
        #expect(read(u, O.ifls) == 0x12)
        #expect(read(u, O.fr) == 0x90)          // TXFE | RXFE
        for offset in [O.rsr, O.ilpr, O.ibrd, O.fbrd, O.lcrH, O.imsc, O.ris, O.mis, O.dmacr] {
            #expect(read(u, offset) == 0, "offset \(offset)")
        }
        #expect(sink.changes.isEmpty)
    }

    @Test func identificationRegisters() {
        let u = makeUART()
        let ids = stride(from: UInt64(0xFE0), through: 0xFFC, by: 4).map { read(u, $0) }
        #expect(ids == [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1])
        write(u, 0xFE0, 0xFF)
        #expect(read(u, 0xFE0) == 0x11)
    }

    @Test func registersReadBackMaskedToTheirWidth() {
        let u = makeUART()
        write(u, O.ibrd, 0x12345); write(u, O.fbrd, 0xFF); write(u, O.lcrH, 0x1F70)
        write(u, O.cr, 0xFFFF_FFFF); write(u, O.ifls, 0xFF); write(u, O.dmacr, 0xF); write(u, O.ilpr, 0x1AB)
        #expect(read(u, O.ibrd) == 0x2345)      // IBRD is 16 bits
        #expect(read(u, O.fbrd) == 0x3F)        // FBRD is 6 bits
        #expect(read(u, O.lcrH) == 0x70)
        #expect(read(u, O.cr) == 0xFF87)        // bits 6:3 reserved
        #expect(read(u, O.ifls) == 0x3F)
        #expect(read(u, O.dmacr) == 0x7)
        #expect(read(u, O.ilpr) == 0xAB)
    }

    @Test func transmitIsInstantaneous() {
        let u = makeUART()
        for b in "hi\n".utf8 { write(u, O.dr, UInt64(b)) }
        #expect(out.bytes == Array("hi\n".utf8))
        #expect(read(u, O.fr) & 0xA8 == 0x80)    // TXFE set, TXFF and BUSY clear
        u.write(offset: O.dr, size: 1, value: 0x141, core: 0)   // a byte write; upper bits dropped
        #expect(out.bytes.last == 0x41)
    }

    @Test func receiveFIFODisabledHoldsOneByte() {
        let u = makeUART()
        #expect(u.receive([0x61, 0x62]) == 1)
        #expect(read(u, O.fr) & 0x50 == 0x40)    // RXFF set, RXFE clear
        #expect(read(u, O.dr) == 0x61)
        #expect(read(u, O.fr) & 0x50 == 0x10)
        #expect(read(u, O.dr) == 0)              // empty FIFO reads 0
    }

    @Test func receiveFIFOEnabledHoldsSixteen() {
        let u = makeUART()
        write(u, O.lcrH, 0x70)                   // FEN, 8 bits
        let input = Array(UInt8(0x30)..<UInt8(0x50))
        #expect(u.receiveSpace == 16)
        #expect(u.receive(input) == 16)
        #expect(u.receiveSpace == 0)
        #expect(read(u, O.fr) & 0x50 == 0x40)
        var got: [UInt8] = []
        while read(u, O.fr) & 0x10 == 0 { got.append(UInt8(read(u, O.dr))) }
        #expect(got == Array(input.prefix(16)))
        // Toggling FEN flushes the FIFO.
        u.receive([1, 2, 3])
        write(u, O.lcrH, 0x60)
        #expect(read(u, O.fr) & 0x10 == 0x10)
    }

    @Test func receiveInterruptFollowsTheTriggerLevel() {
        let u = makeUART()
        write(u, O.lcrH, 0x70)
        write(u, O.ifls, 0b001_000)              // RX trigger at 1/4 = 4 entries
        write(u, O.imsc, 0x10)                   // RXIM only
        u.receive([1, 2, 3])
        #expect(read(u, O.ris) & 0x10 == 0)
        #expect(sink.spi[33] != true)
        u.receive([4])
        #expect(read(u, O.mis) == 0x10)
        #expect(sink.spi[33] == true)
        _ = read(u, O.dr)                        // 3 left, below the level
        #expect(read(u, O.ris) & 0x10 == 0)
        #expect(sink.spi[33] == false)
    }

    @Test func receiveTimeoutReportsPartialFIFOs() {
        let u = makeUART()
        write(u, O.lcrH, 0x70)
        write(u, O.imsc, 0x50)                   // RXIM | RTIM, as Linux sets them
        u.receive([0x71])                        // one keystroke, below the 1/2 trigger
        #expect(read(u, O.mis) == 0x40)
        #expect(sink.spi[33] == true)
        _ = read(u, O.dr)                        // emptying the FIFO clears RTIS
        #expect(read(u, O.ris) == 0)
        #expect(sink.spi[33] == false)
        u.receive([1, 2])
        write(u, O.icr, 0x40)                    // ICR clears RTIS while data remains
        #expect(read(u, O.ris) == 0)
        #expect(sink.spi[33] == false)
    }

    @Test func transmitInterruptSetsAfterEachWriteAndClearsOnICR() {
        let u = makeUART()
        write(u, O.cr, 0x301)
        write(u, O.imsc, 0x20)                   // TXIM
        #expect(read(u, O.ris) == 0)             // enabling alone does not set TXIS
        #expect(sink.changes.isEmpty)
        write(u, O.dr, 0x41)
        #expect(read(u, O.ris) == 0x20)
        #expect(read(u, O.mis) == 0x20)
        #expect(sink.changes == [.init(intid: 33, core: nil, level: true)])
        write(u, O.icr, 0x20)
        #expect(read(u, O.ris) == 0)
        #expect(sink.changes.last == .init(intid: 33, core: nil, level: false))
    }

    @Test func maskingGatesTheLineOnly() {
        let u = makeUART()
        write(u, O.dr, 0x41)                     // TXIS raw, masked
        #expect(read(u, O.ris) == 0x20)
        #expect(read(u, O.mis) == 0)
        #expect(sink.changes.isEmpty)
        write(u, O.imsc, 0x20)
        #expect(sink.spi[33] == true)
        write(u, O.imsc, 0)
        #expect(sink.spi[33] == false)
        #expect(read(u, O.ris) == 0x20)
        #expect(sink.changes.count == 2)         // driven only on changes
    }

    @Test func loopbackFeedsTransmitToReceive() {
        let u = makeUART()
        write(u, O.lcrH, 0x70)
        write(u, O.cr, 0x381)                    // UARTEN | LBE | TXE | RXE
        write(u, O.dr, 0x5A)
        #expect(read(u, O.dr) == 0x5A)
        #expect(u.receive([1]) == 0)             // external input is disconnected
    }

    @Test func narrowReadsSeeTheirByteLane() {
        let u = makeUART()
        #expect(u.read(offset: O.cr + 1, size: 1, core: 0) == 0x03)
        #expect(u.read(offset: O.cr, size: 1, core: 0) == 0x00)
        #expect(u.read(offset: O.fr, size: 2, core: 0) == 0x90)
    }

    @Test func resetEmptiesTheFIFOAndLowersTheLine() {
        let u = makeUART()
        write(u, O.imsc, 0x7FF)
        u.receive([1])
        #expect(sink.spi[33] == true)
        u.reset()
        #expect(sink.spi[33] == false)
        #expect(read(u, O.fr) == 0x90)
        #expect(read(u, O.imsc) == 0)
    }
}
