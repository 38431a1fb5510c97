import SimCore

// The value syntax of board files, read and written back exactly:
//
//   integers     decimal or 0x hex, with optional _ separators: 33, 0x0900_0000
//   sizes        an integer, or an integer with KiB, MiB, GiB or TiB: 4KiB, 1GiB
//   frequencies  a decimal with Hz, kHz, MHz or GHz, or a plain integer of Hz: 62.5MHz, 54000000
//   times        a decimal with ps, ns, us (µs), ms or s: 1us, 500ns, 2.5ms
//
// Decimals are read digit by digit rather than through Double, so 62.5MHz is
// exactly 62 500 000 Hz and 1.5GHz is exactly 1 500 000 000 Hz; a value that
// is not a whole number of the base unit (0.5Hz, 1.0001ps) is rejected.

/// The parsers and printers for board-file scalar values.
enum BoardValue {
    static let integerExpectation = "a decimal or 0x-prefixed hexadecimal integer"
    static let sizeExpectation = "a size such as 4KiB, 512MiB, 1GiB or a byte count"
    static let frequencyExpectation = "a frequency such as 54MHz, 62.5MHz, 1.5GHz or a plain number of Hz"
    static let timeExpectation = "a time such as 500ns, 1us or 2ms"

    /// A decimal or 0x-hex integer, or nil when `text` is not one or does not fit in 64 bits.
    static func integer(_ text: String) -> UInt64? {
        var s = Substring(text.trimmingWhitespace())
        var radix: UInt64 = 10
        if s.hasPrefix("0x") || s.hasPrefix("0X") { radix = 16; s = s.dropFirst(2) }
        guard let first = s.first, first != "_", s.last != "_" else { return nil }
        var value: UInt64 = 0
        for c in s {
            if c == "_" { continue }
            guard let d = c.hexDigitValue, UInt64(d) < radix else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }

    /// A byte count: an integer with an optional binary (IEC) unit.
    static func size(_ text: String) -> UInt64? {
        let units: [(String, UInt64)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40)]
        let (number, unit) = splitUnit(text)
        guard let n = integer(number) else { return nil }
        if unit.isEmpty { return n }
        guard let scale = units.first(where: { $0.0.lowercased() == unit.lowercased() })?.1 else { return nil }
        let (v, overflow) = n.multipliedReportingOverflow(by: scale)
        return overflow ? nil : v
    }

    /// A frequency in Hz.
    static func frequency(_ text: String) -> UInt64? {
        let units: [(String, UInt64)] = [("Hz", 1), ("kHz", 1_000), ("MHz", 1_000_000), ("GHz", 1_000_000_000)]
        let (number, unit) = splitUnit(text)
        if unit.isEmpty { return integer(number) }
        guard let scale = units.first(where: { $0.0.lowercased() == unit.lowercased() })?.1 else { return nil }
        return decimal(number, times: scale)
    }

    /// A span of simulated time; a unit is required because a bare number would be ambiguous.
    static func time(_ text: String) -> SimTime? {
        let units: [(String, UInt64)] = [("ps", 1), ("ns", 1_000), ("us", 1_000_000), ("µs", 1_000_000),
                                         ("ms", 1_000_000_000), ("s", 1_000_000_000_000)]
        let (number, unit) = splitUnit(text)
        guard let scale = units.first(where: { $0.0 == unit })?.1,
              let ps = decimal(number, times: scale) else { return nil }
        return SimTime(picoseconds: ps)
    }

    /// Splits "62.5MHz" into ("62.5", "MHz"); spaces between the two are allowed.
    private static func splitUnit(_ text: String) -> (String, String) {
        let t = text.trimmingWhitespace()
        if t.hasPrefix("0x") || t.hasPrefix("0X") { return (t, "") }   // hex digits are not a unit
        guard let i = t.firstIndex(where: { !($0.isASCII && ($0.isNumber || $0 == "." || $0 == "_")) }) else {
            return (t, "")
        }
        return (String(t[..<i]).trimmingWhitespace(), String(t[i...]).trimmingWhitespace())
    }

    /// `number` (digits with an optional fraction) times `scale`, when that is a whole number that fits.
    private static func decimal(_ number: String, times scale: UInt64) -> UInt64? {
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = integer(String(parts[0])), !parts[0].hasPrefix("0x") else { return nil }
        var (value, overflow) = whole.multipliedReportingOverflow(by: scale)
        if overflow { return nil }
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 18, fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let digits = UInt64(fraction) else { return nil }
            var denominator: UInt64 = 1
            for _ in 0..<fraction.count { denominator *= 10 }
            let (hi, lo) = digits.multipliedFullWidth(by: scale)
            guard hi < denominator else { return nil }
            let (q, r) = denominator.dividingFullWidth((hi, lo))
            guard r == 0 else { return nil }
            (value, overflow) = value.addingReportingOverflow(q)
            if overflow { return nil }
        }
        return value
    }

    // MARK: Printing

    /// `value` as 0x-hex, at least 8 digits, upper case: 0x08000000.
    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// A byte count in the largest IEC unit that divides it exactly: 1GiB, 8KiB, 100.
    static func formatSize(_ bytes: UInt64) -> String {
        for (unit, scale) in [("TiB", UInt64(1) << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes >= scale && bytes % scale == 0 {
            return "\(bytes / scale)\(unit)"
        }
        return "\(bytes)"
    }

    /// A frequency in the largest unit that keeps it a short exact decimal: 1.5GHz, 62.5MHz, 54MHz.
    static func formatFrequency(_ hz: UInt64) -> String {
        formatDecimal(hz, units: [("GHz", 1_000_000_000), ("MHz", 1_000_000), ("kHz", 1_000), ("Hz", 1)])
    }

    /// A time in the largest unit that keeps it a short exact decimal: 1us, 500ns.
    static func formatTime(_ t: SimTime) -> String {
        formatDecimal(t.picoseconds, units: [("s", 1_000_000_000_000), ("ms", 1_000_000_000),
                                             ("us", 1_000_000), ("ns", 1_000), ("ps", 1)])
    }

    private static func formatDecimal(_ value: UInt64, units: [(String, UInt64)]) -> String {
        for (unit, scale) in units where value >= scale {
            let whole = value / scale, rest = value % scale
            if rest == 0 { return "\(whole)\(unit)" }
            // Up to three fractional digits: 62.5MHz, 1.001GHz, not 1.000000001GHz.
            var fraction = String(rest + scale).dropFirst()    // zero-padded to the scale's width
            while fraction.hasSuffix("0") { fraction = fraction.dropLast() }
            if fraction.count <= 3 { return "\(whole).\(fraction)\(unit)" }
        }
        return "\(value)\(units.last!.0)"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

extension SimTime {
    /// Parses a duration in the board files' time syntax (`500ns`, `10us`, `2.5ms`, `1s`), as the
    /// command line's `--duration` takes it too; nil unless it is an exact number of picoseconds.
    public init?(parsing text: String) {
        guard let t = BoardValue.time(text) else { return nil }
        self = t
    }
}

extension UInt64 {
    /// Parses an integer in the board files' syntax (decimal or 0x hex, `_` separators allowed),
    /// as the command line's addresses take it too.
    public init?(boardInteger text: String) {
        guard let v = BoardValue.integer(text) else { return nil }
        self = v
    }
}
