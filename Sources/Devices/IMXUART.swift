import Memory

// The i.MX UART as the i.MX 8M Mini has it (i.MX 8M Mini Applications
// Processor Reference Manual, chapter "Universal Asynchronous
// Receiver/Transmitter (UART)"; register names as Linux
// drivers/tty/serial/imx.c spells them). Compatible "fsl,imx8mm-uart".
//
// Modelling choices, checked against the manual and QEMU hw/char/imx_serial.c:
// - Transmission is instantaneous: a UTXD write calls `output` at once, so
//   the transmit FIFO is always empty: USR1.TRDY, USR2.TXFE, USR2.TXDC and
//   UTS.TXEMPTY read 1, UTS.TXFULL 0. Baud rate registers are stored, not timed.
// - Reset leaves the UART as the i.MX boot ROM does (UCR1.UARTEN, UCR2.TXEN),
//   like QEMU, so a kernel's earliest console output appears. Transmission
//   needs UCR2.TXEN; reception needs UCR2.RXEN (`receive` accepts nothing
//   without it).
// - The interrupt line is the OR of the enabled status bits: TRDY & TRDYEN,
//   RRDY & RRDYEN, TXFE & TXMPTYEN, AGTIM & ATEN, and USR2's TXDC, RDR, ORE,
//   WAKE under UCR4's TCEN, DREN, OREN, WKEN. Because TRDY, TXFE and TXDC are
//   always 1, enabling any of their interrupts raises the line until
//   software disables it again, as real hardware does with an empty FIFO.
// - The ageing timer (8 idle character times) elapses instantly at the end
//   of each `receive` burst that leaves the FIFO below its RXTL trigger.
// - Not modelled: DMA, IrDA, RS-485, escape detection, autobaud, modem lines,
//   loopback (UTS.LOOP) and receive errors (the host side of `receive` keeps
//   what does not fit, so overruns never happen).

/// The i.MX 8M Mini UART: transmit, status and a 32-entry receive FIFO, in a 4 KiB MMIO window.
public final class IMXUART: MMIODevice {
    /// The size of the register window evlsim maps.
    public static let windowSize: UInt64 = 0x1000
    /// The receive FIFO depth.
    public static let fifoDepth = 32

    /// Register offsets within the window.
    public enum Offset {
        /// URXD: receive data (read pops the FIFO).
        public static let urxd: UInt64 = 0x00
        /// UTXD: transmit data.
        public static let utxd: UInt64 = 0x40
        /// UCR1: control 1 (UARTEN, TXMPTYEN, RRDYEN, TRDYEN).
        public static let ucr1: UInt64 = 0x80
        /// UCR2: control 2 (SRST, RXEN, TXEN, ATEN).
        public static let ucr2: UInt64 = 0x84
        /// UCR3: control 3.
        public static let ucr3: UInt64 = 0x88
        /// UCR4: control 4 (DREN, OREN, TCEN, WKEN).
        public static let ucr4: UInt64 = 0x8C
        /// UFCR: FIFO control (RXTL bits 5:0, TXTL bits 15:10).
        public static let ufcr: UInt64 = 0x90
        /// USR1: status 1.
        public static let usr1: UInt64 = 0x94
        /// USR2: status 2.
        public static let usr2: UInt64 = 0x98
        /// UESC: escape character.
        public static let uesc: UInt64 = 0x9C
        /// UTIM: escape timer.
        public static let utim: UInt64 = 0xA0
        /// UBIR: baud rate increment.
        public static let ubir: UInt64 = 0xA4
        /// UBMR: baud rate modulator.
        public static let ubmr: UInt64 = 0xA8
        /// UBRC: baud rate count.
        public static let ubrc: UInt64 = 0xAC
        /// ONEMS: one-millisecond reference.
        public static let onems: UInt64 = 0xB0
        /// UTS: test register (FIFO empty/full flags).
        public static let uts: UInt64 = 0xB4
        /// UMCR: RS-485 mode control.
        public static let umcr: UInt64 = 0xB8
    }

