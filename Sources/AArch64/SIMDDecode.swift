// Decoders of the Advanced SIMD classes (ARM ARM C4.1.95, "Data Processing -- Scalar
// Floating-Point and Advanced SIMD"): three same, three different, two-register miscellaneous,
// across lanes, scalar pairwise, copy, modified immediate, shift by immediate, x indexed element,
// table lookup, permute and extract, vector and scalar. Field names follow the encoding tables:
// Q = 30, U = 29, size = 23:22, Rm = 20:16, opcode, Rn = 9:5, Rd = 4:0.
//
// Reserved forms (e.g. 64-bit elements in a 64-bit vector, "1D") and everything not modelled
// decode to `.undefined`.

extension A64Decoder {
    /// The register fields (d, n, m).
    @inline(__always) static func vfields(_ w: UInt32) -> (d: UInt32, n: UInt32, m: UInt32) {
        (bits(w, 4, 0), bits(w, 9, 5), bits(w, 20, 16))
    }

    // MARK: Three same

    static func decodeThreeSame(_ w: UInt32, scalar: Bool) -> DecodedInstruction {
        let q = bit(w, 30), u = bit(w, 29), size = Int(bits(w, 23, 22)), opcode = bits(w, 15, 11)
        let (d, n, m) = vfields(w)
        let bytes = scalar ? 1 << size : (q ? 16 : 8)
        if opcode >= 0b11000 { return decodeThreeSameFP(w, scalar: scalar) }
        if opcode == 0b00011 {  // logical
            guard !scalar else { return simdUndefined(w) }
            let op: SIMDOp
            switch (u, size) {
            case (false, 0): op = .and
            case (false, 1): op = .bic
            case (false, 2): op = .orr
            case (false, _): op = .orn
            case (true, 0): op = .eor
            case (true, 1): op = .bsl
            case (true, 2): op = .bit
            default: op = .bif
            }
            return simd(op, w, d: d, n: n, m: m, s2: bytes)
        }
        // (op, sizes allowed as a vector, sizes allowed as a scalar) — a bit per log2 size.
        let entry: (SIMDOp, UInt8, UInt8)
        switch (opcode, u) {
        case (0b00000, false): entry = (.shadd, 0b0111, 0)
        case (0b00000, true): entry = (.uhadd, 0b0111, 0)
        case (0b00001, false): entry = (.sqadd, 0b1111, 0b1111)
        case (0b00001, true): entry = (.uqadd, 0b1111, 0b1111)
        case (0b00010, false): entry = (.srhadd, 0b0111, 0)
        case (0b00010, true): entry = (.urhadd, 0b0111, 0)
        case (0b00100, false): entry = (.shsub, 0b0111, 0)
        case (0b00100, true): entry = (.uhsub, 0b0111, 0)
        case (0b00101, false): entry = (.sqsub, 0b1111, 0b1111)
        case (0b00101, true): entry = (.uqsub, 0b1111, 0b1111)
        case (0b00110, false): entry = (.cmgt, 0b1111, 0b1000)
        case (0b00110, true): entry = (.cmhi, 0b1111, 0b1000)
        case (0b00111, false): entry = (.cmge, 0b1111, 0b1000)
        case (0b00111, true): entry = (.cmhs, 0b1111, 0b1000)
        case (0b01000, false): entry = (.sshl, 0b1111, 0b1000)
        case (0b01000, true): entry = (.ushl, 0b1111, 0b1000)
        case (0b01001, false): entry = (.sqshl, 0b1111, 0b1111)
        case (0b01001, true): entry = (.uqshl, 0b1111, 0b1111)
        case (0b01010, false): entry = (.srshl, 0b1111, 0b1000)
        case (0b01010, true): entry = (.urshl, 0b1111, 0b1000)
        case (0b01011, false): entry = (.sqrshl, 0b1111, 0b1111)
        case (0b01011, true): entry = (.uqrshl, 0b1111, 0b1111)
        case (0b01100, false): entry = (.smax, 0b0111, 0)
        case (0b01100, true): entry = (.umax, 0b0111, 0)
        case (0b01101, false): entry = (.smin, 0b0111, 0)
        case (0b01101, true): entry = (.umin, 0b0111, 0)
        case (0b01110, false): entry = (.sabd, 0b0111, 0)
        case (0b01110, true): entry = (.uabd, 0b0111, 0)
        case (0b01111, false): entry = (.saba, 0b0111, 0)
        case (0b01111, true): entry = (.uaba, 0b0111, 0)
        case (0b10000, false): entry = (.add, 0b1111, 0b1000)
        case (0b10000, true): entry = (.sub, 0b1111, 0b1000)
        case (0b10001, false): entry = (.cmtst, 0b1111, 0b1000)
        case (0b10001, true): entry = (.cmeq, 0b1111, 0b1000)
        case (0b10010, false): entry = (.mla, 0b0111, 0)
        case (0b10010, true): entry = (.mls, 0b0111, 0)
        case (0b10011, false): entry = (.mul, 0b0111, 0)
        case (0b10011, true): entry = (.pmul, 0b0001, 0)
        case (0b10100, false): entry = (.smaxp, 0b0111, 0)
        case (0b10100, true): entry = (.umaxp, 0b0111, 0)
        case (0b10101, false): entry = (.sminp, 0b0111, 0)
        case (0b10101, true): entry = (.uminp, 0b0111, 0)
        case (0b10110, false): entry = (.sqdmulh, 0b0110, 0b0110)
        case (0b10110, true): entry = (.sqrdmulh, 0b0110, 0b0110)
        case (0b10111, false): entry = (.addp, 0b1111, 0)
        default: return simdUndefined(w)
        }
        let allowed = scalar ? entry.2 : entry.1
        guard allowed & (1 << size) != 0 else { return simdUndefined(w) }
        if !scalar && size == 3 && !q { return simdUndefined(w) }  // 1D
        return simd(entry.0, w, d: d, n: n, m: m, s1: size, s2: bytes)
    }

