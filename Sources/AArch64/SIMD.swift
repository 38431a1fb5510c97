import Memory

// Advanced SIMD and floating point: the record format, the top-level decoder of the
// "Data Processing -- Scalar Floating-Point and Advanced SIMD" group, and the execution switch.
//
// Files: SIMDDecode.swift (the Advanced SIMD classes), FPDecode.swift (scalar FP),
// SIMDLoadStore.swift (structure loads/stores, decode and execute), SIMDLanes.swift (the lane
// engine and byte fast paths), SIMDIntegerOps.swift / SIMDWiden.swift / SIMDPermute.swift
// (integer and data-movement operations), FPExecute.swift (FP lanes and scalar-only FP),
// FPArith.swift (host fast paths for arithmetic and conversions) and FPSoft*.swift (the exact
// ARM ARM model the fast paths fall back to).
//
// Performance (release build, this machine): executeSIMD is one out-of-line call with a switch on
// SIMDOp; lane loops are generic over the lane type and the operation and fully specialised (no
// ARC, allocation, existentials or closures: checked with objdump on the release binary). On
// guests/build/string_funcs, SIMD is ~12% of instructions and ~10% of host time after the byte
// fast paths; a scalar-FP loop (fdiv, 2 fmadd, 2 fadd per 7 instructions) runs at ~100 MIPS.
//
// A record is `op = .simd`, `imm = word << 32 | payload << 16 | SIMDOp`. Unless an operation
// documents otherwise: rd, rn, rm, ra are V register numbers (0–31; 32 is the scratch slot);
// s1 = log2 of the element size in bytes; s2 = bytes processed (8 or 16 for vectors, the element
// size for scalars; the rest of the destination register is zeroed).

/// The outcome of an out-of-line SIMD/FP record.
@usableFromInline enum SIMDOutcome {
    case next, undefined, fault
}

/// The Advanced SIMD and floating-point operations (`DecodedInstruction.imm & 0xFFFF`).
public enum SIMDOp: UInt16, Sendable {
    case unimplemented
    // Bitwise (s2 = bytes).
    case and, bic, orr, orn, eor, bsl, bit, bif, not
    // Integer, same shape: Vd = op(Vn, Vm) or op(Vd, Vn, Vm).
    case add, sub, mul, mla, mls, pmul, smax, umax, smin, umin, sabd, uabd, saba, uaba
    case shadd, uhadd, srhadd, urhadd, shsub, uhsub, sqadd, uqadd, sqsub, uqsub, suqadd, usqadd
    case cmgt, cmhi, cmge, cmhs, cmeq, cmtst, sshl, ushl, srshl, urshl, sqshl, uqshl, sqrshl, uqrshl
    case sqdmulh, sqrdmulh
    case addp, smaxp, umaxp, sminp, uminp
    case abs, neg, sqabs, sqneg, cnt, clz, cls, rbit, cmgtz, cmgez, cmeqz, cmlez, cmltz
    case addv, smaxv, umaxv, sminv, uminv, saddlv, uaddlv
    case saddlp, uaddlp, sadalp, uadalp
    /// REV16/32/64: payload = container bytes.
    case rev
    // Narrowing (SIMDWiden.swift): payload = shift where there is one.
    case xtn, sqxtn, uqxtn, sqxtun, shrn, rshrn, sqshrn, uqshrn, sqrshrn, uqrshrn, sqshrun, sqrshrun
    case addhn, raddhn, subhn, rsubhn
    // Widening (SIMDWiden.swift): payload = shift (SSHLL/USHLL/SHLL) or 1/2 = accumulate/subtract (SQDML*L).
    case sshll, ushll, saddl, uaddl, ssubl, usubl, saddw, uaddw, ssubw, usubw, sabal, uabal, sabdl, uabdl
    case smlal, umlal, smlsl, umlsl, smull, umull, sqdmull, pmull
    // Shifts by immediate: payload = the shift.
    case shl, sshr, ushr, srshr, urshr, ssra, usra, srsra, ursra, sri, sli, sqshlImm, uqshlImm, sqshlu
    // Permutes and table lookups.
    case zip1, zip2, uzp1, uzp2, trn1, trn2
    /// EXT: payload = the byte position.
    case ext
    /// TBL/TBX: rn = first table register, ra = number of table registers.
    case tbl, tbx
    // Copies. dupElement/dupScalar/umov/smov/insElement: payload = index (insElement: dst | src << 8).
    case dupElement, dupScalar, dupGeneral, insGeneral, insElement, umov, smov
    /// MOVI/MVNI/FMOV (vector), ORR/BIC (vector, immediate): see `AArch64CPU.immediatePattern`.
    case movi, orrImm, bicImm
    // FP lanes (s1 = 2 or 3).
    case fadd, fsub, fmul, fdiv, fnmul, fmax, fmin, fmaxnm, fminnm, fabd, fmulx, frecps, frsqrts
    case fcmeq, fcmge, fcmgt, facge, facgt, fmla, fmls
    /// One-source FP lanes; payload as for `FRintOp`, `FCvtToIntOp`, `FCvtFromIntOp`, `FCmZeroOp`.
    case fabs, fneg, fsqrt, frint, fcvtToInt, fcvtFromInt, frecpe, frsqrte, frecpx, fcmZero
    /// URECPE/URSQRTE: unsigned fixed-point estimates on 32-bit lanes.
    case urecpe, ursqrte
    case faddp, fmaxp, fminp, fmaxnmp, fminnmp
    case faddpScalar, fmaxpScalar, fminpScalar, fmaxnmpScalar, fminnmpScalar
    case fmaxv, fminv, fmaxnmv, fminnmv
    case fcvtl, fcvtn
    // Scalar FP (FPScalar.swift).
    case fmovImm, fmadd, fcmp, fccmp, fcsel, fcvt, fcvtToGP, gpToFP, fmovFromGP
    // By element: rm's lane `payload` is broadcast into the scratch slot, then the plain op runs.
    case mulElem, mlaElem, mlsElem, sqdmulhElem, sqrdmulhElem
    case smullElem, umullElem, smlalElem, umlalElem, smlslElem, umlslElem, sqdmullElem, sqdmlalElem, sqdmlslElem
    case fmulElem, fmlaElem, fmlsElem, fmulxElem
    // Structure loads and stores (SIMDLoadStore.swift).
    case ldMulti, stMulti, ldSingle, stSingle

