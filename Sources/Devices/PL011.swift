import Memory

// The ARM PrimeCell UART PL011 (ARM DDI 0183G, "PrimeCell UART (PL011)
// Technical Reference Manual", r1p5), as QEMU's virt board and the
// Raspberry Pi 4 (BCM2711 UART0) use it.
//
// Modelling choices, each checked against the TRM and QEMU hw/char/pl011.c:
// - Transmission is instantaneous: each DR write calls `output` at once, so
//   the transmit FIFO is always empty (FR.TXFE = 1, TXFF = BUSY = 0). Baud
//   rate, word length, parity and stop bits are stored but not timed.
// - TXIS follows the TRM's transition rule (§2.8.2 UARTTXINTR, r1p5: the
//   interrupt is set when written data drains to or below the trigger level,
//   not merely because the FIFO is empty when the UART is enabled). With
//   instantaneous transmission every DR write drains at once, so each DR write
//   sets TXIS and only ICR.TXIC clears it. QEMU does the same, and Linux's
//   amba-pl011 driver fills the FIFO before unmasking TXIM, so it works with
//   either rule.
// - RXIS is set when a received byte brings the FIFO to the IFLS.RXIFLSEL
//   level (any byte with the FIFO disabled) and cleared when reads bring it
//   below, or by ICR.RXIC.
// - RTIS, the receive timeout, is modelled simply: the 32-bit-period idle
//   timeout elapses instantly at the end of each `receive` burst, so RTIS is
//   set whenever a burst leaves data in the FIFO, and cleared when the FIFO
//   empties or by ICR.RTIC. Linux reads its input on RTIS; without it a
//   single keystroke below the trigger level would never interrupt. (QEMU
//   instead ignores IFLS and raises RXIS on the first byte.)
// - Like QEMU, UARTEN, TXE and RXE do not gate the data path: firmware that
//   never sets UARTEN still prints, as it does under QEMU.
// - Receive errors (framing, parity, break, overrun) never happen: the host
//   side of `receive` keeps what does not fit instead of overrunning.
// - Loopback (CR.LBE) copies transmitted bytes into the receive FIFO and
//   ignores external input, as QEMU does; the modem lines and DMA are not
//   modelled (their registers read back what was written).
// - The FIFOs are 16 entries deep, matching PeriphID2 = 0x14 (revision r1p0–r1p3
//   silicon, as QEMU reports it); r1p5 has 32-entry FIFOs.

/// The ARM PrimeCell PL011 UART: a 4 KiB MMIO window with a 16-entry receive FIFO and an instantaneous transmitter.
public final class PL011: MMIODevice {
    /// The size of the PL011's register window.
    public static let windowSize: UInt64 = 0x1000
    /// The depth of the receive FIFO when LCR_H.FEN is set.
    public static let fifoDepth = 16

    /// Register offsets within the window (TRM table 3-1).
    public enum Offset {
        /// UARTDR: data (write transmits, read pops the receive FIFO).
        public static let dr: UInt64 = 0x000
        /// UARTRSR (read) / UARTECR (write): receive status and error clear.
        public static let rsr: UInt64 = 0x004
        /// UARTFR: flags.
        public static let fr: UInt64 = 0x018
        /// UARTILPR: IrDA low-power counter.
        public static let ilpr: UInt64 = 0x020
        /// UARTIBRD: integer baud rate divisor.
        public static let ibrd: UInt64 = 0x024
        /// UARTFBRD: fractional baud rate divisor.
        public static let fbrd: UInt64 = 0x028
        /// UARTLCR_H: line control.
        public static let lcrH: UInt64 = 0x02C
        /// UARTCR: control.
        public static let cr: UInt64 = 0x030
        /// UARTIFLS: interrupt FIFO level select.
        public static let ifls: UInt64 = 0x034
        /// UARTIMSC: interrupt mask set/clear.
        public static let imsc: UInt64 = 0x038
        /// UARTRIS: raw interrupt status.
        public static let ris: UInt64 = 0x03C
        /// UARTMIS: masked interrupt status.
        public static let mis: UInt64 = 0x040
        /// UARTICR: interrupt clear.
        public static let icr: UInt64 = 0x044
        /// UARTDMACR: DMA control.
        public static let dmacr: UInt64 = 0x048
        /// UARTPeriphID0; PeriphID1–3 follow at 4-byte steps.
        public static let periphID0: UInt64 = 0xFE0
        /// UARTPCellID0; PCellID1–3 follow at 4-byte steps.
        public static let pCellID0: UInt64 = 0xFF0
    }