    static func decodeThreeSameFP(_ w: UInt32, scalar: Bool) -> DecodedInstruction {
        let q = bit(w, 30), u = bit(w, 29), a = bit(w, 23), sz = bit(w, 22), opcode = bits(w, 15, 11)
        let (d, n, m) = vfields(w)
        let log2 = sz ? 3 : 2
        if !scalar && sz && !q { return simdUndefined(w) }
        let bytes = scalar ? 1 << log2 : (q ? 16 : 8)
        let op: SIMDOp
        switch (u, a, opcode) {
        case (false, false, 0b11000): op = .fmaxnm
        case (false, false, 0b11001): op = .fmla
        case (false, false, 0b11010): op = .fadd
        case (false, false, 0b11011): op = .fmulx
        case (false, false, 0b11100): op = .fcmeq
        case (false, false, 0b11110): op = .fmax
        case (false, false, 0b11111): op = .frecps
        case (false, true, 0b11000): op = .fminnm
        case (false, true, 0b11001): op = .fmls
        case (false, true, 0b11010): op = .fsub
        case (false, true, 0b11110): op = .fmin
        case (false, true, 0b11111): op = .frsqrts
        case (true, false, 0b11000): op = .fmaxnmp
        case (true, false, 0b11010): op = .faddp
        case (true, false, 0b11011): op = .fmul
        case (true, false, 0b11100): op = .fcmge
        case (true, false, 0b11101): op = .facge
        case (true, false, 0b11110): op = .fmaxp
        case (true, false, 0b11111): op = .fdiv
        case (true, true, 0b11000): op = .fminnmp
        case (true, true, 0b11010): op = .fabd
        case (true, true, 0b11100): op = .fcmgt
        case (true, true, 0b11101): op = .facgt
        case (true, true, 0b11110): op = .fminp
        default: return simdUndefined(w)
        }
        if scalar {
            switch op {
            case .fmulx, .fcmeq, .frecps, .frsqrts, .fcmge, .facge, .fabd, .fcmgt, .facgt: break
            default: return simdUndefined(w)
            }
        }
        return simd(op, w, d: d, n: n, m: m, s1: log2, s2: bytes)
    }

    // MARK: Three different

