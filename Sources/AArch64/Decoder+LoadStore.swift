extension A64Decoder {
    // MARK: Loads and stores

    static func decodeLoadStore(_ w: UInt32, pc: UInt64) -> DecodedInstruction {
        if !bit(w, 31) && bits(w, 29, 25) == 0b00110 { return decodeSIMDLoadStore(w) }
        switch bits(w, 29, 27) {
        case 0b001: return bit(w, 26) ? .undefined(w) : decodeExclusive(w)
        case 0b011: return decodeLiteral(w, pc: pc)
        case 0b101: return decodePair(w)
        case 0b111: return decodeRegisterForms(w)
        default: return .undefined(w)
        }
    }

    /// The single-register load/store op for (size, V, opc), with log2 of the access size.
    static func singleOp(size: UInt32, vector: Bool, opc: UInt32) -> (op: Op, scale: UInt32)? {
        if vector {
            let scale = (opc & 2) << 1 | size
            guard scale <= 4 else { return nil }
            let load = opc & 1 == 1
            let ops: [Op] = load ? [.ldrVB, .ldrVH, .ldrVS, .ldrVD, .ldrVQ] : [.strVB, .strVH, .strVS, .strVD, .strVQ]
            return (ops[Int(scale)], scale)
        }
        switch opc {
        case 0: return ([Op.strb, .strh, .strW, .strX][Int(size)], size)
        case 1: return ([Op.ldrb, .ldrh, .ldrW, .ldrX][Int(size)], size)
        case 2: return ([Op.ldrsbX, .ldrshX, .ldrsw, .nop][Int(size)], size) // size 3: PRFM
        default: return size < 2 ? ([Op.ldrsbW, .ldrshW][Int(size)], size) : nil
        }
    }

    /// The data-register slot of a single load/store.
    @inline(__always) static func dataSlot(_ rt: UInt32, op: Op) -> UInt8 {
        switch op {
        case .strb, .strh, .strW, .strX: return src(rt)
        case .ldrb, .ldrh, .ldrW, .ldrX, .ldrsbW, .ldrsbX, .ldrshW, .ldrshX, .ldrsw: return dst(rt)
        default: return UInt8(rt) // V registers: 0–31 are V0–V31
        }
    }

    static func decodeRegisterForms(_ w: UInt32) -> DecodedInstruction {
        let size = bits(w, 31, 30), vector = bit(w, 26), opc = bits(w, 23, 22)
        let rt = bits(w, 4, 0), rn = sp(bits(w, 9, 5))
        guard bits(w, 25, 25) == 0 else { return .undefined(w) }
        if bit(w, 24) { // unsigned immediate offset
            guard let (op, scale) = singleOp(size: size, vector: vector, opc: opc) else { return .undefined(w) }
            if op == .nop { return DecodedInstruction(op: .nop) }
            return DecodedInstruction(op: op, rd: dataSlot(rt, op: op), rn: rn, s1: AddressMode.offset,
                                      imm: UInt64(bits(w, 21, 10)) << UInt64(scale))
        }
        if !bit(w, 21) { // 9-bit signed immediate forms
            guard let (op, _) = singleOp(size: size, vector: vector, opc: opc) else { return .undefined(w) }
            let imm = signExtend(UInt64(bits(w, 20, 12)), 9)
            let mode: UInt8
            switch bits(w, 11, 10) {
            case 0, 2: mode = AddressMode.offset // LDUR/STUR, and LDTR/STTR (same at EL0)
            case 1: mode = AddressMode.postIndex
            default: mode = AddressMode.preIndex
            }
            // PRFUM exists only in the unscaled form (bits 11:10 = 00); LDTR-style and indexed encodings are unallocated.
            if op == .nop { return bits(w, 11, 10) == 0 ? DecodedInstruction(op: .nop) : .undefined(w) }
            if vector && bits(w, 11, 10) == 2 { return .undefined(w) }
            return DecodedInstruction(op: op, rd: dataSlot(rt, op: op), rn: rn, s1: mode, imm: imm)
        }
        switch bits(w, 11, 10) {
        case 2: // register offset
            let option = bits(w, 15, 13)
            guard option & 2 != 0 else { return .undefined(w) }
            guard let (op, scale) = singleOp(size: size, vector: vector, opc: opc) else { return .undefined(w) }
            if op == .nop { return DecodedInstruction(op: .nop) }
            return DecodedInstruction(op: op, rd: dataSlot(rt, op: op), rn: rn, rm: src(bits(w, 20, 16)),
                                      ra: bit(w, 12) ? UInt8(scale) : 0, s1: AddressMode.register, s2: UInt8(option))
        case 0: // LSE atomic memory operations
            guard !vector else { return .undefined(w) }
            let o3 = bit(w, 15), aop = bits(w, 14, 12), rs = bits(w, 20, 16)
            if !o3 {
                return DecodedInstruction(op: .ldAtomic, rd: dst(rt), rn: rn, rm: src(rs),
                                          s1: AtomicOp(rawValue: UInt8(aop))!.rawValue, s2: UInt8(size))
            }
            if aop == 0 {
                return DecodedInstruction(op: .ldAtomic, rd: dst(rt), rn: rn, rm: src(rs), s1: AtomicOp.swp.rawValue, s2: UInt8(size))
            }
            if aop == 4 && rs == 31 && bit(w, 23) && !bit(w, 22) { // LDAPR
                let op: Op = [.ldrb, .ldrh, .ldrW, .ldrX][Int(size)]
                return DecodedInstruction(op: op, rd: dst(rt), rn: rn, s1: AddressMode.offset)
            }
            return .undefined(w)
        default:
            return .undefined(w) // pointer-authenticated loads (LDRAA/LDRAB): FEAT_PAuth is not advertised
        }
    }

    static func decodeLiteral(_ w: UInt32, pc: UInt64) -> DecodedInstruction {
        guard bits(w, 25, 24) == 0 else { return .undefined(w) }
        let opc = bits(w, 31, 30), rt = bits(w, 4, 0)
        let address = pc &+ (signExtend(UInt64(bits(w, 23, 5)), 19) << 2)
        let op: Op
        if bit(w, 26) {
            guard opc < 3 else { return .undefined(w) }
            op = [.ldrVS, .ldrVD, .ldrVQ][Int(opc)]
        } else {
            if opc == 3 { return DecodedInstruction(op: .nop) } // PRFM (literal)
            op = [.ldrW, .ldrX, .ldrsw][Int(opc)]
        }
        return DecodedInstruction(op: op, rd: dataSlot(rt, op: op), rn: RegisterSlot.zero, s1: AddressMode.offset, imm: address)
    }

    static func decodePair(_ w: UInt32) -> DecodedInstruction {
        let opc = bits(w, 31, 30), vector = bit(w, 26), load = bit(w, 22)
        let rt = bits(w, 4, 0), rt2 = bits(w, 14, 10), rn = sp(bits(w, 9, 5))
        let mode: UInt8
        switch bits(w, 24, 23) {
        case 0, 2: mode = AddressMode.offset // LDNP/STNP and the signed-offset form
        case 1: mode = AddressMode.postIndex
        default: mode = AddressMode.preIndex
        }
        let op: Op, scale: UInt32
        if vector {
            guard opc < 3 else { return .undefined(w) }
            scale = opc + 2
            op = load ? [.ldpVS, .ldpVD, .ldpVQ][Int(opc)] : [.stpVS, .stpVD, .stpVQ][Int(opc)]
            return DecodedInstruction(op: op, rd: UInt8(rt), rn: rn, ra: UInt8(rt2), s1: mode,
                                      imm: signExtend(UInt64(bits(w, 21, 15)), 7) << UInt64(scale))
        }
        switch (opc, load) {
        case (0, false): op = .stpW; scale = 2
        case (0, true): op = .ldpW; scale = 2
        case (1, true) where bits(w, 24, 23) != 0: op = .ldpsw; scale = 2
        case (2, false): op = .stpX; scale = 3
        case (2, true): op = .ldpX; scale = 3
        default: return .undefined(w)
        }
        let slot: (UInt32) -> UInt8 = load ? dst : src
        return DecodedInstruction(op: op, rd: slot(rt), rn: rn, ra: slot(rt2), s1: mode,
                                  imm: signExtend(UInt64(bits(w, 21, 15)), 7) << UInt64(scale))
    }

    static func decodeExclusive(_ w: UInt32) -> DecodedInstruction {
        let size = bits(w, 31, 30), o2 = bit(w, 23), load = bit(w, 22), o1 = bit(w, 21)
        let rs = bits(w, 20, 16), rt2 = bits(w, 14, 10), rt = bits(w, 4, 0), rn = sp(bits(w, 9, 5))
        switch (o2, o1) {
        case (false, false): // LDXR/LDAXR, STXR/STLXR
            if load { return DecodedInstruction(op: .ldxr, rd: dst(rt), rn: rn, s2: UInt8(size)) }
            return DecodedInstruction(op: .stxr, rd: src(rt), rn: rn, rm: dst(rs), s2: UInt8(size))
        case (false, true):
            if size >= 2 { // LDXP/LDAXP, STXP/STLXP
                if load { return DecodedInstruction(op: .ldxp, rd: dst(rt), rn: rn, ra: dst(rt2), s2: UInt8(size)) }
                return DecodedInstruction(op: .stxp, rd: src(rt), rn: rn, rm: dst(rs), ra: src(rt2), s2: UInt8(size))
            }
            // CASP, CASPA, CASPL, CASPAL: even register pairs; rd/rm hold raw numbers.
            guard rt2 == 31, rs & 1 == 0, rt & 1 == 0 else { return .undefined(w) }
            return DecodedInstruction(op: .casp, rd: UInt8(rt), rn: rn, rm: UInt8(rs), s2: UInt8(size + 2))
        case (true, false): // LDAR/LDLAR, STLR/STLLR: ordinary accesses on one CPU
            let op: Op = load ? [.ldrb, .ldrh, .ldrW, .ldrX][Int(size)] : [.strb, .strh, .strW, .strX][Int(size)]
            return DecodedInstruction(op: op, rd: load ? dst(rt) : src(rt), rn: rn, s1: AddressMode.offset)
        case (true, true): // CAS family: rm reads Rs, ra receives the old value
            guard rt2 == 31 else { return .undefined(w) }
            return DecodedInstruction(op: .cas, rd: src(rt), rn: rn, rm: src(rs), ra: dst(rs), s2: UInt8(size))
        }
    }
}