    /// UARTFR bits.
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// UARTFR.CTS: clear to send (modem line; not modelled, reads 0).
        public static let cts = Flags(rawValue: 1 << 0)
        /// UARTFR.BUSY: transmitting; never set because transmission is instantaneous.
        public static let busy = Flags(rawValue: 1 << 3)
        /// UARTFR.RXFE: the receive FIFO is empty.
        public static let rxfe = Flags(rawValue: 1 << 4)
        /// UARTFR.TXFF: the transmit FIFO is full; never set.
        public static let txff = Flags(rawValue: 1 << 5)
        /// UARTFR.RXFF: the receive FIFO is full.
        public static let rxff = Flags(rawValue: 1 << 6)
        /// UARTFR.TXFE: the transmit FIFO is empty; always set.
        public static let txfe = Flags(rawValue: 1 << 7)
    }

    /// The interrupt bits of UARTIMSC, UARTRIS, UARTMIS and UARTICR.
    public struct Interrupts: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// RXIS: the receive FIFO reached its trigger level.
        public static let receive = Interrupts(rawValue: 1 << 4)
        /// TXIS: the transmit FIFO drained to its trigger level.
        public static let transmit = Interrupts(rawValue: 1 << 5)
        /// RTIS: the receive FIFO holds data and the line went idle.
        public static let receiveTimeout = Interrupts(rawValue: 1 << 6)
        /// Every defined bit, 10:0 (the modem and error interrupts never assert here).
        public static let all = Interrupts(rawValue: 0x7FF)
    }

    /// UARTLCR_H.FEN: FIFOs enabled.
    static let lcrFEN: UInt32 = 1 << 4
    /// UARTCR.LBE: loopback.
    static let crLBE: UInt32 = 1 << 7
    /// UARTCR after reset: TXE and RXE set, UARTEN clear.
    public static let controlResetValue: UInt32 = 0x300
    /// UARTIFLS after reset: both trigger levels at half full.
    public static let fifoLevelResetValue: UInt32 = 0x12
    /// PeriphID0–3 then PCellID0–3 (TRM §4.3), the values QEMU's "pl011" reports.
    public static let identification: [UInt32] = [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1]

    /// The name MMIO traces and errors use.
    public let name: String
    /// The GIC INTID of UARTINTR, the combined interrupt line.
    public let intid: Int
    private let interrupts: InterruptSink?
    private let output: (UInt8) -> Void

    var ilpr: UInt32 = 0
    var ibrd: UInt32 = 0
    var fbrd: UInt32 = 0
    var lineControl: UInt32 = 0
    var control: UInt32 = PL011.controlResetValue
    var fifoLevels: UInt32 = PL011.fifoLevelResetValue
    var mask: Interrupts = []
    var raw: Interrupts = []
    var dmaControl: UInt32 = 0

    /// The receive FIFO as a ring buffer of `fifoDepth` slots.
    var rxSlots = [UInt8](repeating: 0, count: PL011.fifoDepth)
    var rxHead = 0
    var rxCount = 0
    /// The level last driven on `intid`.
    var line = false

    /// Creates a PL011 in its reset state whose transmitted bytes go to `output` and whose UARTINTR drives SPI `intid`.
    public init(name: String = "pl011", interrupts: InterruptSink?, intid: Int,
                output: @escaping (UInt8) -> Void) {
        self.name = name
        self.interrupts = interrupts
        self.intid = intid
        self.output = output
    }

    /// Returns every register to its TRM reset value and empties the receive FIFO.
    public func reset() {
        ilpr = 0; ibrd = 0; fbrd = 0; lineControl = 0
        control = Self.controlResetValue
        fifoLevels = Self.fifoLevelResetValue
        mask = []; raw = []; dmaControl = 0
        rxHead = 0; rxCount = 0
        updateLine()
    }

    // MARK: The host side

    /// The depth of the receive FIFO in the current mode: 16 with LCR_H.FEN set, else 1.
    public var receiveCapacity: Int { lineControl & Self.lcrFEN != 0 ? Self.fifoDepth : 1 }

    /// How many bytes `receive` would accept now.
    public var receiveSpace: Int { control & Self.crLBE != 0 ? 0 : receiveCapacity - rxCount }

    /// Whether UARTINTR is asserted: (RIS & IMSC) != 0.
    public var interruptLevel: Bool { line }

    /// Delivers bytes from the host's side of the line; returns how many fit in the receive FIFO.
    ///
    /// The caller keeps the rest and offers them again after the guest has
    /// read (for example on its next quantum), which models a sender held off
    /// by flow control rather than an overrun. In loopback the external input
    /// is disconnected and nothing is accepted.
    @discardableResult
    public func receive(_ bytes: [UInt8]) -> Int {
        let accepted = min(bytes.count, receiveSpace)
        for byte in bytes.prefix(accepted) { push(byte) }
        if accepted > 0 { raw.insert(.receiveTimeout) }
        updateLine()
        return accepted
    }

    // MARK: MMIODevice

    public func read(offset: UInt64, size: Int, core: Int) -> UInt64 {
        let register = offset & ~3
        let value: UInt32
        switch register {
        case Offset.dr:
            guard offset == Offset.dr else { value = 0; break }
            value = popData()
            updateLine()
        case Offset.rsr: value = 0      // no receive errors ever happen
        case Offset.fr: value = flags.rawValue
        case Offset.ilpr: value = ilpr
        case Offset.ibrd: value = ibrd
        case Offset.fbrd: value = fbrd
        case Offset.lcrH: value = lineControl
        case Offset.cr: value = control
        case Offset.ifls: value = fifoLevels
        case Offset.imsc: value = mask.rawValue
        case Offset.ris: value = raw.rawValue
        case Offset.mis: value = raw.intersection(mask).rawValue
        case Offset.dmacr: value = dmaControl
        case Offset.periphID0...(Offset.pCellID0 + 12):
            value = Self.identification[Int(register - Offset.periphID0) / 4]
        default: value = 0              // ICR is write-only; reserved offsets read as zero
        }
        let shifted = UInt64(value) >> ((offset & 3) * 8)
        return size >= 8 ? shifted : shifted & ((1 << (UInt64(size) * 8)) - 1)
    }

    public func write(offset: UInt64, size: Int, value: UInt64, core: Int) {
        // Registers are word-sized; a narrower write lands in the low bytes.
        // A write to any other byte lane is ignored.
        guard offset & 3 == 0 else { return }
        let v = UInt32(truncatingIfNeeded: value)
        switch offset {
        case Offset.dr: transmit(UInt8(truncatingIfNeeded: v))
        case Offset.rsr: break          // ECR: clears the (always clear) error bits
        case Offset.ilpr: ilpr = v & 0xFF
        case Offset.ibrd: ibrd = v & 0xFFFF
        case Offset.fbrd: fbrd = v & 0x3F
        case Offset.lcrH:
            // Changing FEN changes the FIFO depth; QEMU flushes the FIFO, and so do we.
            if (lineControl ^ v) & Self.lcrFEN != 0 { rxHead = 0; rxCount = 0 }
            lineControl = v & 0xFF
        case Offset.cr: control = v & 0xFF87
        case Offset.ifls: fifoLevels = v & 0x3F
        case Offset.imsc: mask = Interrupts(rawValue: v).intersection(.all)
        case Offset.icr: raw.subtract(Interrupts(rawValue: v))
        case Offset.dmacr: dmaControl = v & 0x7
        default: break                  // FR, RIS, MIS and the ID registers are read-only
        }
        updateLine()
    }

    // MARK: Internals

    var flags: Flags {
        var f: Flags = [.txfe]
        if rxCount == 0 { f.insert(.rxfe) }
        if rxCount == receiveCapacity { f.insert(.rxff) }
        return f
    }

    /// The receive FIFO fill level that sets RXIS: IFLS.RXIFLSEL (bits 5:3) of 16 entries, or 1 with the FIFO disabled.
    var receiveTriggerLevel: Int {
        guard lineControl & Self.lcrFEN != 0 else { return 1 }
        switch (fifoLevels >> 3) & 7 {
        case 0: return 2        // 1/8 full
        case 1: return 4        // 1/4
        case 3: return 12       // 3/4
        case 4: return 14       // 7/8
        default: return 8       // 1/2; the reserved encodings 101–111 act as 1/2 here
        }
    }

    private func push(_ byte: UInt8) {
        rxSlots[(rxHead + rxCount) % Self.fifoDepth] = byte
        rxCount += 1
        if rxCount >= receiveTriggerLevel { raw.insert(.receive) }
    }

    private func popData() -> UInt32 {
        guard rxCount > 0 else { return 0 }
        let byte = rxSlots[rxHead]
        rxHead = (rxHead + 1) % Self.fifoDepth
        rxCount -= 1
        if rxCount < receiveTriggerLevel { raw.remove(.receive) }
        if rxCount == 0 { raw.remove(.receiveTimeout) }
        return UInt32(byte)         // bits 11:8, the error flags, are always clear
    }

    private func transmit(_ byte: UInt8) {
        output(byte)
        if control & Self.crLBE != 0 && rxCount < receiveCapacity {
            push(byte)
            raw.insert(.receiveTimeout)
        }
        raw.insert(.transmit)
    }

    private func updateLine() {
        let level = !raw.intersection(mask).isEmpty
        guard level != line else { return }
        line = level
        interrupts?.setSPI(intid, level: level)
    }
}