    /// Register bits, named as in the reference manual.
    public enum Bit {
        /// UCR1.UARTEN: UART enabled.
        public static let ucr1UARTEN: UInt32 = 1 << 0
        /// UCR1.TXMPTYEN: interrupt when the transmit FIFO is empty.
        public static let ucr1TXMPTYEN: UInt32 = 1 << 6
        /// UCR1.RRDYEN: interrupt when the receive FIFO reaches RXTL.
        public static let ucr1RRDYEN: UInt32 = 1 << 9
        /// UCR1.TRDYEN: interrupt when the transmit FIFO is below TXTL.
        public static let ucr1TRDYEN: UInt32 = 1 << 13
        /// UCR2.SRST: software reset, active low; reads 1 once the reset is done.
        public static let ucr2SRST: UInt32 = 1 << 0
        /// UCR2.RXEN: receiver enabled.
        public static let ucr2RXEN: UInt32 = 1 << 1
        /// UCR2.TXEN: transmitter enabled.
        public static let ucr2TXEN: UInt32 = 1 << 2
        /// UCR2.ATEN: ageing timer interrupt enabled.
        public static let ucr2ATEN: UInt32 = 1 << 3
        /// UCR4.DREN: interrupt on USR2.RDR.
        public static let ucr4DREN: UInt32 = 1 << 0
        /// UCR4.OREN: interrupt on USR2.ORE.
        public static let ucr4OREN: UInt32 = 1 << 1
        /// UCR4.TCEN: interrupt on USR2.TXDC.
        public static let ucr4TCEN: UInt32 = 1 << 3
        /// UCR4.WKEN: interrupt on USR2.WAKE.
        public static let ucr4WKEN: UInt32 = 1 << 7
        /// USR1.RXDS: the receiver is idle.
        public static let usr1RXDS: UInt32 = 1 << 6
        /// USR1.AGTIM: the ageing timer expired with data in the receive FIFO (write 1 to clear).
        public static let usr1AGTIM: UInt32 = 1 << 8
        /// USR1.RRDY: the receive FIFO holds at least RXTL characters.
        public static let usr1RRDY: UInt32 = 1 << 9
        /// USR1.TRDY: the transmit FIFO holds fewer than TXTL characters.
        public static let usr1TRDY: UInt32 = 1 << 13
        /// USR2.RDR: receive data ready.
        public static let usr2RDR: UInt32 = 1 << 0
        /// USR2.ORE: receive overrun (write 1 to clear).
        public static let usr2ORE: UInt32 = 1 << 1
        /// USR2.TXDC: transmission complete.
        public static let usr2TXDC: UInt32 = 1 << 3
        /// USR2.DCDIN: the DCD input (reads 1, as at reset).
        public static let usr2DCDIN: UInt32 = 1 << 5
        /// USR2.WAKE: start bit seen on the receive line (write 1 to clear).
        public static let usr2WAKE: UInt32 = 1 << 7
        /// USR2.TXFE: the transmit FIFO is empty.
        public static let usr2TXFE: UInt32 = 1 << 14
        /// URXD.CHARRDY: the character read is valid.
        public static let urxdCHARRDY: UInt32 = 1 << 15
        /// UTS.RXFULL.
        public static let utsRXFULL: UInt32 = 1 << 3
        /// UTS.TXFULL.
        public static let utsTXFULL: UInt32 = 1 << 4
        /// UTS.RXEMPTY.
        public static let utsRXEMPTY: UInt32 = 1 << 5
        /// UTS.TXEMPTY.
        public static let utsTXEMPTY: UInt32 = 1 << 6
    }

    /// USR1 bits software clears by writing 1: PARITYERR, RTSD, ESCF, FRAMERR, AGTIM, DTRD, AIRINT, AWAKE.
    static let usr1WriteOneToClear: UInt32 = 0x9DB0
    /// USR2 bits software clears by writing 1: ADET, DTRF, IDLE, ACST, RIDELT, IRINT, WAKE, DCDDELT, RTSF, BRCD, ORE.
    static let usr2WriteOneToClear: UInt32 = 0xBDD6

