import AArch64
import Linux

// The arm64 signal frame (arch/arm64/kernel/signal.c, uapi asm/sigcontext.h, asm/ucontext.h):
//
//   struct rt_sigframe { siginfo_t info; /* 128 bytes */ struct ucontext uc; }
//   struct ucontext { u64 uc_flags; u64 uc_link; stack_t uc_stack /* 24 */; sigset_t uc_sigmask /* 8 */;
//                     u8 __unused[120]; struct sigcontext uc_mcontext /* 16-aligned, at 176 */; }
//   struct sigcontext { u64 fault_address; u64 regs[31]; u64 sp; u64 pc; u64 pstate; u8 __reserved[4096] /* at 288 */; }
//   __reserved holds a fpsimd_context { magic 0x46508001, size 528, fpsr, fpcr, vregs[32] } and a null terminator.
//
// Offsets below are from the start of the frame.
private enum Frame {
    static let info = 0
    static let ucontext = 128
    static let sigmask = ucontext + 40
    static let mcontext = ucontext + 176
    static let faultAddress = mcontext
    static let regs = mcontext + 8
    static let sp = mcontext + 256
    static let pc = mcontext + 264
    static let pstate = mcontext + 272
    static let reserved = mcontext + 288
    static let fpsimdMagic: UInt32 = 0x4650_8001
    static let fpsimdSize: UInt32 = 528
    static let size = reserved + 4096
    /// The frame record (fp, lr) the kernel places above the frame.
    static let total = size + 16
}

private let SA_NODEFER: UInt64 = 0x4000_0000
private let SA_RESETHAND: UInt64 = 0x8000_0000
private let SA_RESTORER: UInt64 = 0x0400_0000

extension GuestProcess {
    /// Saves the interrupted context on the guest stack and enters the handler, as setup_rt_frame does.
    func pushSignalFrame(_ signal: Int32, code: Int32, address: UInt64, action: SignalAction) -> Bool {
        let frameBase = (cpu.sp &- UInt64(Frame.total)) & ~0xF
        var f = [UInt8](repeating: 0, count: Frame.size)
        func put64(_ off: Int, _ v: UInt64) { for i in 0..<8 { f[off + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) } }
        func put32(_ off: Int, _ v: UInt32) { for i in 0..<4 { f[off + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) } }
        put32(Frame.info, UInt32(bitPattern: signal))
        put32(Frame.info + 8, UInt32(bitPattern: code))
        if code > 0 { put64(Frame.info + 16, address) } // si_addr for faults
        else { put32(Frame.info + 16, UInt32(truncatingIfNeeded: kernel.identity.pid)) } // si_pid for SI_TKILL
        put64(Frame.sigmask, kernel.signalMask)
        put64(Frame.faultAddress, code > 0 ? address : 0)
        for r in 0..<31 { put64(Frame.regs + 8 * r, cpu[x: r]) }
        put64(Frame.sp, cpu.sp)
        put64(Frame.pc, cpu.pc)
        put64(Frame.pstate, cpu.nzcvRegister)
        put32(Frame.reserved, Frame.fpsimdMagic)
        put32(Frame.reserved + 4, Frame.fpsimdSize)
        put32(Frame.reserved + 8, UInt32(truncatingIfNeeded: cpu.fpsr))
        put32(Frame.reserved + 12, UInt32(truncatingIfNeeded: cpu.fpcr))
        for r in 0..<32 {
            let q = cpu.vector(r)
            put64(Frame.reserved + 16 + 16 * r, q.lo)
            put64(Frame.reserved + 24 + 16 * r, q.hi)
        }
        // Followed by a zero header: the end of the record list.
        var record = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { record[i] = UInt8(truncatingIfNeeded: cpu[x: 29] >> (8 * i)); record[8 + i] = UInt8(truncatingIfNeeded: cpu[x: 30] >> (8 * i)) }
        guard space.write(frameBase, bytes: f), space.write(frameBase + UInt64(Frame.size), bytes: record) else { return false }

        var newMask = kernel.signalMask | action.mask
        if action.flags & SA_NODEFER == 0 { newMask |= 1 << UInt64(signal - 1) }
        kernel.signalMask = newMask
        if action.flags & SA_RESETHAND != 0 { kernel.signalActions[Int(signal)] = SignalAction() }

        cpu[x: 0] = UInt64(signal)
        cpu[x: 1] = frameBase + UInt64(Frame.info)
        cpu[x: 2] = frameBase + UInt64(Frame.ucontext)
        cpu[x: 29] = frameBase + UInt64(Frame.size)
        cpu[x: 30] = action.flags & SA_RESTORER != 0 ? action.restorer : program.sigreturnTrampoline
        cpu.sp = frameBase
        cpu.pc = action.handler
        return true
    }

    /// rt_sigreturn: restores the context saved by `pushSignalFrame` from the frame at SP.
    func returnFromSignal() -> Bool {
        guard let f = space.read(cpu.sp, count: Frame.size) else { return false }
        func get64(_ off: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(f[off + $1]) << (8 * $1) } }
        func get32(_ off: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(f[off + $1]) << (8 * $1) } }
        let pc = get64(Frame.pc)
        guard pc & 3 == 0, get32(Frame.reserved) == Frame.fpsimdMagic else { return false }
        for r in 0..<31 { cpu[x: r] = get64(Frame.regs + 8 * r) }
        cpu.sp = get64(Frame.sp)
        cpu.pc = pc
        cpu.nzcvRegister = get64(Frame.pstate)
        cpu.fpsr = UInt64(get32(Frame.reserved + 8))
        cpu.fpcr = UInt64(get32(Frame.reserved + 12))
        for r in 0..<32 { cpu.setVector(r, lo: get64(Frame.reserved + 16 + 16 * r), hi: get64(Frame.reserved + 24 + 16 * r)) }
        kernel.signalMask = get64(Frame.sigmask) & ~(1 << 8 | 1 << 18)
        return true
    }
}
