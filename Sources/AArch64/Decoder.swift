/// The A64 decoder: turns one 32-bit word at a known PC into a `DecodedInstruction`.
///
/// It runs once per instruction slot when a page is first executed. Everything
/// that can be resolved here is: register slots (SP versus XZR), PC-relative
/// targets, bitmask immediates, condition masks. Encodings it does not accept
/// become `.undefined`, which the CPU reports and turns into SIGILL.
public enum A64Decoder {
    public static func decode(_ w: UInt32, pc: UInt64) -> DecodedInstruction {
        let op0 = bits(w, 28, 25)
        switch op0 {
        case 0b1000, 0b1001: return decodeDataProcessingImmediate(w, pc: pc)
        case 0b1010, 0b1011: return decodeBranchSystem(w, pc: pc)
        case 0b0101, 0b1101: return decodeDataProcessingRegister(w)
        case 0b0111, 0b1111: return decodeSIMDFP(w)
        case 0b0100, 0b0110, 0b1100, 0b1110: return decodeLoadStore(w, pc: pc)
        default: return .undefined(w)
        }
    }

    // MARK: Register slot helpers

    /// Rd/Rn field where 31 means SP.
    @inline(__always) static func sp(_ r: UInt32) -> UInt8 { UInt8(r) }
    /// Source field where 31 means XZR.
    @inline(__always) static func src(_ r: UInt32) -> UInt8 { r == 31 ? RegisterSlot.zero : UInt8(r) }
    /// Destination field where 31 means XZR (the write is discarded).
    @inline(__always) static func dst(_ r: UInt32) -> UInt8 { r == 31 ? RegisterSlot.sink : UInt8(r) }

    @inline(__always) static func cond(_ c: UInt32, into d: inout DecodedInstruction) {
        let m = conditionMask(c)
        d.s1 = UInt8(m & 0xFF)
        d.s2 = UInt8(m >> 8)
    }

    // MARK: Data processing (immediate)

    static func decodeDataProcessingImmediate(_ w: UInt32, pc: UInt64) -> DecodedInstruction {
        let sf = bit(w, 31)
        let rd = bits(w, 4, 0), rn = bits(w, 9, 5)
        switch bits(w, 25, 23) {
        case 0b000, 0b001: // PC-relative addressing
            let imm = signExtend(UInt64(bits(w, 23, 5) << 2 | bits(w, 30, 29)), 21)
            if bit(w, 31) { // ADRP
                return DecodedInstruction(op: .movImm, rd: dst(rd), imm: (pc & ~0xFFF) &+ (imm << 12))
            }
            return DecodedInstruction(op: .movImm, rd: dst(rd), imm: pc &+ imm)
        case 0b010: // add/sub immediate
            guard !bit(w, 23) else { return .undefined(w) }
            let imm = UInt64(bits(w, 21, 10)) << (bit(w, 22) ? 12 : 0)
            let setFlags = bit(w, 29), sub = bit(w, 30)
            let d = setFlags ? dst(rd) : sp(rd)
            let op: Op
            switch (sub, setFlags, sf) {
            case (false, false, false): op = .addImmW
            case (false, false, true): op = .addImmX
            case (true, false, false): op = .subImmW
            case (true, false, true): op = .subImmX
            case (false, true, false): op = .addsImmW
            case (false, true, true): op = .addsImmX
            case (true, true, false): op = .subsImmW
            case (true, true, true): op = .subsImmX
            }
            return DecodedInstruction(op: op, rd: d, rn: sp(rn), imm: imm)
        case 0b100: // logical immediate
            let width = sf ? 64 : 32
            guard let mask = decodeLogicalImmediate(n: bit(w, 22), imms: bits(w, 15, 10), immr: bits(w, 21, 16), width: width)
            else { return .undefined(w) }
            let op: Op
            var d = sp(rd)
            switch bits(w, 30, 29) {
            case 0: op = .andImm
            case 1: op = sf ? .orrImmX : .orrImmW
            case 2: op = sf ? .eorImmX : .eorImmW
            default: op = sf ? .andsImmX : .andsImmW; d = dst(rd)
            }
            return DecodedInstruction(op: op, rd: d, rn: src(rn), imm: mask)
        case 0b101: // move wide
            let opc = bits(w, 30, 29), hw = bits(w, 22, 21)
            guard opc != 1, sf || hw < 2 else { return .undefined(w) }
            let shift = UInt64(hw * 16)
            let imm = UInt64(bits(w, 20, 5)) << shift
            switch opc {
            case 0: return DecodedInstruction(op: .movImm, rd: dst(rd), imm: sf ? ~imm : (~imm & 0xFFFF_FFFF)) // MOVN
            case 2: return DecodedInstruction(op: .movImm, rd: dst(rd), imm: imm) // MOVZ
            default: return DecodedInstruction(op: sf ? .movkX : .movkW, rd: dst(rd), s1: UInt8(shift), imm: imm)
            }
        case 0b110: // bitfield
            return decodeBitfield(w)
        default: // extract
            guard bits(w, 30, 29) == 0, !bit(w, 21), bit(w, 22) == sf else { return .undefined(w) }
            let lsb = bits(w, 15, 10)
            guard sf || lsb < 32 else { return .undefined(w) }
            return DecodedInstruction(op: sf ? .extrX : .extrW, rd: dst(rd), rn: src(rn), rm: src(bits(w, 20, 16)), s1: UInt8(lsb))
        }
    }