    static func decodeThreeDifferent(_ w: UInt32, scalar: Bool) -> DecodedInstruction {
        let q = bit(w, 30), u = bit(w, 29), size = Int(bits(w, 23, 22)), opcode = bits(w, 15, 12)
        let (d, n, m) = vfields(w)
        let part = q ? 8 : 0
        if scalar {
            guard !u, size == 1 || size == 2 else { return simdUndefined(w) }
            switch opcode {
            case 0b1001: return simd(.sqdmull, w, d: d, n: n, m: m, a: 1, s1: size, payload: 1)
            case 0b1011: return simd(.sqdmull, w, d: d, n: n, m: m, a: 1, s1: size, payload: 2)
            case 0b1101: return simd(.sqdmull, w, d: d, n: n, m: m, a: 1, s1: size, payload: 0)
            default: return simdUndefined(w)
            }
        }
        if opcode == 0b1110 {  // PMULL: 8-bit, or 64-bit (FEAT_PMULL)
            guard !u, size == 0 || size == 3 else { return simdUndefined(w) }
            return simd(.pmull, w, d: d, n: n, m: m, s1: size, s2: part)
        }
        guard size != 3 else { return simdUndefined(w) }
        let op: SIMDOp
        var payload = 0
        switch (opcode, u) {
        case (0b0000, false): op = .saddl
        case (0b0000, true): op = .uaddl
        case (0b0001, false): op = .saddw
        case (0b0001, true): op = .uaddw
        case (0b0010, false): op = .ssubl
        case (0b0010, true): op = .usubl
        case (0b0011, false): op = .ssubw
        case (0b0011, true): op = .usubw
        case (0b0100, false): op = .addhn
        case (0b0100, true): op = .raddhn
        case (0b0101, false): op = .sabal
        case (0b0101, true): op = .uabal
        case (0b0110, false): op = .subhn
        case (0b0110, true): op = .rsubhn
        case (0b0111, false): op = .sabdl
        case (0b0111, true): op = .uabdl
        case (0b1000, false): op = .smlal
        case (0b1000, true): op = .umlal
        case (0b1010, false): op = .smlsl
        case (0b1010, true): op = .umlsl
        case (0b1100, false): op = .smull
        case (0b1100, true): op = .umull
        case (0b1001, false), (0b1011, false), (0b1101, false):
            guard size == 1 || size == 2 else { return simdUndefined(w) }
            op = .sqdmull
            payload = opcode == 0b1001 ? 1 : opcode == 0b1011 ? 2 : 0
        default: return simdUndefined(w)
        }
        // The high-narrow forms write the destination half selected by Q.
        return simd(op, w, d: d, n: n, m: m, s1: size, s2: part, payload: payload)
    }

    // MARK: Two-register miscellaneous

    static func decodeTwoRegisterMisc(_ w: UInt32, scalar: Bool) -> DecodedInstruction {
        let q = bit(w, 30), u = bit(w, 29), size = Int(bits(w, 23, 22)), opcode = bits(w, 16, 12)
        let d = bits(w, 4, 0), n = bits(w, 9, 5)
        let bytes = scalar ? 1 << size : (q ? 16 : 8)
        let oneD = !scalar && size == 3 && !q
        // Integer operations with any element size (size 3 needs Q, or is a D scalar).
        func any(_ op: SIMDOp, scalarSizes: UInt8 = 0b1111) -> DecodedInstruction {
            if oneD || (scalar && scalarSizes & (1 << size) == 0) { return simdUndefined(w) }
            return simd(op, w, d: d, n: n, s1: size, s2: bytes)
        }
        func notD(_ op: SIMDOp) -> DecodedInstruction {
            if size == 3 || scalar { return simdUndefined(w) }
            return simd(op, w, d: d, n: n, s1: size, s2: bytes)
        }
        func narrowing(_ op: SIMDOp) -> DecodedInstruction {
            if size == 3 { return simdUndefined(w) }
            return simd(op, w, d: d, n: n, a: scalar ? 1 : 0, s1: size, s2: !scalar && q ? 8 : 0)
        }
        if opcode >= 0b01100 && opcode != 0b10010 && opcode != 0b10011 && opcode != 0b10100 {
            return decodeTwoRegisterMiscFP(w, scalar: scalar)
        }
        switch (opcode, u) {
        case (0b00000, false): return scalar || size == 3 ? simdUndefined(w) : simd(.rev, w, d: d, n: n, s1: size, s2: bytes, payload: 8)
        case (0b00000, true): return scalar || size >= 2 ? simdUndefined(w) : simd(.rev, w, d: d, n: n, s1: size, s2: bytes, payload: 4)
        case (0b00001, false): return scalar || size != 0 ? simdUndefined(w) : simd(.rev, w, d: d, n: n, s1: size, s2: bytes, payload: 2)
        case (0b00010, false): return notD(.saddlp)
        case (0b00010, true): return notD(.uaddlp)
        case (0b00011, false): return any(.suqadd)
        case (0b00011, true): return any(.usqadd)
        case (0b00100, false): return notD(.cls)
        case (0b00100, true): return notD(.clz)
        case (0b00101, false): return scalar || size != 0 ? simdUndefined(w) : simd(.cnt, w, d: d, n: n, s1: 0, s2: bytes)
        case (0b00101, true):
            if scalar || size > 1 { return simdUndefined(w) }
            return size == 0 ? simd(.not, w, d: d, n: n, s2: bytes) : simd(.rbit, w, d: d, n: n, s1: 0, s2: bytes)
        case (0b00110, false): return notD(.sadalp)
        case (0b00110, true): return notD(.uadalp)
        case (0b00111, false): return any(.sqabs)
        case (0b00111, true): return any(.sqneg)
        case (0b01000, false): return any(.cmgtz, scalarSizes: 0b1000)
        case (0b01000, true): return any(.cmgez, scalarSizes: 0b1000)
        case (0b01001, false): return any(.cmeqz, scalarSizes: 0b1000)
        case (0b01001, true): return any(.cmlez, scalarSizes: 0b1000)
        case (0b01010, false): return any(.cmltz, scalarSizes: 0b1000)
        case (0b01011, false): return any(.abs, scalarSizes: 0b1000)
        case (0b01011, true): return any(.neg, scalarSizes: 0b1000)
        case (0b10010, false): return scalar ? simdUndefined(w) : narrowing(.xtn)
        case (0b10010, true): return narrowing(.sqxtun)
        case (0b10011, true):  // SHLL: shift by the element size
            if scalar || size == 3 { return simdUndefined(w) }
            return simd(.ushll, w, d: d, n: n, s1: size, s2: q ? 8 : 0, payload: 8 << size)
        case (0b10100, false): return narrowing(.sqxtn)
        case (0b10100, true): return narrowing(.uqxtn)
        default: return simdUndefined(w)
        }
    }

