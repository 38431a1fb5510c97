import Memory

/// The outcome of an out-of-line SIMD/FP record.
@usableFromInline enum SIMDOutcome {
    case next, undefined, fault
}

/// The Advanced SIMD and floating-point operations (`DecodedInstruction.imm & 0xFFFF`).
public enum SIMDOp: UInt16, Sendable {
    case unimplemented
}

extension A64Decoder {
    /// Decodes the data-processing SIMD & FP group (op0 = x111).
    static func decodeSIMDFP(_ w: UInt32) -> DecodedInstruction {
        simdUndefined(w)
    }

    /// Decodes the Advanced SIMD structure loads and stores (LD1–LD4, ST1–ST4, LDnR).
    static func decodeSIMDLoadStore(_ w: UInt32) -> DecodedInstruction {
        simdUndefined(w)
    }

    /// A SIMD record that raises SIGILL, carrying its word for the report.
    static func simdUndefined(_ w: UInt32) -> DecodedInstruction {
        .undefined(w)
    }
}

extension AArch64CPU {
    @inline(never)
    func executeSIMD(_ r: DecodedInstruction, _ mem: GuestMemory, flags: inout UInt64) -> SIMDOutcome {
        .undefined
    }
}
