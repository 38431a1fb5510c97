// Seeded generators for loads, stores, exclusives, atomics and DC ZVA (contract: LockstepHarness.swift).
//
// Every access (except in "memory-faults") lands inside the data region: the generator picks the address first, then pins the
// base (and index) registers so that the encoding's address arithmetic arrives there. Register
// combinations the ARM ARM calls CONSTRAINED UNPREDICTABLE are avoided: writeback with Rn == Rt
// (Rn != SP), LDP/LDXP with Rt == Rt2, STXR/STXP with Rs equal to a data or base register.
// Exclusives and atomics use naturally aligned addresses (unaligned ones fault on real hardware and
// in Unicorn, which evlsim does not model: it has no alignment-fault stop reason yet).

@testable import AArch64

/// One single-register load/store kind: the size and opc fields of the encoding.
struct LockstepAccess {
    var size: UInt32
    var opc: UInt32
    var bytes: Int
    var vector: Bool
    var load: Bool
    var prefetch = false

    /// log2 of the scale of unsigned and register offsets.
    var scale: Int { bytes.trailingZeroBitCount }

    static let integer: [LockstepAccess] = [
        .init(size: 0, opc: 0, bytes: 1, vector: false, load: false), // STRB
        .init(size: 0, opc: 1, bytes: 1, vector: false, load: true),  // LDRB
        .init(size: 0, opc: 2, bytes: 1, vector: false, load: true),  // LDRSB (X)
        .init(size: 0, opc: 3, bytes: 1, vector: false, load: true),  // LDRSB (W)
        .init(size: 1, opc: 0, bytes: 2, vector: false, load: false), // STRH
        .init(size: 1, opc: 1, bytes: 2, vector: false, load: true),  // LDRH
        .init(size: 1, opc: 2, bytes: 2, vector: false, load: true),  // LDRSH (X)
        .init(size: 1, opc: 3, bytes: 2, vector: false, load: true),  // LDRSH (W)
        .init(size: 2, opc: 0, bytes: 4, vector: false, load: false), // STR (W)
        .init(size: 2, opc: 1, bytes: 4, vector: false, load: true),  // LDR (W)
        .init(size: 2, opc: 2, bytes: 4, vector: false, load: true),  // LDRSW
        .init(size: 3, opc: 0, bytes: 8, vector: false, load: false), // STR (X)
        .init(size: 3, opc: 1, bytes: 8, vector: false, load: true),  // LDR (X)
    ]
    static let prefetch = LockstepAccess(size: 3, opc: 2, bytes: 8, vector: false, load: true, prefetch: true)
    /// size = 10, opc = 11: unallocated in every single-register form.
    static let unallocated = LockstepAccess(size: 2, opc: 3, bytes: 4, vector: false, load: true)

    static let vectorKinds: [LockstepAccess] = [
        .init(size: 0, opc: 0, bytes: 1, vector: true, load: false), .init(size: 0, opc: 1, bytes: 1, vector: true, load: true),
        .init(size: 1, opc: 0, bytes: 2, vector: true, load: false), .init(size: 1, opc: 1, bytes: 2, vector: true, load: true),
        .init(size: 2, opc: 0, bytes: 4, vector: true, load: false), .init(size: 2, opc: 1, bytes: 4, vector: true, load: true),
        .init(size: 3, opc: 0, bytes: 8, vector: true, load: false), .init(size: 3, opc: 1, bytes: 8, vector: true, load: true),
        .init(size: 0, opc: 2, bytes: 16, vector: true, load: false), .init(size: 0, opc: 3, bytes: 16, vector: true, load: true),
    ]

    /// The common head of the single-register forms: size 111 V 0 ... opc.
    var head: UInt32 { size << 30 | 0b111 << 27 | (vector ? 1 : 0) << 26 | opc << 22 }
}

