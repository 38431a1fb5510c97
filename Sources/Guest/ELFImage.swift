import CLibelf
import Foundation

/// Why an executable cannot be loaded: each case names the file and what was expected.
public enum ELFLoadError: Error, CustomStringConvertible, Equatable {
    case cannotRead(path: String, reason: String)
    case notELF(path: String)
    case truncated(path: String, detail: String)
    case wrongArchitecture(path: String, found: String)
    case unsupported(path: String, detail: String)

    public var description: String {
        switch self {
        case .cannotRead(let p, let r): return "\(p): cannot read: \(r)"
        case .notELF(let p): return "\(p): not an ELF file (expected the bytes 7f 45 4c 46 at offset 0)"
        case .truncated(let p, let d): return "\(p): truncated ELF file: \(d)"
        case .wrongArchitecture(let p, let f): return "\(p): ELF file is for \(f), expected AArch64 (EM_AARCH64, 64-bit little-endian)"
        case .unsupported(let p, let d): return "\(p): \(d)"
        }
    }
}

/// One PT_LOAD segment of an executable.
public struct ELFSegment: Equatable, Sendable {
    public var virtualAddress: UInt64
    /// p_paddr: where a bare-metal loader (QEMU's -kernel, evlsim boot) puts the segment.
    public var physicalAddress: UInt64 = 0
    public var memorySize: UInt64
    public var fileOffset: UInt64
    public var fileSize: UInt64
    public var readable: Bool, writable: Bool, executable: Bool
}

/// A static AArch64 Linux executable (ET_EXEC or static-pie ET_DYN), parsed with libelf.
public final class ELFImage {
    public let path: String
    public let bytes: [UInt8]
    public let isPositionIndependent: Bool
    public let entry: UInt64
    public let segments: [ELFSegment]
    public let programHeaderOffset: UInt64
    public let programHeaderEntrySize: UInt64
    public let programHeaderCount: UInt64
    /// The virtual address of the program headers, when a PT_PHDR segment names it.
    public let programHeaderAddress: UInt64?
    public internal(set) var symbols: SymbolTable

