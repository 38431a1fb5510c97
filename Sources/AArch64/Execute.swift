import Memory
import Microarch

/// Why the inner loop left an instruction unretired.
@usableFromInline enum Trap: UInt8 {
    case dataAbort, other
}

extension AArch64CPU {
    /// Runs until `limit` instructions have retired or something needs the kernel.
    ///
    /// The loop walks decoded records of the current page by index; the PC is
    /// only materialised when control leaves the page, branches, or stops.
    public func run(limit: UInt64) -> StopReason {
        guard var model = timing else {
            var none = NoTiming()
            return run(limit: limit, timing: &none)
        }
        // Move the model out while it runs, so its arrays stay uniquely referenced (no copies).
        timingOnLoan = true
        timing = nil
        defer { timing = model; timingOnLoan = false }
        model.synchronize(cycle: cycles)
        // The loop is specialised on the core's issue order (see `OrderedTiming`).
        if model.inOrder {
            var ordered = OrderedTiming<InOrderIssue>(timing: model)
            defer { model = ordered.timing }
            return run(limit: limit, timing: &ordered)
        } else {
            var ordered = OrderedTiming<OutOfOrderIssue>(timing: model)
            defer { model = ordered.timing }
            return run(limit: limit, timing: &ordered)
        }
    }

    /// The loop, specialised per timing observer: with `NoTiming` every hook compiles away.
    @inline(__always)
    func run<T: TimingObserver>(limit: UInt64, timing: inout T) -> StopReason {
        let X = x
        let mem = GuestMemory(tlb: port.tlb, port: Unmanaged.passUnretained(port))
        let cache = decodeCache
        // CPACR_EL1.FPEN can only change through an MSR, which leaves this loop.
        let fpTrapped = fpAccessTraps
        var pc = self.pc
        var flags = self.nzcv
        var remaining = limit
        var stop = StopReason.limit
        var pageVPN = UInt64.max
        var page = UnsafeMutablePointer<DecodedInstruction>(bitPattern: 16)!
        var pageBase: UInt64 = 0
        defer {
            self.pc = pc
            self.nzcv = flags
            let done = limit &- remaining
            retired &+= done
            if T.isActive { timing.issue(nextPC: pc, registers: X) }
            cycles = T.isActive ? max(cycles, timing.cycles) : cycles &+ done
            cache.releaseRetired()
        }

        outer: while true {
            // The model's clock passed the slice's deadline at the end of the last block.
            if T.isActive && _slowPath(timing.stopPending && remaining != limit) { break outer }
            if pc >> 12 != pageVPN || _slowPath(pc & 3 != 0) {
                if _slowPath(pc & 3 != 0) {
                    stop = .pcAlignment(target: pc)
                    break outer
                }
                guard let p = cache.page(pc >> 12) else {
                    stop = .instructionAbort(port.lastFault!)
                    break outer
                }
                page = p
                pageVPN = pc >> 12
                pageBase = pageVPN << 12
            }
            var i = Int(truncatingIfNeeded: (pc & 0xFFF) >> 2)
            var trap = Trap.dataAbort
            if T.isActive { timing.enter(records: DecodeCache.timingRecords(of: page), base: pageBase, at: i) }
            inner: while true {
                if _slowPath(remaining == 0) {
                    pc = pageBase &+ UInt64(i << 2)
                    if T.isActive { timing.end(at: i &- 1) }
                    break outer
                }
                remaining &-= 1
                let r = page[i]
                let d = Int(r.rd), n = Int(r.rn), m = Int(r.rm)
                switch r.op {
                // MARK: moves, immediates
                case .movImm: X[d] = r.imm
                case .movkW: X[d] = ((X[d] & ~(0xFFFF &<< UInt64(r.s1))) | r.imm) & 0xFFFF_FFFF
                case .movkX: X[d] = (X[d] & ~(0xFFFF &<< UInt64(r.s1))) | r.imm
                case .movRegW: X[d] = X[m] & 0xFFFF_FFFF
                case .movRegX: X[d] = X[m]
                case .addImmW: X[d] = (X[n] &+ r.imm) & 0xFFFF_FFFF
                case .addImmX: X[d] = X[n] &+ r.imm
                case .subImmW: X[d] = (X[n] &- r.imm) & 0xFFFF_FFFF
                case .subImmX: X[d] = X[n] &- r.imm
                case .addsImmW: (X[d], flags) = addWithCarry32(X[n], r.imm, 0)
                case .addsImmX: (X[d], flags) = addWithCarry64(X[n], r.imm, 0)
                case .subsImmW: (X[d], flags) = addWithCarry32(X[n], ~r.imm, 1)
                case .subsImmX: (X[d], flags) = addWithCarry64(X[n], ~r.imm, 1)
                case .andImm: X[d] = X[n] & r.imm
                case .orrImmW: X[d] = (X[n] | r.imm) & 0xFFFF_FFFF
                case .orrImmX: X[d] = X[n] | r.imm
                case .eorImmW: X[d] = (X[n] ^ r.imm) & 0xFFFF_FFFF
                case .eorImmX: X[d] = X[n] ^ r.imm
                case .andsImmW:
                    let v = X[n] & r.imm & 0xFFFF_FFFF
                    X[d] = v; flags = flagsNZ32(v)
                case .andsImmX:
                    let v = X[n] & r.imm
                    X[d] = v; flags = flagsNZ64(v)

                // MARK: logical and arithmetic (register)
                case .andRegW: X[d] = X[n] & (shift32(X[m], r.s1, r.s2) ^ r.imm)
                case .andRegX: X[d] = X[n] & (shift64(X[m], r.s1, r.s2) ^ r.imm)
                case .orrRegW: X[d] = (X[n] | (shift32(X[m], r.s1, r.s2) ^ r.imm)) & 0xFFFF_FFFF
                case .orrRegX: X[d] = X[n] | (shift64(X[m], r.s1, r.s2) ^ r.imm)
                case .eorRegW: X[d] = (X[n] ^ (shift32(X[m], r.s1, r.s2) ^ r.imm)) & 0xFFFF_FFFF
                case .eorRegX: X[d] = X[n] ^ (shift64(X[m], r.s1, r.s2) ^ r.imm)
                case .andsRegW:
                    let v = X[n] & (shift32(X[m], r.s1, r.s2) ^ r.imm) & 0xFFFF_FFFF
                    X[d] = v; flags = flagsNZ32(v)
                case .andsRegX:
                    let v = X[n] & (shift64(X[m], r.s1, r.s2) ^ r.imm)
                    X[d] = v; flags = flagsNZ64(v)
                case .addRegW: X[d] = (X[n] &+ shift32(X[m], r.s1, r.s2)) & 0xFFFF_FFFF
                case .addRegX: X[d] = X[n] &+ shift64(X[m], r.s1, r.s2)
                case .subRegW: X[d] = (X[n] &- shift32(X[m], r.s1, r.s2)) & 0xFFFF_FFFF
                case .subRegX: X[d] = X[n] &- shift64(X[m], r.s1, r.s2)
                case .addsRegW: (X[d], flags) = addWithCarry32(X[n], shift32(X[m], r.s1, r.s2), 0)
                case .addsRegX: (X[d], flags) = addWithCarry64(X[n], shift64(X[m], r.s1, r.s2), 0)
                case .subsRegW: (X[d], flags) = addWithCarry32(X[n], ~shift32(X[m], r.s1, r.s2), 1)
                case .subsRegX: (X[d], flags) = addWithCarry64(X[n], ~shift64(X[m], r.s1, r.s2), 1)
                case .addExtW: X[d] = (X[n] &+ (extendValue(X[m], r.s1) &<< UInt64(r.s2))) & 0xFFFF_FFFF
                case .addExtX: X[d] = X[n] &+ (extendValue(X[m], r.s1) &<< UInt64(r.s2))
                case .subExtW: X[d] = (X[n] &- (extendValue(X[m], r.s1) &<< UInt64(r.s2))) & 0xFFFF_FFFF
                case .subExtX: X[d] = X[n] &- (extendValue(X[m], r.s1) &<< UInt64(r.s2))
                case .addsExtW: (X[d], flags) = addWithCarry32(X[n], extendValue(X[m], r.s1) &<< UInt64(r.s2), 0)
                case .addsExtX: (X[d], flags) = addWithCarry64(X[n], extendValue(X[m], r.s1) &<< UInt64(r.s2), 0)
                case .subsExtW: (X[d], flags) = addWithCarry32(X[n], ~(extendValue(X[m], r.s1) &<< UInt64(r.s2)), 1)
                case .subsExtX: (X[d], flags) = addWithCarry64(X[n], ~(extendValue(X[m], r.s1) &<< UInt64(r.s2)), 1)
                case .adcW: X[d] = addWithCarry32(X[n], X[m], (flags >> 1) & 1).0
                case .adcX: X[d] = addWithCarry64(X[n], X[m], (flags >> 1) & 1).0
                case .adcsW: (X[d], flags) = addWithCarry32(X[n], X[m], (flags >> 1) & 1)
                case .adcsX: (X[d], flags) = addWithCarry64(X[n], X[m], (flags >> 1) & 1)
                case .sbcW: X[d] = addWithCarry32(X[n], ~X[m], (flags >> 1) & 1).0
                case .sbcX: X[d] = addWithCarry64(X[n], ~X[m], (flags >> 1) & 1).0
                case .sbcsW: (X[d], flags) = addWithCarry32(X[n], ~X[m], (flags >> 1) & 1)
                case .sbcsX: (X[d], flags) = addWithCarry64(X[n], ~X[m], (flags >> 1) & 1)

                // MARK: conditional
                case .ccmpW: flags = conditionHolds(r, flags) ? addWithCarry32(X[n], ~(X[m] | r.imm), 1).1 : UInt64(r.ra)
                case .ccmpX: flags = conditionHolds(r, flags) ? addWithCarry64(X[n], ~(X[m] | r.imm), 1).1 : UInt64(r.ra)
                case .ccmnW: flags = conditionHolds(r, flags) ? addWithCarry32(X[n], X[m] | r.imm, 0).1 : UInt64(r.ra)
                case .ccmnX: flags = conditionHolds(r, flags) ? addWithCarry64(X[n], X[m] | r.imm, 0).1 : UInt64(r.ra)
                case .cselW: X[d] = (conditionHolds(r, flags) ? X[n] : X[m]) & 0xFFFF_FFFF
                case .cselX: X[d] = conditionHolds(r, flags) ? X[n] : X[m]
                case .csincW: X[d] = (conditionHolds(r, flags) ? X[n] : X[m] &+ 1) & 0xFFFF_FFFF
                case .csincX: X[d] = conditionHolds(r, flags) ? X[n] : X[m] &+ 1
                case .csinvW: X[d] = (conditionHolds(r, flags) ? X[n] : ~X[m]) & 0xFFFF_FFFF
                case .csinvX: X[d] = conditionHolds(r, flags) ? X[n] : ~X[m]
                case .csnegW: X[d] = (conditionHolds(r, flags) ? X[n] : 0 &- X[m]) & 0xFFFF_FFFF
                case .csnegX: X[d] = conditionHolds(r, flags) ? X[n] : 0 &- X[m]

                // MARK: multiply and divide
                case .maddW: X[d] = (X[Int(r.ra)] &+ X[n] &* X[m]) & 0xFFFF_FFFF
                case .maddX: X[d] = X[Int(r.ra)] &+ X[n] &* X[m]
                case .msubW: X[d] = (X[Int(r.ra)] &- X[n] &* X[m]) & 0xFFFF_FFFF
                case .msubX: X[d] = X[Int(r.ra)] &- X[n] &* X[m]
                case .smaddl:
                    X[d] = X[Int(r.ra)] &+ UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: X[n])) &* Int64(Int32(truncatingIfNeeded: X[m])))
                case .smsubl:
                    X[d] = X[Int(r.ra)] &- UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: X[n])) &* Int64(Int32(truncatingIfNeeded: X[m])))
                case .umaddl: X[d] = X[Int(r.ra)] &+ (X[n] & 0xFFFF_FFFF) &* (X[m] & 0xFFFF_FFFF)
                case .umsubl: X[d] = X[Int(r.ra)] &- (X[n] & 0xFFFF_FFFF) &* (X[m] & 0xFFFF_FFFF)
                case .smulh: X[d] = UInt64(bitPattern: Int64(bitPattern: X[n]).multipliedFullWidth(by: Int64(bitPattern: X[m])).high)
                case .umulh: X[d] = X[n].multipliedFullWidth(by: X[m]).high
                case .udivW:
                    let a = UInt32(truncatingIfNeeded: X[n]), b = UInt32(truncatingIfNeeded: X[m])
                    let q = b == 0 ? 0 : a / b
                    X[d] = UInt64(q)
                    if T.isActive { timing.divided(magnitude: UInt64(q), at: i) }
                case .udivX:
                    let b = X[m], q = b == 0 ? 0 : X[n] / b
                    X[d] = q
                    if T.isActive { timing.divided(magnitude: q, at: i) }
                case .sdivW:
                    let a = Int32(truncatingIfNeeded: X[n]), b = Int32(truncatingIfNeeded: X[m])
                    let q = b == 0 ? 0 : a.dividedReportingOverflow(by: b).partialValue
                    X[d] = UInt64(UInt32(bitPattern: q))
                    if T.isActive { timing.divided(magnitude: UInt64(q.magnitude), at: i) }
                case .sdivX:
                    let a = Int64(bitPattern: X[n]), b = Int64(bitPattern: X[m])
                    let q = b == 0 ? 0 : a.dividedReportingOverflow(by: b).partialValue
                    X[d] = UInt64(bitPattern: q)
                    if T.isActive { timing.divided(magnitude: q.magnitude, at: i) }
                case .lslvW: X[d] = shift32(X[n], 0, UInt8(X[m] & 31))
                case .lslvX: X[d] = X[n] &<< (X[m] & 63)
                case .lsrvW: X[d] = shift32(X[n], 1, UInt8(X[m] & 31))
                case .lsrvX: X[d] = X[n] &>> (X[m] & 63)
                case .asrvW: X[d] = shift32(X[n], 2, UInt8(X[m] & 31))
                case .asrvX: X[d] = shift64(X[n], 2, UInt8(X[m] & 63))
                case .rorvW: X[d] = shift32(X[n], 3, UInt8(X[m] & 31))
                case .rorvX: X[d] = shift64(X[n], 3, UInt8(X[m] & 63))
                case .rbitW: X[d] = reverseBits64(X[n]) >> 32
                case .rbitX: X[d] = reverseBits64(X[n])
                case .rev16W: X[d] = reverseBytesIn16(X[n]) & 0xFFFF_FFFF
                case .rev16X: X[d] = reverseBytesIn16(X[n])
                case .revW: X[d] = UInt64(UInt32(truncatingIfNeeded: X[n]).byteSwapped)
                case .revX: X[d] = X[n].byteSwapped
                case .rev32X: X[d] = reverseBytesIn32(X[n])
                case .clzW: X[d] = UInt64(UInt32(truncatingIfNeeded: X[n]).leadingZeroBitCount)
                case .clzX: X[d] = UInt64(X[n].leadingZeroBitCount)
                case .clsW:
                    let w = UInt32(truncatingIfNeeded: X[n])
                    X[d] = UInt64((((w >> 1) ^ w) & 0x7FFF_FFFF).leadingZeroBitCount - 1)
                case .clsX: X[d] = UInt64((((X[n] >> 1) ^ X[n]) & 0x7FFF_FFFF_FFFF_FFFF).leadingZeroBitCount - 1)

                // MARK: bitfield
                case .ubfm: X[d] = (X[n] &<< UInt64(r.s1)) &>> UInt64(r.s2)
                case .sbfm: X[d] = UInt64(bitPattern: Int64(bitPattern: X[n] &<< UInt64(r.s1)) &>> Int64(r.s2)) & r.imm
                case .bfmW: X[d] = ((X[Int(r.ra)] & ~r.imm) | (((X[n] &<< UInt64(r.s1)) &>> UInt64(r.s2)) & r.imm)) & 0xFFFF_FFFF
                case .bfmX: X[d] = (X[Int(r.ra)] & ~r.imm) | (((X[n] &<< UInt64(r.s1)) &>> UInt64(r.s2)) & r.imm)
                case .extrW:
                    let both = (X[n] << 32) | (X[m] & 0xFFFF_FFFF)
                    X[d] = (both &>> UInt64(r.s1)) & 0xFFFF_FFFF
                case .extrX:
                    X[d] = r.s1 == 0 ? X[m] : (X[m] &>> UInt64(r.s1)) | (X[n] &<< (64 &- UInt64(r.s1)))

                // MARK: branches
                // Each ends the timing model's block; a branch not taken is where the loop
                // stops once the model's clock has passed the deadline (a taken one stops at `outer`).
                case .b:
                    if T.isActive { timing.endAtBranch(at: i) }
                    pc = r.imm; continue outer
                case .bl:
                    if T.isActive { timing.endAtBranch(at: i) }
                    X[30] = pageBase &+ UInt64(i << 2) &+ 4
                    pc = r.imm; continue outer
                case .bcond:
                    if T.isActive { timing.endAtBranch(at: i) }
                    if conditionHolds(r, flags) { pc = r.imm; continue outer }
                    if T.isActive && _slowPath(timing.stopPending) { pc = pageBase &+ UInt64(i << 2) &+ 4; break outer }
                case .cbzW:
                    if T.isActive { timing.endAtBranch(at: i) }
                    if X[d] & 0xFFFF_FFFF == 0 { pc = r.imm; continue outer }
                    if T.isActive && _slowPath(timing.stopPending) { pc = pageBase &+ UInt64(i << 2) &+ 4; break outer }
                case .cbzX:
                    if T.isActive { timing.endAtBranch(at: i) }
                    if X[d] == 0 { pc = r.imm; continue outer }
                    if T.isActive && _slowPath(timing.stopPending) { pc = pageBase &+ UInt64(i << 2) &+ 4; break outer }
                case .cbnzW:
                    if T.isActive { timing.endAtBranch(at: i) }
                    if X[d] & 0xFFFF_FFFF != 0 { pc = r.imm; continue outer }
                    if T.isActive && _slowPath(timing.stopPending) { pc = pageBase &+ UInt64(i << 2) &+ 4; break outer }
                case .cbnzX:
                    if T.isActive { timing.endAtBranch(at: i) }
                    if X[d] != 0 { pc = r.imm; continue outer }
                    if T.isActive && _slowPath(timing.stopPending) { pc = pageBase &+ UInt64(i << 2) &+ 4; break outer }
                case .tbz:
                    if T.isActive { timing.endAtBranch(at: i) }
                    if (X[d] &>> UInt64(r.s1)) & 1 == 0 { pc = r.imm; continue outer }
                    if T.isActive && _slowPath(timing.stopPending) { pc = pageBase &+ UInt64(i << 2) &+ 4; break outer }
                case .tbnz:
                    if T.isActive { timing.endAtBranch(at: i) }
                    if (X[d] &>> UInt64(r.s1)) & 1 != 0 { pc = r.imm; continue outer }
                    if T.isActive && _slowPath(timing.stopPending) { pc = pageBase &+ UInt64(i << 2) &+ 4; break outer }
                case .br, .ret:
                    if T.isActive { timing.endAtBranch(at: i) }
                    pc = X[n]; continue outer
                case .blr:
                    if T.isActive { timing.endAtBranch(at: i) }
                    let target = X[n]
                    X[30] = pageBase &+ UInt64(i << 2) &+ 4
                    pc = target; continue outer

                // MARK: system
                case .nop:
                    break
                case .clrex:
                    exclusiveOpen = false
                case .svc:
                    if T.isActive { timing.end(at: i) }
                    pc = pageBase &+ UInt64(i << 2) &+ 4
                    stop = .supervisorCall(immediate: r.imm)
                    break outer
                case .brk:
                    stop = .breakpoint(immediate: r.imm); trap = .other; break inner
                case .mrs:
                    X[d] = readSystemRegister(r.s1, flags: flags, cyclesNow: T.isActive ? timing.settledCycles(at: i) : cycles &+ (limit &- remaining))
                case .msr:
                    flags = writeSystemRegister(r.s1, X[d], flags: flags)
                case .isb:
                    if T.isActive { timing.end(at: i) }
                    pc = pageBase &+ UInt64(i << 2) &+ 4
                    pageVPN = .max
                    continue outer
                case .dcZVA:
                    let size = 4 << Int(info.dczid & 0xF)
                    let base = X[d] & ~UInt64(size - 1)
                    guard mem.probeWrite(base, size: size) else { break inner }
                    if T.isActive { timing.zeroBlock(base, size: size) }
                    var off: UInt64 = 0
                    while off < UInt64(size) { _ = mem.write(base &+ off, 0, UInt64.self); off &+= 8 }
                case .dcMaintain:
                    // Caches hold no data in evlsim, so only the timing model sees the clean or invalidate.
                    if T.isActive { timing.maintain(X[d], clean: r.s1 & 1 != 0, invalidate: r.s1 & 2 != 0) }
                case .system:
                    stop = .systemInstruction(word: UInt32(truncatingIfNeeded: r.imm)); trap = .other; break inner
                case .undefined:
                    stop = .undefinedInstruction(word: UInt32(truncatingIfNeeded: r.imm)); trap = .other; break inner
                case .debugBreak:
                    stop = .debuggerBreakpoint; trap = .other; break inner

                case .endOfPage:
                    remaining &+= 1
                    if T.isActive { timing.end(at: i &- 1) } // a sentinel, not an instruction
                    pc = pageBase &+ 0x1000
                    continue outer

                // MARK: loads and stores
                case .ldrb, .ldrh, .ldrW, .ldrX, .ldrsbW, .ldrsbX, .ldrshW, .ldrshX, .ldrsw,
                     .strb, .strh, .strW, .strX:
                    let base = X[n]
                    let address = effectiveAddress(r, base: base, X)
                    switch r.op {
                    case .ldrb: guard let v = mem.read(address, UInt8.self) else { break inner }; X[d] = v
                    case .ldrh: guard let v = mem.read(address, UInt16.self) else { break inner }; X[d] = v
                    case .ldrW: guard let v = mem.read(address, UInt32.self) else { break inner }; X[d] = v
                    case .ldrX: guard let v = mem.read(address, UInt64.self) else { break inner }; X[d] = v
                    case .ldrsbW:
                        guard let v = mem.read(address, UInt8.self) else { break inner }
                        X[d] = UInt64(UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: v))))
                    case .ldrsbX:
                        guard let v = mem.read(address, UInt8.self) else { break inner }
                        X[d] = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: v)))
                    case .ldrshW:
                        guard let v = mem.read(address, UInt16.self) else { break inner }
                        X[d] = UInt64(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: v))))
                    case .ldrshX:
                        guard let v = mem.read(address, UInt16.self) else { break inner }
                        X[d] = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: v)))
                    case .ldrsw:
                        guard let v = mem.read(address, UInt32.self) else { break inner }
                        X[d] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v)))
                    case .strb: guard mem.write(address, X[d], UInt8.self) else { break inner }
                    case .strh: guard mem.write(address, X[d], UInt16.self) else { break inner }
                    case .strW: guard mem.write(address, X[d], UInt32.self) else { break inner }
                    default: guard mem.write(address, X[d], UInt64.self) else { break inner }
                    }
                    if r.s1 == AddressMode.preIndex || r.s1 == AddressMode.postIndex { X[n] = base &+ r.imm }
                    // After the access, when little else is live: before it, the model's fast
                    // path made the compiler save and restore five registers. A faulting
                    // access never reaches the caches.
                    if T.isActive { timing.accessByKind(address, at: i) }
                case .ldrVB, .ldrVH, .ldrVS, .ldrVD, .ldrVQ, .strVB, .strVH, .strVS, .strVD, .strVQ:
                    if _slowPath(fpTrapped) { stop = .fpAccessTrap; trap = .other; break inner }
                    let base = X[n]
                    let address = effectiveAddress(r, base: base, X)
                    if T.isActive { timing.accessByKind(address, at: i) }
                    guard accessVector(r.op, reg: d, address: address, mem) else { break inner }
                    if r.s1 == AddressMode.preIndex || r.s1 == AddressMode.postIndex { X[n] = base &+ r.imm }
                case .ldpW, .ldpX, .ldpsw, .stpW, .stpX:
                    let base = X[n]
                    let address = r.s1 == AddressMode.postIndex ? base : base &+ r.imm
                    let second = Int(r.ra)
                    switch r.op {
                    case .ldpW:
                        guard let a = mem.read(address, UInt32.self), let b = mem.read(address &+ 4, UInt32.self) else { break inner }
                        X[d] = a; X[second] = b
                    case .ldpsw:
                        guard let a = mem.read(address, UInt32.self), let b = mem.read(address &+ 4, UInt32.self) else { break inner }
                        X[d] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: a)))
                        X[second] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: b)))
                    case .ldpX:
                        guard let a = mem.read(address, UInt64.self), let b = mem.read(address &+ 8, UInt64.self) else { break inner }
                        X[d] = a; X[second] = b
                    case .stpW:
                        let a = X[d], b = X[second]
                        guard mem.write(address, a, UInt32.self), mem.write(address &+ 4, b, UInt32.self) else { break inner }
                    default:
                        let a = X[d], b = X[second]
                        guard mem.write(address, a, UInt64.self), mem.write(address &+ 8, b, UInt64.self) else { break inner }
                    }
                    if r.s1 != AddressMode.offset { X[n] = base &+ r.imm }
                    if T.isActive { timing.accessByKind(address, at: i) } // after the access, as above
                case .ldpVS, .ldpVD, .ldpVQ, .stpVS, .stpVD, .stpVQ:
                    if _slowPath(fpTrapped) { stop = .fpAccessTrap; trap = .other; break inner }
                    let base = X[n]
                    let address = r.s1 == AddressMode.postIndex ? base : base &+ r.imm
                    if T.isActive { timing.accessByKind(address, at: i) }
                    let (single, step): (Op, UInt64)
                    switch r.op {
                    case .ldpVS: (single, step) = (.ldrVS, 4)
                    case .ldpVD: (single, step) = (.ldrVD, 8)
                    case .ldpVQ: (single, step) = (.ldrVQ, 16)
                    case .stpVS: (single, step) = (.strVS, 4)
                    case .stpVD: (single, step) = (.strVD, 8)
                    default: (single, step) = (.strVQ, 16)
                    }
                    if r.op == .ldpVS || r.op == .ldpVD || r.op == .ldpVQ {
                        // Load both halves before writing either register, so a fault changes nothing.
                        guard accessVector(single, reg: 32, address: address, mem),
                              accessVector(single, reg: Int(r.ra), address: address &+ step, mem) else { break inner }
                        copyScratch(to: d)
                    } else {
                        guard mem.probeWrite(address, size: Int(step) * 2),
                              accessVector(single, reg: d, address: address, mem),
                              accessVector(single, reg: Int(r.ra), address: address &+ step, mem) else { break inner }
                    }
                    if r.s1 != AddressMode.offset { X[n] = base &+ r.imm }

                // MARK: exclusives and atomics
                case .ldxr:
                    let address = X[n]
                    if T.isActive { timing.access(address, write: false, at: i) }
                    if _slowPath(address & ((1 << UInt64(r.s2)) &- 1) != 0) { stop = .alignmentFault(address: address); trap = .other; break inner }
                    guard let v = mem.read(address, log2Size: r.s2) else { break inner }
                    X[d] = v
                    exclusiveAddress = address; exclusiveSize = 1 << UInt64(r.s2); exclusiveOpen = true
                    exclusiveValue = v
                case .ldxp:
                    let address = X[n]
                    if _slowPath(address & ((r.s2 == 3 ? 16 : 8) &- 1) != 0) { stop = .alignmentFault(address: address); trap = .other; break inner }
                    if r.s2 == 3 {
                        guard let a = mem.read(address, UInt64.self), let b = mem.read(address &+ 8, UInt64.self) else { break inner }
                        X[d] = a; X[Int(r.ra)] = b
                        exclusiveSize = 16; exclusiveValue = a; exclusiveValueHigh = b
                    } else {
                        guard let a = mem.read(address, UInt32.self), let b = mem.read(address &+ 4, UInt32.self) else { break inner }
                        X[d] = a; X[Int(r.ra)] = b
                        exclusiveSize = 8; exclusiveValue = a; exclusiveValueHigh = b
                    }
                    exclusiveAddress = address; exclusiveOpen = true
                case .stxr:
                    let address = X[n]
                    if T.isActive { timing.access(address, write: true, at: i) }
                    if _slowPath(address & ((1 << UInt64(r.s2)) &- 1) != 0) { stop = .alignmentFault(address: address); trap = .other; break inner }
                    if exclusiveOpen && exclusiveAddress == address && exclusiveSize == 1 << UInt64(r.s2) {
                        // The global monitor, as QEMU models it: another core's store since the
                        // LDXR shows as a changed value, and then the store-exclusive fails.
                        guard let now = mem.read(address, log2Size: r.s2) else { break inner }
                        if now == exclusiveValue {
                            guard mem.write(address, X[d], log2Size: r.s2) else { break inner }
                            X[m] = 0
                        } else {
                            guard mem.probeWrite(address, size: 1 << Int(r.s2)) else { break inner }
                            X[m] = 1
                        }
                    } else {
                        X[m] = 1
                    }
                    exclusiveOpen = false
                case .stxp:
                    let address = X[n]
                    let size: UInt64 = r.s2 == 3 ? 16 : 8
                    if _slowPath(address & (size &- 1) != 0) { stop = .alignmentFault(address: address); trap = .other; break inner }
                    if exclusiveOpen && exclusiveAddress == address && exclusiveSize == size {
                        guard mem.probeWrite(address, size: Int(size)) else { break inner }
                        let half: UInt8 = r.s2 == 3 ? 3 : 2
                        guard let lo = mem.read(address, log2Size: half),
                              let hi = mem.read(address &+ (size >> 1), log2Size: half) else { break inner }
                        if lo != exclusiveValue || hi != exclusiveValueHigh {
                            X[m] = 1
                        } else {
                            if r.s2 == 3 {
                                _ = mem.write(address, X[d], UInt64.self); _ = mem.write(address &+ 8, X[Int(r.ra)], UInt64.self)
                            } else {
                                _ = mem.write(address, X[d], UInt32.self); _ = mem.write(address &+ 4, X[Int(r.ra)], UInt32.self)
                            }
                            X[m] = 0
                        }
                    } else {
                        X[m] = 1
                    }
                    exclusiveOpen = false
                case .cas:
                    let address = X[n]
                    if T.isActive { timing.access(address, write: true, at: i) }
                    if _slowPath(address & ((1 << UInt64(r.s2)) &- 1) != 0) { stop = .alignmentFault(address: address); trap = .other; break inner }
                    let mask = lowMask(8 << Int(r.s2))
                    guard let old = mem.read(address, log2Size: r.s2) else { break inner }
                    if old == X[m] & mask {
                        guard mem.write(address, X[d], log2Size: r.s2) else { break inner }
                    } else {
                        guard mem.probeWrite(address, size: 1 << Int(r.s2)) else { break inner }
                    }
                    X[Int(r.ra)] = old
                case .casp:
                    if _slowPath(X[n] & ((1 << UInt64(r.s2 + 1)) &- 1) != 0) { stop = .alignmentFault(address: X[n]); trap = .other; break inner }
                    guard compareAndSwapPair(r, mem) else { break inner }
                case .ldAtomic:
                    let address = X[n]
                    if T.isActive { timing.access(address, write: true, at: i) }
                    if _slowPath(address & ((1 << UInt64(r.s2)) &- 1) != 0) { stop = .alignmentFault(address: address); trap = .other; break inner }
                    guard let old = mem.read(address, log2Size: r.s2) else { break inner }
                    let new = atomicResult(AtomicOp(rawValue: r.s1)!, old: old, operand: X[m], log2Size: r.s2)
                    guard mem.write(address, new, log2Size: r.s2) else { break inner }
                    X[d] = old

                case .simd:
                    if _slowPath(fpTrapped) { stop = .fpAccessTrap; trap = .other; break inner }
                    switch executeSIMD(r, mem, flags: &flags) {
                    case .next: break
                    case .undefined:
                        stop = .undefinedInstruction(word: UInt32(truncatingIfNeeded: r.imm >> 32)); trap = .other; break inner
                    case .fault: break inner
                    }
                }
                i &+= 1
            }
            // An instruction did not retire: report it at its own address. The timing model
            // counts it (it reached the pipeline).
            if T.isActive { timing.end(at: i) }
            pc = pageBase &+ UInt64(i << 2)
            remaining &+= 1
            if trap == .dataAbort { stop = .dataAbort(port.lastFault!) }
            break outer
        }
        return stop
    }

    /// Runs exactly one instruction (tracing, lockstep tests).
    public func step() -> StopReason { run(limit: 1) }

    // MARK: Out-of-line helpers

    @inline(never)
    func accessVector(_ op: Op, reg: Int, address: UInt64, _ mem: GuestMemory) -> Bool {
        let p = v + reg * 16
        switch op {
        case .ldrVB, .ldrVH, .ldrVS, .ldrVD:
            let log2: UInt8 = op == .ldrVB ? 0 : op == .ldrVH ? 1 : op == .ldrVS ? 2 : 3
            guard let value = mem.read(address, log2Size: log2) else { return false }
            p.storeBytes(of: value, as: UInt64.self)
            p.storeBytes(of: 0, toByteOffset: 8, as: UInt64.self)
        case .ldrVQ:
            if let h = mem.tlb.readHost(address, size: 16) { // one page, TLB hit: a single 16-byte copy
                p.copyMemory(from: h, byteCount: 16)
                return true
            }
            guard let lo = mem.read(address, UInt64.self), let hi = mem.read(address &+ 8, UInt64.self) else { return false }
            p.storeBytes(of: lo, as: UInt64.self)
            p.storeBytes(of: hi, toByteOffset: 8, as: UInt64.self)
        case .strVB: return mem.write(address, p.load(as: UInt64.self), UInt8.self)
        case .strVH: return mem.write(address, p.load(as: UInt64.self), UInt16.self)
        case .strVS: return mem.write(address, p.load(as: UInt64.self), UInt32.self)
        case .strVD: return mem.write(address, p.load(as: UInt64.self), UInt64.self)
        default: // strVQ
            if let h = mem.tlb.writeHost(address, size: 16) {
                h.copyMemory(from: p, byteCount: 16)
                return true
            }
            guard mem.probeWrite(address, size: 16) else { return false }
            _ = mem.write(address, p.load(as: UInt64.self), UInt64.self)
            _ = mem.write(address &+ 8, p.load(fromByteOffset: 8, as: UInt64.self), UInt64.self)
        }
        return true
    }

    /// Copies the scratch slot past V31, where a pair load puts its first half so a fault
    /// on the second half changes no register.
    func copyScratch(to reg: Int) {
        (v + reg * 16).copyMemory(from: v + 32 * 16, byteCount: 16)
    }

    @inline(never)
    func compareAndSwapPair(_ r: DecodedInstruction, _ mem: GuestMemory) -> Bool {
        func read(_ reg: Int) -> UInt64 { reg == 31 ? 0 : x[reg] }
        func write(_ reg: Int, _ value: UInt64) { if reg != 31 { x[reg] = value } }
        let address = x[Int(r.rn)]
        let s = Int(r.rm), t = Int(r.rd)
        if r.s2 == 3 {
            guard let lo = mem.read(address, UInt64.self), let hi = mem.read(address &+ 8, UInt64.self) else { return false }
            guard mem.probeWrite(address, size: 16) else { return false }
            if lo == read(s) && hi == read(s + 1) {
                _ = mem.write(address, read(t), UInt64.self)
                _ = mem.write(address &+ 8, read(t + 1), UInt64.self)
            }
            write(s, lo); write(s + 1, hi)
        } else {
            guard let lo = mem.read(address, UInt32.self), let hi = mem.read(address &+ 4, UInt32.self) else { return false }
            guard mem.probeWrite(address, size: 8) else { return false }
            if lo == read(s) & 0xFFFF_FFFF && hi == read(s + 1) & 0xFFFF_FFFF {
                _ = mem.write(address, read(t), UInt32.self)
                _ = mem.write(address &+ 4, read(t + 1), UInt32.self)
            }
            write(s, lo); write(s + 1, hi)
        }
        return true
    }
}

