import Memory

/// What a full-system core needs from the machine after a run slice stopped.
public enum SystemAction: Equatable, Sendable {
    /// Keep running (an exception may have been taken; interrupts should be checked again).
    case proceed
    /// WFI retired: sleep until an interrupt is pending.
    case waitForInterrupt
    /// WFE retired with the event register clear: sleep until an event or an interrupt.
    case waitForEvent
    /// SEV retired: set every core's event register.
    case sendEvent
    /// HVC or SMC from EL1 retired (`pc` is past it): the machine's firmware (PSCI) answers in X0–X3,
    /// or calls `undefinedCall()` when nothing answers on that conduit.
    case hypervisorCall(UInt16)
    case secureMonitorCall(UInt16)
}

/// Exception classes (ESR_ELx.EC) that this model raises.
public enum ExceptionClass: UInt64, Sendable {
    case unknown = 0x00
    case trappedWFx = 0x01
    case fpAccess = 0x07
    case illegalState = 0x0E
    case svc = 0x15
    case trappedSystemRegister = 0x18
    case instructionAbortLower = 0x20
    case instructionAbortSame = 0x21
    case pcAlignment = 0x22
    case dataAbortLower = 0x24
    case dataAbortSame = 0x25
    case brk = 0x3C
}

/// The vector an exception goes to, as its offset within a vector group.
public enum ExceptionVector: UInt64, Sendable {
    case synchronous = 0x000, irq = 0x080, fiq = 0x100, serror = 0x180
}

extension AArch64CPU {
    /// Turns this core into a full-system core over `mmu`, reset to EL1h with DAIF masked and the MMU off.
    public func enterSystemMode(identity: AArch64CoreIdentity, mmu: AArch64MMU) {
        precondition(port === mmu, "a system core's port must be its MMU")
        let el0 = DecodeCache(port: mmu, listen: false)
        let el1 = decodeCache
        let state = AArch64SystemState(identity: identity, mmu: mmu, decodeEL0: el0, decodeEL1: el1)
        mmu.bus.addCodeListener { [unowned el0, unowned el1] ppn in
            el0.invalidate(physicalPage: ppn)
            el1.invalidate(physicalPage: ppn)
        }
        mmu.translationsChanged = { [unowned el0, unowned el1] in
            el0.invalidateTranslations()
            el1.invalidateTranslations()
        }
        system = state
        mmu.setExceptionLevel(1)
        updateFPTrap()
    }

    var sys: AArch64SystemState { system! }

    // MARK: Exceptions

    /// Takes an exception to EL1: saves PSTATE and the return address, masks DAIF and jumps to the vector.
    public func takeException(_ ec: ExceptionClass, iss: UInt64 = 0, returnAddress: UInt64, faultAddress: UInt64? = nil,
                              vector: ExceptionVector = .synchronous) {
        let s = sys
        s.exceptionsTaken &+= 1
        let groupOffset: UInt64 = s.el == 0 ? 0x400 : (s.spSel == 0 ? 0x000 : 0x200)
        s.spsr = s.pstate(nzcv: nzcv)
        s.elr = returnAddress
        if vector == .synchronous {
            s.esr = ec.rawValue << 26 | 1 << 25 | (iss & 0x1FF_FFFF)
        }
        if let faultAddress { s.far = faultAddress }
        stashStackPointer()
        s.el = 1
        s.spSel = 1
        s.daif = 0x3C0
        s.illegalState = false
        x[Int(RegisterSlot.sp)] = s.spEL1
        pc = (s.vbar & ~0x7FF) &+ groupOffset &+ vector.rawValue
        exceptionLevelChanged()
    }

    /// Takes an IRQ or FIQ if its input is asserted and PSTATE does not mask it; returns whether one was taken.
    public func takeInterruptIfUnmasked(irq: Bool, fiq: Bool) -> Bool {
        let s = sys
        if fiq && s.daif & 0x40 == 0 {
            takeException(.unknown, returnAddress: pc, vector: .fiq)
            return true
        }
        if irq && s.daif & 0x80 == 0 {
            takeException(.unknown, returnAddress: pc, vector: .irq)
            return true
        }
        return false
    }