    /// The name MMIO traces and errors use.
    public let name: String
    /// The GIC INTID of the UART's interrupt.
    public let intid: Int
    private let interrupts: InterruptSink?
    private let output: (UInt8) -> Void

    var ucr1: UInt32 = 0
    var ucr2: UInt32 = 0
    var ucr3: UInt32 = 0
    var ucr4: UInt32 = 0
    var ufcr: UInt32 = 0
    /// The latched USR1 bits (AGTIM and the never-set error bits); the FIFO-derived bits are computed.
    var usr1Latched: UInt32 = 0
    /// The latched USR2 bits (WAKE, ORE); the FIFO-derived bits are computed.
    var usr2Latched: UInt32 = 0
    var uesc: UInt32 = 0
    var utim: UInt32 = 0
    var ubir: UInt32 = 0
    var ubmr: UInt32 = 0
    var ubrc: UInt32 = 0
    var onems: UInt32 = 0
    var utsControl: UInt32 = 0
    var umcr: UInt32 = 0

    var rxSlots = [UInt8](repeating: 0, count: IMXUART.fifoDepth)
    var rxHead = 0
    var rxCount = 0
    var line = false

    /// Creates an i.MX UART as the boot ROM leaves it, sending transmitted bytes to `output` and driving SPI `intid`.
    public init(name: String = "imx-uart", interrupts: InterruptSink?, intid: Int,
                output: @escaping (UInt8) -> Void) {
        self.name = name
        self.interrupts = interrupts
        self.intid = intid
        self.output = output
        reset()
    }

    /// Returns the UART to its reset values, then enables it and its transmitter as the boot ROM does.
    public func reset() {
        ucr1 = Bit.ucr1UARTEN
        ucr2 = Bit.ucr2SRST | Bit.ucr2TXEN
        ucr3 = 0x0700       // reference manual reset value (DSR, DCD, RI outputs high)
        ucr4 = 0x8000       // CTSTL = 32
        uesc = 0x2B; utim = 0; ubir = 0; ubmr = 0; onems = 0; utsControl = 0; umcr = 0
        softwareReset()
    }

    /// UCR2.SRST: resets the FIFOs, the status registers and the baud counter, but not the control registers.
    private func softwareReset() {
        ufcr = 0x0801       // TXTL 2, RXTL 1
        ubrc = 0x4
        usr1Latched = 0
        usr2Latched = 0
        rxHead = 0; rxCount = 0
        updateLine()
    }

    // MARK: The host side

    /// How many bytes `receive` would accept now: the free FIFO space while UCR2.RXEN is set.
    public var receiveSpace: Int { ucr2 & Bit.ucr2RXEN != 0 ? Self.fifoDepth - rxCount : 0 }

    /// Whether the interrupt line is asserted.
    public var interruptLevel: Bool { line }

    /// Delivers bytes from the host's side of the line; returns how many fit (the caller keeps the rest).
    @discardableResult
    public func receive(_ bytes: [UInt8]) -> Int {
        let accepted = min(bytes.count, receiveSpace)
        guard accepted > 0 else { return 0 }
        for byte in bytes.prefix(accepted) {
            rxSlots[(rxHead + rxCount) % Self.fifoDepth] = byte
            rxCount += 1
        }
        usr2Latched |= Bit.usr2WAKE
        if rxCount < receiveTrigger { usr1Latched |= Bit.usr1AGTIM }
        updateLine()
        return accepted
    }

    // MARK: MMIODevice

    public func read(offset: UInt64, size: Int, core: Int) -> UInt64 {
        let value: UInt32
        switch offset & ~3 {
        case Offset.urxd: value = offset == Offset.urxd ? popData() : 0
        case Offset.ucr1: value = ucr1
        case Offset.ucr2: value = ucr2
        case Offset.ucr3: value = ucr3
        case Offset.ucr4: value = ucr4
        case Offset.ufcr: value = ufcr
        case Offset.usr1: value = usr1
        case Offset.usr2: value = usr2
        case Offset.uesc: value = uesc
        case Offset.utim: value = utim
        case Offset.ubir: value = ubir
        case Offset.ubmr: value = ubmr
        case Offset.ubrc: value = ubrc
        case Offset.onems: value = onems
        case Offset.uts: value = uts
        case Offset.umcr: value = umcr
        default: value = 0              // UTXD is write-only; reserved offsets read as zero
        }
        let shifted = UInt64(value) >> ((offset & 3) * 8)
        return size >= 8 ? shifted : shifted & ((1 << (UInt64(size) * 8)) - 1)
    }

