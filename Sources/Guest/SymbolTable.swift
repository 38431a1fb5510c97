import CLibelf

/// A named address range from an ELF symbol table.
public struct Symbol: Equatable, Sendable {
    public var name: String
    public var address: UInt64
    public var size: UInt64
    public var isFunction: Bool
}

/// The executable's symbols, sorted by address for "which function holds this PC" lookups.
public struct SymbolTable: Sendable {
    public private(set) var symbols: [Symbol] = []
    /// The load bias added to every symbol (static-pie executables).
    public var bias: UInt64 = 0

    public init(symbols: [Symbol]) {
        self.symbols = symbols.sorted { $0.address < $1.address }
    }

    init(elf: OpaquePointer, path: String) throws {
        var found: [Symbol] = []
        var scn = elf_nextscn(elf, nil)
        while let section = scn {
            var shdr = GElf_Shdr()
            if gelf_getshdr(section, &shdr) != nil, shdr.sh_type == UInt32(SHT_SYMTAB), shdr.sh_entsize > 0,
               let data = elf_getdata(section, nil) {
                let count = Int(shdr.sh_size / shdr.sh_entsize)
                for i in 0..<count {
                    var sym = GElf_Sym()
                    guard gelf_getsym(data, Int32(i), &sym) != nil else { break }
                    let type = Int32(sym.st_info & 0xF)
                    guard type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE, sym.st_shndx != 0,
                          sym.st_value != 0, let cname = elf_strptr(elf, Int(shdr.sh_link), Int(sym.st_name)) else { continue }
                    let name = String(cString: cname)
                    if name.isEmpty || name.hasPrefix("$") { continue } // mapping symbols $x, $d
                    found.append(Symbol(name: name, address: sym.st_value, size: sym.st_size, isFunction: type == STT_FUNC))
                }
            }
            scn = elf_nextscn(elf, section)
        }
        self.init(symbols: found)
    }

    /// The symbol containing `address` (or the nearest one below it when sizes are unknown), and the offset.
    public func symbolize(_ address: UInt64) -> (symbol: Symbol, offset: UInt64)? {
        let a = address &- bias
        var lo = 0, hi = symbols.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if symbols[mid].address <= a { lo = mid + 1 } else { hi = mid }
        }
        var i = lo - 1
        while i >= 0 {
            let s = symbols[i]
            if s.size == 0 || a < s.address + s.size {
                if s.size == 0 && a - s.address > 0x10000 { return nil }
                return (s, a - s.address)
            }
            if s.isFunction { return nil } // inside a gap after a sized function
            i -= 1
        }
        return nil
    }

    /// "name+0x24", or nil when no symbol covers the address.
    public func describe(_ address: UInt64) -> String? {
        guard let (s, off) = symbolize(address) else { return nil }
        return off == 0 ? s.name : "\(s.name)+0x\(String(off, radix: 16))"
    }

    /// The first function named `name` (biased).
    public func function(named name: String) -> Symbol? {
        guard var s = symbols.first(where: { $0.name == name && $0.isFunction }) ?? symbols.first(where: { $0.name == name })
        else { return nil }
        s.address &+= bias
        return s
    }
}