    static func decodeBitfield(_ w: UInt32) -> DecodedInstruction {
        let sf = bit(w, 31), n = bit(w, 22)
        let opc = bits(w, 30, 29)
        let immr = bits(w, 21, 16), imms = bits(w, 15, 10)
        guard opc != 3, n == sf, sf || (immr < 32 && imms < 32) else { return .undefined(w) }
        let ds = sf ? 64 : 32
        let r = Int(immr), s = Int(imms)
        // Put field bits [s:r] (or [s:0] when s < r) at the top, then shift down into place.
        let left = 63 - s
        let right = s >= r ? 63 - s + r : 63 - s - (ds - r)
        let rd = dst(bits(w, 4, 0)), rn = src(bits(w, 9, 5))
        switch opc {
        case 2:
            return DecodedInstruction(op: .ubfm, rd: rd, rn: rn, s1: UInt8(left), s2: UInt8(right))
        case 0:
            return DecodedInstruction(op: .sbfm, rd: rd, rn: rn, s1: UInt8(left), s2: UInt8(right), imm: lowMask(ds))
        default:
            let field: UInt64 = s >= r ? lowMask(s - r + 1) : lowMask(s + 1) << UInt64(ds - r)
            return DecodedInstruction(op: sf ? .bfmX : .bfmW, rd: rd, rn: rn, ra: src(bits(w, 4, 0)),
                                      s1: UInt8(left), s2: UInt8(right), imm: field)
        }
    }

    // MARK: Branches, exception generation, system

    static func decodeBranchSystem(_ w: UInt32, pc: UInt64) -> DecodedInstruction {
        if bits(w, 30, 26) == 0b00101 { // B, BL
            let target = pc &+ (signExtend(UInt64(bits(w, 25, 0)), 26) << 2)
            return DecodedInstruction(op: bit(w, 31) ? .bl : .b, imm: target)
        }
        if bits(w, 31, 24) == 0b0101_0100 { // B.cond
            guard !bit(w, 4) else { return .undefined(w) }
            var d = DecodedInstruction(op: .bcond, imm: pc &+ (signExtend(UInt64(bits(w, 23, 5)), 19) << 2))
            cond(bits(w, 3, 0), into: &d)
            return d
        }
        if bits(w, 30, 25) == 0b011010 { // CBZ, CBNZ
            let sf = bit(w, 31), nz = bit(w, 24)
            let op: Op = nz ? (sf ? .cbnzX : .cbnzW) : (sf ? .cbzX : .cbzW)
            return DecodedInstruction(op: op, rd: src(bits(w, 4, 0)), imm: pc &+ (signExtend(UInt64(bits(w, 23, 5)), 19) << 2))
        }
        if bits(w, 30, 25) == 0b011011 { // TBZ, TBNZ
            let b = bits(w, 31, 31) << 5 | bits(w, 23, 19)
            return DecodedInstruction(op: bit(w, 24) ? .tbnz : .tbz, rd: src(bits(w, 4, 0)), s1: UInt8(b),
                                      imm: pc &+ (signExtend(UInt64(bits(w, 18, 5)), 14) << 2))
        }
        if bits(w, 31, 24) == 0b1101_0100 { // exception generation
            let opc = bits(w, 23, 21), ll = bits(w, 1, 0), imm16 = UInt64(bits(w, 20, 5))
            guard bits(w, 4, 2) == 0 else { return .undefined(w) }
            if opc == 0 && ll == 1 { return DecodedInstruction(op: .svc, imm: imm16) }
            if opc == 1 && ll == 0 { return DecodedInstruction(op: .brk, imm: imm16) }
            if opc == 0 && (ll == 2 || ll == 3) { return .system(w) } // HVC, SMC
            return .undefined(w)
        }
        if bits(w, 31, 22) == 0b1101_0101_00 { return decodeSystem(w) }
        if bits(w, 31, 25) == 0b1101011 { // unconditional branch (register)
            let opc = bits(w, 24, 21)
            guard bits(w, 20, 16) == 0x1F, bits(w, 15, 10) == 0, bits(w, 4, 0) == 0 else { return .undefined(w) }
            let rn = src(bits(w, 9, 5))
            switch opc {
            case 0: return DecodedInstruction(op: .br, rn: rn)
            case 1: return DecodedInstruction(op: .blr, rn: rn)
            case 2: return DecodedInstruction(op: .ret, rn: rn)
            case 4 where bits(w, 9, 5) == 31: return .system(w) // ERET
            default: return .undefined(w)
            }
        }
        return .undefined(w)
    }