    /// The last case: raw values run 0...last.rawValue without gaps.
    static var last: SIMDOp { .stSingle }
}

extension A64Decoder {
    /// Builds a SIMD record.
    @inline(__always)
    static func simd(_ op: SIMDOp, _ w: UInt32, d: UInt32 = 0, n: UInt32 = 0, m: UInt32 = 0, a: UInt32 = 0,
                     s1: Int = 0, s2: Int = 0, payload: Int = 0) -> DecodedInstruction {
        DecodedInstruction(op: .simd, rd: UInt8(d), rn: UInt8(n), rm: UInt8(m), ra: UInt8(a),
                           s1: UInt8(s1), s2: UInt8(s2),
                           imm: UInt64(w) << 32 | UInt64(payload & 0xFFFF) << 16 | UInt64(op.rawValue))
    }

    /// Decodes the data-processing SIMD & FP group (op0 = x111).
    static func decodeSIMDFP(_ w: UInt32) -> DecodedInstruction {
        if bit(w, 28) {
            if !bit(w, 30) { return decodeScalarFP(w) }                 // op0 = x0x1
            guard !bit(w, 31) else { return simdUndefined(w) }
            // op0 = 01x1: Advanced SIMD scalar.
            if bit(w, 24) {
                if !bit(w, 10) { return decodeIndexedElement(w, scalar: true) }
                return bit(w, 23) ? simdUndefined(w) : decodeShiftImmediate(w, scalar: true)
            }
            if bits(w, 23, 21) == 0 && !bit(w, 15) && bit(w, 10) { return decodeCopy(w, scalar: true) }
            guard bit(w, 21) else { return simdUndefined(w) }
            if bit(w, 10) { return decodeThreeSame(w, scalar: true) }
            if !bit(w, 11) { return decodeThreeDifferent(w, scalar: true) }
            switch bits(w, 20, 17) {
            case 0b0000: return decodeTwoRegisterMisc(w, scalar: true)
            case 0b1000: return decodePairwiseScalar(w)
            default: return simdUndefined(w)
            }
        }
        guard !bit(w, 31) else { return simdUndefined(w) }               // crypto SHA512/SM3/... not modelled
        // op0 = 0xx0: Advanced SIMD vector.
        if bit(w, 24) {
            if !bit(w, 10) { return decodeIndexedElement(w, scalar: false) }
            guard !bit(w, 23) else { return simdUndefined(w) }
            return bits(w, 22, 19) == 0 ? decodeModifiedImmediate(w) : decodeShiftImmediate(w, scalar: false)
        }
        if !bit(w, 21) {
            if bits(w, 23, 21) == 0 && !bit(w, 15) && bit(w, 10) { return decodeCopy(w, scalar: false) }
            guard !bit(w, 15) else { return simdUndefined(w) }
            if !bit(w, 29) {
                switch bits(w, 11, 10) {
                case 0b00: return decodeTable(w)
                case 0b10: return decodePermute(w)
                default: return simdUndefined(w)
                }
            }
            return bit(w, 10) ? simdUndefined(w) : decodeExtract(w)
        }
        if bit(w, 10) { return decodeThreeSame(w, scalar: false) }
        if !bit(w, 11) { return decodeThreeDifferent(w, scalar: false) }
        switch bits(w, 20, 17) {
        case 0b0000: return decodeTwoRegisterMisc(w, scalar: false)
        case 0b1000: return decodeAcrossLanes(w)
        default: return simdUndefined(w)
        }
    }

