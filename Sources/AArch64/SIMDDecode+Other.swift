// Decoders of the remaining Advanced SIMD classes (ARM ARM C4.1.95): copy, modified immediate,
// shift by immediate, vector/scalar x indexed element, table lookup, permute and extract.

extension A64Decoder {
    // MARK: Copy (DUP, INS, UMOV, SMOV)

    static func decodeCopy(_ w: UInt32, scalar: Bool) -> DecodedInstruction {
        let q = bit(w, 30), op = bit(w, 29), imm5 = bits(w, 20, 16), imm4 = bits(w, 14, 11)
        let d = bits(w, 4, 0), n = bits(w, 9, 5)
        guard imm5 & 0xF != 0 else { return simdUndefined(w) }
        let size = imm5.trailingZeroBitCount           // 0 B, 1 H, 2 S, 3 D
        let index = Int(imm5 >> UInt32(size + 1))
        if scalar {
            guard !op, imm4 == 0 else { return simdUndefined(w) }
            return simd(.dupScalar, w, d: d, n: n, s1: size, payload: index)
        }
        if op {
            guard q else { return simdUndefined(w) }
            let source = Int(imm4 >> UInt32(size))
            return simd(.insElement, w, d: d, n: n, s1: size, payload: index | source << 8)
        }
        switch imm4 {
        case 0b0000:
            if size == 3 && !q { return simdUndefined(w) }
            return simd(.dupElement, w, d: d, n: n, s1: size, s2: q ? 16 : 8, payload: index)
        case 0b0001:
            if size == 3 && !q { return simdUndefined(w) }
            return simd(.dupGeneral, w, d: d, n: UInt32(src(n)), s1: size, s2: q ? 16 : 8)
        case 0b0011:
            guard q else { return simdUndefined(w) }
            return simd(.insGeneral, w, d: d, n: UInt32(src(n)), s1: size, payload: index)
        case 0b0101:  // SMOV: to W from B/H, to X from B/H/S
            guard size < (q ? 3 : 2) else { return simdUndefined(w) }
            return simd(.smov, w, d: UInt32(dst(d)), n: n, s1: size, s2: q ? 8 : 4, payload: index)
        case 0b0111:  // UMOV: to W from B/H/S, to X from D
            guard q ? size == 3 : size < 3 else { return simdUndefined(w) }
            return simd(.umov, w, d: UInt32(dst(d)), n: n, s1: size, payload: index)
        default:
            return simdUndefined(w)
        }
    }

    // MARK: Modified immediate (MOVI, MVNI, ORR, BIC, FMOV)

    static func decodeModifiedImmediate(_ w: UInt32) -> DecodedInstruction {
        let q = bit(w, 30), op = bit(w, 29), cmode = bits(w, 15, 12), o2 = bit(w, 11)
        let imm8 = UInt64(bits(w, 18, 16) << 5 | bits(w, 9, 5))
        let d = bits(w, 4, 0), bytes = q ? 16 : 8
        guard !o2 else { return simdUndefined(w) }  // FMOV (vector, half precision)
        // A 32-bit-periodic pattern goes in payload (low 16 bits), rn (bits 16-23), rm (24-31).
        func pattern(_ kind: SIMDOp, _ word: UInt64) -> DecodedInstruction {
            simd(kind, w, d: d, n: UInt32((word >> 16) & 0xFF), m: UInt32((word >> 24) & 0xFF), a: 0,
                 s2: bytes, payload: Int(word & 0xFFFF))
        }
        switch cmode >> 1 {
        case 0b000, 0b001, 0b010, 0b011:  // 32-bit, shifted by 0/8/16/24
            let word = imm8 << UInt64(8 * (cmode >> 1))
            if cmode & 1 == 0 { return pattern(.movi, op ? ~word & 0xFFFF_FFFF : word) }
            return pattern(op ? .bicImm : .orrImm, word)
        case 0b100, 0b101:  // 16-bit, shifted by 0/8
            let half = imm8 << UInt64(8 * ((cmode >> 1) & 1))
            let word = half | half << 16
            if cmode & 1 == 0 { return pattern(.movi, op ? ~word & 0xFFFF_FFFF : word) }
            return pattern(op ? .bicImm : .orrImm, word)
        case 0b110:  // 32-bit, shifting ones in
            let word = cmode & 1 == 0 ? (imm8 << 8 | 0xFF) : (imm8 << 16 | 0xFFFF)
            return pattern(.movi, op ? ~word & 0xFFFF_FFFF : word)
        default:
            switch (cmode & 1, op) {
            case (0, false):  // MOVI 8-bit
                return pattern(.movi, imm8 * 0x0101_0101)
            case (0, true):   // MOVI 64-bit (scalar D when Q = 0)
                return simd(.movi, w, d: d, a: 1, s2: bytes, payload: Int(imm8))
            case (_, false):  // FMOV (vector, single precision)
                return pattern(.movi, expandFPImmediate(UInt32(imm8), double: false))
            default:          // FMOV (vector, double precision), 2D only
                guard q else { return simdUndefined(w) }
                return simd(.movi, w, d: d, a: 2, s2: 16, payload: Int(expandFPImmediate(UInt32(imm8), double: true) >> 48))
            }
        }
    }