    static func decodeSystem(_ w: UInt32) -> DecodedInstruction {
        let l = bit(w, 21)
        let op0 = bits(w, 20, 19), op1 = bits(w, 18, 16), crn = bits(w, 15, 12)
        let crm = bits(w, 11, 8), op2 = bits(w, 7, 5), rt = bits(w, 4, 0)
        if !l && op0 == 0 {
            if crn == 2 && op1 == 3 && rt == 31 {
                // WFE, WFI, SEV, SEVL wait or signal, which only the machine can do; the other
                // hints (NOP, YIELD, BTI, PAC*SP, ESB...) change nothing here.
                if crm == 0 && (2...5).contains(op2) { return .system(w) }
                return DecodedInstruction(op: .nop)
            }
            if crn == 4 && rt == 31 { return .system(w) } // MSR (immediate): DAIFSet, DAIFClr, SPSel, PAN...
            if crn == 3 && op1 == 3 && rt == 31 {
                switch op2 {
                case 2: return DecodedInstruction(op: .clrex)
                case 4, 5: return DecodedInstruction(op: .nop) // DSB, DMB: one CPU sees its own order
                case 6: return DecodedInstruction(op: .isb)
                case 7 where crm == 0: return DecodedInstruction(op: .nop) // SB
                default: return .undefined(w)
                }
            }
            return .undefined(w)
        }
        if op0 == 1 && !l { // SYS: the EL0-visible cache maintenance by VA
            if op1 == 3 && crn == 7 {
                switch (crm, op2) {
                case (4, 1): return DecodedInstruction(op: .dcZVA, rd: src(rt))
                case (5, 1): return DecodedInstruction(op: .nop) // IC IVAU: decodes follow writes already
                case (11, 1), (10, 1), (12, 1), (13, 1): // DC CVAU, CVAC, CVAP, CVADP: clean
                    return DecodedInstruction(op: .dcMaintain, rd: src(rt), s1: 1)
                case (14, 1): return DecodedInstruction(op: .dcMaintain, rd: src(rt), s1: 3) // DC CIVAC
                default: break
                }
            }
            return .system(w) // EL1 maintenance: TLBI, AT, DC by set/way, IC IALLU...
        }
        if op0 >= 2 {
            let key = UInt16(op0) << 14 | UInt16(op1) << 11 | UInt16(crn) << 7 | UInt16(crm) << 3 | UInt16(op2)
            // Registers outside the EL0 set are the machine's (EL1 state, the GIC, the timer).
            guard let reg = SystemRegister(encoding: key), l || reg.isWritableAtEL0 else { return .system(w) }
            return DecodedInstruction(op: l ? .mrs : .msr, rd: l ? dst(rt) : src(rt), s1: reg.rawValue)
        }
        return .undefined(w)
    }
}