    static func decodeTwoRegisterMiscFP(_ w: UInt32, scalar: Bool) -> DecodedInstruction {
        let q = bit(w, 30), u = bit(w, 29), o2 = bit(w, 23), sz = bit(w, 22), opcode = bits(w, 16, 12)
        let d = bits(w, 4, 0), n = bits(w, 9, 5)
        let log2 = sz ? 3 : 2
        let bytes = scalar ? 1 << log2 : (q ? 16 : 8)
        // FCVTN/FCVTL/FCVTXN change the element size (bit 23 must be 0).
        switch (opcode, u) {
        case (0b10110, _), (0b10111, false):
            if o2 { return simdUndefined(w) }
        default: break
        }
        switch (opcode, u) {
        case (0b10110, false):  // FCVTN: sz 0 single→half, 1 double→single
            guard !scalar else { return simdUndefined(w) }
            return simd(.fcvtn, w, d: d, n: n, s1: sz ? 2 : 1, s2: q ? 8 : 0)
        case (0b10111, false):  // FCVTL
            guard !scalar else { return simdUndefined(w) }
            return simd(.fcvtl, w, d: d, n: n, s1: sz ? 2 : 1, s2: q ? 8 : 0)
        case (0b10110, true):   // FCVTXN: double→single, round to odd
            guard sz else { return simdUndefined(w) }
            return simd(.fcvtn, w, d: d, n: n, a: scalar ? 1 : 0, s1: 2, s2: !scalar && q ? 8 : 0, payload: 1)
        default: break
        }
        if !scalar && sz && !q { return simdUndefined(w) }
        func make(_ op: SIMDOp, _ payload: Int = 0) -> DecodedInstruction {
            simd(op, w, d: d, n: n, s1: log2, s2: bytes, payload: payload)
        }
        let unsigned = u ? 8 : 0
        switch (opcode, u, o2) {
        case (0b01100, false, true): return make(.fcmZero, 2)   // FCMGT #0
        case (0b01100, true, true): return make(.fcmZero, 1)    // FCMGE #0
        case (0b01101, false, true): return make(.fcmZero, 0)   // FCMEQ #0
        case (0b01101, true, true): return make(.fcmZero, 3)    // FCMLE #0
        case (0b01110, false, true): return make(.fcmZero, 4)   // FCMLT #0
        case (0b01111, false, true): return scalar ? simdUndefined(w) : make(.fabs)
        case (0b01111, true, true): return scalar ? simdUndefined(w) : make(.fneg)
        case (0b11111, true, true): return scalar ? simdUndefined(w) : make(.fsqrt)
        case (0b11000, false, false): return scalar ? simdUndefined(w) : make(.frint, FPRounding.tieEven)
        case (0b11000, false, true): return scalar ? simdUndefined(w) : make(.frint, FPRounding.posInf)
        case (0b11001, false, false): return scalar ? simdUndefined(w) : make(.frint, FPRounding.negInf)
        case (0b11001, false, true): return scalar ? simdUndefined(w) : make(.frint, FPRounding.zero)
        case (0b11000, true, false): return scalar ? simdUndefined(w) : make(.frint, FPRounding.tieAway)
        case (0b11001, true, false): return scalar ? simdUndefined(w) : make(.frint, 7 | 8)   // FRINTX
        case (0b11001, true, true): return scalar ? simdUndefined(w) : make(.frint, 7)       // FRINTI
        case (0b11010, _, false): return make(.fcvtToInt, FPRounding.tieEven | unsigned)
        case (0b11010, _, true): return make(.fcvtToInt, FPRounding.posInf | unsigned)
        case (0b11011, _, false): return make(.fcvtToInt, FPRounding.negInf | unsigned)
        case (0b11011, _, true): return make(.fcvtToInt, FPRounding.zero | unsigned)
        case (0b11100, _, false): return make(.fcvtToInt, FPRounding.tieAway | unsigned)
        case (0b11101, _, false): return make(.fcvtFromInt, unsigned)
        case (0b11100, false, true): return scalar || sz ? simdUndefined(w) : make(.urecpe)
        case (0b11100, true, true): return scalar || sz ? simdUndefined(w) : make(.ursqrte)
        case (0b11101, false, true): return make(.frecpe)
        case (0b11101, true, true): return make(.frsqrte)
        case (0b11111, false, true): return scalar ? make(.frecpx) : simdUndefined(w)
        default: return simdUndefined(w)
        }
    }

