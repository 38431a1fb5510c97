import Memory

// Integer helpers of the run loop. NZCV values are 4-bit: N = 8, Z = 4, C = 2, V = 1.

@inline(__always) func shift64(_ v: UInt64, _ type: UInt8, _ amount: UInt8) -> UInt64 {
    let a = UInt64(amount)
    switch type {
    case 0: return v &<< a
    case 1: return v &>> a
    case 2: return UInt64(bitPattern: Int64(bitPattern: v) &>> Int64(a))
    default: return (v &>> a) | (v &<< (64 &- a))
    }
}

@inline(__always) func shift32(_ v64: UInt64, _ type: UInt8, _ amount: UInt8) -> UInt64 {
    let v = UInt32(truncatingIfNeeded: v64), a = UInt32(amount)
    switch type {
    case 0: return UInt64(v &<< a)
    case 1: return UInt64(v &>> a)
    case 2: return UInt64(UInt32(bitPattern: Int32(bitPattern: v) &>> Int32(a)))
    default: return UInt64((v &>> a) | (v &<< (32 &- a)))
    }
}

/// ExtendReg's extension step: UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX.
@inline(__always) func extendValue(_ v: UInt64, _ option: UInt8) -> UInt64 {
    switch option {
    case 0: return v & 0xFF
    case 1: return v & 0xFFFF
    case 2: return v & 0xFFFF_FFFF
    case 3: return v
    case 4: return UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: v)))
    case 5: return UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: v)))
    case 6: return UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v)))
    default: return v
    }
}

@inline(__always) func flagsNZ64(_ r: UInt64) -> UInt64 {
    ((r >> 63) << 3) | (r == 0 ? 4 : 0)
}

@inline(__always) func flagsNZ32(_ r: UInt64) -> UInt64 {
    ((r >> 31 & 1) << 3) | (r & 0xFFFF_FFFF == 0 ? 4 : 0)
}

/// AddWithCarry for 64 bits: (result, nzcv).
@inline(__always) func addWithCarry64(_ a: UInt64, _ b: UInt64, _ carryIn: UInt64) -> (UInt64, UInt64) {
    let (s1, o1) = a.addingReportingOverflow(b)
    let (r, o2) = s1.addingReportingOverflow(carryIn)
    let c: UInt64 = (o1 || o2) ? 2 : 0
    let v = ((a ^ r) & (b ^ r)) >> 63
    return (r, flagsNZ64(r) | c | v)
}

/// AddWithCarry for 32 bits: (zero-extended result, nzcv).
@inline(__always) func addWithCarry32(_ a64: UInt64, _ b64: UInt64, _ carryIn: UInt64) -> (UInt64, UInt64) {
    let a = a64 & 0xFFFF_FFFF, b = b64 & 0xFFFF_FFFF
    let wide = a &+ b &+ carryIn
    let r = wide & 0xFFFF_FFFF
    let c: UInt64 = wide >> 32 != 0 ? 2 : 0
    let v = (((a ^ r) & (b ^ r)) >> 31) & 1
    return (r, flagsNZ32(r) | c | v)
}

@inline(__always) func reverseBits64(_ x: UInt64) -> UInt64 {
    var v = x
    v = ((v >> 1) & 0x5555_5555_5555_5555) | ((v & 0x5555_5555_5555_5555) << 1)
    v = ((v >> 2) & 0x3333_3333_3333_3333) | ((v & 0x3333_3333_3333_3333) << 2)
    v = ((v >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((v & 0x0F0F_0F0F_0F0F_0F0F) << 4)
    return v.byteSwapped
}

@inline(__always) func reverseBytesIn16(_ v: UInt64) -> UInt64 {
    ((v & 0x00FF_00FF_00FF_00FF) << 8) | ((v >> 8) & 0x00FF_00FF_00FF_00FF)
}

@inline(__always) func reverseBytesIn32(_ v: UInt64) -> UInt64 {
    let s = v.byteSwapped
    return (s >> 32) | (s << 32)
}

/// Guest memory as the loop sees it: the TLB fast path inline, the address space's slow path out of line.
@usableFromInline struct GuestMemory {
    let tlb: SoftTLB
    let port: Unmanaged<MemoryPort>

    @inline(__always) func read<T: FixedWidthInteger & UnsignedInteger>(_ va: UInt64, _: T.Type) -> UInt64? {
        if let p = tlb.readHost(va, size: UInt64(MemoryLayout<T>.size)) {
            return UInt64(p.loadUnaligned(as: T.self))
        }
        return port._withUnsafeGuaranteedRef { $0.readSlow(va, size: MemoryLayout<T>.size) }
    }

    @inline(__always) func write<T: FixedWidthInteger & UnsignedInteger>(_ va: UInt64, _ value: UInt64, _: T.Type) -> Bool {
        if let p = tlb.writeHost(va, size: UInt64(MemoryLayout<T>.size)) {
            p.storeBytes(of: T(truncatingIfNeeded: value), toByteOffset: 0, as: T.self)
            return true
        }
        return port._withUnsafeGuaranteedRef { $0.writeSlow(va, size: MemoryLayout<T>.size, value: value) }
    }

    /// Reads 1 << log2Size bytes (1 to 8).
    @inline(__always) func read(_ va: UInt64, log2Size: UInt8) -> UInt64? {
        switch log2Size {
        case 0: return read(va, UInt8.self)
        case 1: return read(va, UInt16.self)
        case 2: return read(va, UInt32.self)
        default: return read(va, UInt64.self)
        }
    }

    @inline(__always) func write(_ va: UInt64, _ value: UInt64, log2Size: UInt8) -> Bool {
        switch log2Size {
        case 0: return write(va, value, UInt8.self)
        case 1: return write(va, value, UInt16.self)
        case 2: return write(va, value, UInt32.self)
        default: return write(va, value, UInt64.self)
        }
    }

    /// Whether the whole range [va, va+size) is writable (checked before a multi-part store).
    @inline(__always) func probeWrite(_ va: UInt64, size: Int) -> Bool {
        if tlb.writeHost(va, size: UInt64(size)) != nil { return true }
        return probeWriteSlow(va, size: size)
    }

    @inline(never) func probeWriteSlow(_ va: UInt64, size: Int) -> Bool {
        port._withUnsafeGuaranteedRef { s in
            var a = va & ~0xFFF
            while a < va &+ UInt64(size) {
                if s.translateWrite(max(a, va)) == nil { return false }
                a &+= 0x1000
            }
            return true
        }
    }
}
