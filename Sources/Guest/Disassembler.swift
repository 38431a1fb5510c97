import CCapstone

/// One disassembled instruction, as capstone spells it.
public struct DisassembledInstruction: Sendable, Equatable {
    public var address: UInt64
    public var bytes: [UInt8]
    public var mnemonic: String
    public var operands: String
    public var text: String { operands.isEmpty ? mnemonic : "\(mnemonic) \(operands)" }
}

/// A capstone handle for AArch64 (little-endian).
public final class Disassembler {
    private var handle: csh = 0

    public init?() {
        guard cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &handle) == CS_ERR_OK else { return nil }
    }

    deinit { cs_close(&handle) }

    /// Disassembles `bytes` placed at `address`, up to `count` instructions (0 = all).
    /// Words capstone cannot decode appear as ".inst 0x…", so the listing never stops early.
    public func disassemble(_ bytes: [UInt8], address: UInt64, count: Int = 0) -> [DisassembledInstruction] {
        var out: [DisassembledInstruction] = []
        var offset = 0
        while offset + 4 <= bytes.count && (count == 0 || out.count < count) {
            var insn: UnsafeMutablePointer<cs_insn>?
            let n = bytes[offset...].withUnsafeBufferPointer { buf in
                cs_disasm(handle, buf.baseAddress, buf.count, address + UInt64(offset), count == 0 ? 0 : count - out.count, &insn)
            }
            if n > 0, let insn {
                for i in 0..<n {
                    let ins = insn[i]
                    let start = Int(ins.address - address)
                    out.append(DisassembledInstruction(
                        address: ins.address, bytes: Array(bytes[start..<start + Int(ins.size)]),
                        mnemonic: cString(ins.mnemonic), operands: cString(ins.op_str)))
                }
                cs_free(insn, n)
                offset = Int(out.last!.address - address) + 4
            } else {
                let word = bytes[offset..<offset + 4]
                let value = word.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
                out.append(DisassembledInstruction(address: address + UInt64(offset), bytes: Array(word),
                                                   mnemonic: ".inst", operands: "0x" + hex(UInt64(value), width: 8)))
                offset += 4
            }
        }
        return out
    }

    /// The text of the single instruction `word` at `address`.
    public func text(word: UInt32, address: UInt64) -> String {
        let b = [UInt8(word & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word >> 16 & 0xFF), UInt8(word >> 24)]
        return disassemble(b, address: address, count: 1).first?.text ?? ".inst 0x\(hex(UInt64(word), width: 8))"
    }
}

private func cString<T>(_ tuple: T) -> String {
    withUnsafeBytes(of: tuple) { raw in
        let bytes = raw.prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Lower-case hex, zero-padded to `width` digits.
public func hex(_ v: UInt64, width: Int = 0) -> String {
    let s = String(v, radix: 16)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