    // MARK: Shift by immediate

    static func decodeShiftImmediate(_ w: UInt32, scalar: Bool) -> DecodedInstruction {
        let q = bit(w, 30), u = bit(w, 29), immh = bits(w, 22, 19), opcode = bits(w, 15, 11)
        let d = bits(w, 4, 0), n = bits(w, 9, 5)
        guard immh != 0 else { return simdUndefined(w) }
        let size = 31 - immh.leadingZeroBitCount          // log2 of the element size
        let esize = 8 << size
        let immhb = Int(bits(w, 22, 16))
        let right = 2 * esize - immhb, left = immhb - esize
        let bytes = scalar ? 1 << size : (q ? 16 : 8)
        let oneD = !scalar && size == 3 && !q
        // Same-shape shifts: vectors of any size (not 1D), scalars only on D.
        func same(_ op: SIMDOp, _ amount: Int, scalarAnySize: Bool = false) -> DecodedInstruction {
            if oneD || (scalar && !scalarAnySize && size != 3) { return simdUndefined(w) }
            return simd(op, w, d: d, n: n, s1: size, s2: bytes, payload: amount)
        }
        // Narrowing: the element size is the destination's; immh = 1xxx is reserved.
        func narrowing(_ op: SIMDOp) -> DecodedInstruction {
            if size == 3 { return simdUndefined(w) }
            return simd(op, w, d: d, n: n, a: scalar ? 1 : 0, s1: size, s2: !scalar && q ? 8 : 0, payload: right)
        }
        // Fixed-point conversions: single or double only.
        func fixed(_ op: SIMDOp, _ flags: Int) -> DecodedInstruction {
            if size < 2 || oneD { return simdUndefined(w) }
            return simd(op, w, d: d, n: n, s1: size, s2: bytes, payload: flags | right << 8)
        }
        switch (opcode, u) {
        case (0b00000, false): return same(.sshr, right)
        case (0b00000, true): return same(.ushr, right)
        case (0b00010, false): return same(.ssra, right)
        case (0b00010, true): return same(.usra, right)
        case (0b00100, false): return same(.srshr, right)
        case (0b00100, true): return same(.urshr, right)
        case (0b00110, false): return same(.srsra, right)
        case (0b00110, true): return same(.ursra, right)
        case (0b01000, true): return same(.sri, right)
        case (0b01010, false): return same(.shl, left)
        case (0b01010, true): return same(.sli, left)
        case (0b01100, true): return same(.sqshlu, left, scalarAnySize: true)
        case (0b01110, false): return same(.sqshlImm, left, scalarAnySize: true)
        case (0b01110, true): return same(.uqshlImm, left, scalarAnySize: true)
        case (0b10000, false): return scalar ? simdUndefined(w) : narrowing(.shrn)
        case (0b10000, true): return narrowing(.sqshrun)
        case (0b10001, false): return scalar ? simdUndefined(w) : narrowing(.rshrn)
        case (0b10001, true): return narrowing(.sqrshrun)
        case (0b10010, false): return narrowing(.sqshrn)
        case (0b10010, true): return narrowing(.uqshrn)
        case (0b10011, false): return narrowing(.sqrshrn)
        case (0b10011, true): return narrowing(.uqrshrn)
        case (0b10100, _):  // SSHLL/USHLL (SXTL/UXTL with shift 0)
            if scalar || size == 3 { return simdUndefined(w) }
            return simd(u ? .ushll : .sshll, w, d: d, n: n, s1: size, s2: q ? 8 : 0, payload: left)
        case (0b11100, _): return fixed(.fcvtFromInt, u ? 8 : 0)
        case (0b11111, _): return fixed(.fcvtToInt, FPRounding.zero | (u ? 8 : 0))
        default: return simdUndefined(w)
        }
    }

    // MARK: x indexed element

