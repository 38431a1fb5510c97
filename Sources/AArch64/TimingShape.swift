import Microarch

/// What a timing model needs to know about one decoded instruction: the kind of work it is
/// (which latency and pipe it takes) and which register slots it reads and writes.
///
/// Record fields that an op does not use hold 0, which is also X0's slot, so the shape
/// names exactly the fields that carry real operands; the scoreboard must not see false
/// dependencies on X0. SIMD/FP records keep their V registers in the packed immediate,
/// so their shape names only the X registers they touch (none, or the address base).
public struct TimingShape: Equatable, Sendable {
    /// The classes the optimisation guides give separate latencies or pipes for.
    public enum Kind: UInt8, Sendable, CaseIterable {
        case none            // NOP, hints, the loop's own sentinels
        case alu             // ADD/SUB/logic/MOV, immediate or unshifted register; CSEL; ADR
        case aluShifted      // a shifted or extended register operand, variable shifts, bitfield, REV/CLZ
        case multiply        // 32-bit MADD/MSUB, SMADDL/UMADDL
        case multiply64      // 64-bit MADD/MSUB
        case multiplyHigh    // SMULH/UMULH
        case divide32, divide64
        case load, loadPair
        case vectorLoad      // LDR/LDP/LD1-4 of V registers
        case store, storePair
        case vectorStore
        case exclusive       // LDXR/STXR/LDXP/STXP, CAS, LSE atomics
        case branch          // B: always taken, target known at decode
        case call            // BL
        case conditionalBranch  // B.cond, CBZ/CBNZ, TBZ/TBNZ
        case indirectBranch  // BR
        case indirectCall    // BLR
        case returnBranch    // RET
        case system          // MRS/MSR, barriers, SVC/BRK, DC ZVA, what the system model runs
        case floatingPoint   // scalar FP and Advanced SIMD arithmetic
    }

