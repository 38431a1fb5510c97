import Testing
import Memory
@testable import Devices

@Suite struct IMXUARTTests {
    typealias O = IMXUART.Offset
    let sink = RecordingSink()
    final class Output { var bytes: [UInt8] = [] }
    let out = Output()

    func makeUART() -> IMXUART {
        let out = self.out
        return IMXUART(name: "uart2", interrupts: sink, intid: 59) { out.bytes.append($0) }
    }

    func read(_ u: IMXUART, _ offset: UInt64) -> UInt64 { u.read(offset: offset, size: 4, core: 0) }
    func write(_ u: IMXUART, _ offset: UInt64, _ value: UInt64) { u.write(offset: offset, size: 4, value: value, core: 0) }

    @Test func resetValuesAsTheBootROMLeavesThem() {
        let u = makeUART()
        #expect(read(u, O.ucr1) == 0x0001)      // UARTEN
        #expect(read(u, O.ucr2) == 0x0005)      // SRST (not in reset) | TXEN
        #expect(read(u, O.ucr3) == 0x0700)
        #expect(read(u, O.ucr4) == 0x8000)
        #expect(read(u, O.ufcr) == 0x0801)
        #expect(read(u, O.usr1) == 0x2040)      // TRDY | RXDS
        #expect(read(u, O.usr2) == 0x4028)      // TXFE | DCDIN | TXDC
        #expect(read(u, O.uts) == 0x0060)       // TXEMPTY | RXEMPTY
        #expect(read(u, O.ubrc) == 0x4)
        #expect(sink.changes.isEmpty)
    }

    @Test func transmitIsInstantaneousWhileTXENIsSet() {
        let u = makeUART()
        for b in "ok".utf8 { write(u, O.utxd, UInt64(b)) }
        #expect(out.bytes == Array("ok".utf8))
        #expect(read(u, O.usr1) & (1 << 13) != 0)   // TRDY
        #expect(read(u, O.usr2) & 0x4008 == 0x4008) // TXFE | TXDC
        write(u, O.ucr2, 0x0001)                    // TXEN off
        write(u, O.utxd, 0x41)
        #expect(out.bytes.count == 2)
    }

    @Test func receiveFIFOAndStatus() {
        let u = makeUART()
        #expect(u.receive([1]) == 0)                // RXEN clear: nothing accepted
        write(u, O.ucr2, 0x0007)                    // SRST | RXEN | TXEN
        #expect(u.receive(Array(0..<40)) == 32)
        #expect(read(u, O.uts) & 0x28 == 0x08)      // RXFULL, not RXEMPTY
        #expect(read(u, O.usr2) & 1 == 1)           // RDR
        #expect(read(u, O.urxd) == 0x8000)          // CHARRDY | 0
        var got: [UInt8] = [0]
        while read(u, O.usr2) & 1 != 0 { got.append(UInt8(read(u, O.urxd) & 0xFF)) }
        #expect(got == Array(0..<32))
        #expect(read(u, O.uts) & 0x20 == 0x20)
    }

    @Test func interruptsFollowTheirEnables() {
        let u = makeUART()
        write(u, O.ucr2, 0x000F)                    // SRST | RXEN | TXEN | ATEN
        write(u, O.ucr1, 0x0001 | 1 << 13)          // TRDYEN: the empty FIFO interrupts at once
        #expect(sink.spi[59] == true)
        write(u, O.ucr1, 0x0001)
        #expect(sink.spi[59] == false)
        write(u, O.ucr1, 0x0001 | 1 << 9)           // RRDYEN with RXTL 1
        u.receive([0x61])
        #expect(sink.spi[59] == true)
        _ = read(u, O.urxd)
        #expect(sink.spi[59] == false)
        write(u, O.ufcr, 0x0804)                    // RXTL 4: two bytes only age
        u.receive([1, 2])
        #expect(read(u, O.usr1) & 0x300 == 0x100)   // AGTIM, not RRDY
        #expect(sink.spi[59] == true)
        write(u, O.usr1, 0x100)                     // write 1 to clear AGTIM
        #expect(sink.spi[59] == false)
        write(u, O.ucr4, 0x8001)                    // DREN: data ready interrupts
        #expect(sink.spi[59] == true)
    }

    @Test func softwareResetClearsTheFIFO() {
        let u = makeUART()
        write(u, O.ucr2, 0x0007)
        u.receive([1, 2, 3])
        write(u, O.ucr2, 0x0006)                    // SRST low: reset
        #expect(read(u, O.ucr2) == 0x0007)          // and done at once
        #expect(read(u, O.uts) & 0x20 == 0x20)
        #expect(read(u, O.usr2) & 1 == 0)
    }
}