    /// A SIMD record that raises SIGILL, carrying its word for the report.
    static func simdUndefined(_ w: UInt32) -> DecodedInstruction {
        .undefined(w)
    }
}

extension AArch64CPU {
    /// Executes one SIMD/FP record. The only call out of the run loop for this group.
    @inline(never)
    func executeSIMD(_ r: DecodedInstruction, _ mem: GuestMemory, flags: inout UInt64) -> SIMDOutcome {
        // The raw values are the case indices 0..<count (checked by SIMDTests), so the payload-free
        // enum can be read straight from the record; `init(rawValue:)` is an out-of-line table walk.
        let raw = UInt16(truncatingIfNeeded: r.imm)
        guard raw <= SIMDOp.last.rawValue else { return .undefined }
        let op = MemoryLayout<SIMDOp>.size == 1 ? unsafeBitCast(UInt8(truncatingIfNeeded: raw), to: SIMDOp.self)
                                                : unsafeBitCast(raw, to: SIMDOp.self)
        switch op {
        case .unimplemented: return .undefined

        // MARK: bitwise
        case .and, .bic, .orr, .orn, .eor, .bsl, .bit, .bif, .not:
            bitwise(r, op)

        // MARK: integer, same shape
        case .add: vectorBinary(r, AddOp.self)
        case .sub: vectorBinary(r, SubOp.self)
        case .mul: vectorBinary(r, MulOp.self)
        case .mla: vectorTernary(r, MlaOp.self)
        case .mls: vectorTernary(r, MlsOp.self)
        case .pmul: vectorBinary(r, PMulOp.self)
        case .smax: vectorBinary(r, SMaxOp.self)
        case .umax: vectorBinary(r, UMaxOp.self)
        case .smin: vectorBinary(r, SMinOp.self)
        case .umin: vectorBinary(r, UMinOp.self)
        case .sabd: vectorBinary(r, SAbdOp.self)
        case .uabd: vectorBinary(r, UAbdOp.self)
        case .saba: vectorTernary(r, SAbaOp.self)
        case .uaba: vectorTernary(r, UAbaOp.self)
        case .shadd: vectorBinary(r, SHAddOp.self)
        case .uhadd: vectorBinary(r, UHAddOp.self)
        case .srhadd: vectorBinary(r, SRHAddOp.self)
        case .urhadd: vectorBinary(r, URHAddOp.self)
        case .shsub: vectorBinary(r, SHSubOp.self)
        case .uhsub: vectorBinary(r, UHSubOp.self)
        case .sqadd: vectorBinary(r, SQAddOp.self)
        case .uqadd: vectorBinary(r, UQAddOp.self)
        case .sqsub: vectorBinary(r, SQSubOp.self)
        case .uqsub: vectorBinary(r, UQSubOp.self)
        case .suqadd: vectorTernary(r, SUQAddOp.self)
        case .usqadd: vectorTernary(r, USQAddOp.self)
        case .cmgt: vectorBinary(r, CmGtOp.self)
        case .cmhi: if r.s1 == 0 { byteCompare(r, 2) } else { vectorBinary(r, CmHiOp.self) }
        case .cmge: vectorBinary(r, CmGeOp.self)
        case .cmhs: if r.s1 == 0 { byteCompare(r, 1) } else { vectorBinary(r, CmHsOp.self) }
        case .cmeq: if r.s1 == 0 && r.s2 >= 8 { byteCompare(r, 0) } else { vectorBinary(r, CmEqOp.self) }
        case .cmtst: vectorBinary(r, CmTstOp.self)
        case .sshl: vectorBinary(r, SShlOp.self)
        case .ushl: vectorBinary(r, UShlOp.self)
        case .srshl: vectorBinary(r, SRShlOp.self)
        case .urshl: vectorBinary(r, URShlOp.self)
        case .sqshl: vectorBinary(r, SQShlOp.self)
        case .uqshl: vectorBinary(r, UQShlOp.self)
        case .sqrshl: vectorBinary(r, SQRShlOp.self)
        case .uqrshl: vectorBinary(r, UQRShlOp.self)
        case .sqdmulh: vectorBinary(r, SQDMulHOp.self)
        case .sqrdmulh: vectorBinary(r, SQRDMulHOp.self)
        case .addp: if r.s1 == 0 { bytePairwise(r, 2) } else { vectorPairwise(r, AddOp.self) }
        case .smaxp: vectorPairwise(r, SMaxOp.self)
        case .umaxp: if r.s1 == 0 { bytePairwise(r, 0) } else { vectorPairwise(r, UMaxOp.self) }
        case .sminp: vectorPairwise(r, SMinOp.self)
        case .uminp: if r.s1 == 0 { bytePairwise(r, 1) } else { vectorPairwise(r, UMinOp.self) }
        case .abs: vectorUnary(r, AbsOp.self)
        case .neg: vectorUnary(r, NegOp.self)
        case .sqabs: vectorUnary(r, SQAbsOp.self)
        case .sqneg: vectorUnary(r, SQNegOp.self)
        case .cnt: vectorUnary(r, CntOp.self)
        case .clz: vectorUnary(r, ClzOp.self)
        case .cls: vectorUnary(r, ClsOp.self)
        case .rbit: vectorUnary(r, RbitOp.self)
        case .cmgtz: vectorUnary(r, CmGtZOp.self)
        case .cmgez: vectorUnary(r, CmGeZOp.self)
        case .cmeqz: vectorUnary(r, CmEqZOp.self)
        case .cmlez: vectorUnary(r, CmLeZOp.self)
        case .cmltz: vectorUnary(r, CmLtZOp.self)
        case .addv: vectorReduce(r, AddOp.self)
        case .smaxv: vectorReduce(r, SMaxOp.self)
        case .umaxv: vectorReduce(r, UMaxOp.self)
        case .sminv: vectorReduce(r, SMinOp.self)
        case .uminv: vectorReduce(r, UMinOp.self)
        case .saddlv: addLongAcross(r, signed: true)
        case .uaddlv: addLongAcross(r, signed: false)
        case .saddlp: pairwiseLong(r, signed: true, accumulate: false)
        case .uaddlp: pairwiseLong(r, signed: false, accumulate: false)
        case .sadalp: pairwiseLong(r, signed: true, accumulate: true)
        case .uadalp: pairwiseLong(r, signed: false, accumulate: true)
        case .rev: reverseElements(r)

        // MARK: narrowing and widening
        case .xtn: narrow(r, XtnOp.self)
        case .sqxtn: narrow(r, SQXtnOp.self)
        case .uqxtn: narrow(r, UQXtnOp.self)
        case .sqxtun: narrow(r, SQXtunOp.self)
        case .shrn: if r.s1 == 0 { shiftNarrowBytes(r) } else { narrow(r, ShrnOp.self) }
        case .rshrn: narrow(r, RShrnOp.self)
        case .sqshrn: narrow(r, SQShrnOp.self)
        case .uqshrn: narrow(r, UQShrnOp.self)
        case .sqrshrn: narrow(r, SQRShrnOp.self)
        case .uqrshrn: narrow(r, UQRShrnOp.self)
        case .sqshrun: narrow(r, SQShrunOp.self)
        case .sqrshrun: narrow(r, SQRShrunOp.self)
        case .addhn: narrow(r, AddHnOp.self)
        case .raddhn: narrow(r, RAddHnOp.self)
        case .subhn: narrow(r, SubHnOp.self)
        case .rsubhn: narrow(r, RSubHnOp.self)
        case .sshll: widen(r, SShlLOp.self)
        case .ushll: widen(r, UShlLOp.self)
        case .saddl: widen(r, SAddLOp.self)
        case .uaddl: widen(r, UAddLOp.self)
        case .ssubl: widen(r, SSubLOp.self)
        case .usubl: widen(r, USubLOp.self)
        case .saddw: widen(r, SAddWOp.self)
        case .uaddw: widen(r, UAddWOp.self)
        case .ssubw: widen(r, SSubWOp.self)
        case .usubw: widen(r, USubWOp.self)
        case .sabal: widen(r, SAbaLOp.self)
        case .uabal: widen(r, UAbaLOp.self)
        case .sabdl: widen(r, SAbdLOp.self)
        case .uabdl: widen(r, UAbdLOp.self)
        case .smlal: widen(r, SMlaLOp.self)
        case .umlal: widen(r, UMlaLOp.self)
        case .smlsl: widen(r, SMlsLOp.self)
        case .umlsl: widen(r, UMlsLOp.self)
        case .smull: widen(r, SMulLOp.self)
        case .umull: widen(r, UMulLOp.self)
        case .sqdmull: widen(r, SQDMulLOp.self)
        case .pmull: widen(r, PMulLOp.self)

        // MARK: shifts by immediate
        case .shl: vectorImmediate(r, ShlImmOp.self)
        case .sshr: vectorImmediate(r, SShrOp.self)
        case .ushr: vectorImmediate(r, UShrOp.self)
        case .srshr: vectorImmediate(r, SRShrOp.self)
        case .urshr: vectorImmediate(r, URShrOp.self)
        case .ssra: vectorImmediate(r, SSraOp.self)
        case .usra: vectorImmediate(r, USraOp.self)
        case .srsra: vectorImmediate(r, SRSraOp.self)
        case .ursra: vectorImmediate(r, URSraOp.self)
        case .sri: vectorImmediate(r, SriOp.self)
        case .sli: vectorImmediate(r, SliOp.self)
        case .sqshlImm: vectorImmediate(r, SQShlImmOp.self)
        case .uqshlImm: vectorImmediate(r, UQShlImmOp.self)
        case .sqshlu: vectorImmediate(r, SQShlUOp.self)

        // MARK: permutes and copies
        case .zip1: permute(r, kind: 0, part: 0)
        case .zip2: permute(r, kind: 0, part: 1)
        case .uzp1: permute(r, kind: 1, part: 0)
        case .uzp2: permute(r, kind: 1, part: 1)
        case .trn1: permute(r, kind: 2, part: 0)
        case .trn2: permute(r, kind: 2, part: 1)
        case .ext: extract(r)
        case .tbl: tableLookup(r, extend: false)
        case .tbx: tableLookup(r, extend: true)
        case .dupElement: dupElement(r)
        case .dupScalar:
            store(r.rd, lo: Self.lane(vreg(r.rn), Self.payload(r), log2: r.s1), hi: 0, bytes: 8)
        case .dupGeneral: dupGeneral(r)
        case .insGeneral: Self.setLane(vreg(r.rd), Self.payload(r), log2: r.s1, x[Int(r.rn)])
        case .insElement:
            let p = Self.payload(r)
            Self.setLane(vreg(r.rd), p & 0xFF, log2: r.s1, Self.lane(vreg(r.rn), p >> 8, log2: r.s1))
        case .umov: x[Int(r.rd)] = Self.lane(vreg(r.rn), Self.payload(r), log2: r.s1)
        case .smov:
            let value = signExtend(Self.lane(vreg(r.rn), Self.payload(r), log2: r.s1), 8 << Int(r.s1))
            x[Int(r.rd)] = r.s2 == 4 ? value & 0xFFFF_FFFF : value
        case .movi:
            let pattern = Self.immediatePattern(r)
            store(r.rd, lo: pattern, hi: pattern, bytes: Int(r.s2))
        case .orrImm, .bicImm:
            let pattern = op == .orrImm ? Self.immediatePattern(r) : ~Self.immediatePattern(r)
            let p = vreg(r.rd)
            let lo = p.load(as: UInt64.self), hi = p.load(fromByteOffset: 8, as: UInt64.self)
            if op == .orrImm {
                store(r.rd, lo: lo | pattern, hi: hi | pattern, bytes: Int(r.s2))
            } else {
                store(r.rd, lo: lo & pattern, hi: hi & pattern, bytes: Int(r.s2))
            }

        // MARK: floating point lanes
        case .fadd: fpVector2(r, FAddOp.self)
        case .fsub: fpVector2(r, FSubOp.self)
        case .fmul: fpVector2(r, FMulOp.self)
        case .fdiv: fpVector2(r, FDivOp.self)
        case .fnmul: fpVector2(r, FNMulOp.self)
        case .fmax: fpVector2(r, FMaxOp.self)
        case .fmin: fpVector2(r, FMinOp.self)
        case .fmaxnm: fpVector2(r, FMaxNMOp.self)
        case .fminnm: fpVector2(r, FMinNMOp.self)
        case .fabd: fpVector2(r, FAbdOp.self)
        case .fmulx: fpVector2(r, FMulXOp.self)
        case .frecps: fpVector2(r, FRecpsOp.self)
        case .frsqrts: fpVector2(r, FRsqrtsOp.self)
        case .fcmeq: fpVector2(r, FCmEqOp.self)
        case .fcmge: fpVector2(r, FCmGeOp.self)
        case .fcmgt: fpVector2(r, FCmGtOp.self)
        case .facge: fpVector2(r, FAcGeOp.self)
        case .facgt: fpVector2(r, FAcGtOp.self)
        case .fmla: fpVector3(r, FMlaOp.self)
        case .fmls: fpVector3(r, FMlsOp.self)
        case .fabs: fpVector1(r, FAbsOp.self)
        case .fneg: fpVector1(r, FNegOp.self)
        case .fsqrt: fpVector1(r, FSqrtOp.self)
        case .frint: fpVector1(r, FRintOp.self)
        case .fcvtToInt: fpVector1(r, FCvtToIntOp.self)
        case .fcvtFromInt: fpVector1(r, FCvtFromIntOp.self)
        case .frecpe: fpVector1(r, FRecpeOp.self)
        case .frsqrte: fpVector1(r, FRsqrteOp.self)
        case .frecpx: fpVector1(r, FRecpxOp.self)
        case .fcmZero: fpVector1(r, FCmZeroOp.self)
        case .urecpe: vectorUnary(r, URecpeOp.self)
        case .ursqrte: vectorUnary(r, URsqrteOp.self)
        case .faddp: fpPairwise(r, FAddOp.self)
        case .fmaxp: fpPairwise(r, FMaxOp.self)
        case .fminp: fpPairwise(r, FMinOp.self)
        case .fmaxnmp: fpPairwise(r, FMaxNMOp.self)
        case .fminnmp: fpPairwise(r, FMinNMOp.self)
        case .faddpScalar: fpPairScalar(r, FAddOp.self)
        case .fmaxpScalar: fpPairScalar(r, FMaxOp.self)
        case .fminpScalar: fpPairScalar(r, FMinOp.self)
        case .fmaxnmpScalar: fpPairScalar(r, FMaxNMOp.self)
        case .fminnmpScalar: fpPairScalar(r, FMinNMOp.self)
        case .fmaxv: fpAcross(r, FMaxOp.self)
        case .fminv: fpAcross(r, FMinOp.self)
        case .fmaxnmv: fpAcross(r, FMaxNMOp.self)
        case .fminnmv: fpAcross(r, FMinNMOp.self)
        case .fcvtl: fpConvertLong(r)
        case .fcvtn: fpConvertNarrow(r)

        // MARK: scalar floating point
        case .fmovImm: fmovImmediate(r)
        case .fmadd: fmadd(r)
        case .fcmp: flags = fcmp(r)
        case .fccmp: flags = fccmp(r, flags)
        case .fcsel: fcsel(r, flags)
        case .fcvt: fcvt(r)
        case .fcvtToGP: fcvtToGeneral(r)
        case .gpToFP: generalToFP(r)
        case .fmovFromGP: fmovFromGeneral(r)

        // MARK: by element
        case .mulElem, .mlaElem, .mlsElem, .sqdmulhElem, .sqrdmulhElem,
             .smullElem, .umullElem, .smlalElem, .umlalElem, .smlslElem, .umlslElem,
             .sqdmullElem, .sqdmlalElem, .sqdmlslElem, .fmulElem, .fmlaElem, .fmlsElem, .fmulxElem:
            byElement(r, op)

        // MARK: structure loads and stores
        case .ldMulti: return loadMultiple(r, mem)
        case .stMulti: return storeMultiple(r, mem)
        case .ldSingle: return loadSingle(r, mem)
        case .stSingle: return storeSingle(r, mem)
        }
        return .next
    }

