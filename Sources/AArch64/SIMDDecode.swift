// Decoders of the Advanced SIMD register classes (ARM ARM C4.1.95, "Data Processing -- Scalar
// Floating-Point and Advanced SIMD"): three same, three different, two-register miscellaneous,
// across lanes and scalar pairwise, vector and scalar. Field names follow the encoding tables:
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
        // FCVTN/FCVTL/FCVTXN change the element size.
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
