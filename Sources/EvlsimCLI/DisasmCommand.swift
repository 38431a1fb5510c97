import ArgumentParser
import Foundation
import Guest

/// `evlsim disasm`: disassembles a function (or all code) of an executable with capstone.
public struct DisasmCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "disasm",
        abstract: "Disassemble an AArch64 executable, one function or all of its code.")

    @Argument(help: "The executable.")
    var elf: String

    @Option(name: .long, help: "Disassemble only this function.")
    var symbol: String?

    public init() {}

    public func run() throws {
        var out = ""
        let status = execute(output: { out += $0 + "\n" }, diagnostics: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        FileHandle.standardOutput.write(Data(out.utf8))
        if status != 0 { throw ExitCode(status) }
    }

    public func execute(output: (String) -> Void, diagnostics: (String) -> Void) -> Int32 {
        let image: ELFImage
        do { image = try ELFImage(path: elf) } catch {
            diagnostics("evlsim: error: \(error)")
            return badInputStatus
        }
        guard let disassembler = Disassembler() else {
            diagnostics("evlsim: error: capstone could not open an AArch64 handle")
            return 1
        }
        let functions: [Symbol]
        if let symbol {
            guard let s = image.symbols.function(named: symbol) else {
                diagnostics("evlsim: error: \(elf): no symbol named '\(symbol)'")
                return 1
            }
            functions = [s]
        } else {
            functions = image.symbols.symbols.filter { s in
                s.isFunction && s.size > 0 && image.segments.contains { $0.executable && $0.virtualAddress <= s.address && s.address < $0.virtualAddress + $0.fileSize }
            }
            if functions.isEmpty {
                for seg in image.segments where seg.executable && seg.fileSize > 0 {
                    let bytes = Array(image.bytes[Int(seg.fileOffset)..<Int(seg.fileOffset + seg.fileSize)])
                    for ins in disassembler.disassemble(bytes, address: seg.virtualAddress) { output(line(ins)) }
                }
                return 0
            }
        }
        for (index, f) in functions.enumerated() {
            guard let bytes = bytes(of: f, in: image) else {
                diagnostics("evlsim: error: \(elf): symbol '\(f.name)' is not in a loaded segment")
                return 1
            }
            if index > 0 { output("") }
            output("\(hex(f.address, width: 16)) <\(f.name)>:")
            for ins in disassembler.disassemble(bytes, address: f.address) { output(line(ins)) }
        }
        return 0
    }

    private func line(_ ins: DisassembledInstruction) -> String {
        let word = ins.bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
        return "  \(hex(ins.address)):\t\(hex(word, width: 8))\t\(ins.mnemonic)\t\(ins.operands)"
    }

    /// The file bytes of `symbol` (its size, or up to the next symbol when the size is unknown).
    private func bytes(of symbol: Symbol, in image: ELFImage) -> [UInt8]? {
        let address = symbol.address &- image.symbols.bias
        guard let seg = image.segments.first(where: { $0.virtualAddress <= address && address < $0.virtualAddress + $0.fileSize }) else { return nil }
        var size = symbol.size
        if size == 0 {
            let next = image.symbols.symbols.first { $0.address > address }?.address ?? (seg.virtualAddress + seg.fileSize)
            size = min(next, seg.virtualAddress + seg.fileSize) - address
        }
        size = min(size, seg.virtualAddress + seg.fileSize - address) & ~3
        let start = Int(seg.fileOffset + (address - seg.virtualAddress))
        return Array(image.bytes[start..<start + Int(size)])
    }
}
