// The distributor registers GICv2 and GICv3 lay out the same way: one bit,
// two bits or one byte per interrupt, 32, 16 or 4 interrupts to a word.

extension GICDistributorState {
    /// Reads a one-bit-per-interrupt register word (IGROUPR, IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER) for INTIDs first..<first+32.
    func readBits(_ first: Int, core: Int, _ bit: (Interrupt) -> Bool) -> UInt64 {
        var v: UInt64 = 0
        for n in 0..<32 where exists(first + n) && bit(get(first + n, core: core)) { v |= 1 << UInt64(n) }
        return v
    }

    /// Applies `change` to every interrupt whose bit is set in `value`.
    func writeBits(_ first: Int, core: Int, _ value: UInt64, _ change: (inout Interrupt) -> Void) {
        for n in 0..<32 where value >> UInt64(n) & 1 == 1 && exists(first + n) { modify(first + n, core: core, change) }
    }

    /// Offsets 0x080–0x3FF and 0x400 (priorities) and 0xC00 (ICFGR), shared by both distributors
    /// and by the GICv3 redistributor's SGI frame. Returns nil for other offsets.
    func readCommon(_ offset: UInt64, size: Int, core: Int, firstAllowed: Int) -> UInt64? {
        switch offset {
        case 0x080..<0x400:
            let first = Int((offset & 0x7F) / 4) * 32
            guard first >= firstAllowed else { return 0 }
            switch offset >> 7 {
            case 1: return readBits(first, core: core) { $0.group1 }
            case 2, 3: return readBits(first, core: core) { $0.enabled }
            case 4, 5: return readBits(first, core: core) { self.isPending($0) }
            default: return readBits(first, core: core) { $0.active }
            }
        case 0x400..<0x800:
            let first = Int(offset - 0x400)
            guard first >= firstAllowed else { return 0 }
            var v: UInt64 = 0
            for n in 0..<size where exists(first + n) { v |= UInt64(get(first + n, core: core).priority) << UInt64(8 * n) }
            return v
        case 0xC00..<0xD00:
            let first = Int(offset - 0xC00) * 4
            guard first >= firstAllowed else { return first < 16 ? 0xAAAA_AAAA : 0 }
            var v: UInt64 = 0
            for n in 0..<16 where exists(first + n) && get(first + n, core: core).edge { v |= 2 << UInt64(2 * n) }
            return v
        default:
            return nil
        }
    }

    /// The write side of `readCommon`; false for other offsets.
    func writeCommon(_ offset: UInt64, size: Int, value: UInt64, core: Int, firstAllowed: Int) -> Bool {
        switch offset {
        case 0x080..<0x400:
            let first = Int((offset & 0x7F) / 4) * 32
            guard first >= firstAllowed else { return true }
            switch offset >> 7 {
            case 1:
                for n in 0..<32 where exists(first + n) {
                    let g = value >> UInt64(n) & 1 == 1
                    modify(first + n, core: core) { $0.group1 = g }
                }
            case 2: writeBits(first, core: core, value) { $0.enabled = true }
            case 3: writeBits(first, core: core, value) { $0.enabled = false }
            case 4: writeBits(first, core: core, value) { $0.latched = true }
            case 5: writeBits(first, core: core, value) { $0.latched = false }
            case 6: writeBits(first, core: core, value) { $0.active = true }
            default: writeBits(first, core: core, value) { $0.active = false }
            }
            return true
        case 0x400..<0x800:
            let first = Int(offset - 0x400)
            guard first >= firstAllowed else { return true }
            for n in 0..<size where exists(first + n) {
                let p = UInt8(truncatingIfNeeded: value >> UInt64(8 * n)) & priorityMask
                modify(first + n, core: core) { $0.priority = p }
            }
            return true
        case 0xC00..<0xD00:
            let first = Int(offset - 0xC00) * 4
            // SGIs are always edge-triggered; PPIs' configuration is fixed here (level, as the timers need).
            guard first >= max(firstAllowed, 32) else { return true }
            for n in 0..<16 where exists(first + n) {
                let edge = value >> UInt64(2 * n + 1) & 1 == 1
                modify(first + n, core: core) { $0.edge = edge }
            }
            return true
        default:
            return false
        }
    }
}
