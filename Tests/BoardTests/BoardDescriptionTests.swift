import Foundation
import Testing
import SimCore
import Devices
@testable import Board

/// The repository's machines/ folder, found from this file's path.
let machinesDirectory: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("machines").path
}()

let shippedBoards: [String] = {
    ((try? FileManager.default.contentsOfDirectory(atPath: machinesDirectory)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.sorted()
}()

func shipped(_ name: String) throws -> BoardDescription {
    try BoardDescription.load(path: "\(machinesDirectory)/\(name).yaml")
}

@Suite struct ShippedBoardTests {
    @Test func theFourBoardsShip() {
        #expect(shippedBoards == ["imx8mm.yaml", "qemu-virt-gicv3.yaml", "qemu-virt.yaml", "rpi4.yaml"])
    }

    @Test(arguments: shippedBoards)
    func parses(_ file: String) throws {
        let board = try BoardDescription.load(path: "\(machinesDirectory)/\(file)")
        #expect(board.name + ".yaml" == file)
        #expect(!board.description.isEmpty)
    }

    @Test(arguments: shippedBoards)
    func renderParsesBackToTheSameBoard(_ file: String) throws {
        let board = try BoardDescription.load(path: "\(machinesDirectory)/\(file)")
        let text = board.render()
        let again = try BoardDescription.parse(text, file: "rendered/\(file)")
        #expect(again == board)
    }

    @Test func rpi4MatchesTheBCM2711() throws {
        let b = try shipped("rpi4")
        #expect(b.cpu.model == .cortexA72)
        #expect(b.cpu.count == 4)
        #expect(b.cpu.frequencyHz == 1_500_000_000)
        #expect(b.cpu.midr == 0x410F_D083)
        #expect(b.interruptController.type == .gicv2)
        #expect(b.interruptController.distributor == 0xFF84_1000)
        #expect(b.interruptController.cpuInterface == 0xFF84_2000)
        #expect(b.interruptController.redistributors == nil)
        #expect(b.timer.frequencyHz == 54_000_000)
        #expect(b.timer.ppis == [.physical: 30, .virtual: 27, .hypervisor: 26, .securePhysical: 29])
        #expect(b.uarts == [.init(name: "uart0", type: .pl011, base: 0xFE20_1000, irq: 32 + 121)])
        #expect(b.memory.first?.base == 0)
        #expect(b.psci.conduit == .smc)
        #expect((0..<4).map(b.mpidr(core:)) == [0x8000_0000, 0x8000_0001, 0x8000_0002, 0x8000_0003])
    }

    @Test func imx8mmMatchesTheIMX8MMini() throws {
        let b = try shipped("imx8mm")
        #expect(b.cpu.model == .cortexA53)
        #expect(b.cpu.count == 4)
        #expect(b.cpu.frequencyHz == 1_800_000_000)
        #expect(b.cpu.midr == 0x410F_D034)
        #expect(b.interruptController.type == .gicv3)
        #expect(b.interruptController.distributor == 0x3880_0000)
        #expect(b.interruptController.redistributors == 0x3888_0000)
        #expect(b.interruptController.cpuInterface == nil)
        #expect(b.interruptController.spis == 128)
        #expect(b.redistributorSize == 0x8_0000)
        #expect(b.timer.frequencyHz == 8_000_000)
        #expect(b.memory == [.init(name: "ram", base: 0x4000_0000, size: 2 << 30)])
        #expect(b.uarts == [.init(name: "uart2", type: .imxUART, base: 0x3089_0000, irq: 32 + 27)])
        #expect(b.psci.conduit == .smc)
    }

    @Test func qemuVirtMatchesQEMU() throws {
        let v2 = try shipped("qemu-virt"), v3 = try shipped("qemu-virt-gicv3")
        for b in [v2, v3] {
            #expect(b.cpu.midr == 0x410F_D083)
            #expect(b.timer.frequencyHz == 62_500_000)
            #expect(b.memory == [.init(name: "ram", base: 0x4000_0000, size: 1 << 30)])
            #expect(b.interruptController.distributor == 0x0800_0000)
            #expect(b.interruptController.spis == 256)
            #expect(b.uarts == [.init(name: "uart0", type: .pl011, base: 0x0900_0000, irq: 33)])
            #expect(b.psci.conduit == .hvc)
            #expect(b.quantum == .microseconds(1))
        }
        #expect(v2.interruptController.cpuInterface == 0x0801_0000)
        #expect(v2.cpu.clusterSize == 8)
        #expect(v3.interruptController.redistributors == 0x080A_0000)
        #expect(v3.cpu.clusterSize == 16)
    }

    @Test func mpidrFollowsTheClusterSize() throws {
        let v2 = try shipped("qemu-virt").withCores(8)
        #expect(v2.mpidr(core: 7) == 0x8000_0007)
        let v3 = try shipped("qemu-virt-gicv3").withCores(40)
        #expect(v3.mpidr(core: 15) == 0x8000_000F)
        #expect(v3.mpidr(core: 16) == 0x8000_0100)
        #expect(v3.mpidr(core: 39) == 0x8000_0207)
        #expect(v3.redistributorSize == 40 * 0x2_0000)
    }

    @Test func regionsListEveryWindow() throws {
        let r = try shipped("qemu-virt").regions
        #expect(r.map(\.field) == ["memory[0].base", "interrupt-controller.distributor",
                                   "interrupt-controller.cpu-interface", "uarts[0].base"])
        #expect(r.map(\.size) == [1 << 30, 0x1000, 0x2000, 0x1000])
    }

    @Test func renderShowsEveryValue() throws {
        let text = try shipped("rpi4").render()
        for expected in ["name: rpi4", "model: cortex-a72", "count: 4", "frequency: 1.5GHz", "midr: 0x410FD083",
                         "cluster-size: 4", "quantum: 1us", "base: 0x00000000, size: 1GiB", "type: gicv2",
                         "distributor: 0xFF841000", "cpu-interface: 0xFF842000", "spis: 192", "priority-bits: 5",
                         "frequency: 54MHz", "physical: 30, virtual: 27, hypervisor: 26, secure-physical: 29",
                         "base: 0xFE201000, irq: 153", "conduit: smc", "MPIDR_EL1: 0x80000000 0x80000001"] {
            #expect(text.contains(expected), "render() lacks \(expected)")
        }
    }
}