    /// Register-field masks.
    public struct Fields: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let rd = Fields(rawValue: 1), rn = Fields(rawValue: 2), rm = Fields(rawValue: 4), ra = Fields(rawValue: 8)
    }

    public var kind: Kind
    /// Fields whose slots the instruction reads.
    public var sources: Fields
    /// Fields whose slots it writes.
    public var destinations: Fields
    public var readsFlags: Bool
    public var writesFlags: Bool

    public init(_ kind: Kind, reads: Fields = [], writes: Fields = [], readsFlags: Bool = false, writesFlags: Bool = false) {
        self.kind = kind; sources = reads; destinations = writes; self.readsFlags = readsFlags; self.writesFlags = writesFlags
    }

    /// Every op's base shape, indexed by `Op.rawValue`.
    static let table: [TimingShape] = (0...Int(Op.simd.rawValue)).map { shape(of: Op(rawValue: UInt16($0))!) }

    /// The shape of `r`. Pre- and post-indexed loads and stores also write their base (`rn`).
    public init(_ r: DecodedInstruction) {
        self.init(r, base: Self.table[Int(r.op.rawValue)])
    }

    /// The shape of `r` given its op's base shape.
    @inline(__always)
    init(_ r: DecodedInstruction, base: TimingShape) {
        self = base
        switch r.op {
        case .addRegW, .addRegX, .subRegW, .subRegX, .addsRegW, .addsRegX, .subsRegW, .subsRegX,
             .andRegW, .andRegX, .orrRegW, .orrRegX, .eorRegW, .eorRegX, .andsRegW, .andsRegX:
            if r.s2 != 0 { kind = .aluShifted } // a shift amount: the M pipe on the A72, an extra cycle on the A53
        case .ldrb, .ldrh, .ldrW, .ldrX, .ldrsbW, .ldrsbX, .ldrshW, .ldrshX, .ldrsw, .strb, .strh, .strW, .strX,
             .ldrVB, .ldrVH, .ldrVS, .ldrVD, .ldrVQ, .strVB, .strVH, .strVS, .strVD, .strVQ:
            if r.s1 == AddressMode.preIndex || r.s1 == AddressMode.postIndex { destinations.insert(.rn) }
            if r.s1 == AddressMode.register { sources.insert(.rm) }
        case .ldpW, .ldpX, .ldpsw, .stpW, .stpX, .ldpVS, .ldpVD, .ldpVQ, .stpVS, .stpVD, .stpVQ:
            if r.s1 != AddressMode.offset { destinations.insert(.rn) }
        default:
            break
        }
    }

    static func shape(of op: Op) -> TimingShape {
        switch op {
        case .undefined, .endOfPage, .debugBreak, .nop, .clrex:
            return TimingShape(.none)
        case .movImm:
            return TimingShape(.alu, writes: .rd)
        case .movkW, .movkX:
            return TimingShape(.alu, reads: .rd, writes: .rd)
        case .movRegW, .movRegX:
            return TimingShape(.alu, reads: .rm, writes: .rd)
        case .addImmW, .addImmX, .subImmW, .subImmX, .andImm, .orrImmW, .orrImmX, .eorImmW, .eorImmX:
            return TimingShape(.alu, reads: .rn, writes: .rd)
        case .addsImmW, .addsImmX, .subsImmW, .subsImmX, .andsImmW, .andsImmX:
            return TimingShape(.alu, reads: .rn, writes: .rd, writesFlags: true)
        case .andRegW, .andRegX, .orrRegW, .orrRegX, .eorRegW, .eorRegX, .addRegW, .addRegX, .subRegW, .subRegX:
            return TimingShape(.alu, reads: [.rn, .rm], writes: .rd)
        case .andsRegW, .andsRegX, .addsRegW, .addsRegX, .subsRegW, .subsRegX:
            return TimingShape(.alu, reads: [.rn, .rm], writes: .rd, writesFlags: true)
        case .addExtW, .addExtX, .subExtW, .subExtX:
            return TimingShape(.aluShifted, reads: [.rn, .rm], writes: .rd)
        case .addsExtW, .addsExtX, .subsExtW, .subsExtX:
            return TimingShape(.aluShifted, reads: [.rn, .rm], writes: .rd, writesFlags: true)
        case .adcW, .adcX, .sbcW, .sbcX:
            return TimingShape(.alu, reads: [.rn, .rm], writes: .rd, readsFlags: true)
        case .adcsW, .adcsX, .sbcsW, .sbcsX:
            return TimingShape(.alu, reads: [.rn, .rm], writes: .rd, readsFlags: true, writesFlags: true)
        case .ccmpW, .ccmpX, .ccmnW, .ccmnX:
            return TimingShape(.alu, reads: [.rn, .rm], readsFlags: true, writesFlags: true)
        case .cselW, .cselX, .csincW, .csincX, .csinvW, .csinvX, .csnegW, .csnegX:
            return TimingShape(.alu, reads: [.rn, .rm], writes: .rd, readsFlags: true)
        case .maddW, .msubW, .smaddl, .smsubl, .umaddl, .umsubl:
            return TimingShape(.multiply, reads: [.rn, .rm, .ra], writes: .rd)
        case .maddX, .msubX:
            return TimingShape(.multiply64, reads: [.rn, .rm, .ra], writes: .rd)
        case .smulh, .umulh:
            return TimingShape(.multiplyHigh, reads: [.rn, .rm], writes: .rd)
        case .udivW, .sdivW:
            return TimingShape(.divide32, reads: [.rn, .rm], writes: .rd)
        case .udivX, .sdivX:
            return TimingShape(.divide64, reads: [.rn, .rm], writes: .rd)
        case .lslvW, .lslvX, .lsrvW, .lsrvX, .asrvW, .asrvX, .rorvW, .rorvX:
            return TimingShape(.aluShifted, reads: [.rn, .rm], writes: .rd)
        case .rbitW, .rbitX, .rev16W, .rev16X, .revW, .revX, .rev32X, .clzW, .clzX, .clsW, .clsX, .ubfm, .sbfm:
            return TimingShape(.aluShifted, reads: .rn, writes: .rd)
        case .bfmW, .bfmX:
            return TimingShape(.aluShifted, reads: [.rn, .ra], writes: .rd)
        case .extrW, .extrX:
            return TimingShape(.aluShifted, reads: [.rn, .rm], writes: .rd)
        case .b:
            return TimingShape(.branch)
        case .bl:
            return TimingShape(.call) // writes X30, which the record adds
        case .bcond:
            return TimingShape(.conditionalBranch, readsFlags: true)
        case .cbzW, .cbzX, .cbnzW, .cbnzX, .tbz, .tbnz:
            return TimingShape(.conditionalBranch, reads: .rd)
        case .br:
            return TimingShape(.indirectBranch, reads: .rn)
        case .blr:
            return TimingShape(.indirectCall, reads: .rn)
        case .ret:
            return TimingShape(.returnBranch, reads: .rn)
        case .svc, .brk, .isb, .system:
            return TimingShape(.system)
        case .mrs:
            return TimingShape(.system, writes: .rd)
        case .msr:
            return TimingShape(.system, reads: .rd, writesFlags: true)
        case .dcZVA, .dcMaintain:
            return TimingShape(.store, reads: .rd)
        case .ldrb, .ldrh, .ldrW, .ldrX, .ldrsbW, .ldrsbX, .ldrshW, .ldrshX, .ldrsw:
            return TimingShape(.load, reads: .rn, writes: .rd)
        case .strb, .strh, .strW, .strX:
            return TimingShape(.store, reads: [.rn, .rd])
        case .ldrVB, .ldrVH, .ldrVS, .ldrVD, .ldrVQ:
            return TimingShape(.vectorLoad, reads: .rn)
        case .strVB, .strVH, .strVS, .strVD, .strVQ:
            return TimingShape(.vectorStore, reads: .rn)
        case .ldpW, .ldpX, .ldpsw:
            return TimingShape(.loadPair, reads: .rn, writes: [.rd, .ra])
        case .stpW, .stpX:
            return TimingShape(.storePair, reads: [.rn, .rd, .ra])
        case .ldpVS, .ldpVD, .ldpVQ:
            return TimingShape(.vectorLoad, reads: .rn)
        case .stpVS, .stpVD, .stpVQ:
            return TimingShape(.vectorStore, reads: .rn)
        case .ldxr:
            return TimingShape(.exclusive, reads: .rn, writes: .rd)
        case .ldxp:
            return TimingShape(.exclusive, reads: .rn, writes: [.rd, .ra])
        case .stxr:
            return TimingShape(.exclusive, reads: [.rn, .rd], writes: .rm)
        case .stxp:
            return TimingShape(.exclusive, reads: [.rn, .rd, .ra], writes: .rm)
        case .cas:
            return TimingShape(.exclusive, reads: [.rn, .rm, .rd], writes: .ra)
        case .casp:
            return TimingShape(.exclusive, reads: [.rn, .rm, .rd], writes: .rm)
        case .ldAtomic:
            return TimingShape(.exclusive, reads: [.rn, .rm], writes: .rd)
        case .simd:
            return TimingShape(.floatingPoint)
        }
    }
}