extension LockstepContext {
    /// An address whose `bytes`-byte access leaves the data region: below its start, or running off
    /// its end (partly inside when `straddle` allows the access to straddle the end).
    ///
    /// Stores, and FP/SIMD pair loads, never straddle: Unicorn performs the part of such an access
    /// that precedes the fault (QEMU splits it), evlsim performs none of it, and the ARM ARM leaves
    /// both outcomes open (memory a faulting store writes, and registers a faulting load loads, are
    /// UNKNOWN). Integer loads do straddle: neither engine may change a register then.
    mutating func outsideData(bytes: Int, align: Int, straddle: Bool) -> UInt64 {
        let end = LockstepLayout.dataBase + LockstepLayout.dataSize
        if chance(40) { return LockstepLayout.dataBase - UInt64(bytes) - UInt64(align * below(4)) }
        let first = straddle ? end - UInt64(bytes) + 1 : end // the lowest start that does not fit
        let start = first + UInt64(below(bytes + 16))
        return (start + UInt64(align) - 1) / UInt64(align) * UInt64(align)
    }
}

/// Address-mode generators shared by the integer and vector groups.
enum LockstepMemoryForms {
    /// Rt for a form that writes Rn back: distinct from Rn unless Rn is SP (or Rt is a V register).
    static func dataRegister(_ ctx: inout LockstepContext, base rn: UInt32, writeback: Bool, vector: Bool) -> UInt32 {
        (writeback && !vector && rn != 31) ? ctx.register(excluding: [rn]) : ctx.register()
    }

    static func aligned(_ ctx: inout LockstepContext, _ a: LockstepAccess) -> Int {
        ctx.chance(75) ? a.bytes : 1
    }

    /// LDR/STR (unsigned offset): head 01 imm12 Rn Rt, address = Xn + imm12 << scale.
    static func unsignedOffset(_ ctx: inout LockstepContext, _ a: LockstepAccess, at fixed: UInt64? = nil) {
        let align = aligned(&ctx, a)
        let address = fixed ?? ctx.dataAddress(bytes: a.bytes, align: align)
        let maxImm = address < LockstepLayout.dataBase ? 0 : min(4095, Int(address - LockstepLayout.dataBase) >> a.scale)
        let imm12 = ctx.chance(20) ? 0 : UInt32(ctx.below(maxImm + 1))
        let rn = ctx.register(), rt = ctx.register()
        ctx.pin(rn, address - UInt64(imm12) << UInt64(a.scale))
        ctx.emit(enc(a.head, 0b01 << 24, imm12 << 10, rn << 5, rt))
    }

    /// LDUR/STUR (mode 00) and LDTR/STTR (mode 10): head 00 0 imm9 mode Rn Rt, address = Xn + imm9.
    static func unscaled(_ ctx: inout LockstepContext, _ a: LockstepAccess, mode: UInt32, at fixed: UInt64? = nil) {
        let align = aligned(&ctx, a)
        let address = fixed ?? ctx.dataAddress(bytes: a.bytes, align: align)
        let imm9 = Int64(ctx.below(512)) - 256
        let rn = ctx.register(), rt = ctx.register()
        ctx.pin(rn, address &- UInt64(bitPattern: imm9))
        ctx.emit(enc(a.head, UInt32(imm9 & 0x1FF) << 12, mode << 10, rn << 5, rt))
    }

    /// Pre-index (mode 11: address = Xn + imm9, then Xn = address) and post-index (mode 01:
    /// address = Xn, then Xn += imm9).
    static func indexed(_ ctx: inout LockstepContext, _ a: LockstepAccess, at fixed: UInt64? = nil) {
        let pre = ctx.chance(50)
        let align = aligned(&ctx, a)
        let address = fixed ?? ctx.dataAddress(bytes: a.bytes, align: align)
        let imm9 = Int64(ctx.below(512)) - 256
        let rn = ctx.register()
        let rt = dataRegister(&ctx, base: rn, writeback: true, vector: a.vector)
        ctx.pin(rn, pre ? address &- UInt64(bitPattern: imm9) : address)
        ctx.emit(enc(a.head, UInt32(imm9 & 0x1FF) << 12, (pre ? 0b11 : 0b01) << 10, rn << 5, rt))
    }