@Suite struct BoardValueTests {
    @Test func integers() {
        #expect(BoardValue.integer("33") == 33)
        #expect(BoardValue.integer("0x0900_0000") == 0x0900_0000)
        #expect(BoardValue.integer("0XFF") == 255)
        #expect(BoardValue.integer("0xFFFFFFFFFFFFFFFF") == .max)
        #expect(BoardValue.integer("0x1_0000_0000_0000_0000") == nil)
        #expect(BoardValue.integer("-1") == nil)
        #expect(BoardValue.integer("12a") == nil)
        #expect(BoardValue.integer("0x") == nil)
        #expect(BoardValue.integer("") == nil)
    }

    @Test func sizes() {
        #expect(BoardValue.size("1GiB") == 1 << 30)
        #expect(BoardValue.size("512MiB") == 512 << 20)
        #expect(BoardValue.size("4KiB") == 4096)
        #expect(BoardValue.size("4 KiB") == 4096)
        #expect(BoardValue.size("0x1000") == 4096)
        #expect(BoardValue.size("65536") == 65536)
        #expect(BoardValue.size("1GB") == nil)       // ambiguous: decimal or binary?
        #expect(BoardValue.size("1.5GiB") == nil)
        #expect(BoardValue.formatSize(1 << 30) == "1GiB")
        #expect(BoardValue.formatSize(0x2000) == "8KiB")
        #expect(BoardValue.formatSize(1536 << 20) == "1536MiB")
        #expect(BoardValue.formatSize(100) == "100")
    }

    @Test func frequencies() {
        #expect(BoardValue.frequency("1.5GHz") == 1_500_000_000)
        #expect(BoardValue.frequency("62.5MHz") == 62_500_000)
        #expect(BoardValue.frequency("54MHz") == 54_000_000)
        #expect(BoardValue.frequency("19.2MHz") == 19_200_000)
        #expect(BoardValue.frequency("32.768kHz") == 32_768)
        #expect(BoardValue.frequency("54000000") == 54_000_000)
        #expect(BoardValue.frequency("0.5Hz") == nil)
        #expect(BoardValue.frequency("1.5") == nil)
        #expect(BoardValue.frequency("fast") == nil)
        for hz: UInt64 in [1_500_000_000, 62_500_000, 54_000_000, 8_000_000, 1_800_000_000, 19_200_000, 32_768] {
            #expect(BoardValue.frequency(BoardValue.formatFrequency(hz)) == hz)
        }
        #expect(BoardValue.formatFrequency(62_500_000) == "62.5MHz")
        #expect(BoardValue.formatFrequency(1_500_000_000) == "1.5GHz")
    }