    /// ERET: restores PSTATE from SPSR_EL1 and continues at ELR_EL1.
    func exceptionReturn() {
        let s = sys
        let spsr = s.spsr
        let m = spsr & 0x1F
        stashStackPointer()
        // Only EL0t, EL1t and EL1h exist here; anything else (AArch32, EL2, EL3) is an illegal return.
        if m == 0b00000 || m == 0b00100 || m == 0b00101 {
            s.el = UInt8(m >> 2)
            s.spSel = UInt8(m & 1)
            s.illegalState = (spsr >> 20) & 1 == 1
        } else {
            s.illegalState = true
        }
        nzcv = spsr >> 28
        s.daif = spsr & 0x3C0
        x[Int(RegisterSlot.sp)] = s.el == 0 || s.spSel == 0 ? s.spEL0 : s.spEL1
        pc = s.elr
        exclusiveOpen = false
        exceptionLevelChanged()
    }

    /// Saves the SP slot into the bank PSTATE currently selects.
    func stashStackPointer() {
        let s = sys
        if s.el == 0 || s.spSel == 0 { s.spEL0 = x[Int(RegisterSlot.sp)] } else { s.spEL1 = x[Int(RegisterSlot.sp)] }
    }

    func exceptionLevelChanged() {
        let s = sys
        s.mmu.setExceptionLevel(s.el)
        decodeCache = s.el == 0 ? s.decodeEL0 : s.decodeEL1
        updateFPTrap()
    }

    func updateFPTrap() {
        let fpen = (sys.cpacr >> 20) & 3
        fpAccessTraps = sys.el == 0 ? fpen != 3 : fpen & 1 == 0
    }

    /// Raises UNDEFINED for the HVC or SMC just retired, when no firmware answers on its conduit.
    public func undefinedCall() {
        pc &-= 4
        takeException(.unknown, returnAddress: pc)
    }

    // MARK: Stops

    /// Carries out what stopped the loop: takes the exception it raised, executes a system
    /// instruction, or replays a device access. Returns what the machine must do next.
    public func handle(_ stop: StopReason) -> SystemAction {
        let s = sys
        let lower = s.el == 0
        switch stop {
        case .limit, .debuggerBreakpoint:
            return .proceed // a debugger's stop: the machine hands it to the debugger before this
        case .supervisorCall(let imm):
            takeException(.svc, iss: imm & 0xFFFF, returnAddress: pc)
        case .breakpoint(let imm):
            takeException(.brk, iss: imm & 0xFFFF, returnAddress: pc)
        case .undefinedInstruction:
            takeException(.unknown, returnAddress: pc)
        case .fpAccessTrap:
            // CV = 1 and COND = 0b1110 for a trapped AArch64 instruction.
            takeException(.fpAccess, iss: 0x1E0_0000, returnAddress: pc)
        case .pcAlignment(let target):
            takeException(.pcAlignment, returnAddress: target, faultAddress: target)
        case .alignmentFault(let address):
            let word = fetchWordForSyndrome(pc)
            // Exclusive and atomic stores report WnR; the word tells which one faulted.
            let isStore = word.map { ($0 >> 24) & 0x3F == 0x08 && ($0 >> 22) & 1 == 0 } ?? false
            takeException(lower ? .dataAbortLower : .dataAbortSame, iss: (isStore ? 1 << 6 : 0) | 0x21,
                          returnAddress: pc, faultAddress: address)
        case .dataAbort(let f):
            if f.kind == .device { return replayDeviceAccess() }
            takeException(lower ? .dataAbortLower : .dataAbortSame, iss: (f.isWrite ? 1 << 6 : 0) | faultStatus(f),
                          returnAddress: pc, faultAddress: f.address)
        case .instructionAbort(let f):
            takeException(lower ? .instructionAbortLower : .instructionAbortSame, iss: faultStatus(f),
                          returnAddress: pc, faultAddress: pc)
        case .systemInstruction(let word):
            return executeSystemInstruction(word)
        }
        return .proceed
    }

    /// Runs the instruction at `pc` once more with device access armed, so its MMIO happens now.
    private func replayDeviceAccess() -> SystemAction {
        let mmu = sys.mmu
        mmu.deviceAccessArmed = true
        let stop = run(limit: 1)
        mmu.deviceAccessArmed = false
        if case .dataAbort(let f) = stop, f.kind == .device { // cannot recur: armed accesses reach the device
            takeException(.dataAbortSame, iss: 0x10, returnAddress: pc, faultAddress: f.address)
            return .proceed
        }
        return handle(stop)
    }

