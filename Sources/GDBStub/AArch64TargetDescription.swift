/// The AArch64 target description gdb reads with qXfer:features:read: the core and FP/SIMD
/// features with the register names, sizes and order of gdb's own aarch64-core.xml and
/// aarch64-fpu.xml (gdb 13): x0–x30, sp, pc (64-bit), cpsr (32-bit), v0–v31 (128-bit),
/// fpsr and fpcr (32-bit), numbered 0–67 in that order.
public enum AArch64TargetDescription {
    public static func xml(annex: String) -> String? {
        annex == "target.xml" ? target : nil
    }

    /// The same with a third feature of 64-bit system registers numbered from 68 (a full-system
    /// core's EL1 state); gdb shows a feature it does not know as plain registers.
    public static func xml(annex: String, systemRegisters names: [String]) -> String? {
        guard annex == "target.xml" else { return nil }
        var extra = "  <feature name=\"org.evlsim.aarch64.el1\">\n"
        for (i, name) in names.enumerated() { extra += "    <reg name=\"\(name)\" bitsize=\"64\" type=\"uint64\" regnum=\"\(68 + i)\" group=\"system\"/>\n" }
        extra += "  </feature>\n</target>\n"
        precondition(target.hasSuffix("</target>\n"))
        return String(target.dropLast("</target>\n".count)) + extra
    }

    static let target: String = {
        var s = """
        <?xml version="1.0"?>
        <!DOCTYPE target SYSTEM "gdb-target.dtd">
        <target version="1.0">
          <architecture>aarch64</architecture>
          <feature name="org.gnu.gdb.aarch64.core">

        """
        for i in 0...30 { s += "    <reg name=\"x\(i)\" bitsize=\"64\" type=\"int\" regnum=\"\(i)\"/>\n" }
        s += """
            <reg name="sp" bitsize="64" type="data_ptr"/>
            <reg name="pc" bitsize="64" type="code_ptr"/>
            <flags id="cpsr_flags" size="4">
              <field name="SP" start="0" end="0"/>
              <field name="EL" start="2" end="3"/>
              <field name="F" start="6" end="6"/>
              <field name="I" start="7" end="7"/>
              <field name="A" start="8" end="8"/>
              <field name="D" start="9" end="9"/>
              <field name="IL" start="20" end="20"/>
              <field name="V" start="28" end="28"/>
              <field name="C" start="29" end="29"/>
              <field name="Z" start="30" end="30"/>
              <field name="N" start="31" end="31"/>
            </flags>
            <reg name="cpsr" bitsize="32" type="cpsr_flags"/>
          </feature>
          <feature name="org.gnu.gdb.aarch64.fpu">
            <vector id="v2d" type="ieee_double" count="2"/>
            <vector id="v2u" type="uint64" count="2"/>
            <vector id="v2i" type="int64" count="2"/>
            <vector id="v4f" type="ieee_single" count="4"/>
            <vector id="v4u" type="uint32" count="4"/>
            <vector id="v4i" type="int32" count="4"/>
            <vector id="v8u" type="uint16" count="8"/>
            <vector id="v8i" type="int16" count="8"/>
            <vector id="v16u" type="uint8" count="16"/>
            <vector id="v16i" type="int8" count="16"/>
            <vector id="v1u" type="uint128" count="1"/>
            <vector id="v1i" type="int128" count="1"/>
            <union id="vnd"><field name="f" type="v2d"/><field name="u" type="v2u"/><field name="s" type="v2i"/></union>
            <union id="vns"><field name="f" type="v4f"/><field name="u" type="v4u"/><field name="s" type="v4i"/></union>
            <union id="vnh"><field name="u" type="v8u"/><field name="s" type="v8i"/></union>
            <union id="vnb"><field name="u" type="v16u"/><field name="s" type="v16i"/></union>
            <union id="vnq"><field name="u" type="v1u"/><field name="s" type="v1i"/></union>
            <union id="aarch64v">
              <field name="d" type="vnd"/><field name="s" type="vns"/><field name="h" type="vnh"/>
              <field name="b" type="vnb"/><field name="q" type="vnq"/>
            </union>

        """
        for i in 0...31 { s += "    <reg name=\"v\(i)\" bitsize=\"128\" type=\"aarch64v\" regnum=\"\(34 + i)\"/>\n" }
        s += """
            <reg name="fpsr" bitsize="32"/>
            <reg name="fpcr" bitsize="32"/>
          </feature>
        </target>

        """
        return s
    }()
}