    @Test func times() {
        #expect(BoardValue.time("1us") == .microseconds(1))
        #expect(BoardValue.time("500ns") == .nanoseconds(500))
        #expect(BoardValue.time("2ms") == .microseconds(2000))
        #expect(BoardValue.time("2.5us") == .nanoseconds(2500))
        #expect(BoardValue.time("1") == nil)
        #expect(BoardValue.formatTime(.microseconds(1)) == "1us")
        #expect(BoardValue.formatTime(.nanoseconds(1500)) == "1.5us")
    }
}

@Suite struct BoardFileErrorTests {
    static let file = "machines/test.yaml"
    static let valid = """
        name: test
        description: a test board
        cpu:
          model: cortex-a72
          count: 4
          frequency: 1.5GHz
          midr: 0x410FD083
          cluster-size: 8
        quantum: 1us
        memory:
          - { name: ram, base: 0x40000000, size: 1GiB }
        interrupt-controller:
          type: gicv2
          distributor: 0x08000000
          cpu-interface: 0x08010000
          spis: 256
          priority-bits: 5
        timer:
          frequency: 62.5MHz
          ppis: { physical: 30, virtual: 27, hypervisor: 26, secure-physical: 29 }
        uarts:
          - { name: uart0, type: pl011, base: 0x09000000, irq: 33 }
        psci:
          conduit: hvc

        """

    /// Parses `valid` with `old` replaced by `new`, and returns the error it must throw.
    func failure(_ old: String, _ new: String, file: String = Self.file) throws -> BoardFileError {
        #expect(Self.valid.contains(old), "test text lacks \(old)")
        let text = Self.valid.replacingOccurrences(of: old, with: new)
        do {
            _ = try BoardDescription.parse(text, file: file)
        } catch let e as BoardFileError {
            return e
        }
        Issue.record("\(old) -> \(new) parsed without error")
        throw CancellationError()
    }

    /// The 1-based column of `needle` on 1-based line `line` of `valid`.
    func column(of needle: String, line: Int) -> Int {
        let l = Self.valid.split(separator: "\n", omittingEmptySubsequences: false)[line - 1]
        return l.distance(from: l.startIndex, to: l.range(of: needle)!.lowerBound) + 1
    }

    @Test func theValidTextParses() throws {
        let b = try BoardDescription.parse(Self.valid, file: Self.file)
        #expect(b.file == Self.file)
        #expect(b.cpu.count == 4)
    }

    @Test func unknownKey() throws {
        let e = try failure("  count: 4\n", "  count: 4\n  frequncy: 2GHz\n")
        #expect(e.line == 6 && e.column == 3)
        #expect(e.field == "cpu.frequncy")
        #expect(e.description.hasPrefix("machines/test.yaml:6:3: cpu.frequncy: unknown key 'frequncy'; allowed keys: model, count, frequency, midr, cluster-size"))
    }

    @Test func wrongType() throws {
        let e = try failure("count: 4", "count: four")
        #expect(e.description == "machines/test.yaml:5:10: cpu.count: expected a core count (a decimal or 0x-prefixed hexadecimal integer), got 'four'")
        let m = try failure("psci:\n  conduit: hvc", "psci: hvc")
        #expect(m.description == "machines/test.yaml:23:7: psci: expected a mapping with keys conduit, got 'hvc'")
        let l = try failure("memory:\n  - { name: ram, base: 0x40000000, size: 1GiB }", "memory: ram")
        #expect(l.field == "memory" && l.line == 10 && l.message == "expected a list, got 'ram'")
    }

    @Test func overlap() throws {
        let e = try failure("base: 0x09000000", "base: 0x08000000")
        #expect(e.line == 22 && e.column == column(of: "0x09000000", line: 22))
        #expect(e.field == "uarts[0].base")
        #expect(e.description.contains("machines/test.yaml:22:"))
        #expect(e.message.contains("overlaps GIC distributor [0x08000000, 0x08001000) from interrupt-controller.distributor"))
        let m = try failure("size: 1GiB }", "size: 1GiB }\n  - { name: more, base: 0x7FFFF000, size: 8KiB }")
        #expect(m.field == "memory[1].base" && m.line == 12 && m.message.contains("overlaps memory 'ram'"))
    }