    /// DFSC/IFSC for a fault (ARM ARM, ESR_ELx ISS encoding for Data and Instruction Aborts).
    func faultStatus(_ f: MemoryFault) -> UInt64 {
        let level = UInt64(f.level & 3)
        switch f.kind {
        case .addressSize: return 0x00 | level
        case .unmapped: return 0x04 | level
        case .accessFlag: return 0x08 | level
        case .permission: return 0x0C | level
        case .external: return f.duringWalk ? 0x14 | level : 0x10
        case .alignment: return 0x21
        case .device: return 0x10
        case .watchpoint: return 0x22 // never taken: the machine hands a debugger's watchpoint to the debugger
        }
    }

    func fetchWordForSyndrome(_ address: UInt64) -> UInt32? {
        guard case .success(let t) = sys.mmu.translate(address, .execute), let p = sys.mmu.bus.ram(t.physical) else { return nil }
        return p.load(as: UInt32.self)
    }

    // MARK: System instructions

    func executeSystemInstruction(_ word: UInt32) -> SystemAction {
        let s = sys
        guard let instruction = SystemInstruction(word: word) else {
            takeException(.unknown, returnAddress: pc)
            return .proceed
        }
        let atEL0 = s.el == 0
        switch instruction {
        case .waitForInterrupt, .waitForEvent:
            let isWFE = instruction == .waitForEvent
            // SCTLR_EL1.nTWI (bit 16) / nTWE (bit 18) clear: EL0 WFI/WFE trap to EL1.
            if atEL0 && (s.mmu.sctlr >> (isWFE ? 18 : 16)) & 1 == 0 {
                takeException(.trappedWFx, iss: 0x1E0_0000 | (isWFE ? 1 : 0), returnAddress: pc)
                return .proceed
            }
            retireWithoutEffect()
            if isWFE {
                if s.eventRegister { s.eventRegister = false; return .proceed }
                return .waitForEvent
            }
            return .waitForInterrupt
        case .sendEvent:
            retireWithoutEffect()
            return .sendEvent
        case .sendEventLocal:
            s.eventRegister = true
        case .exceptionReturn:
            guard !atEL0 else { takeException(.unknown, returnAddress: pc); return .proceed }
            retired &+= 1; cycles &+= 1
            exceptionReturn()
            return .proceed
        case .hypervisorCall(let imm):
            guard !atEL0 else { takeException(.unknown, returnAddress: pc); return .proceed }
            retireWithoutEffect()
            return .hypervisorCall(imm)
        case .secureMonitorCall(let imm):
            guard !atEL0 else { takeException(.unknown, returnAddress: pc); return .proceed }
            retireWithoutEffect()
            return .secureMonitorCall(imm)
        case .msrImmediate(let op1, let crm, let op2):
            if !executeMSRImmediate(op1: op1, crm: crm, op2: op2, word: word) { return .proceed }
        case .sys(let op1, let crn, let crm, let op2, let rt):
            if atEL0 || !executeSys(op1: op1, crn: crn, crm: crm, op2: op2, value: rt == 31 ? 0 : x[Int(rt)]) {
                takeException(.unknown, returnAddress: pc)
                return .proceed
            }
        case .mrs(let encoding, let rt):
            guard let value = readRegister(encoding, word: word) else { return .proceed }
            if rt != 31 { x[Int(rt)] = value }
        case .msr(let encoding, let rt):
            if !writeRegister(encoding, rt == 31 ? 0 : x[Int(rt)], word: word) { return .proceed }
        }
        retireWithoutEffect()
        return .proceed
    }

    /// Raises the trap for an EL0 access that SCTLR_EL1.UMA forbids (EC 0x18), or UNDEFINED.
    private func trapSystemRegisterAccess(_ word: UInt32, isRead: Bool, trapped: Bool) {
        guard trapped else { takeException(.unknown, returnAddress: pc); return }
        let op0 = UInt64((word >> 19) & 3), op1 = UInt64((word >> 16) & 7), crn = UInt64((word >> 12) & 0xF)
        let crm = UInt64((word >> 8) & 0xF), op2 = UInt64((word >> 5) & 7), rt = UInt64(word & 0x1F)
        let iss = op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | rt << 5 | crm << 1 | (isRead ? 1 : 0)
        takeException(.trappedSystemRegister, iss: iss, returnAddress: pc)
    }