extension TimingRecord {
    /// The record of a decoded A64 instruction, computed once when its page is decoded (for a
    /// core with a timing model). Slots are register-file slots; XZR and the sink are neither
    /// read nor written. A base register's write-back and BL/BLR's X30 are the early
    /// destination; NZCV is one more source or destination when the instruction uses it.
    public init(_ r: DecodedInstruction) {
        let shape = TimingShape(r)
        if r.op == .endOfPage {
            self.init(kind: Self.absent)
            return
        }
        func real(_ v: UInt8) -> Bool { v != RegisterSlot.zero && v != RegisterSlot.sink }
        var sources: [UInt8] = []
        for (f, v) in [(TimingShape.Fields.rd, r.rd), (.rn, r.rn), (.rm, r.rm), (.ra, r.ra)] where shape.sources.contains(f) && real(v) {
            sources.append(v)
        }
        if shape.readsFlags { sources.append(Self.flags) }
        var written: [UInt8] = []
        for (f, v) in [(TimingShape.Fields.rd, r.rd), (.ra, r.ra), (.rm, r.rm)] where shape.destinations.contains(f) && real(v) {
            written.append(v)
        }
        if shape.writesFlags { written.append(Self.flags) }
        var early = Self.sink
        if shape.destinations.contains(.rn) && real(r.rn) { early = r.rn } // write-back of the base
        if r.op == .bl || r.op == .blr { early = 30 }
        self.init(kind: shape.kind.rawValue, sources: Array(sources.prefix(4)), destinations: Array(written.prefix(2)), early: early)
    }
}

extension TimingShape.Kind {
    /// The class's name in board files: the case name in kebab case ("alu-shifted", "return-branch").
    public var boardName: String {
        var out = ""
        for ch in String(describing: self) {
            if ch.isUppercase { out += "-" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}