    public func write(offset: UInt64, size: Int, value: UInt64, core: Int) {
        guard offset & 3 == 0 else { return }   // registers are word-sized; other byte lanes are ignored
        let v = UInt32(truncatingIfNeeded: value) & 0xFFFF
        switch offset {
        case Offset.utxd:
            if ucr2 & Bit.ucr2TXEN != 0 { output(UInt8(truncatingIfNeeded: v)) }
        case Offset.ucr1: ucr1 = v
        case Offset.ucr2:
            if v & Bit.ucr2SRST == 0 { softwareReset() }   // the reset completes at once, so SRST reads 1
            ucr2 = v | Bit.ucr2SRST
        case Offset.ucr3: ucr3 = v
        case Offset.ucr4: ucr4 = v
        case Offset.ufcr: ufcr = v
        case Offset.usr1: usr1Latched &= ~(v & Self.usr1WriteOneToClear)
        case Offset.usr2: usr2Latched &= ~(v & Self.usr2WriteOneToClear)
        case Offset.uesc: uesc = v & 0xFF
        case Offset.utim: utim = v & 0xFFF
        case Offset.ubir: ubir = v
        case Offset.ubmr: ubmr = v
        case Offset.onems: onems = UInt32(truncatingIfNeeded: value) & 0xFF_FFFF
        case Offset.uts: utsControl = v & ~0x78       // the FIFO flags (bits 6:3) are read-only
        case Offset.umcr: umcr = v
        default: break                                 // URXD and UBRC are read-only
        }
        updateLine()
    }

    // MARK: Internals

    /// UFCR.RXTL: the receive FIFO level that sets RRDY (0 acts as 1: RRDY needs a character).
    var receiveTrigger: Int { max(1, Int(ufcr & 0x3F)) }

    var usr1: UInt32 {
        var s = usr1Latched | Bit.usr1TRDY
        if rxCount == 0 { s |= Bit.usr1RXDS }
        if rxCount >= receiveTrigger { s |= Bit.usr1RRDY }
        return s
    }

    var usr2: UInt32 {
        var s = usr2Latched | Bit.usr2TXFE | Bit.usr2TXDC | Bit.usr2DCDIN
        if rxCount > 0 { s |= Bit.usr2RDR }
        return s
    }

    var uts: UInt32 {
        var s = utsControl | Bit.utsTXEMPTY
        if rxCount == 0 { s |= Bit.utsRXEMPTY }
        if rxCount == Self.fifoDepth { s |= Bit.utsRXFULL }
        return s
    }

    private func popData() -> UInt32 {
        guard rxCount > 0 else { return 0 }
        let byte = rxSlots[rxHead]
        rxHead = (rxHead + 1) % Self.fifoDepth
        rxCount -= 1
        updateLine()
        return Bit.urxdCHARRDY | UInt32(byte)
    }

    private func updateLine() {
        var active = usr1 & ucr1 & (Bit.usr1TRDY | Bit.usr1RRDY)    // TRDY/TRDYEN and RRDY/RRDYEN share bit positions
        if ucr2 & Bit.ucr2ATEN != 0 { active |= usr1 & Bit.usr1AGTIM }
        var usr2Mask = ucr4 & (Bit.ucr4DREN | Bit.ucr4OREN | Bit.ucr4TCEN | Bit.ucr4WKEN)  // same positions as RDR, ORE, TXDC, WAKE
        if ucr1 & Bit.ucr1TXMPTYEN != 0 { usr2Mask |= Bit.usr2TXFE }
        active |= usr2 & usr2Mask
        let level = active != 0
        guard level != line else { return }
        line = level
        interrupts?.setSPI(intid, level: level)
    }
}
