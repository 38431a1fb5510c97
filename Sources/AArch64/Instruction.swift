/// One pre-decoded A64 instruction: what the hot loop walks instead of the raw word.
///
/// Field conventions (the decoder resolves them once so the loop never does):
/// - `rd`, `rn`, `rm`, `ra` are register *slots*: 0–30 are X0–X30, 31 is SP,
///   32 reads as zero (XZR/WZR as a source), 33 is a write sink (XZR as a
///   destination). See `RegisterSlot`.
/// - `imm` carries the instruction's constant, already expanded: a branch's
///   absolute target, an address for PC-relative forms, a decoded bitmask.
/// - `s1`, `s2` carry small modifiers whose meaning each `Op` documents
///   (shift type and amount, extend, addressing mode, condition mask).
/// - A condition is stored as a 16-bit mask over NZCV values (`s1` low byte,
///   `s2` high byte): the condition holds when bit `nzcv` of the mask is set.
/// - SIMD and FP records use `op = .simd`; `imm & 0xFFFF` is their `SIMDOp`,
///   bits 16–31 of `imm` an immediate payload, and `imm >> 32` the raw word
///   (so a runtime SIGILL can still name the instruction).
public struct DecodedInstruction: Equatable, Sendable {
    public var op: Op
    public var rd: UInt8 = 0
    public var rn: UInt8 = 0
    public var rm: UInt8 = 0
    public var ra: UInt8 = 0
    public var s1: UInt8 = 0
    public var s2: UInt8 = 0
    public var imm: UInt64 = 0

    @inlinable public init(op: Op, rd: UInt8 = 0, rn: UInt8 = 0, rm: UInt8 = 0, ra: UInt8 = 0,
                           s1: UInt8 = 0, s2: UInt8 = 0, imm: UInt64 = 0) {
        self.op = op; self.rd = rd; self.rn = rn; self.rm = rm; self.ra = ra
        self.s1 = s1; self.s2 = s2; self.imm = imm
    }

    /// An undefined or unimplemented encoding; executing it raises SIGILL.
    @inlinable public static func undefined(_ word: UInt32) -> DecodedInstruction {
        DecodedInstruction(op: .undefined, imm: UInt64(word))
    }

    @inlinable public static func system(_ word: UInt32) -> DecodedInstruction {
        DecodedInstruction(op: .system, imm: UInt64(word))
    }
}

/// Register slot numbers used in `DecodedInstruction`.
public enum RegisterSlot {
    public static let sp: UInt8 = 31
    public static let zero: UInt8 = 32
    public static let sink: UInt8 = 33
    public static let count = 34
}

/// Addressing modes of load/store records (`s1`).
public enum AddressMode {
    /// base + imm
    public static let offset: UInt8 = 0
    /// base + imm, then base = address
    public static let preIndex: UInt8 = 1
    /// base, then base = base + imm
    public static let postIndex: UInt8 = 2
    /// base + (extend(rm, s2) << ra)
    public static let register: UInt8 = 3
}

/// The operation of a pre-decoded record.
///
/// `W`/`X` suffixes give the operand size. Unless stated, `rd = f(rn, rm)`.
public enum Op: UInt16, Sendable {
    // Control of the loop itself.
    case undefined          // imm = the raw word
    case endOfPage          // sentinel after the last slot of a page
    case debugBreak         // a debugger's breakpoint in place of the instruction (`DecodeCache.breakpoints`)
    case nop

    // Moves and PC-relative.
    case movImm             // rd = imm (MOVZ, MOVN, ADR, ADRP)
    case movkW, movkX       // rd = rd & ~(0xFFFF << s1) | imm
    case movRegW, movRegX   // rd = rm (ORR Rd, ZR, Rm)