/// The address of a single-register load or store, per its `AddressMode`.
@inline(__always) func effectiveAddress(_ r: DecodedInstruction, base: UInt64, _ X: UnsafeMutablePointer<UInt64>) -> UInt64 {
    switch r.s1 {
    case AddressMode.offset, AddressMode.preIndex: return base &+ r.imm
    case AddressMode.postIndex: return base
    default: return base &+ (extendValue(X[Int(r.rm)], r.s2) &<< UInt64(r.ra))
    }
}

/// Whether the condition whose NZCV mask is in `s1`/`s2` holds for `flags`.
@inline(__always) func conditionHolds(_ r: DecodedInstruction, _ flags: UInt64) -> Bool {
    ((UInt16(r.s2) << 8 | UInt16(r.s1)) &>> UInt16(truncatingIfNeeded: flags)) & 1 != 0
}

/// The value an LSE atomic stores, given the old memory value and Rs.
@inline(__always) func atomicResult(_ op: AtomicOp, old: UInt64, operand: UInt64, log2Size: UInt8) -> UInt64 {
    let bitsWide = 8 << Int(log2Size)
    let mask = lowMask(bitsWide)
    let a = old & mask, b = operand & mask
    switch op {
    case .add: return (a &+ b) & mask
    case .clr: return a & ~b
    case .eor: return a ^ b
    case .set: return a | b
    case .smax, .smin:
        let sa = Int64(bitPattern: signExtend(a, bitsWide)), sb = Int64(bitPattern: signExtend(b, bitsWide))
        return (op == .smax ? (sa > sb ? a : b) : (sa < sb ? a : b))
    case .umax: return a > b ? a : b
    case .umin: return a < b ? a : b
    case .swp: return b
    }
}
