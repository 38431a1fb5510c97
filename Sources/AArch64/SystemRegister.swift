/// The system registers an EL0 program may name in MRS/MSR.
///
/// Encodings are (op0, op1, CRn, CRm, op2) from the ARM ARM, packed as
/// op0:op1:CRn:CRm:op2 into 16 bits. Registers that Linux traps and emulates
/// for EL0 (MIDR_EL1 and the ID registers, under HWCAP_CPUID) are not listed:
/// evlsim does not advertise HWCAP_CPUID, so glibc never reads them.
public enum SystemRegister: UInt8, CaseIterable, Sendable {
    case nzcv, fpcr, fpsr, tpidrEL0, tpidrroEL0, cntfrqEL0, cntpctEL0, cntvctEL0, ctrEL0, dczidEL0

    public var encoding: UInt16 {
        func enc(_ op0: UInt16, _ op1: UInt16, _ crn: UInt16, _ crm: UInt16, _ op2: UInt16) -> UInt16 {
            op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2
        }
        switch self {
        case .nzcv: return enc(3, 3, 4, 2, 0)
        case .fpcr: return enc(3, 3, 4, 4, 0)
        case .fpsr: return enc(3, 3, 4, 4, 1)
        case .tpidrEL0: return enc(3, 3, 13, 0, 2)
        case .tpidrroEL0: return enc(3, 3, 13, 0, 3)
        case .cntfrqEL0: return enc(3, 3, 14, 0, 0)
        case .cntpctEL0: return enc(3, 3, 14, 0, 1)
        case .cntvctEL0: return enc(3, 3, 14, 0, 2)
        case .ctrEL0: return enc(3, 3, 0, 0, 1)
        case .dczidEL0: return enc(3, 3, 0, 0, 7)
        }
    }

    public init?(encoding: UInt16) {
        guard let r = Self.allCases.first(where: { $0.encoding == encoding }) else { return nil }
        self = r
    }

    /// Whether EL0 may write it (the rest are read-only there and MSR to them is UNDEFINED).
    public var isWritableAtEL0: Bool {
        switch self {
        case .nzcv, .fpcr, .fpsr, .tpidrEL0: return true
        default: return false
        }
    }

    /// The architectural name, as capstone and the ARM ARM spell it.
    public var name: String {
        switch self {
        case .nzcv: return "NZCV"
        case .fpcr: return "FPCR"
        case .fpsr: return "FPSR"
        case .tpidrEL0: return "TPIDR_EL0"
        case .tpidrroEL0: return "TPIDRRO_EL0"
        case .cntfrqEL0: return "CNTFRQ_EL0"
        case .cntpctEL0: return "CNTPCT_EL0"
        case .cntvctEL0: return "CNTVCT_EL0"
        case .ctrEL0: return "CTR_EL0"
        case .dczidEL0: return "DCZID_EL0"
        }
    }
}