    @Test func irqOutOfRange() throws {
        let e = try failure("irq: 33", "irq: 20")
        #expect(e.description == "machines/test.yaml:22:\(column(of: "33", line: 22)): uarts[0].irq: expected an SPI INTID between 32 and 287, got 20")
        let high = try failure("irq: 33", "irq: 288")
        #expect(high.field == "uarts[0].irq" && high.message.hasSuffix("got 288"))
    }

    @Test func nameMismatch() throws {
        let e = try failure("name: test", "name: other")
        #expect(e.description == "machines/test.yaml:1:7: name: expected 'test' to match the file name test.yaml, got 'other'")
    }

    @Test func yamlSyntaxError() throws {
        let e = try failure("  priority-bits: 5\n", "  priority-bits: [5\n")
        #expect(e.file == Self.file)
        #expect(e.line != nil && e.line! >= 17)
        #expect(e.message.hasPrefix("YAML syntax error"))
        #expect(e.description.hasPrefix("machines/test.yaml:\(e.line ?? 0):"))
        let dup = try failure("  count: 4\n", "  count: 4\n  count: 5\n")
        #expect(dup.line == 5 && dup.message.contains("duplicate key 'count'"))
    }

    @Test func gicv2WithNineCores() throws {
        let e = try failure("count: 4", "count: 9")
        #expect(e.description == "machines/test.yaml:5:10: cpu.count: expected at most 8 cores with a gicv2 interrupt controller (GICv2 has 8 CPU interfaces), got 9")
    }

    @Test func missingField() throws {
        let e = try failure("  midr: 0x410FD083\n", "")
        #expect(e.description == "machines/test.yaml:4:3: cpu.midr: missing required field")
        let top = try failure("psci:\n  conduit: hvc\n", "")
        #expect(top.field == "psci" && top.line == 1)
    }

    @Test func valuesOutOfRange() throws {
        let ppi = try failure("physical: 30", "physical: 12")
        #expect(ppi.field == "timer.ppis.physical" && ppi.line == 20)
        #expect(ppi.message == "expected a PPI INTID between 16 and 31, got 12")
        let same = try failure("virtual: 27", "virtual: 30")
        #expect(same.field == "timer.ppis.virtual" && same.message.contains("timer.ppis.physical"))
        let spis = try failure("spis: 256", "spis: 100")
        #expect(spis.field == "interrupt-controller.spis" && spis.message.contains("multiple of 32"))
        let model = try failure("cortex-a72", "cortex-a99")
        #expect(model.message == "expected one of cortex-a72, cortex-a53, got 'cortex-a99'")
        let freq = try failure("frequency: 62.5MHz", "frequency: 62.5MiB")
        #expect(freq.field == "timer.frequency" && freq.line == 19 && freq.message.contains("got '62.5MiB'"))
        let pa = try failure("base: 0x40000000", "base: 0x100000000000")
        #expect(pa.field == "memory[0].base" && pa.message.contains("44-bit physical address space"))
        let align = try failure("distributor: 0x08000000", "distributor: 0x08000800")
        #expect(align.field == "interrupt-controller.distributor" && align.line == 14)
    }

    @Test func fieldsTheGICTypeDoesNotUse() throws {
        let e = try failure("  spis: 256\n", "  redistributors: 0x080A0000\n  spis: 256\n")
        #expect(e.field == "interrupt-controller.redistributors" && e.line == 16)
        #expect(e.message.contains("not used by gicv2"))
    }

    @Test func duplicateUARTNamesAndIRQs() throws {
        let line = "  - { name: uart0, type: pl011, base: 0x09000000, irq: 33 }\n"
        let e = try failure(line, line + "  - { name: uart0, type: pl011, base: 0x09001000, irq: 34 }\n")
        #expect(e.field == "uarts[1].name" && e.line == 23)
        #expect(e.message.contains("uarts[0].name"))
        let irq = try failure(line, line + "  - { name: uart1, type: pl011, base: 0x09001000, irq: 33 }\n")
        #expect(irq.field == "uarts[1].irq" && irq.message.contains("uarts[0]"))
    }

