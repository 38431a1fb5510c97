extension SimTime {
    /// Parses a duration written with a unit: `500ps`, `250ns`, `10us`, `2ms`, `1.5s` (also `µs`).
    /// Nil for anything else, including values that do not fit in 64 bits of picoseconds.
    public init?(parsing text: String) {
        let units: [(String, UInt64)] = [("ps", 1), ("ns", 1_000), ("us", 1_000_000), ("µs", 1_000_000),
                                         ("ms", 1_000_000_000), ("s", 1_000_000_000_000)]
        let t = text.filter { $0 != " " }
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy({ ("0"..."9").contains($0) || $0 == "." }),
                  number.filter({ $0 == "." }).count <= 1 else { return nil }
            let parts = number.split(separator: ".", omittingEmptySubsequences: false)
            guard let whole = UInt64(parts[0].isEmpty ? "0" : String(parts[0])) else { return nil }
            var ps = whole.multipliedReportingOverflow(by: scale)
            guard !ps.overflow else { return nil }
            if parts.count == 2, !parts[1].isEmpty {
                var fraction = scale
                var value: UInt64 = 0
                for digit in parts[1] {
                    fraction /= 10
                    value += UInt64(digit.wholeNumberValue!) * fraction
                }
                ps = ps.partialValue.addingReportingOverflow(value)
                guard !ps.overflow else { return nil }
            }
            self.init(picoseconds: ps.partialValue)
            return
        }
        return nil
    }
}
