/// An instruction the run loop hands to the system model, decoded into its fields.
///
/// The loop stops on these (`StopReason.systemInstruction`) because each may
/// change what the loop relies on: the exception level, the translation
/// regime, the interrupt masks, or whether the core runs at all.
public enum SystemInstruction: Equatable, Sendable {
    case waitForEvent, waitForInterrupt, sendEvent, sendEventLocal
    /// MSR (immediate): DAIFSet, DAIFClr, SPSel and the other PSTATE fields.
    case msrImmediate(op1: UInt8, crm: UInt8, op2: UInt8)
    /// SYS: TLB maintenance, address translation, cache maintenance by set/way or at EL1.
    case sys(op1: UInt8, crn: UInt8, crm: UInt8, op2: UInt8, rt: UInt8)
    /// MRS Xt, <register>; `encoding` packs op0:op1:CRn:CRm:op2 like `SystemRegister.encoding`.
    case mrs(encoding: UInt16, rt: UInt8)
    /// MSR <register>, Xt.
    case msr(encoding: UInt16, rt: UInt8)
    case hypervisorCall(immediate: UInt16)
    case secureMonitorCall(immediate: UInt16)
    case exceptionReturn

    /// Decodes one of the words that `A64Decoder` marks `.system`; nil for anything else.
    public init?(word w: UInt32) {
        func field(_ hi: Int, _ lo: Int) -> UInt32 { (w >> UInt32(lo)) & ((1 << UInt32(hi - lo + 1)) - 1) }
        if w == 0xD69F_03E0 { self = .exceptionReturn; return }
        if field(31, 24) == 0b1101_0100 && field(23, 21) == 0 && field(4, 2) == 0 {
            let imm = UInt16(field(20, 5))
            switch field(1, 0) {
            case 2: self = .hypervisorCall(immediate: imm); return
            case 3: self = .secureMonitorCall(immediate: imm); return
            default: return nil
            }
        }
        guard field(31, 22) == 0b1101_0101_00 else { return nil }
        let l = field(21, 21) == 1
        let op0 = field(20, 19), op1 = UInt8(field(18, 16)), crn = UInt8(field(15, 12))
        let crm = UInt8(field(11, 8)), op2 = UInt8(field(7, 5)), rt = UInt8(field(4, 0))
        switch (op0, l) {
        case (0, false) where crn == 2 && op1 == 3 && crm == 0 && rt == 31:
            switch op2 {
            case 2: self = .waitForEvent
            case 3: self = .waitForInterrupt
            case 4: self = .sendEvent
            case 5: self = .sendEventLocal
            default: return nil
            }
        case (0, false) where crn == 4 && rt == 31:
            self = .msrImmediate(op1: op1, crm: crm, op2: op2)
        case (1, false):
            self = .sys(op1: op1, crn: crn, crm: crm, op2: op2, rt: rt)
        case (2, _), (3, _):
            let encoding = UInt16(op0) << 14 | UInt16(op1) << 11 | UInt16(crn) << 7 | UInt16(crm) << 3 | UInt16(op2)
            self = l ? .mrs(encoding: encoding, rt: rt) : .msr(encoding: encoding, rt: rt)
        default:
            return nil
        }
    }
}

extension AArch64CPU {
    /// Retires the instruction at `pc` without executing anything (a hint a user-mode process may run).
    public func retireWithoutEffect() {
        pc &+= 4
        retired &+= 1
        cycles &+= 1
    }
}
