// Advanced SIMD structure loads and stores (ARM ARM C4.1.66 "Advanced SIMD load/store multiple
// structures" and "single structure", with their post-indexed forms): LD1–LD4/ST1–ST4 of whole
// registers, single lanes, and LD1R–LD4R.
//
// Records (`SIMDOp.ldMulti`/`stMulti`/`ldSingle`/`stSingle`):
// - rd = Rt (first V register; the list wraps modulo 32), rn = base slot (31 = SP),
//   rm = Rm slot for register post-indexing;
// - ra = writeback: 0 none, 1 post-index by the transfer size, 2 post-index by Rm;
// - s1 = log2 element size; s2 = bytes per register (8 or 16);
// - payload: multiple — selem | registers-per-element-group << 4 (LD1 of 2–4 registers has
//   selem 1 and a repeat count); single — selem | index << 4 | replicate << 12.
// Loads check that the first and last byte are readable before writing any register (a transfer
// spans at most two pages), so a fault leaves the registers unchanged; stores probe the range.

extension AArch64CPU {
    @inline(__always) func writeback(_ r: DecodedInstruction, base: UInt64, size: UInt64) {
        switch r.ra {
        case 1: x[Int(r.rn)] = base &+ size
        case 2: x[Int(r.rn)] = base &+ x[Int(r.rm)]
        default: break
        }
    }

    /// Whether every byte of [address, address + size) can be read.
    @inline(__always) func probeRead(_ mem: GuestMemory, _ address: UInt64, size: Int) -> Bool {
        mem.read(address, UInt8.self) != nil && mem.read(address &+ UInt64(size - 1), UInt8.self) != nil
    }

    /// The host address of the whole transfer when it stays in one page and hits the TLB.
    @inline(__always) static func hostRange(_ mem: GuestMemory, _ address: UInt64, size: Int, write: Bool) -> UnsafeMutableRawPointer? {
        write ? mem.tlb.writeHost(address, size: UInt64(size)) : mem.tlb.readHost(address, size: UInt64(size))
    }

    /// Reads one element, from the host mapping when there is one.
    @inline(__always) static func readElement(_ host: UnsafeMutableRawPointer?, _ mem: GuestMemory, _ address: UInt64,
                                              offset: Int, log2: UInt8) -> UInt64? {
        if let host {
            switch log2 {
            case 0: return UInt64(host.load(fromByteOffset: offset, as: UInt8.self))
            case 1: return UInt64(host.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            case 2: return UInt64(host.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            default: return host.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            }
        }
        return mem.read(address &+ UInt64(offset), log2Size: log2)
    }

    /// Writes one element, to the host mapping when there is one.
    @inline(__always) static func writeElement(_ host: UnsafeMutableRawPointer?, _ mem: GuestMemory, _ address: UInt64,
                                               offset: Int, log2: UInt8, _ value: UInt64) -> Bool {
        if let host {
            switch log2 {
            case 0: host.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: offset, as: UInt8.self)
            case 1: host.storeBytes(of: UInt16(truncatingIfNeeded: value), toByteOffset: offset, as: UInt16.self)
            case 2: host.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: offset, as: UInt32.self)
            default: host.storeBytes(of: value, toByteOffset: offset, as: UInt64.self)
            }
            return true
        }
        return mem.write(address &+ UInt64(offset), value, log2Size: log2)
    }

    /// LD1–LD4 (multiple structures).
    func loadMultiple(_ r: DecodedInstruction, _ mem: GuestMemory) -> SIMDOutcome {
        let p = Self.payload(r)
        let selem = p & 0xF, repeats = p >> 4
        let regBytes = Int(r.s2), log2 = r.s1, esize = 1 << Int(log2)
        let total = selem * repeats * regBytes
        let base = x[Int(r.rn)]
        let host = Self.hostRange(mem, base, size: total, write: false)
        // LD1 of one 16-byte register: the common case.
        if total == 16 && repeats == 1 && selem == 1 {
            let lo: UInt64, hi: UInt64
            if let host {
                lo = host.loadUnaligned(as: UInt64.self); hi = host.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            } else {
                guard let l = mem.read(base, UInt64.self), let h = mem.read(base &+ 8, UInt64.self) else { return .fault }
                lo = l; hi = h
            }
            store(r.rd, lo: lo, hi: hi, bytes: 16)
            writeback(r, base: base, size: 16)
            return .next
        }
        // Every register is written only after the range is known to be readable.
        guard host != nil || probeRead(mem, base, size: total) else { return .fault }
        var offset = 0
        let elements = regBytes >> Int(log2)
        for rep in 0..<repeats {
            // 8-byte forms zero the top half of each register.
            for s in 0..<selem { store(UInt8((Int(r.rd) + rep + s) & 31), lo: 0, hi: 0, bytes: 16) }
            for e in 0..<elements {
                for s in 0..<selem {
                    guard let value = Self.readElement(host, mem, base, offset: offset, log2: log2) else { return .fault }
                    Self.setLane(vreg(UInt8((Int(r.rd) + rep + s) & 31)), e, log2: log2, value)
                    offset += esize
                }
            }
        }
        writeback(r, base: base, size: UInt64(total))
        return .next
    }

    /// ST1–ST4 (multiple structures).
    func storeMultiple(_ r: DecodedInstruction, _ mem: GuestMemory) -> SIMDOutcome {
        let p = Self.payload(r)
        let selem = p & 0xF, repeats = p >> 4
        let regBytes = Int(r.s2), log2 = r.s1, esize = 1 << Int(log2)
        let total = selem * repeats * regBytes
        let base = x[Int(r.rn)]
        let host = Self.hostRange(mem, base, size: total, write: true)
        guard host != nil || mem.probeWrite(base, size: total) else { return .fault }
        var offset = 0
        let elements = regBytes >> Int(log2)
        for rep in 0..<repeats {
            for e in 0..<elements {
                for s in 0..<selem {
                    let value = Self.lane(vreg(UInt8((Int(r.rd) + rep + s) & 31)), e, log2: log2)
                    guard Self.writeElement(host, mem, base, offset: offset, log2: log2, value) else { return .fault }
                    offset += esize
                }
            }
        }
        writeback(r, base: base, size: UInt64(total))
        return .next
    }

