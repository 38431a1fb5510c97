import Foundation
import Memory
import SimCore
import Testing
@testable import Guest

@Suite struct ELFLoaderTests {
    func temp(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-elf-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    var helloPath: String { guestBuild.appendingPathComponent("hello_args").path }

    @Test func loadsAStaticExecutable() throws {
        let image = try ELFImage(path: helloPath)
        #expect(!image.isPositionIndependent)
        #expect(image.segments.contains { $0.executable && !$0.writable })
        #expect(image.segments.contains { $0.writable })
        // The entry point is _start, as `aarch64-linux-gnu-readelf -h` and the symbol table agree.
        #expect(image.symbols.function(named: "_start")?.address == image.entry)
        #expect(image.symbols.function(named: "main") != nil)
        #expect(image.symbols.describe(image.entry + 4) == "_start+0x4")
    }

    @Test func loadsAStaticPIEAboveItsBias() throws {
        let image = try ELFImage(path: guestBuild.appendingPathComponent("hello_args-pie").path)
        #expect(image.isPositionIndependent)
        let space = AddressSpace(physical: try PhysicalMemory(size: 64 << 20))
        let layout = ProcessLayout()
        let program = try ProcessLoader.load(image, into: space, layout: layout)
        #expect(program.bias == layout.pieBase)
        #expect(program.entry == image.entry + layout.pieBase)
        // The ELF header is mapped at the bias: its magic is readable there.
        #expect(space.read(layout.pieBase, count: 4) == [0x7F, 0x45, 0x4C, 0x46])
    }

    @Test func buildsTheProcessStack() throws {
        let image = try ELFImage(path: helloPath)
        let space = AddressSpace(physical: try PhysicalMemory(size: 64 << 20))
        let layout = ProcessLayout()
        var program = try ProcessLoader.load(image, into: space, layout: layout)
        var rng = SeededRNG(seed: 1)
        try ProcessLoader.buildStack(&program, image: image, space: space, layout: layout,
                                     arguments: ["prog", "a1"], environment: ["K=V"], rng: &rng)
        let sp = program.stackPointer
        #expect(sp % 16 == 0) // AArch64 PCS: SP 16-byte aligned at process entry
        func word(_ a: UInt64) -> UInt64 { space.read(a, count: 8)!.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) } }
        #expect(word(sp) == 2) // argc
        #expect(space.readCString(word(sp + 8)) == "prog")
        #expect(space.readCString(word(sp + 16)) == "a1")
        #expect(word(sp + 24) == 0)
        #expect(space.readCString(word(sp + 32)) == "K=V")
        #expect(word(sp + 40) == 0)
        var auxv: [UInt64: UInt64] = [:]
        var a = sp + 48
        while true {
            let k = word(a), v = word(a + 8)
            auxv[k] = v
            if k == 0 { break }
            a += 16
        }
        #expect(auxv[6] == 4096)                                    // AT_PAGESZ
        #expect(auxv[9] == image.entry)                             // AT_ENTRY
        #expect(auxv[5] == image.programHeaderCount)                // AT_PHNUM
        #expect(auxv[16] == ProcessLoader.hwcap)                    // AT_HWCAP
        #expect(auxv[17] == 100)                                    // AT_CLKTCK (USER_HZ)
        // AT_PHDR points at the program headers: the first one is readable there and matches the file.
        let phdr = try #require(auxv[3])
        let off = Int(image.programHeaderOffset)
        #expect(space.read(phdr, count: 56).map { Array($0) } == Array(image.bytes[off..<off + 56]))
        #expect(space.read(try #require(auxv[25]), count: 16) != nil) // AT_RANDOM: 16 readable bytes
    }

    @Test func missingFile() {
        #expect(throws: ELFLoadError.cannotRead(path: "/nonexistent/x", reason: "no such file")) {
            try ELFImage(path: "/nonexistent/x")
        }
    }

    @Test func notAnELF() throws {
        let p = try temp("text", Array("#!/bin/sh\necho hi\n".utf8))
        #expect(throws: ELFLoadError.notELF(path: p)) { try ELFImage(path: p) }
        let empty = try temp("empty", [])
        #expect(throws: ELFLoadError.notELF(path: empty)) { try ELFImage(path: empty) }
    }

    @Test func truncatedFiles() throws {
        let full = [UInt8](try Data(contentsOf: URL(fileURLWithPath: helloPath)))
        for cut in [20, 63, 100, 2000] {
            let p = try temp("cut\(cut)", Array(full.prefix(cut)))
            do {
                _ = try ELFImage(path: p)
                Issue.record("a \(cut)-byte prefix loaded")
            } catch let e as ELFLoadError {
                guard case .truncated = e else { Issue.record("\(cut): \(e)"); continue }
                #expect(e.description.contains(p))
            }
        }
    }

    @Test func otherArchitectures() throws {
        // The host's own /bin/true is an x86-64 ELF on the machines evlsim runs on.
        if let data = FileManager.default.contents(atPath: "/bin/true"), data.count > 20, data[18] == 62 {
            #expect(throws: ELFLoadError.wrongArchitecture(path: "/bin/true", found: "x86-64 (EM_X86_64)")) {
                try ELFImage(path: "/bin/true")
            }
        }
        // A 32-bit ELF header (EI_CLASS = ELFCLASS32) is rejected before libelf sees it.
        var header = [UInt8](repeating: 0, count: 52)
        header[0...6] = [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1]
        let p = try temp("elf32", header)
        #expect(throws: ELFLoadError.wrongArchitecture(path: p, found: "a 32-bit machine")) { try ELFImage(path: p) }
    }

    @Test func dynamicExecutablesAreRefusedClearly() throws {
        guard let gcc = which("aarch64-linux-gnu-gcc") else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-dyn-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let src = dir.appendingPathComponent("d.c"), out = dir.appendingPathComponent("d")
        try "int main(void){return 0;}\n".write(to: src, atomically: true, encoding: .utf8)
        let r = try runHost(gcc, ["-o", out.path, src.path])
        try #require(r.status == 0)
        do {
            _ = try ELFImage(path: out.path)
            Issue.record("a dynamic executable loaded")
        } catch let e as ELFLoadError {
            #expect(e.description.contains("dynamically linked"))
        }
    }
}
