import Memory
import SimCore

/// Where a new process's pieces go in its address space.
public struct ProcessLayout: Sendable {
    /// Load address of a static-pie executable (Linux's ELF_ET_DYN_BASE is similar in spirit).
    public var pieBase: UInt64 = 0x0000_AAAA_AAAA_0000
    /// One past the highest stack byte.
    public var stackTop: UInt64 = 0x0000_FFFF_FFFF_0000
    public var stackSize: UInt64 = 8 << 20
    /// A page holding the signal-return trampoline (the kernel's vDSO sigreturn).
    public var trampolinePage: UInt64 = 0x0000_FFFF_FFFF_E000
    public init() {}
}

/// The process image after loading: what the kernel model and the CPU need to start it.
public struct LoadedProgram: Sendable {
    public var bias: UInt64
    public var entry: UInt64
    public var programHeaderAddress: UInt64
    public var imageEnd: UInt64
    public var stackPointer: UInt64 = 0
    public var sigreturnTrampoline: UInt64 = 0
}

/// Linux's ELF loader and process start (fs/binfmt_elf.c, create_elf_tables) for a static executable.
public enum ProcessLoader {
    // Auxiliary vector keys (include/uapi/linux/auxvec.h).
    static let AT_NULL: UInt64 = 0, AT_PHDR: UInt64 = 3, AT_PHENT: UInt64 = 4, AT_PHNUM: UInt64 = 5
    static let AT_PAGESZ: UInt64 = 6, AT_BASE: UInt64 = 7, AT_FLAGS: UInt64 = 8, AT_ENTRY: UInt64 = 9
    static let AT_UID: UInt64 = 11, AT_EUID: UInt64 = 12, AT_GID: UInt64 = 13, AT_EGID: UInt64 = 14
    static let AT_PLATFORM: UInt64 = 15, AT_HWCAP: UInt64 = 16, AT_CLKTCK: UInt64 = 17, AT_SECURE: UInt64 = 23
    static let AT_RANDOM: UInt64 = 25, AT_HWCAP2: UInt64 = 26, AT_EXECFN: UInt64 = 31, AT_MINSIGSTKSZ: UInt64 = 51

    /// HWCAP_FP | HWCAP_ASIMD | HWCAP_ATOMICS (arch/arm64/include/uapi/asm/hwcap.h): what the CPU implements.
    /// HWCAP_CPUID is absent, so glibc does not read MIDR_EL1.
    public static let hwcap: UInt64 = 1 << 0 | 1 << 1 | 1 << 8

    /// Maps the PT_LOAD segments and copies their file bytes.
    public static func load(_ image: ELFImage, into space: AddressSpace, layout: ProcessLayout) throws -> LoadedProgram {
        let bias = image.isPositionIndependent ? layout.pieBase : 0
        var end: UInt64 = 0
        for seg in image.segments {
            let start = (seg.virtualAddress &+ bias) & ~0xFFF
            let stop = (seg.virtualAddress &+ bias &+ seg.memorySize &+ 0xFFF) & ~0xFFF
            guard stop > start else { continue }
            var perms: PagePermissions = []
            if seg.readable { perms.insert(.read) }
            if seg.writable { perms.insert(.write) }
            if seg.executable { perms.insert(.execute) }
            // Segments may share a page (text end and data start): the page gets both permissions.
            var page = start
            while page < stop {
                let existing = space.entry(page: page >> 12)?.permissions ?? []
                try space.map(page, length: 0x1000, permissions: perms.union(existing))
                page += 0x1000
            }
            if seg.fileSize > 0 {
                let fileBytes = image.bytes[Int(seg.fileOffset)..<Int(seg.fileOffset + seg.fileSize)]
                fileBytes.withUnsafeBytes { _ = space.write(seg.virtualAddress &+ bias, bytes: $0, force: true) }
            }
            end = max(end, stop)
        }
        let phdr: UInt64
        if let a = image.programHeaderAddress {
            phdr = a &+ bias
        } else {
            // The headers sit inside the segment that maps file offset e_phoff.
            let seg = image.segments.first { $0.fileOffset <= image.programHeaderOffset
                && image.programHeaderOffset < $0.fileOffset + $0.fileSize } ?? image.segments[0]
            phdr = seg.virtualAddress &+ (image.programHeaderOffset - seg.fileOffset) &+ bias
        }
        image.symbols.bias = bias
        return LoadedProgram(bias: bias, entry: image.entry &+ bias, programHeaderAddress: phdr, imageEnd: end)
    }

    /// Builds the initial stack: strings, AT_RANDOM bytes, auxv, envp, argv, argc (System V AArch64 ABI).
    public static func buildStack(_ program: inout LoadedProgram, image: ELFImage, space: AddressSpace, layout: ProcessLayout,
                                  arguments: [String], environment: [String], rng: inout SeededRNG) throws {
        let bottom = layout.stackTop - layout.stackSize
        try space.map(bottom, length: layout.stackSize, permissions: .rw)
        var sp = layout.stackTop
        func push(_ bytes: [UInt8]) -> UInt64 {
            sp -= UInt64(bytes.count)
            space.write(sp, bytes: bytes, force: true)
            return sp
        }
        func pushString(_ s: String) -> UInt64 { push(Array(s.utf8) + [0]) }

        let execfn = pushString(arguments.first ?? image.path)
        let envPointers = environment.reversed().map(pushString).reversed() as [UInt64]
        let argPointers = arguments.reversed().map(pushString).reversed() as [UInt64]
        let platform = pushString("aarch64")
        var random = [UInt8](repeating: 0, count: 16)
        random.withUnsafeMutableBytes { rng.fill($0) }
        let randomAddress = push(random)
        sp &= ~0xF

        let auxv: [(UInt64, UInt64)] = [
            (AT_PHDR, program.programHeaderAddress), (AT_PHENT, image.programHeaderEntrySize),
            (AT_PHNUM, image.programHeaderCount), (AT_PAGESZ, 4096), (AT_BASE, 0), (AT_FLAGS, 0),
            (AT_ENTRY, program.entry), (AT_UID, 0), (AT_EUID, 0), (AT_GID, 0), (AT_EGID, 0),
            (AT_PLATFORM, platform), (AT_HWCAP, hwcap), (AT_CLKTCK, 100), (AT_SECURE, 0),
            (AT_RANDOM, randomAddress), (AT_HWCAP2, 0), (AT_EXECFN, execfn), (AT_MINSIGSTKSZ, 5120),
            (AT_NULL, 0),
        ]
        var words: [UInt64] = [UInt64(arguments.count)]
        words += argPointers + [0]
        words += envPointers + [0]
        for (k, v) in auxv { words += [k, v] }
        if words.count % 2 == 1 { sp -= 8 } // keep SP 16-byte aligned at argc
        var bytes: [UInt8] = []
        for w in words { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: w >> (8 * i))) } }
        program.stackPointer = push(bytes)

        // The signal-return trampoline: mov x8, #139 (rt_sigreturn); svc #0.
        try space.map(layout.trampolinePage, length: 0x1000, permissions: .rx)
        let trampoline: [UInt32] = [0xD280_1168, 0xD400_0001]
        space.write(layout.trampolinePage, bytes: trampoline.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }, force: true)
        program.sigreturnTrampoline = layout.trampolinePage
    }
}
