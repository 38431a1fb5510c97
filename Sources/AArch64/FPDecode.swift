// Decoder of the scalar floating-point classes (ARM ARM C4.1.95, op0 = x0x1): conversions
// between FP and fixed point or integers, data-processing with one, two and three sources,
// compare, conditional compare, conditional select and immediate. ftype (23:22): 00 single,
// 01 double, 11 half (only FCVT and FMOV to/from general registers accept half precision here).

extension A64Decoder {
    static func decodeScalarFP(_ w: UInt32) -> DecodedInstruction {
        let d = bits(w, 4, 0), n = bits(w, 9, 5), m = bits(w, 20, 16)
        let ftype = bits(w, 23, 22)
        if bit(w, 24) {  // data-processing (3 source)
            guard bits(w, 31, 29) == 0, ftype < 2 else { return simdUndefined(w) }
            let negateA = bit(w, 21), negateN = bit(w, 21) != bit(w, 15)
            // FMADD: a + n·m; FMSUB: a - n·m; FNMADD: -a - n·m; FNMSUB: -a + n·m.
            return simd(.fmadd, w, d: d, n: n, m: m, a: bits(w, 14, 10), s1: ftype == 1 ? 3 : 2,
                        payload: (negateA ? 1 : 0) | (negateN ? 2 : 0))
        }
        if !bit(w, 21) { return decodeFixedConversion(w) }
        if bits(w, 15, 10) == 0 { return decodeIntegerConversion(w) }
        guard bits(w, 31, 29) == 0, ftype < 2 else {
            // Half precision: only FCVT from half (one source) is modelled.
            if bits(w, 31, 29) == 0 && ftype == 3 && bits(w, 14, 10) == 0b10000 && bits(w, 20, 17) == 0b0001 {
                return decodeFPOneSource(w)
            }
            return simdUndefined(w)
        }
        let log2 = ftype == 1 ? 3 : 2
        if bits(w, 14, 10) == 0b10000 { return decodeFPOneSource(w) }
        if bits(w, 13, 10) == 0b1000 {  // compare
            guard bits(w, 15, 14) == 0, bits(w, 2, 0) == 0 else { return simdUndefined(w) }
            return simd(.fcmp, w, n: n, m: m, s1: log2, payload: (bit(w, 3) ? 1 : 0) | (bit(w, 4) ? 2 : 0))
        }
        if bits(w, 12, 10) == 0b100 {  // immediate
            guard bits(w, 9, 5) == 0 else { return simdUndefined(w) }
            let value = expandFPImmediate(bits(w, 20, 13), double: log2 == 3)
            return simd(.fmovImm, w, d: d, s1: log2, payload: Int(log2 == 3 ? value >> 48 : value >> 16))
        }
        let mask = conditionMask(bits(w, 15, 12))
        switch bits(w, 11, 10) {
        case 0b01:  // conditional compare
            return simd(.fccmp, w, n: n, m: m, s1: Int(mask & 0xFF), s2: Int(mask >> 8),
                        payload: Int(bits(w, 3, 0)) | (bit(w, 4) ? 0x10 : 0) | log2 << 8)
        case 0b11:  // conditional select
            return simd(.fcsel, w, d: d, n: n, m: m, s1: Int(mask & 0xFF), s2: Int(mask >> 8), payload: log2)
        case 0b10:  // data-processing (2 source)
            let op: SIMDOp
            switch bits(w, 15, 12) {
            case 0b0000: op = .fmul
            case 0b0001: op = .fdiv
            case 0b0010: op = .fadd
            case 0b0011: op = .fsub
            case 0b0100: op = .fmax
            case 0b0101: op = .fmin
            case 0b0110: op = .fmaxnm
            case 0b0111: op = .fminnm
            case 0b1000: op = .fnmul
            default: return simdUndefined(w)
            }
            return simd(op, w, d: d, n: n, m: m, s1: log2, s2: 1 << log2)
        default:
            return simdUndefined(w)
        }
    }