    private func executeMSRImmediate(op1: UInt8, crm: UInt8, op2: UInt8, word: UInt32) -> Bool {
        let s = sys
        switch (op1, op2) {
        case (3, 6), (3, 7): // DAIFSet, DAIFClr
            if s.el == 0 {
                guard (s.mmu.sctlr >> 9) & 1 == 1 else { // SCTLR_EL1.UMA
                    trapSystemRegisterAccess(word, isRead: false, trapped: true)
                    return false
                }
            }
            let bits = UInt64(crm) << 6
            if op2 == 6 { s.daif |= bits } else { s.daif &= ~bits }
            return true
        case (0, 5) where s.el == 1: // SPSel
            stashStackPointer()
            s.spSel = crm & 1
            x[Int(RegisterSlot.sp)] = s.spSel == 0 ? s.spEL0 : s.spEL1
            return true
        default: // PAN, UAO, SSBS, DIT...: not in ARMv8.0
            takeException(.unknown, returnAddress: pc)
            return false
        }
    }

    /// A TLBI reached this core: the architectural TLB and the timing model's drop the entries.
    public func translationsInvalidated(_ op: AArch64MMU.TLBIOperation) {
        sys.mmu.invalidate(op)
        switch op {
        case .address(let vpn, let asid?): timing?.translationInvalidated(page: vpn, asid: asid)
        default: timing?.translationsInvalidated()
        }
    }

    /// TLBI, AT, DC and IC at EL1; false when the operation does not exist.
    private func executeSys(op1: UInt8, crn: UInt8, crm: UInt8, op2: UInt8, value: UInt64) -> Bool {
        let s = sys
        guard op1 == 0 else { return op1 == 3 && crn == 7 } // EL0-visible cache maintenance at EL1: nothing to do
        switch (crn, crm, op2) {
        case (8, 3, _), (8, 7, _): // TLBI ...IS (CRm 3) and local (CRm 7)
            let page = value & 0xFFF_FFFF_FFFF
            let vpn = page >> 43 & 1 == 1 ? page | 0xFFF0_0000_0000_0000 : page
            let asid = UInt16(truncatingIfNeeded: value >> 48)
            let op: AArch64MMU.TLBIOperation
            switch op2 {
            case 0: op = .all
            case 1, 5: op = .address(vpn, asid: (s.mmu.tcr >> 36) & 1 == 1 ? asid : asid & 0xFF)
            case 2: op = .asid((s.mmu.tcr >> 36) & 1 == 1 ? asid : asid & 0xFF)
            case 3, 7: op = .address(vpn, asid: nil)
            default: return false
            }
            if crm == 3, let broadcast = s.broadcastTLBI { broadcast(op) } else { translationsInvalidated(op) }
            return true
        case (7, 8, 0...3): // AT S1E1R, S1E1W, S1E0R, S1E0W
            let kind: AccessKind = op2 & 1 == 1 ? .write : .read
            switch s.mmu.translate(value, kind, el: op2 >= 2 ? 0 : 1) {
            case .success(let t):
                s.par = UInt64(t.attributes) << 56 | (t.physical & 0x0000_FFFF_FFFF_F000) | 0b11 << 7 // inner shareable
            case .failure(let f):
                s.par = (f.duringWalk ? 1 << 8 : 0) | faultStatus(f) << 1 | 1
            }
            return true
        case (7, 1, 0), (7, 5, 0): // IC IALLUIS, IC IALLU: decodes follow writes already
            return true
        case (7, 6, 1), (7, 6, 2), (7, 10, 2), (7, 14, 2): // DC IVAC, ISW, CSW, CISW: no cache contents to lose
            return true
        default:
            return false
        }
    }

    // MARK: System registers

