import Board
import Foundation

/// A bare-metal program for a full-system board: an ELF loaded at its physical
/// addresses (as QEMU's `-kernel` loads one), or a raw binary at a given address.
public struct BareMetalImage {
    /// One piece to copy into RAM.
    public struct Chunk {
        public var physicalAddress: UInt64
        public var bytes: [UInt8]
        public var memorySize: UInt64
    }

    public let path: String
    public let entry: UInt64
    public let chunks: [Chunk]
    /// The ELF's symbols (empty for a raw image), for fault reports.
    public let symbols: SymbolTable
    /// The ELF, when the image is one (for disassembly in reports).
    public let elf: ELFImage?

    /// Loads `path`: an AArch64 ELF, or with `rawLoadAddress` any file copied there and entered at its first byte.
    public init(path: String, rawLoadAddress: UInt64? = nil) throws {
        self.path = path
        if let address = rawLoadAddress {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ELFLoadError.cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
            }
            entry = address
            chunks = [Chunk(physicalAddress: address, bytes: [UInt8](data), memorySize: UInt64(data.count))]
            symbols = SymbolTable(symbols: [])
            elf = nil
            return
        }
        let image = try ELFImage(path: path)
        elf = image
        entry = image.entry
        symbols = image.symbols
        chunks = image.segments.filter { $0.memorySize > 0 }.map { seg in
            // ELFImage has checked that a segment's file bytes lie inside the file; a bss-only
            // segment (p_filesz 0) may name any offset, so it reads none.
            guard seg.fileSize > 0 else { return Chunk(physicalAddress: seg.physicalAddress, bytes: [], memorySize: seg.memorySize) }
            let lo = Int(seg.fileOffset)
            return Chunk(physicalAddress: seg.physicalAddress, bytes: Array(image.bytes[lo..<lo + Int(seg.fileSize)]), memorySize: seg.memorySize)
        }
    }

    /// Copies the image into the machine's RAM and points core 0 at its entry.
    public func load(into machine: Machine) throws {
        for c in chunks { try machine.load(c.bytes, at: c.physicalAddress, memorySize: c.memorySize) }
        machine.reset(entry: entry)
    }
}