    /// LDR/STR (register): head 1 Rm option S 10 Rn Rt, address = Xn + (extend(Xm) << (S ? scale : 0)).
    static func registerOffset(_ ctx: inout LockstepContext, _ a: LockstepAccess, at fixed: UInt64? = nil) {
        // option: 010 UXTW, 011 LSL (UXTX), 110 SXTW, 111 SXTX; x0x is unallocated.
        let option = ctx.chance(3) ? ctx.pick([0, 1, 4, 5] as [UInt32]) : ctx.pick([2, 3, 6, 7] as [UInt32])
        let s = ctx.bits(1)
        let shift = s == 1 ? UInt64(a.scale) : 0
        let align = aligned(&ctx, a)
        let address = fixed ?? ctx.dataAddress(bytes: a.bytes, align: align)
        let rn = ctx.register(), rm = ctx.register(excluding: [rn]), rt = ctx.register()
        // A small index, with junk above bit 31 for the W extends (which must ignore it).
        var index: Int64 = option == 2 ? Int64(ctx.below(65)) : Int64(ctx.below(129)) - 64
        if rm == 31 { index = 0 } // XZR
        let junk = ctx.next() << 32
        let value: UInt64, extended: UInt64
        switch option {
        case 2: value = junk | UInt64(index); extended = UInt64(index)
        case 6: value = junk | (UInt64(bitPattern: index) & 0xFFFF_FFFF); extended = UInt64(bitPattern: index)
        default: value = UInt64(bitPattern: index); extended = value
        }
        ctx.pin(rn, address &- (extended << shift))
        if rm != 31 { ctx.pin(rm, value) }
        ctx.emit(enc(a.head, 1 << 21, rm << 16, option << 13, s << 12, 0b10 << 10, rn << 5, rt))
    }

    /// LDR (literal): opc 011 V 00 imm19 Rt, address = PC + imm19 * 4.
    /// Integer opc: 00 W, 01 X, 10 LDRSW, 11 PRFM; vector opc: 00 S, 01 D, 10 Q.
    static func literal(_ ctx: inout LockstepContext, vector: Bool) {
        let opc = UInt32(ctx.below(vector ? 3 : 4))
        let bytes = vector ? 4 << Int(opc) : [4, 8, 4, 8][Int(opc)]
        let address = ctx.dataAddress(bytes: bytes, align: 4)
        let imm19 = UInt32(truncatingIfNeeded: Int64(bitPattern: address &- ctx.here) >> 2) & 0x7FFFF
        let rt = ctx.register()
        ctx.emit(enc(opc << 30, 0b011 << 27, (vector ? 1 : 0) << 26, imm19 << 5, rt))
    }

    /// LDP/STP/LDNP/STNP/LDPSW: opc 101 V mode L imm7 Rt2 Rn Rt; mode 00 no-allocate, 01 post,
    /// 10 offset, 11 pre. Integer opc 00 W, 01 LDPSW (not with mode 00), 10 X; vector 00 S, 01 D, 10 Q.
    static func pair(_ ctx: inout LockstepContext, vector: Bool, outside: Bool = false) {
        var opc: UInt32, load: UInt32
        if vector {
            opc = UInt32(ctx.below(3)); load = ctx.bits(1)
        } else {
            (opc, load) = ctx.pick([(0, 0), (0, 1), (1, 1), (2, 0), (2, 1)] as [(UInt32, UInt32)])
        }
        var mode = ctx.bits(2)
        if !vector && opc == 1 && mode == 0 && !ctx.chance(10) { mode = 2 } // LDNP of LDPSW: keep a few as unallocated
        let scale = vector ? 2 + Int(opc) : (opc == 2 ? 3 : 2)
        let single = 1 << scale
        let writeback = mode == 1 || mode == 3
        let imm7 = Int64(ctx.below(128)) - 64
        let offset = UInt64(bitPattern: imm7 << Int64(scale))
        let align = ctx.chance(80) ? single : 1
        let address = outside ? ctx.outsideData(bytes: 2 * single, align: align, straddle: load == 1 && !vector)
                              : ctx.dataAddress(bytes: 2 * single, align: align)
        let rn = ctx.register()
        var avoid: [UInt32] = (writeback && !vector && rn != 31) ? [rn] : []
        let rt = ctx.register(excluding: avoid)
        if load == 1 { avoid.append(rt) }
        let rt2 = ctx.register(excluding: avoid)
        ctx.pin(rn, mode == 1 ? address : address &- offset)
        ctx.emit(enc(opc << 30, 0b101 << 27, (vector ? 1 : 0) << 26, mode << 23, load << 22,
                     UInt32(imm7 & 0x7F) << 15, rt2 << 10, rn << 5, rt))
    }
}