    /// LD1–LD4 (single structure) and LD1R–LD4R.
    func loadSingle(_ r: DecodedInstruction, _ mem: GuestMemory) -> SIMDOutcome {
        let p = Self.payload(r)
        let selem = p & 0xF, index = (p >> 4) & 0xFF, replicate = p >> 12 != 0
        let log2 = r.s1, esize = 1 << Int(log2)
        let base = x[Int(r.rn)]
        let host = Self.hostRange(mem, base, size: selem * esize, write: false)
        guard host != nil || probeRead(mem, base, size: selem * esize) else { return .fault }
        // Read every element before writing, then commit.
        var values = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for s in 0..<selem {
            guard let value = Self.readElement(host, mem, base, offset: s * esize, log2: log2) else { return .fault }
            switch s {
            case 0: values.0 = value
            case 1: values.1 = value
            case 2: values.2 = value
            default: values.3 = value
            }
        }
        for s in 0..<selem {
            let value = s == 0 ? values.0 : s == 1 ? values.1 : s == 2 ? values.2 : values.3
            let reg = UInt8((Int(r.rd) + s) & 31)
            if replicate {
                let pattern = Self.replicate(value, log2Size: log2)
                store(reg, lo: pattern, hi: pattern, bytes: Int(r.s2))
            } else {
                Self.setLane(vreg(reg), index, log2: log2, value)
            }
        }
        writeback(r, base: base, size: UInt64(selem * esize))
        return .next
    }

    /// ST1–ST4 (single structure).
    func storeSingle(_ r: DecodedInstruction, _ mem: GuestMemory) -> SIMDOutcome {
        let p = Self.payload(r)
        let selem = p & 0xF, index = (p >> 4) & 0xFF
        let log2 = r.s1, esize = 1 << Int(log2)
        let base = x[Int(r.rn)]
        let host = Self.hostRange(mem, base, size: selem * esize, write: true)
        guard host != nil || mem.probeWrite(base, size: selem * esize) else { return .fault }
        for s in 0..<selem {
            let value = Self.lane(vreg(UInt8((Int(r.rd) + s) & 31)), index, log2: log2)
            guard Self.writeElement(host, mem, base, offset: s * esize, log2: log2, value) else { return .fault }
        }
        writeback(r, base: base, size: UInt64(selem * esize))
        return .next
    }
}

extension A64Decoder {
    /// Decodes the Advanced SIMD structure loads and stores (LD1–LD4, ST1–ST4, LDnR), with and
    /// without post-indexing (ARM ARM C4.1.66, "Advanced SIMD load/store multiple structures" and
    /// "single structure").
    static func decodeSIMDLoadStore(_ w: UInt32) -> DecodedInstruction {
        let q = bit(w, 30), load = bit(w, 22), post = bit(w, 23), single = bit(w, 24)
        let rt = bits(w, 4, 0), rn = bits(w, 9, 5), rm = bits(w, 20, 16)
        let size = Int(bits(w, 11, 10))
        if !post && rm != 0 { return simdUndefined(w) }
        let writeback: UInt32 = !post ? 0 : rm == 31 ? 1 : 2
        let base = UInt32(sp(rn))
        if !single {
            guard !bit(w, 21) else { return simdUndefined(w) }
            let selem: Int, repeats: Int
            switch bits(w, 15, 12) {
            case 0b0000: (selem, repeats) = (4, 1)
            case 0b0010: (selem, repeats) = (1, 4)
            case 0b0100: (selem, repeats) = (3, 1)
            case 0b0110: (selem, repeats) = (1, 3)
            case 0b0111: (selem, repeats) = (1, 1)
            case 0b1000: (selem, repeats) = (2, 1)
            case 0b1010: (selem, repeats) = (1, 2)
            default: return simdUndefined(w)
            }
            if size == 3 && !q && selem > 1 { return simdUndefined(w) }
            return simd(load ? .ldMulti : .stMulti, w, d: rt, n: base, m: rm, a: writeback,
                        s1: size, s2: q ? 16 : 8, payload: selem | repeats << 4)
        }
        let opcode = bits(w, 15, 13), s = bits(w, 12, 12), r = bits(w, 21, 21)
        let selem = Int((opcode & 1) << 1 | r) + 1
        let qBit = q ? UInt32(1) : 0
        var scale = Int(opcode >> 1)
        var index = 0
        var replicate = false
        switch scale {
        case 3:
            guard load, s == 0 else { return simdUndefined(w) }
            scale = size
            replicate = true
        case 0:
            index = Int(qBit << 3 | s << 2 | UInt32(size))
        case 1:
            guard size & 1 == 0 else { return simdUndefined(w) }
            index = Int(qBit << 2 | s << 1 | UInt32(size >> 1))
        default:
            guard size & 2 == 0 else { return simdUndefined(w) }
            if size & 1 == 0 {
                index = Int(qBit << 1 | s)
            } else {
                guard s == 0 else { return simdUndefined(w) }
                index = Int(qBit)
                scale = 3
            }
        }
        return simd(load ? .ldSingle : .stSingle, w, d: rt, n: base, m: rm, a: writeback,
                    s1: scale, s2: q ? 16 : 8, payload: selem | index << 4 | (replicate ? 1 << 12 : 0))
    }
}