    static func decodeFPOneSource(_ w: UInt32) -> DecodedInstruction {
        let d = bits(w, 4, 0), n = bits(w, 9, 5)
        let ftype = bits(w, 23, 22), opcode = bits(w, 20, 15)
        let log2 = ftype == 1 ? 3 : ftype == 0 ? 2 : 1
        let bytes = 1 << log2
        if opcode >> 2 == 0b0001 {  // FCVT: opc (16:15) is the destination type
            let opc = opcode & 3
            guard opc != ftype, opc != 2 else { return simdUndefined(w) }
            let to = opc == 1 ? 3 : opc == 0 ? 2 : 1
            return simd(.fcvt, w, d: d, n: n, payload: log2 | to << 4)
        }
        guard ftype < 2 else { return simdUndefined(w) }
        switch opcode {
        case 0b000000: return simd(.dupScalar, w, d: d, n: n, s1: log2)  // FMOV (register)
        case 0b000001: return simd(.fabs, w, d: d, n: n, s1: log2, s2: bytes)
        case 0b000010: return simd(.fneg, w, d: d, n: n, s1: log2, s2: bytes)
        case 0b000011: return simd(.fsqrt, w, d: d, n: n, s1: log2, s2: bytes)
        case 0b001000: return simd(.frint, w, d: d, n: n, s1: log2, s2: bytes, payload: FPRounding.tieEven)
        case 0b001001: return simd(.frint, w, d: d, n: n, s1: log2, s2: bytes, payload: FPRounding.posInf)
        case 0b001010: return simd(.frint, w, d: d, n: n, s1: log2, s2: bytes, payload: FPRounding.negInf)
        case 0b001011: return simd(.frint, w, d: d, n: n, s1: log2, s2: bytes, payload: FPRounding.zero)
        case 0b001100: return simd(.frint, w, d: d, n: n, s1: log2, s2: bytes, payload: FPRounding.tieAway)
        case 0b001110: return simd(.frint, w, d: d, n: n, s1: log2, s2: bytes, payload: 7 | 8)  // FRINTX
        case 0b001111: return simd(.frint, w, d: d, n: n, s1: log2, s2: bytes, payload: 7)      // FRINTI
        default: return simdUndefined(w)
        }
    }

    /// Conversion between FP and integer (FCVT*, SCVTF/UCVTF, FMOV general).
    static func decodeIntegerConversion(_ w: UInt32) -> DecodedInstruction {
        let sf = bit(w, 31), ftype = bits(w, 23, 22), rmode = bits(w, 20, 19), opcode = bits(w, 18, 16)
        let d = bits(w, 4, 0), n = bits(w, 9, 5)
        guard !bit(w, 29), ftype != 2 || (sf && rmode == 1 && opcode >= 6) else { return simdUndefined(w) }
        let intBits = sf ? 64 : 32
        let log2 = ftype == 1 ? 3 : ftype == 0 ? 2 : 1
        switch opcode {
        case 0b110, 0b111:  // FMOV
            if ftype == 2 {  // the top half of V: FMOV Xd, Vn.D[1] / FMOV Vd.D[1], Xn
                return opcode == 6 ? simd(.umov, w, d: UInt32(dst(d)), n: n, s1: 3, payload: 1)
                                   : simd(.insGeneral, w, d: d, n: UInt32(src(n)), s1: 3, payload: 1)
            }
            guard rmode == 0 else { return simdUndefined(w) }
            // W<->S, X<->D, and W/X<->H.
            guard ftype == 3 || (ftype == 0) == !sf else { return simdUndefined(w) }
            if opcode == 6 { return simd(.umov, w, d: UInt32(dst(d)), n: n, s1: log2, payload: 0) }
            return simd(.fmovFromGP, w, d: d, n: UInt32(src(n)), s2: 1 << log2)
        case 0b010, 0b011:  // SCVTF/UCVTF
            guard rmode == 0 else { return simdUndefined(w) }
            return simd(.gpToFP, w, d: d, n: UInt32(src(n)), s1: log2, s2: intBits, payload: opcode == 3 ? 8 : 0)
        case 0b000, 0b001, 0b100, 0b101:
            let rounding: Int
            if opcode >= 4 {  // FCVTAS/FCVTAU
                guard rmode == 0 else { return simdUndefined(w) }
                rounding = FPRounding.tieAway
            } else {
                rounding = [FPRounding.tieEven, FPRounding.posInf, FPRounding.negInf, FPRounding.zero][Int(rmode)]
            }
            return simd(.fcvtToGP, w, d: UInt32(dst(d)), n: n, s1: log2, s2: intBits,
                        payload: rounding | (opcode & 1 != 0 ? 8 : 0))
        default:
            return simdUndefined(w)  // FJCVTZS is not modelled
        }
    }

    /// Conversion between FP and fixed point (SCVTF/UCVTF/FCVTZS/FCVTZU with #fbits).
    static func decodeFixedConversion(_ w: UInt32) -> DecodedInstruction {
        let sf = bit(w, 31), ftype = bits(w, 23, 22), rmode = bits(w, 20, 19), opcode = bits(w, 18, 16)
        let scale = Int(bits(w, 15, 10))
        let d = bits(w, 4, 0), n = bits(w, 9, 5)
        guard !bit(w, 29), ftype != 2, sf || scale >= 32 else { return simdUndefined(w) }
        let fbits = 64 - scale
        let intBits = sf ? 64 : 32
        let log2 = ftype == 1 ? 3 : ftype == 0 ? 2 : 1
        switch (rmode, opcode) {
        case (0, 0b010), (0, 0b011):
            return simd(.gpToFP, w, d: d, n: UInt32(src(n)), s1: log2, s2: intBits, payload: (opcode == 3 ? 8 : 0) | fbits << 8)
        case (3, 0b000), (3, 0b001):
            return simd(.fcvtToGP, w, d: UInt32(dst(d)), n: n, s1: log2, s2: intBits,
                        payload: FPRounding.zero | (opcode == 1 ? 8 : 0) | fbits << 8)
        default:
            return simdUndefined(w)
        }
    }
}