    private enum Reg {
        static func e(_ op0: UInt16, _ op1: UInt16, _ crn: UInt16, _ crm: UInt16, _ op2: UInt16) -> UInt16 {
            op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2
        }
        static let midr = e(3, 0, 0, 0, 0), mpidr = e(3, 0, 0, 0, 5), revidr = e(3, 0, 0, 0, 6)
        static let pfr0 = e(3, 0, 0, 4, 0), dfr0 = e(3, 0, 0, 5, 0), isar0 = e(3, 0, 0, 6, 0), mmfr0 = e(3, 0, 0, 7, 0)
        static let ccsidr = e(3, 1, 0, 0, 0), clidr = e(3, 1, 0, 0, 1), aidr = e(3, 1, 0, 0, 7), csselr = e(3, 2, 0, 0, 0)
        static let sctlr = e(3, 0, 1, 0, 0), actlr = e(3, 0, 1, 0, 1), cpacr = e(3, 0, 1, 0, 2)
        static let ttbr0 = e(3, 0, 2, 0, 0), ttbr1 = e(3, 0, 2, 0, 1), tcr = e(3, 0, 2, 0, 2)
        static let spsr = e(3, 0, 4, 0, 0), elr = e(3, 0, 4, 0, 1), spEL0 = e(3, 0, 4, 1, 0)
        static let spsel = e(3, 0, 4, 2, 0), currentEL = e(3, 0, 4, 2, 2), daif = e(3, 3, 4, 2, 1)
        static let afsr0 = e(3, 0, 5, 1, 0), afsr1 = e(3, 0, 5, 1, 1), esr = e(3, 0, 5, 2, 0)
        static let far = e(3, 0, 6, 0, 0), par = e(3, 0, 7, 4, 0)
        static let mair = e(3, 0, 10, 2, 0), amair = e(3, 0, 10, 3, 0)
        static let vbar = e(3, 0, 12, 0, 0), rvbar = e(3, 0, 12, 0, 1), isr = e(3, 0, 12, 1, 0)
        static let contextidr = e(3, 0, 13, 0, 1), tpidrEL1 = e(3, 0, 13, 0, 4), tpidrroEL0 = e(3, 3, 13, 0, 3)
        static let oslar = e(2, 0, 1, 0, 4), oslsr = e(2, 0, 1, 1, 4)
    }

    /// MRS at the current EL; nil after raising the exception an illegal access takes.
    private func readRegister(_ enc: UInt16, word: UInt32) -> UInt64? {
        let s = sys
        if s.el == 0 {
            if enc == Reg.daif {
                guard (s.mmu.sctlr >> 9) & 1 == 1 else { trapSystemRegisterAccess(word, isRead: true, trapped: true); return nil }
                return s.daif
            }
            trapSystemRegisterAccess(word, isRead: true, trapped: false)
            return nil
        }
        let id = s.identity
        switch enc {
        case Reg.midr: return id.midr
        case Reg.mpidr: return id.mpidr
        case Reg.revidr, Reg.aidr, Reg.rvbar: return 0
        // EL0 and EL1 AArch64 only, no EL2/EL3, FP and AdvSIMD present, GIC system registers per board.
        case Reg.pfr0: return 0x11 | (id.gicSystemRegisters ? 1 << 24 : 0)
        case Reg.dfr0: return 0x0000_0000_1030_5106 // Cortex-A72/A53 value: debug v8, 6 breakpoints, 4 watchpoints
        case Reg.isar0: return 0x2 << 20 // LSE atomics; no AES, SHA, CRC32
        case Reg.mmfr0: // 4 KiB granule only, 16-bit ASIDs, PARange per core
            let parange: UInt64 = id.physicalAddressBits >= 48 ? 5 : id.physicalAddressBits >= 44 ? 4 : 2
            return 0xF << 24 | 2 << 4 | parange
        case _ where enc >> 7 == (3 << 7 | 0 << 4 | 0) && (enc >> 3) & 0xF >= 1: // rest of the ID space: RAZ
            return 0
        case Reg.ccsidr:
            let i = Int(s.csselr & 0xF)
            return i < id.ccsidr.count ? id.ccsidr[i] : 0
        case Reg.clidr: return id.clidr
        case Reg.csselr: return s.csselr
        case Reg.sctlr: return s.mmu.sctlr
        case Reg.actlr: return s.actlr
        case Reg.cpacr: return s.cpacr
        case Reg.ttbr0: return s.mmu.ttbr0
        case Reg.ttbr1: return s.mmu.ttbr1
        case Reg.tcr: return s.mmu.tcr
        case Reg.spsr: return s.spsr
        case Reg.elr: return s.elr
        case Reg.spEL0:
            guard s.spSel == 1 else { trapSystemRegisterAccess(word, isRead: true, trapped: false); return nil }
            return s.spEL0
        case Reg.spsel: return UInt64(s.spSel)
        case Reg.currentEL: return UInt64(s.el) << 2
        case Reg.daif: return s.daif
        case Reg.afsr0: return s.afsr0
        case Reg.afsr1: return s.afsr1
        case Reg.esr: return s.esr
        case Reg.far: return s.far
        case Reg.par: return s.par
        case Reg.mair: return s.mmu.mair
        case Reg.amair: return s.amair
        case Reg.vbar: return s.vbar
        case Reg.isr:
            let lines = s.interruptLines?() ?? (irq: false, fiq: false)
            return (lines.irq ? 0x80 : 0) | (lines.fiq ? 0x40 : 0)
        case Reg.contextidr: return s.contextidr
        case Reg.tpidrEL1: return s.tpidrEL1
        case Reg.oslsr: return 0x8 // OSLM = 0b10: the OS lock is implemented; OSLK reads as unlocked
        default:
            if let v = s.readDeviceRegister?(enc) { return v }
            if enc >> 14 == 2, let v = s.debugRegisters[enc] { return v }
            if enc >> 14 == 2 { return 0 }
            trapSystemRegisterAccess(word, isRead: true, trapped: false)
            return nil
        }
    }