    /// AND/BIC/ORR/ORN/EOR and the bitwise selects, on 64-bit halves.
    @inline(__always) func bitwise(_ r: DecodedInstruction, _ op: SIMDOp) {
        let n = vreg(r.rn), m = vreg(r.rm), d = vreg(r.rd)
        let bytes = Int(r.s2)
        var lo = UInt64(0), hi = UInt64(0)
        var half = 0
        while half < bytes {
            let a = n.load(fromByteOffset: half, as: UInt64.self), b = m.load(fromByteOffset: half, as: UInt64.self)
            let result: UInt64
            switch op {
            case .and: result = a & b
            case .bic: result = a & ~b
            case .orr: result = a | b
            case .orn: result = a | ~b
            case .eor: result = a ^ b
            case .not: result = ~a
            case .bsl:
                let c = d.load(fromByteOffset: half, as: UInt64.self)
                result = (c & a) | (~c & b)
            case .bit:
                let c = d.load(fromByteOffset: half, as: UInt64.self)
                result = (b & a) | (~b & c)
            default: // bif
                let c = d.load(fromByteOffset: half, as: UInt64.self)
                result = (~b & a) | (b & c)
            }
            if half == 0 { lo = result } else { hi = result }
            half += 8
        }
        store(r.rd, lo: lo, hi: hi, bytes: bytes)
    }