    static func decodeIndexedElement(_ w: UInt32, scalar: Bool) -> DecodedInstruction {
        let q = bit(w, 30), u = bit(w, 29), size = Int(bits(w, 23, 22)), opcode = bits(w, 15, 12)
        let l = bits(w, 21, 21), mBit = bits(w, 20, 20), h = bits(w, 11, 11)
        let d = bits(w, 4, 0), n = bits(w, 9, 5)
        let part = q ? 8 : 0
        let fp: Bool
        switch (opcode, u) {
        case (0b0001, false), (0b0101, false), (0b1001, false), (0b1001, true): fp = true
        default: fp = false
        }
        if fp {
            // FMLA/FMLS/FMUL/FMULX: size 1x (00 is half precision).
            guard size >= 2 else { return simdUndefined(w) }
            let double = size == 3
            if double && (l != 0 || (!scalar && !q)) { return simdUndefined(w) }
            let index = Int(double ? h : h << 1 | l)
            let m = mBit << 4 | bits(w, 19, 16)
            let log2 = double ? 3 : 2
            let bytes = scalar ? 1 << log2 : (q ? 16 : 8)
            let op: SIMDOp = u ? .fmulxElem : opcode == 0b0001 ? .fmlaElem : opcode == 0b0101 ? .fmlsElem : .fmulElem
            return simd(op, w, d: d, n: n, m: m, s1: log2, s2: bytes, payload: index)
        }
        // Integer: H (Rm is V0-V15, index H:L:M) or S (index H:L).
        guard size == 1 || size == 2 else { return simdUndefined(w) }
        let index = Int(size == 1 ? h << 2 | l << 1 | mBit : h << 1 | l)
        let m = size == 1 ? bits(w, 19, 16) : mBit << 4 | bits(w, 19, 16)
        let bytes = scalar ? 1 << size : (q ? 16 : 8)
        let op: SIMDOp
        var long = false
        switch (opcode, u) {
        case (0b1000, false): op = .mulElem
        case (0b0000, true): op = .mlaElem
        case (0b0100, true): op = .mlsElem
        case (0b1100, false): op = .sqdmulhElem
        case (0b1101, false): op = .sqrdmulhElem
        case (0b1010, false): op = .smullElem; long = true
        case (0b1010, true): op = .umullElem; long = true
        case (0b0010, false): op = .smlalElem; long = true
        case (0b0010, true): op = .umlalElem; long = true
        case (0b0110, false): op = .smlslElem; long = true
        case (0b0110, true): op = .umlslElem; long = true
        case (0b1011, false): op = .sqdmullElem; long = true
        case (0b0011, false): op = .sqdmlalElem; long = true
        case (0b0111, false): op = .sqdmlslElem; long = true
        default: return simdUndefined(w)
        }
        if scalar {
            switch op {
            case .sqdmulhElem, .sqrdmulhElem:
                return simd(op, w, d: d, n: n, m: m, s1: size, s2: bytes, payload: index)
            case .sqdmullElem, .sqdmlalElem, .sqdmlslElem:
                return simd(op, w, d: d, n: n, m: m, a: 1, s1: size, s2: 0, payload: index)
            default:
                return simdUndefined(w)
            }
        }
        if long { return simd(op, w, d: d, n: n, m: m, s1: size, s2: part, payload: index) }
        return simd(op, w, d: d, n: n, m: m, s1: size, s2: bytes, payload: index)
    }

    // MARK: Table lookup, permute, extract

    static func decodeTable(_ w: UInt32) -> DecodedInstruction {
        guard bits(w, 23, 22) == 0 else { return simdUndefined(w) }
        let (d, n, m) = vfields(w)
        let count = bits(w, 14, 13) + 1
        return simd(bit(w, 12) ? .tbx : .tbl, w, d: d, n: n, m: m, a: count, s2: bit(w, 30) ? 16 : 8)
    }

    static func decodePermute(_ w: UInt32) -> DecodedInstruction {
        let q = bit(w, 30), size = Int(bits(w, 23, 22))
        let (d, n, m) = vfields(w)
        guard size != 3 || q else { return simdUndefined(w) }
        let op: SIMDOp
        switch bits(w, 14, 12) {
        case 0b001: op = .uzp1
        case 0b010: op = .trn1
        case 0b011: op = .zip1
        case 0b101: op = .uzp2
        case 0b110: op = .trn2
        case 0b111: op = .zip2
        default: return simdUndefined(w)
        }
        return simd(op, w, d: d, n: n, m: m, s1: size, s2: q ? 16 : 8)
    }

    static func decodeExtract(_ w: UInt32) -> DecodedInstruction {
        let q = bit(w, 30), imm4 = Int(bits(w, 14, 11))
        guard bits(w, 23, 22) == 0, q || imm4 < 8 else { return simdUndefined(w) }
        let (d, n, m) = vfields(w)
        return simd(.ext, w, d: d, n: n, m: m, s2: q ? 16 : 8, payload: imm4)
    }
}
