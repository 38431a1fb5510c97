import AArch64
// The resolved board printed back as YAML, for `evlsim machines show BOARD`:
// every value shown, in the file's syntax, with derived facts (MPIDR values,
// region ends, INTID ranges) as comments. The output parses back to an equal
// BoardDescription.

extension BoardDescription {
    /// The board as board-file YAML with every value resolved and derived values in comments.
    public func render() -> String {
        var out: [String] = []
        func line(_ text: String, _ comment: String? = nil) {
            guard let comment else { out.append(text); return }
            let pad = max(1, 44 - text.count)
            out.append(text + String(repeating: " ", count: pad) + "# " + comment)
        }
        let hex = BoardValue.hex

        line("# \(name), resolved from \(file)")
        line("name: \(Self.yamlString(name))")
        line("description: \(Self.yamlString(description, alwaysQuote: true))")

        line("cpu:")
        line("  model: \(cpu.model.rawValue)")
        line("  count: \(cpu.count)")
        line("  frequency: \(BoardValue.formatFrequency(cpu.frequencyHz))", "\(cpu.frequencyHz) Hz")
        line("  midr: \(hex(cpu.midr))")
        let mpidrs = (0..<cpu.count).map { hex(mpidr(core: $0)) }
        line("  cluster-size: \(cpu.clusterSize)", "MPIDR_EL1: " + mpidrs.joined(separator: " "))

        line("quantum: \(BoardValue.formatTime(quantum))", "\(quantum.picoseconds) ps")

        line("memory:")
        for m in memory {
            line("  - { name: \(Self.yamlString(m.name)), base: \(hex(m.base)), size: \(BoardValue.formatSize(m.size)) }",
                 "[\(hex(m.base)), \(hex(m.end)))")
        }

        let gic = interruptController
        line("interrupt-controller:")
        line("  type: \(gic.type.rawValue)")
        line("  distributor: \(hex(gic.distributor))", "\(BoardValue.formatSize(gic.distributorSize)) frame")
        if let c = gic.cpuInterface {
            line("  cpu-interface: \(hex(c))",
                 "\(BoardValue.formatSize(InterruptController.cpuInterfaceSize)) frame")
        }
        if let r = gic.redistributors {
            line("  redistributors: \(hex(r))",
                 "\(cpu.count) × 128KiB, to \(hex(r + redistributorSize))")
        }
        line("  spis: \(gic.spis)", "INTIDs 32...\(gic.lastSPI)")
        line("  priority-bits: \(gic.priorityBits)", "\(1 << gic.priorityBits) priority levels")

        line("timer:")
        line("  frequency: \(BoardValue.formatFrequency(timer.frequencyHz))", "\(timer.frequencyHz) Hz")
        line("  ppis: { physical: \(timer.physicalPPI), virtual: \(timer.virtualPPI), "
             + "hypervisor: \(timer.hypervisorPPI), secure-physical: \(timer.securePhysicalPPI) }")

        if uarts.isEmpty {
            line("uarts: []")
        } else {
            line("uarts:")
            for u in uarts {
                line("  - { name: \(Self.yamlString(u.name)), type: \(u.type.rawValue), base: \(hex(u.base)), irq: \(u.irq) }",
                     "SPI \(u.irq - 32), [\(hex(u.base)), \(hex(u.base + u.size)))")
            }
        }

        line("psci:")
        line("  conduit: \(psci.conduit.rawValue)")
        if let timing {
            func kib(_ n: UInt64) -> String { n % (1 << 20) == 0 ? "\(n >> 20)MiB" : "\(n >> 10)KiB" }
            func cache(_ name: String, _ c: Timing.Cache) {
                line("  \(name): { size: \(kib(c.size)), ways: \(c.ways), line: \(c.lineSize), latency: \(c.latency) }",
                     "\(c.size / UInt64(c.ways * c.lineSize)) sets")
            }
            line("timing:", timingSameAs.map { "the figures of \($0)" })
            let c = timing.core
            line("  core:")
            line("    issue: \(c.outOfOrder ? "out-of-order" : "in-order")")
            line("    width: \(c.width)")
            line("    window: \(c.window)")
            line("    pipes: { \(c.pipes.map { "\($0.name): \($0.count)" }.joined(separator: ", ")) }")
            line("    classes:")
            for name in TimingShape.Kind.allCases.map(\.boardName) {
                guard let k = c.classes[name] else { continue }
                line("      \(name): { latency: \(k.latency), pipe: \(k.pipe)\(k.occupancy == 1 ? "" : ", occupancy: \(k.occupancy)") }")
            }
            let p = timing.predictor, t = timing.tlb
            line("  predictor: { history-bits: \(p.historyBits), btb: \(p.btbEntries), return-stack: \(p.returnStack) }")
            line("  tlb: { l1i: \(t.l1iEntries), l1d: \(t.l1dEntries), l2: \(t.l2Entries), l2-ways: \(t.l2Ways), l2-latency: \(t.l2Latency), walk: \(t.walkLatency) }")
            line("  mispredict-penalty: \(timing.mispredictPenalty)", "cycles")
            cache("l1i", timing.l1i)
            cache("l1d", timing.l1d)
            cache("l2", timing.l2)
            let cycles = (timing.dramLatency.picoseconds * cpu.frequencyHz + 500_000_000_000) / 1_000_000_000_000
            line("  dram: { latency: \(timing.dramLatency.picoseconds / 1000)ns, bandwidth-mb-per-s: \(timing.dramBandwidthMBps) }",
                 "\(cycles) core cycles")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `s` as a YAML scalar: bare when that is unambiguous, else double-quoted with escapes.
    static func yamlString(_ s: String, alwaysQuote: Bool = false) -> String {
        let plain = !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
            && !["true", "false", "yes", "no", "on", "off", "null", "~"].contains(s.lowercased())
            && BoardValue.integer(s) == nil && s.first != "-"
        if plain && !alwaysQuote { return s }
        var q = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": q += "\\\""
            case "\\": q += "\\\\"
            case "\n": q += "\\n"
            case "\t": q += "\\t"
            default:
                if c.value < 0x20 { q += (c.value < 0x10 ? "\\x0" : "\\x") + String(c.value, radix: 16) } else { q.unicodeScalars.append(c) }
            }
        }
        return q + "\""
    }
}
