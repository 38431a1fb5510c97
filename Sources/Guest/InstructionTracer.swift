/// Writes one line per executed instruction: address, symbol, word, capstone text and changed registers.
///
/// Example: `0x400120 <main+0x10>  f9400020  ldr x0, [x1]   x0=0x2a`
public final class InstructionTracer {
    private let disassembler: Disassembler
    private let output: (String) -> Void
    public private(set) var lines = 0

    public init?(output: @escaping (String) -> Void) {
        guard let d = Disassembler() else { return nil }
        disassembler = d
        self.output = output
    }

    func record(pc: UInt64, word: UInt32, before: RegisterSnapshot, after: RegisterSnapshot, symbols: SymbolTable) {
        var line = "0x\(hex(pc))"
        if let s = symbols.describe(pc) { line += " <\(s)>" }
        line += "  \(hex(UInt64(word), width: 8))  \(disassembler.text(word: word, address: pc))"
        var changes: [String] = []
        for r in 0..<32 where before.x[r] != after.x[r] {
            changes.append("\(r == 31 ? "sp" : "x\(r)")=0x\(hex(after.x[r]))")
        }
        if before.nzcv != after.nzcv {
            let f = after.nzcv
            changes.append("nzcv=" + (f & 8 != 0 ? "N" : "n") + (f & 4 != 0 ? "Z" : "z") + (f & 2 != 0 ? "C" : "c") + (f & 1 != 0 ? "V" : "v"))
        }
        for r in 0..<32 where before.v[2 * r] != after.v[2 * r] || before.v[2 * r + 1] != after.v[2 * r + 1] {
            changes.append("v\(r)=0x\(hex(after.v[2 * r + 1], width: 16))\(hex(after.v[2 * r], width: 16))")
        }
        if before.fpsr != after.fpsr { changes.append("fpsr=0x\(hex(after.fpsr))") }
        if before.fpcr != after.fpcr { changes.append("fpcr=0x\(hex(after.fpcr))") }
        if before.tpidr != after.tpidr { changes.append("tpidr_el0=0x\(hex(after.tpidr))") }
        if !changes.isEmpty { line += "   " + changes.joined(separator: " ") }
        lines += 1
        output(line)
    }
}