    /// MSR at the current EL; false after raising the exception an illegal access takes.
    private func writeRegister(_ enc: UInt16, _ v: UInt64, word: UInt32) -> Bool {
        let s = sys
        if s.el == 0 {
            if enc == Reg.daif && (s.mmu.sctlr >> 9) & 1 == 1 { s.daif = v & 0x3C0; return true }
            trapSystemRegisterAccess(word, isRead: false, trapped: enc == Reg.daif)
            return false
        }
        switch enc {
        case Reg.csselr: s.csselr = v & 0xF
        case Reg.sctlr: s.mmu.writeSCTLR(v)
        case Reg.actlr: s.actlr = v
        case Reg.cpacr: s.cpacr = v & 0x0030_0000; updateFPTrap()
        case Reg.ttbr0: s.mmu.writeTTBR0(v); timing?.asid = s.mmu.currentASID
        case Reg.ttbr1: s.mmu.writeTTBR1(v); timing?.asid = s.mmu.currentASID
        case Reg.tcr: s.mmu.writeTCR(v); timing?.asid = s.mmu.currentASID
        case Reg.spsr: s.spsr = v & 0xF01F_03DF // NZCV, SS, IL, DAIF, M[4:0]
        case Reg.elr: s.elr = v
        case Reg.spEL0:
            guard s.spSel == 1 else { trapSystemRegisterAccess(word, isRead: false, trapped: false); return false }
            s.spEL0 = v
        case Reg.spsel:
            stashStackPointer()
            s.spSel = UInt8(v & 1)
            x[Int(RegisterSlot.sp)] = s.spSel == 0 ? s.spEL0 : s.spEL1
        case Reg.daif: s.daif = v & 0x3C0
        case Reg.afsr0: s.afsr0 = v
        case Reg.afsr1: s.afsr1 = v
        case Reg.esr: s.esr = v & 0xFFFF_FFFF
        case Reg.far: s.far = v
        case Reg.par: s.par = v
        case Reg.mair: s.mmu.writeMAIR(v)
        case Reg.amair: s.amair = v
        case Reg.vbar: s.vbar = v & ~0x7FF
        case Reg.contextidr: s.contextidr = v & 0xFFFF_FFFF
        case Reg.tpidrEL1: s.tpidrEL1 = v
        case Reg.tpidrroEL0: tpidrro = v
        default:
            if s.writeDeviceRegister?(enc, v) == true { return true }
            if enc >> 14 == 2 { s.debugRegisters[enc] = v; return true }
            trapSystemRegisterAccess(word, isRead: false, trapped: false)
            return false
        }
        return true
    }
}

extension AArch64CPU {
    /// Resets this core as PSCI CPU_ON starts it: EL1h, DAIF masked, MMU off, `context` in X0.
    public func powerOnReset(entry: UInt64, context: UInt64) {
        let s = sys
        x.update(repeating: 0, count: RegisterSlot.count)
        x[0] = context
        nzcv = 0
        pc = entry
        s.el = 1; s.spSel = 1; s.daif = 0x3C0
        s.spEL0 = 0; s.spEL1 = 0
        s.illegalState = false
        s.eventRegister = false
        s.cpacr = 0
        s.mmu.writeSCTLR(s.identity.resetSCTLR)
        exclusiveOpen = false
        exceptionLevelChanged()
    }

    /// Whether the location an open exclusive monitor guards no longer holds the value loaded:
    /// another core wrote it, which clears the global monitor and sends this core an event.
    public func exclusiveMonitorLost() -> Bool {
        guard exclusiveOpen, let now = port.readSlow(exclusiveAddress, size: Int(min(exclusiveSize, 8))) else { return false }
        return now != exclusiveValue
    }
}