    public convenience init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let reason = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
                ? (isDir.boolValue ? "is a directory" : "permission denied") : "no such file"
            throw ELFLoadError.cannotRead(path: path, reason: reason)
        }
        try self.init(path: path, bytes: [UInt8](data))
    }

    public init(path: String, bytes: [UInt8]) throws {
        self.path = path
        self.bytes = bytes
        guard bytes.count >= 4, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            throw ELFLoadError.notELF(path: path)
        }
        if bytes.count > 5, bytes[4] != 2 || bytes[5] != 1 {
            throw ELFLoadError.wrongArchitecture(path: path, found: bytes[4] == 1 ? "a 32-bit machine" : "a big-endian machine")
        }
        guard bytes.count >= 64 else {
            throw ELFLoadError.truncated(path: path, detail: "\(bytes.count) bytes, shorter than the 64-byte ELF header")
        }
        elf_version(UInt32(EV_CURRENT))
        var parsed: (isPIE: Bool, entry: UInt64, segs: [ELFSegment], phoff: UInt64, phentsize: UInt64, phnum: UInt64, phaddr: UInt64?, symbols: SymbolTable)!
        var failure: ELFLoadError?
        var copy = bytes
        copy.withUnsafeMutableBytes { raw in
            guard let elf = elf_memory(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count) else {
                failure = .truncated(path: path, detail: libelfMessage()); return
            }
            defer { elf_end(elf) }
            do { parsed = try Self.parse(elf, path: path, size: UInt64(raw.count)) } catch let e as ELFLoadError { failure = e } catch {}
        }
        if let failure { throw failure }
        isPositionIndependent = parsed.isPIE
        entry = parsed.entry
        segments = parsed.segs
        programHeaderOffset = parsed.phoff
        programHeaderEntrySize = parsed.phentsize
        programHeaderCount = parsed.phnum
        programHeaderAddress = parsed.phaddr
        symbols = parsed.symbols
    }

    private static func parse(_ elf: OpaquePointer, path: String, size: UInt64) throws
        -> (isPIE: Bool, entry: UInt64, segs: [ELFSegment], phoff: UInt64, phentsize: UInt64, phnum: UInt64, phaddr: UInt64?, symbols: SymbolTable) {
        guard elf_kind(elf) == ELF_K_ELF else { throw ELFLoadError.notELF(path: path) }
        var ehdr = GElf_Ehdr()
        guard gelf_getehdr(elf, &ehdr) != nil else { throw ELFLoadError.truncated(path: path, detail: libelfMessage()) }
        guard ehdr.e_machine == UInt16(EM_AARCH64) else {
            throw ELFLoadError.wrongArchitecture(path: path, found: machineName(ehdr.e_machine))
        }
        let isPIE: Bool
        switch Int32(ehdr.e_type) {
        case ET_EXEC: isPIE = false
        case ET_DYN: isPIE = true
        case ET_REL: throw ELFLoadError.unsupported(path: path, detail: "is a relocatable object (ET_REL); link it into an executable")
        case ET_CORE: throw ELFLoadError.unsupported(path: path, detail: "is a core dump (ET_CORE), not an executable")
        default: throw ELFLoadError.unsupported(path: path, detail: "has unknown ELF type \(ehdr.e_type)")
        }
        // Check the header's own claim first: libelf reports zero headers when they lie past the end.
        let claimed = UInt64(ehdr.e_phnum == 0xFFFF ? 1 : ehdr.e_phnum)
        let phEnd = ehdr.e_phoff + claimed * UInt64(ehdr.e_phentsize)
        guard phEnd <= size else {
            throw ELFLoadError.truncated(path: path, detail: "program headers end at byte \(phEnd), file has \(size)")
        }
        var phnum = 0
        guard elf_getphdrnum(elf, &phnum) == 0 else { throw ELFLoadError.truncated(path: path, detail: libelfMessage()) }
        guard phnum > 0 else { throw ELFLoadError.unsupported(path: path, detail: "has no program headers; it is not an executable") }
        var segs: [ELFSegment] = []
        var phaddr: UInt64?
        for i in 0..<phnum {
            var ph = GElf_Phdr()
            guard gelf_getphdr(elf, Int32(i), &ph) != nil else { throw ELFLoadError.truncated(path: path, detail: libelfMessage()) }
            switch ph.p_type {
            case UInt32(PT_LOAD):
                guard ph.p_filesz == 0 || ph.p_offset + ph.p_filesz <= size else { // a bss-only segment reads no bytes
                    throw ELFLoadError.truncated(path: path,
                        detail: "segment \(i) needs bytes up to \(ph.p_offset + ph.p_filesz), file has \(size)")
                }
                guard ph.p_memsz < 1 << 40, ph.p_vaddr < 1 << 48 else {
                    throw ELFLoadError.unsupported(path: path, detail: "segment \(i) lies outside the 48-bit user address space")
                }
                guard ph.p_filesz <= ph.p_memsz else {
                    throw ELFLoadError.unsupported(path: path, detail: "segment \(i) has p_filesz > p_memsz")
                }
                segs.append(ELFSegment(virtualAddress: ph.p_vaddr, physicalAddress: ph.p_paddr, memorySize: ph.p_memsz, fileOffset: ph.p_offset,
                                       fileSize: ph.p_filesz, readable: ph.p_flags & UInt32(PF_R) != 0,
                                       writable: ph.p_flags & UInt32(PF_W) != 0, executable: ph.p_flags & UInt32(PF_X) != 0))
            case UInt32(PT_INTERP):
                throw ELFLoadError.unsupported(path: path,
                    detail: "is dynamically linked (it names an interpreter); evlsim runs static executables: link with -static or -static-pie")
            case UInt32(PT_PHDR):
                phaddr = ph.p_vaddr
            default:
                break
            }
        }
        guard !segs.isEmpty else { throw ELFLoadError.unsupported(path: path, detail: "has no PT_LOAD segment") }
        let symbols = try SymbolTable(elf: elf, path: path)
        return (isPIE, ehdr.e_entry, segs, ehdr.e_phoff, UInt64(ehdr.e_phentsize), UInt64(phnum), phaddr, symbols)
    }

    private static func machineName(_ m: UInt16) -> String {
        switch Int32(m) {
        case EM_X86_64: return "x86-64 (EM_X86_64)"
        case EM_386: return "i386 (EM_386)"
        case EM_ARM: return "32-bit ARM (EM_ARM)"
        case EM_RISCV: return "RISC-V (EM_RISCV)"
        case EM_PPC64: return "PowerPC 64 (EM_PPC64)"
        default: return "machine \(m)"
        }
    }
}

func libelfMessage() -> String {
    guard let m = elf_errmsg(-1) else { return "libelf could not parse it" }
    return String(cString: m)
}
