// The checks that span several fields of a board: they run after parsing
// and again after `withCores`, because the core count sizes the GICv3
// redistributor region and is limited by the GIC type. Errors point at the
// field's line in the file, recorded while parsing.

extension BoardDescription {
    /// The board with `n` cores instead of its default, checked again (for `--smp N`).
    public func withCores(_ n: Int) throws -> BoardDescription {
        var b = self
        b.cpu.count = n
        try b.validate()
        return b
    }

    /// Checks every rule that involves more than one field; throws the first violation.
    func validate() throws {
        try checkName()
        try checkCores()
        try checkInterrupts()
        try checkRegions()
        try checkNames()
        try checkTiming()
    }

    /// A load's class latency is the L1D hit the model charges before looking further, so the
    /// two figures must agree.
    private func checkTiming() throws {
        guard let t = timing, let load = t.core.classes["load"] else { return }
        if load.latency != t.l1d.latency {
            throw fail("timing.core.classes.load.latency",
                       "expected the L1D hit latency (timing.l1d.latency: \(t.l1d.latency)), got \(load.latency)")
        }
    }

    func fail(_ field: String, _ message: String) -> BoardFileError {
        // A field without a recorded position (set by code, not read) is placed at its section.
        var path = field
        while positions[path] == nil, let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) {
            path = String(path[..<cut])
        }
        return BoardFileError(file: file, at: positions[path], field: field, message: message)
    }

    /// The board's name must be its file's name, so `evlsim run rpi4` and `machines/rpi4.yaml` agree.
    private func checkName() throws {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        let expected = base.hasSuffix(".yaml") ? String(base.dropLast(5)) : base
        guard name == expected else {
            throw fail("name", "expected '\(expected)' to match the file name \(base), got '\(name)'")
        }
    }

    private func checkCores() throws {
        guard (1...64).contains(cpu.count) else {
            throw fail("cpu.count", "expected a core count between 1 and 64, got \(cpu.count)")
        }
        if interruptController.type == .gicv2 && cpu.count > 8 {
            throw fail("cpu.count", "expected at most 8 cores with a gicv2 interrupt controller "
                       + "(GICv2 has 8 CPU interfaces), got \(cpu.count)")
        }
        if interruptController.type == .gicv3 && cpu.clusterSize > 16 {
            // ICC_SGI1R_EL1.TargetList has 16 bits: a core with Aff0 >= 16 could not receive SGIs.
            throw fail("cpu.cluster-size", "expected at most 16 with gicv3 (an SGI's TargetList reaches Aff0 0...15), "
                       + "got \(cpu.clusterSize)")
        }
    }

    private func checkInterrupts() throws {
        let gic = interruptController
        for (i, u) in uarts.enumerated() where !(32...gic.lastSPI).contains(u.irq) {
            throw fail("uarts[\(i)].irq", "expected an SPI INTID between 32 and \(gic.lastSPI), got \(u.irq)")
        }
        for (i, u) in uarts.enumerated() {
            if let j = uarts[..<i].firstIndex(where: { $0.irq == u.irq }) {
                throw fail("uarts[\(i)].irq", "expected an INTID no other device uses, got \(u.irq), "
                           + "which uarts[\(j)] ('\(uarts[j].name)') already drives")
            }
        }
        let ppis = [("physical", timer.physicalPPI), ("virtual", timer.virtualPPI),
                    ("hypervisor", timer.hypervisorPPI), ("secure-physical", timer.securePhysicalPPI)]
        for (i, p) in ppis.enumerated() {
            guard (16...31).contains(p.1) else {
                throw fail("timer.ppis.\(p.0)", "expected a PPI INTID between 16 and 31, got \(p.1)")
            }
            if let q = ppis[..<i].first(where: { $0.1 == p.1 }) {
                throw fail("timer.ppis.\(p.0)", "expected a PPI no other timer uses, got \(p.1), "
                           + "which timer.ppis.\(q.0) already uses")
            }
        }
    }

    private func checkRegions() throws {
        let paBits = cpu.model.physicalAddressBits
        let paLimit = UInt64(1) << paBits
        let all = regions
        for (i, r) in all.enumerated() {
            let alignment: UInt64
            switch r.field {
            case "interrupt-controller.distributor": alignment = interruptController.distributorSize
            case "interrupt-controller.redistributors": alignment = 0x1_0000
            default: alignment = 0x1000
            }
            if r.base % alignment != 0 {
                throw fail(r.field, "expected \(r.label) at a multiple of \(BoardValue.formatSize(alignment)), "
                           + "got \(BoardValue.hex(r.base))")
            }
            let (end, overflow) = r.base.addingReportingOverflow(r.size)
            if overflow || end > paLimit {
                throw fail(r.field, "expected \(r.label) to end within the \(cpu.model.rawValue)'s \(paBits)-bit "
                           + "physical address space (\(BoardValue.hex(paLimit))), got "
                           + "[\(BoardValue.hex(r.base)), \(overflow ? "beyond 2^64" : BoardValue.hex(end)))")
            }
            for earlier in all[..<i] where r.base < earlier.end && earlier.base < r.end {
                throw fail(r.field, "\(r.label) [\(BoardValue.hex(r.base)), \(BoardValue.hex(r.end))) overlaps "
                           + "\(earlier.label) [\(BoardValue.hex(earlier.base)), \(BoardValue.hex(earlier.end))) "
                           + "from \(earlier.field)")
            }
        }
    }

    /// Memory and UART names label MMIO regions and traces, so each must be unique.
    private func checkNames() throws {
        var seen: [String: String] = [:]
        let named = memory.enumerated().map { ("memory[\($0.offset)].name", $0.element.name) }
            + uarts.enumerated().map { ("uarts[\($0.offset)].name", $0.element.name) }
        for (field, name) in named {
            if let other = seen[name] {
                throw fail(field, "expected a name no other region uses, got '\(name)', which \(other) already uses")
            }
            seen[name] = field
        }
    }
}