extension LockstepGroup {
    static let memory: [LockstepGroup] = [
        LockstepGroup(name: "load-store-unsigned-offset", count: 5000) { ctx in
            var a = ctx.pick(LockstepAccess.integer)
            if ctx.chance(4) { a = LockstepAccess.prefetch }      // PRFM (immediate): no effect
            if ctx.chance(2) { a = LockstepAccess.unallocated }
            LockstepMemoryForms.unsignedOffset(&ctx, a)
        },

        LockstepGroup(name: "load-store-unscaled-unprivileged", count: 4000) { ctx in
            var a = ctx.pick(LockstepAccess.integer)
            if ctx.chance(4) { a = LockstepAccess.prefetch }      // PRFUM; in LDTR form it is unallocated
            if ctx.chance(2) { a = LockstepAccess.unallocated }
            // LDTR/STTR behave as LDUR/STUR at EL0; Unicorn runs at EL1 with the MMU off, where the
            // unprivileged access is checked against no permissions either.
            let mode: UInt32 = ctx.chance(70) ? 0b00 : 0b10
            LockstepMemoryForms.unscaled(&ctx, a, mode: mode)
        },

        LockstepGroup(name: "load-store-pre-post-index", count: 5000) { ctx in
            var a = ctx.pick(LockstepAccess.integer)
            if ctx.chance(2) { a = LockstepAccess.prefetch }      // PRFM has no indexed forms: unallocated
            LockstepMemoryForms.indexed(&ctx, a)
        },

        LockstepGroup(name: "load-store-register-offset", count: 5000) { ctx in
            var a = ctx.pick(LockstepAccess.integer)
            if ctx.chance(4) { a = LockstepAccess.prefetch }      // PRFM (register)
            LockstepMemoryForms.registerOffset(&ctx, a)
        },

        LockstepGroup(name: "load-literal", count: 2000) { ctx in
            LockstepMemoryForms.literal(&ctx, vector: false)
        },

        LockstepGroup(name: "load-store-pair", count: 5000) { ctx in
            LockstepMemoryForms.pair(&ctx, vector: false)
        },

        // FP/SIMD registers through every single and pair addressing mode; V0–V31 are compared.
        LockstepGroup(name: "load-store-vector", count: 5000, vectors: true) { ctx in
            let a = ctx.pick(LockstepAccess.vectorKinds)
            switch ctx.below(7) {
            case 0: LockstepMemoryForms.unsignedOffset(&ctx, a)
            case 1: LockstepMemoryForms.unscaled(&ctx, a, mode: 0)
            case 2: LockstepMemoryForms.indexed(&ctx, a)
            case 3: LockstepMemoryForms.registerOffset(&ctx, a)
            case 4: LockstepMemoryForms.literal(&ctx, vector: true)
            default: LockstepMemoryForms.pair(&ctx, vector: true)
            }
        },

        // LDXR/LDAXR + STXR/STLXR and LDXP/LDAXP + STXP/STLXP pairs on one address, plus stores that
        // must fail (after CLREX, or with no reservation). Encoding: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt.
        // A store to a different address than the reservation is IMPLEMENTATION DEFINED, so never generated.
        LockstepGroup(name: "exclusive", count: 4000) { ctx in
            let kind = ctx.below(10)
            let pairForm = kind >= 6 && kind < 9
            let size: UInt32 = pairForm ? 2 | ctx.bits(1) : ctx.bits(2)
            let total = pairForm ? 2 << Int(size) : 1 << Int(size)
            let address = ctx.dataAddress(bytes: total, align: total)
            let rn = ctx.register()
            let notBase: [UInt32] = rn == 31 ? [] : [rn]
            ctx.pin(rn, address)
            let acquire = ctx.bits(1), release = ctx.bits(1)
            if pairForm {
                let t1 = ctx.register(excluding: notBase), t2 = ctx.register(excluding: notBase + [t1])
                ctx.emit(enc(size << 30, 0b001000 << 24, 1 << 22, 1 << 21, 31 << 16, acquire << 15, t2 << 10, rn << 5, t1))
                let s1 = ctx.register(), s2 = ctx.register()
                let status = ctx.register(excluding: notBase + [s1, s2])
                ctx.emit(enc(size << 30, 0b001000 << 24, 1 << 21, status << 16, release << 15, s2 << 10, rn << 5, s1))
                return
            }
            if kind < 9 {
                let t = ctx.register(excluding: notBase)
                ctx.emit(enc(size << 30, 0b001000 << 24, 1 << 22, 31 << 16, acquire << 15, 31 << 10, rn << 5, t))
                if kind >= 4 { ctx.emit(0xD503_305F) } // CLREX: the store below must fail
            }
            let data = ctx.register()
            let status = ctx.register(excluding: notBase + [data])
            ctx.emit(enc(size << 30, 0b001000 << 24, status << 16, release << 15, 31 << 10, rn << 5, data))
        },

        // LDAR/LDLAR/STLR/STLLR: size 001000 1 L 0 11111 o0 11111 Rn Rt; LDAPR (FEAT_LRCPC):
        // size 111000 1 0 1 11111 1 100 00 Rn Rt.
        LockstepGroup(name: "acquire-release", count: 2000) { ctx in
            let size = ctx.bits(2)
            let address = ctx.dataAddress(bytes: 1 << Int(size), align: 1 << Int(size))
            let rn = ctx.register()
            ctx.pin(rn, address)
            if ctx.chance(25) {
                let rt = ctx.register()
                ctx.emit(enc(size << 30, 0x38BF_C000, rn << 5, rt))
                return
            }
            let load = ctx.bits(1), o0 = ctx.bits(1), rt = ctx.register()
            ctx.emit(enc(size << 30, 0b001000 << 24, 1 << 23, load << 22, 31 << 16, o0 << 15, 31 << 10, rn << 5, rt))
        },

        // CAS/CASA/CASL/CASAL (size 001000 1 L 1 Rs o0 11111 Rn Rt) and CASP* (0 sz 001000 0 L 1 Rs o0
        // 11111 Rn Rt, even Rs and Rt). Half the time Rs holds the current memory value, so the swap happens.
        LockstepGroup(name: "compare-and-swap", count: 4000) { ctx in
            let rn = ctx.register()
            let notBase: [UInt32] = rn == 31 ? [] : [rn]
            let acquire = ctx.bits(1), release = ctx.bits(1)
            if ctx.chance(30) {
                let sz = ctx.bits(1)
                let bytes = 4 << Int(sz)
                let address = ctx.dataAddress(bytes: 2 * bytes, align: 2 * bytes)
                var rs: UInt32
                repeat { rs = 2 * UInt32(ctx.below(16)) } while notBase.contains(rs) || notBase.contains(rs + 1)
                let rt = 2 * UInt32(ctx.below(16))
                ctx.pin(rn, address)
                if ctx.chance(50) {
                    ctx.pinToMemory(rs, address: address, bytes: bytes)
                    if rs + 1 != 31 { ctx.pinToMemory(rs + 1, address: address + UInt64(bytes), bytes: bytes) }
                }
                ctx.emit(enc(sz << 30, 0b001000 << 24, acquire << 22, 1 << 21, rs << 16, release << 15, 31 << 10, rn << 5, rt))
                return
            }
            let size = ctx.bits(2)
            let bytes = 1 << Int(size)
            let address = ctx.dataAddress(bytes: bytes, align: bytes)
            let rs = ctx.register(excluding: notBase)
            ctx.pin(rn, address)
            if rs != 31 && ctx.chance(50) { ctx.pinToMemory(rs, address: address, bytes: bytes) }
            let rt = ctx.register()
            ctx.emit(enc(size << 30, 0b001000 << 24, 1 << 23, acquire << 22, 1 << 21, rs << 16, release << 15,
                         31 << 10, rn << 5, rt))
        },

        // LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN and SWP, all sizes, A/R variants:
        // size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt (Rt = XZR gives the ST<op> aliases).
        LockstepGroup(name: "lse-atomics", count: 5000) { ctx in
            let size = ctx.bits(2)
            let bytes = 1 << Int(size)
            let address = ctx.dataAddress(bytes: bytes, align: bytes)
            let rn = ctx.register()
            let rs = ctx.register(excluding: rn == 31 ? [] : [rn])
            let swap = ctx.chance(12)
            let opc: UInt32 = swap ? 0 : ctx.bits(3)
            ctx.pin(rn, address)
            ctx.maybePin(rs, 40)
            if opc >= 4 && size < 3 {
                // Unicorn 2.0.1 quirk (QEMU's non-atomic min/max helpers, which single-threaded Unicorn
                // uses; unicorn-engine/unicorn#1922 backports the fix, after 2.0.1): LD{S,U}{MAX,MIN}{B,H,W}
                // compare the zero-extended memory value with all 64 bits of Rs. Its result is right only when Rs has
                // no bits above the access size and, for the signed forms, both operands are
                // non-negative. Those cases are compared here; the rest is checked against the
                // ARM ARM by hand in LockstepTests ("LSE min/max below 64 bits").
                let bits = 8 << Int(size)
                let signed = opc == 4 || opc == 5
                let keep = signed ? lowMask(bits - 1) : lowMask(bits)
                ctx.pinMemory(address: address, bytes: bytes, value: ctx.next() & keep)
                if rs != 31 { ctx.pin(rs, ctx.next() & keep) }
            }
            let rt = ctx.chance(10) ? 31 : ctx.register()
            let acquire = ctx.bits(1), release = ctx.bits(1)
            ctx.emit(enc(size << 30, 0b111 << 27, acquire << 23, release << 22, 1 << 21, rs << 16,
                         (swap ? 1 : 0) << 15, opc << 12, rn << 5, rt))
        },

        // Accesses that leave the data region, wholly or in part: both engines must refuse them with
        // nothing changed (no register written, no base written back, no half pair, no byte stored).
        // Also BR/BLR to an unmapped target: the branch retires (X30 written by BLR), the fetch faults.
        LockstepGroup(name: "memory-faults", count: 3000, vectors: true) { ctx in
            switch ctx.below(10) {
            case 0..<5:
                let a = ctx.chance(20) ? ctx.pick(LockstepAccess.vectorKinds) : ctx.pick(LockstepAccess.integer)
                let address = ctx.outsideData(bytes: a.bytes, align: ctx.chance(70) ? a.bytes : 1, straddle: a.load)
                switch ctx.below(4) {
                case 0: LockstepMemoryForms.unsignedOffset(&ctx, a, at: address)
                case 1: LockstepMemoryForms.unscaled(&ctx, a, mode: 0, at: address)
                case 2: LockstepMemoryForms.indexed(&ctx, a, at: address)
                default: LockstepMemoryForms.registerOffset(&ctx, a, at: address)
                }
            case 5, 6:
                LockstepMemoryForms.pair(&ctx, vector: ctx.chance(25), outside: true)
            case 7, 8:
                // LDADD-family, SWP, CAS, LDXR, LDAR at a naturally aligned address outside the region.
                let size = ctx.bits(2)
                let bytes = 1 << Int(size)
                let address = ctx.outsideData(bytes: bytes, align: bytes, straddle: false)
                let rn = ctx.register()
                let rs = ctx.register(excluding: rn == 31 ? [] : [rn]), rt = ctx.register()
                ctx.pin(rn, address)
                let word: UInt32
                switch ctx.below(4) {
                case 0: word = enc(size << 30, 0b111 << 27, 1 << 21, rs << 16, ctx.bits(4) << 12, rn << 5, rt)
                case 1: word = enc(size << 30, 0b001000 << 24, 1 << 23, 1 << 21, rs << 16, 31 << 10, rn << 5, rt)
                case 2: word = enc(size << 30, 0b001000 << 24, 1 << 22, 31 << 16, 31 << 10, rn << 5, rt)
                default: word = enc(size << 30, 0b001000 << 24, 1 << 23, 1 << 22, 31 << 16, 1 << 15, 31 << 10, rn << 5, rt)
                }
                ctx.emit(word)
            default:
                let rn = ctx.register(excluding: [31])
                ctx.pin(rn, 0x0020_0000 + UInt64(ctx.below(0x4000)) * 4)
                let opc = ctx.bits(1) // BR or BLR
                ctx.emit(enc(0b1101011 << 25, opc << 21, 0b11111 << 16, rn << 5))
            }
        },

        // DC ZVA, Xt: zeroes the 64-byte block (DCZID_EL0.BS = 4 in both) holding Xt.
        LockstepGroup(name: "dc-zva", count: 1000) { ctx in
            let rt = ctx.register(excluding: [31]) // XZR would zero page 0, mapped in neither
            let address = ctx.dataAddress(bytes: 1)
            ctx.pin(rt, address)
            ctx.emit(0xD50B_7420 | rt)
        },
    ]
}