    @Test func withCoresRevalidates() throws {
        let b = try BoardDescription.parse(Self.valid, file: Self.file)
        #expect(try b.withCores(8).cpu.count == 8)
        do {
            _ = try b.withCores(9)
            Issue.record("9 cores on gicv2 accepted")
        } catch let e as BoardFileError {
            #expect(e.description.hasPrefix("machines/test.yaml:5:10: cpu.count: expected at most 8 cores"))
        }
        #expect(throws: BoardFileError.self) { try b.withCores(0) }
        // On GICv3 the redistributors grow with the core count and can run into the next device.
        let v3 = Self.valid.replacingOccurrences(of: "gicv2", with: "gicv3")
            .replacingOccurrences(of: "cpu-interface: 0x08010000", with: "redistributors: 0x080A0000")
            .replacingOccurrences(of: "cluster-size: 8", with: "cluster-size: 16")
            .replacingOccurrences(of: "base: 0x09000000", with: "base: 0x08800000")   // room for 59 cores
        let b3 = try BoardDescription.parse(v3, file: Self.file)
        #expect(try b3.withCores(59).redistributorSize == 59 * 0x2_0000)
        do {
            _ = try b3.withCores(60)
            Issue.record("overlapping redistributors accepted")
        } catch let e as BoardFileError {
            #expect(e.field == "uarts[0].base" && e.message.contains("GIC redistributors (60 cores)"))
        }
    }
}

@Suite struct BoardCatalogTests {
    let catalog = BoardCatalog(searchPath: [machinesDirectory])

    @Test func findsBoardsByName() throws {
        #expect(try catalog.locate("rpi4") == "\(machinesDirectory)/rpi4.yaml")
        #expect(try catalog.load("imx8mm").name == "imx8mm")
    }

    @Test func pathsArePassedThrough() throws {
        #expect(try catalog.locate("some/dir/board") == "some/dir/board")
        #expect(try catalog.locate("board.yaml") == "board.yaml")
        #expect(try catalog.load("\(machinesDirectory)/qemu-virt.yaml").name == "qemu-virt")
        #expect(throws: BoardFileError.self) { try catalog.load("/nonexistent/x.yaml") }
    }

    @Test func aMissingBoardListsTheAvailableOnes() {
        do {
            _ = try catalog.locate("rpi5")
            Issue.record("rpi5 found")
        } catch let e as BoardCatalog.NotFound {
            #expect(e.available == ["imx8mm", "qemu-virt", "qemu-virt-gicv3", "rpi4"])
            #expect(e.description.contains("no board named 'rpi5'"))
            #expect(e.description.contains("available boards: imx8mm, qemu-virt, qemu-virt-gicv3, rpi4"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func listsEveryBoardSortedByName() {
        let list = catalog.list()
        #expect(list.map(\.name) == ["imx8mm", "qemu-virt", "qemu-virt-gicv3", "rpi4"])
        #expect(list.allSatisfy { $0.problem == nil && !$0.description.isEmpty })
        #expect(list.first?.path == "\(machinesDirectory)/imx8mm.yaml")
    }

    @Test func earlierDirectoriesWin() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evlsim-catalog-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = BoardFileErrorTests.valid.replacingOccurrences(of: "name: test", with: "name: rpi4")
        try text.write(toFile: "\(dir)/rpi4.yaml", atomically: true, encoding: .utf8)
        try "name: [".write(toFile: "\(dir)/broken.yaml", atomically: true, encoding: .utf8)
        let c = BoardCatalog(searchPath: [dir, machinesDirectory])
        #expect(try c.locate("rpi4") == "\(dir)/rpi4.yaml")
        let list = c.list()
        #expect(list.first { $0.name == "rpi4" }?.description == "a test board")
        #expect(list.first { $0.name == "broken" }?.problem?.contains("broken.yaml:") == true)
    }

    @Test func defaultSearchPathOrder() {
        let repo = URL(fileURLWithPath: machinesDirectory).deletingLastPathComponent().path
        let path = BoardCatalog.defaultSearchPath(
            environment: ["EVLSIM_MACHINES": "/opt/a:/opt/b"], currentDirectory: "/tmp/work",
            executable: "\(repo)/.build/debug/evlsim")
        #expect(path == ["/opt/a", "/opt/b", "/tmp/work/machines", machinesDirectory])
    }

    @Test func findsMachinesAboveTheExecutable() {
        let repo = URL(fileURLWithPath: machinesDirectory).deletingLastPathComponent().path
        #expect(BoardCatalog.machinesDirectory(above: "\(repo)/.build/debug") == machinesDirectory)
    }
}