    /// By-element forms: broadcast Vm's lane into the scratch slot, then run the vector operation.
    func byElement(_ r: DecodedInstruction, _ op: SIMDOp) {
        let element = Self.lane(vreg(r.rm), Self.payload(r), log2: r.s1)
        let pattern = Self.replicate(element, log2Size: r.s1)
        scratch.storeBytes(of: pattern, as: UInt64.self)
        scratch.storeBytes(of: pattern, toByteOffset: 8, as: UInt64.self)
        var e = r
        e.rm = 32
        e.imm &= ~0xFFFF_0000   // payload 0: no shift, plain multiply-accumulate kinds
        switch op {
        case .mulElem: vectorBinary(e, MulOp.self)
        case .mlaElem: vectorTernary(e, MlaOp.self)
        case .mlsElem: vectorTernary(e, MlsOp.self)
        case .sqdmulhElem: vectorBinary(e, SQDMulHOp.self)
        case .sqrdmulhElem: vectorBinary(e, SQRDMulHOp.self)
        case .smullElem: widen(e, SMulLOp.self)
        case .umullElem: widen(e, UMulLOp.self)
        case .smlalElem: widen(e, SMlaLOp.self)
        case .umlalElem: widen(e, UMlaLOp.self)
        case .smlslElem: widen(e, SMlsLOp.self)
        case .umlslElem: widen(e, UMlsLOp.self)
        case .sqdmullElem: widen(e, SQDMulLOp.self)
        case .sqdmlalElem: e.imm |= 1 << 16; widen(e, SQDMulLOp.self)
        case .sqdmlslElem: e.imm |= 2 << 16; widen(e, SQDMulLOp.self)
        case .fmulElem: fpVector2(e, FMulOp.self)
        case .fmlaElem: fpVector3(e, FMlaOp.self)
        case .fmlsElem: fpVector3(e, FMlsOp.self)
        default: fpVector2(e, FMulXOp.self)
        }
    }
}