    // MARK: Across lanes and scalar pairwise

    static func decodeAcrossLanes(_ w: UInt32) -> DecodedInstruction {
        let q = bit(w, 30), u = bit(w, 29), size = Int(bits(w, 23, 22)), opcode = bits(w, 16, 12)
        let d = bits(w, 4, 0), n = bits(w, 9, 5)
        let bytes = q ? 16 : 8
        if opcode == 0b01100 || opcode == 0b01111 {
            // FP: single precision, 4S only (the U = 0 forms are half precision).
            guard u, q, !bit(w, 22) else { return simdUndefined(w) }
            let minimum = bit(w, 23)
            let op: SIMDOp = opcode == 0b01100 ? (minimum ? .fminnmv : .fmaxnmv) : (minimum ? .fminv : .fmaxv)
            return simd(op, w, d: d, n: n, s1: 2, s2: 16)
        }
        // Integer: B and H lanes, S only with Q (4S).
        guard size < 2 || (size == 2 && q) else { return simdUndefined(w) }
        let op: SIMDOp
        switch (opcode, u) {
        case (0b00011, false): op = .saddlv
        case (0b00011, true): op = .uaddlv
        case (0b01010, false): op = .smaxv
        case (0b01010, true): op = .umaxv
        case (0b11010, false): op = .sminv
        case (0b11010, true): op = .uminv
        case (0b11011, false): op = .addv
        default: return simdUndefined(w)
        }
        return simd(op, w, d: d, n: n, s1: size, s2: bytes)
    }

    static func decodePairwiseScalar(_ w: UInt32) -> DecodedInstruction {
        let u = bit(w, 29), size = Int(bits(w, 23, 22)), opcode = bits(w, 16, 12)
        let d = bits(w, 4, 0), n = bits(w, 9, 5)
        if !u {
            // ADDP (scalar): the two D lanes. The other U = 0 forms are half precision.
            guard opcode == 0b11011, size == 3 else { return simdUndefined(w) }
            return simd(.addp, w, d: d, n: n, m: n, s1: 3, s2: 8)
        }
        let minimum = bit(w, 23), log2 = bit(w, 22) ? 3 : 2
        let op: SIMDOp
        switch opcode {
        case 0b01100: op = minimum ? .fminnmpScalar : .fmaxnmpScalar
        case 0b01101: guard !minimum else { return simdUndefined(w) }; op = .faddpScalar
        case 0b01111: op = minimum ? .fminpScalar : .fmaxpScalar
        default: return simdUndefined(w)
        }
        return simd(op, w, d: d, n: n, s1: log2)
    }
}

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