    // Add/sub immediate: imm is already shifted.
    case addImmW, addImmX, subImmW, subImmX, addsImmW, addsImmX, subsImmW, subsImmX
    // Logical immediate: imm is the expanded bitmask.
    case andImm, orrImmW, orrImmX, eorImmW, eorImmX, andsImmW, andsImmX
    // Logical shifted register: op2 = shift(rm, type s1, amount s2) ^ imm (imm inverts for BIC/ORN/EON/BICS).
    case andRegW, andRegX, orrRegW, orrRegX, eorRegW, eorRegX, andsRegW, andsRegX
    // Add/sub shifted register: op2 = shift(rm, type s1, amount s2).
    case addRegW, addRegX, subRegW, subRegX, addsRegW, addsRegX, subsRegW, subsRegX
    // Add/sub extended register: op2 = extend(rm, option s1) << s2.
    case addExtW, addExtX, subExtW, subExtX, addsExtW, addsExtX, subsExtW, subsExtX
    case adcW, adcX, adcsW, adcsX, sbcW, sbcX, sbcsW, sbcsX
    // Conditional compare: op2 = rm | imm; cond mask in s1/s2; ra = nzcv when the condition fails.
    case ccmpW, ccmpX, ccmnW, ccmnX
    // Conditional select: cond mask in s1/s2.
    case cselW, cselX, csincW, csincX, csinvW, csinvX, csnegW, csnegX
    // Three-source multiply: rd = ra ± rn * rm.
    case maddW, maddX, msubW, msubX, smaddl, smsubl, umaddl, umsubl, smulh, umulh
    case udivW, udivX, sdivW, sdivX
    case lslvW, lslvX, lsrvW, lsrvX, asrvW, asrvX, rorvW, rorvX
    case rbitW, rbitX, rev16W, rev16X, revW, revX, rev32X, clzW, clzX, clsW, clsX
    // Bitfield: v = (rn << s1) >> s2 (logical for UBFM, arithmetic for SBFM).
    case ubfm               // rd = v
    case sbfm               // rd = v & imm
    case bfmW, bfmX         // rd = (rd & ~imm) | (v & imm)
    case extrW, extrX       // rd = (rn:rm) >> s1

    // Branches: imm = absolute target.
    case b, bl
    case bcond              // cond mask in s1/s2
    case cbzW, cbzX, cbnzW, cbnzX   // test rd
    case tbz, tbnz          // test bit s1 of rd
    case br, blr, ret       // target = rn

    // System.
    case svc                // imm = the SVC immediate
    case brk                // imm = the BRK immediate
    case mrs                // rd = sysreg s1 (SystemRegister raw value)
    case msr                // sysreg s1 = rd
    case dcZVA              // zero the DC ZVA block holding rd
    case dcMaintain         // DC CVAU/CVAC/CIVAC/CVAP/CVADP on the line holding rd; s1 bit 0 = clean, bit 1 = invalidate (no functional effect)
    case isb                // ends the current decoded run so new code is refetched
    case clrex
    case system             // imm = the raw word: executed out of line by the system model (EL1 registers, TLBI, WFI, ERET, HVC...)

    // Loads and stores: address per `AddressMode` in s1, data register rd.
    case ldrb, ldrh, ldrW, ldrX, ldrsbW, ldrsbX, ldrshW, ldrshX, ldrsw
    case strb, strh, strW, strX
    case ldrVB, ldrVH, ldrVS, ldrVD, ldrVQ, strVB, strVH, strVS, strVD, strVQ
    // Pairs: rd and ra are the two registers; s1 is offset, pre or post.
    case ldpW, ldpX, ldpsw, stpW, stpX, ldpVS, ldpVD, ldpVQ, stpVS, stpVD, stpVQ
    // Exclusives: s2 = log2(size); rm = status register for stores; ra = second register of pairs.
    case ldxr, stxr, ldxp, stxp
    // LSE: rm = Rs; s2 = log2(size); s1 = AtomicOp for ldAtomic.
    case cas, casp, ldAtomic

    // Advanced SIMD and floating point, executed out of line (see SIMD files).
    case simd
}

/// The read-modify-write operations of the LSE atomic family (`ldAtomic`'s `s1`).
public enum AtomicOp: UInt8, Sendable {
    case add, clr, eor, set, smax, smin, umax, umin, swp
}
