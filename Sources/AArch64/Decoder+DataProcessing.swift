extension A64Decoder {
    // MARK: Data processing (register)

    static func decodeDataProcessingRegister(_ w: UInt32) -> DecodedInstruction {
        let sf = bit(w, 31)
        let rd = bits(w, 4, 0), rn = bits(w, 9, 5), rm = bits(w, 20, 16)
        if !bit(w, 28) {
            if !bit(w, 24) { return decodeLogicalShifted(w) }
            if !bit(w, 21) { // add/sub shifted register
                let shift = bits(w, 23, 22), amount = bits(w, 15, 10)
                guard shift != 3, sf || amount < 32 else { return .undefined(w) }
                let op: Op
                switch (bit(w, 30), bit(w, 29), sf) {
                case (false, false, false): op = .addRegW
                case (false, false, true): op = .addRegX
                case (true, false, false): op = .subRegW
                case (true, false, true): op = .subRegX
                case (false, true, false): op = .addsRegW
                case (false, true, true): op = .addsRegX
                case (true, true, false): op = .subsRegW
                case (true, true, true): op = .subsRegX
                }
                return DecodedInstruction(op: op, rd: dst(rd), rn: src(rn), rm: src(rm), s1: UInt8(shift), s2: UInt8(amount))
            }
            // add/sub extended register
            let amount = bits(w, 12, 10)
            guard bits(w, 23, 22) == 0, amount <= 4 else { return .undefined(w) }
            let setFlags = bit(w, 29)
            let op: Op
            switch (bit(w, 30), setFlags, sf) {
            case (false, false, false): op = .addExtW
            case (false, false, true): op = .addExtX
            case (true, false, false): op = .subExtW
            case (true, false, true): op = .subExtX
            case (false, true, false): op = .addsExtW
            case (false, true, true): op = .addsExtX
            case (true, true, false): op = .subsExtW
            case (true, true, true): op = .subsExtX
            }
            return DecodedInstruction(op: op, rd: setFlags ? dst(rd) : sp(rd), rn: sp(rn), rm: src(rm),
                                      s1: UInt8(bits(w, 15, 13)), s2: UInt8(amount))
        }
        switch bits(w, 24, 21) {
        case 0b0000: // add/subtract with carry
            guard bits(w, 15, 10) == 0 else { return .undefined(w) }
            let op: Op
            switch (bit(w, 30), bit(w, 29), sf) {
            case (false, false, false): op = .adcW
            case (false, false, true): op = .adcX
            case (false, true, false): op = .adcsW
            case (false, true, true): op = .adcsX
            case (true, false, false): op = .sbcW
            case (true, false, true): op = .sbcX
            case (true, true, false): op = .sbcsW
            case (true, true, true): op = .sbcsX
            }
            return DecodedInstruction(op: op, rd: dst(rd), rn: src(rn), rm: src(rm))
        case 0b0010: // conditional compare
            guard bit(w, 29), !bit(w, 10), !bit(w, 4) else { return .undefined(w) }
            let op: Op = bit(w, 30) ? (sf ? .ccmpX : .ccmpW) : (sf ? .ccmnX : .ccmnW)
            var d = DecodedInstruction(op: op, rn: src(rn), ra: UInt8(bits(w, 3, 0)))
            if bit(w, 11) { d.rm = RegisterSlot.zero; d.imm = UInt64(rm) } else { d.rm = src(rm) }
            cond(bits(w, 15, 12), into: &d)
            return d
        case 0b0100: // conditional select
            guard !bit(w, 29), !bit(w, 11) else { return .undefined(w) }
            let op: Op
            switch (bit(w, 30), bit(w, 10), sf) {
            case (false, false, false): op = .cselW
            case (false, false, true): op = .cselX
            case (false, true, false): op = .csincW
            case (false, true, true): op = .csincX
            case (true, false, false): op = .csinvW
            case (true, false, true): op = .csinvX
            case (true, true, false): op = .csnegW
            case (true, true, true): op = .csnegX
            }
            var d = DecodedInstruction(op: op, rd: dst(rd), rn: src(rn), rm: src(rm))
            cond(bits(w, 15, 12), into: &d)
            return d
        case 0b0110:
            guard !bit(w, 29) else { return .undefined(w) }
            if bit(w, 30) { // one source
                guard rm == 0 else { return .undefined(w) }
                let op: Op
                switch (bits(w, 15, 10), sf) {
                case (0, false): op = .rbitW
                case (0, true): op = .rbitX
                case (1, false): op = .rev16W
                case (1, true): op = .rev16X
                case (2, false): op = .revW
                case (2, true): op = .rev32X
                case (3, true): op = .revX
                case (4, false): op = .clzW
                case (4, true): op = .clzX
                case (5, false): op = .clsW
                case (5, true): op = .clsX
                default: return .undefined(w)
                }
                return DecodedInstruction(op: op, rd: dst(rd), rn: src(rn))
            }
            let op: Op
            switch (bits(w, 15, 10), sf) {
            case (2, false): op = .udivW
            case (2, true): op = .udivX
            case (3, false): op = .sdivW
            case (3, true): op = .sdivX
            case (8, false): op = .lslvW
            case (8, true): op = .lslvX
            case (9, false): op = .lsrvW
            case (9, true): op = .lsrvX
            case (10, false): op = .asrvW
            case (10, true): op = .asrvX
            case (11, false): op = .rorvW
            case (11, true): op = .rorvX
            default: return .undefined(w)
            }
            return DecodedInstruction(op: op, rd: dst(rd), rn: src(rn), rm: src(rm))
        case 0b1000...0b1111: // three source
            guard bits(w, 30, 29) == 0 else { return .undefined(w) }
            let o0 = bit(w, 15), ra = src(bits(w, 14, 10))
            let op: Op
            switch (bits(w, 23, 21), o0) {
            case (0, false): op = sf ? .maddX : .maddW
            case (0, true): op = sf ? .msubX : .msubW
            case (1, false) where sf: op = .smaddl
            case (1, true) where sf: op = .smsubl
            case (2, false) where sf: op = .smulh
            case (5, false) where sf: op = .umaddl
            case (5, true) where sf: op = .umsubl
            case (6, false) where sf: op = .umulh
            default: return .undefined(w)
            }
            return DecodedInstruction(op: op, rd: dst(rd), rn: src(rn), rm: src(rm), ra: ra)
        default:
            return .undefined(w)
        }
    }

    static func decodeLogicalShifted(_ w: UInt32) -> DecodedInstruction {
        let sf = bit(w, 31)
        let shift = bits(w, 23, 22), amount = bits(w, 15, 10)
        guard sf || amount < 32 else { return .undefined(w) }
        let rd = dst(bits(w, 4, 0)), rn = src(bits(w, 9, 5)), rm = src(bits(w, 20, 16))
        let invert: UInt64 = bit(w, 21) ? (sf ? ~0 : 0xFFFF_FFFF) : 0
        let opc = bits(w, 30, 29)
        if opc == 1 && rn == RegisterSlot.zero && amount == 0 && invert == 0 {
            return DecodedInstruction(op: sf ? .movRegX : .movRegW, rd: rd, rm: rm)
        }
        let op: Op
        switch opc {
        case 0: op = sf ? .andRegX : .andRegW
        case 1: op = sf ? .orrRegX : .orrRegW
        case 2: op = sf ? .eorRegX : .eorRegW
        default: op = sf ? .andsRegX : .andsRegW
        }
        return DecodedInstruction(op: op, rd: rd, rn: rn, rm: rm, s1: UInt8(shift), s2: UInt8(amount), imm: invert)
    }
}
