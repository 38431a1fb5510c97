import AArch64

/// The Power State Coordination Interface firmware (ARM DEN 0022, PSCI 1.1) that
/// the machine answers on the board's conduit, as QEMU and TF-A do for a kernel at EL1.
public enum PSCI {
    /// How the guest reaches the firmware.
    public enum Conduit: String, Sendable, CaseIterable {
        case hvc, smc
    }

    /// Function IDs (SMC32 and SMC64 forms).
    public enum Function: UInt64, CaseIterable, Sendable {
        case version = 0x8400_0000
        case cpuSuspend32 = 0x8400_0001, cpuSuspend64 = 0xC400_0001
        case cpuOff = 0x8400_0002
        case cpuOn32 = 0x8400_0003, cpuOn64 = 0xC400_0003
        case affinityInfo32 = 0x8400_0004, affinityInfo64 = 0xC400_0004
        case migrateInfoType = 0x8400_0006
        case systemOff = 0x8400_0008
        case systemReset = 0x8400_0009
        case features = 0x8400_000A
    }

    /// Return codes (PSCI 1.1, table 6).
    public static let success: Int64 = 0
    public static let notSupported: Int64 = -1
    public static let invalidParameters: Int64 = -2
    public static let alreadyOn: Int64 = -4

    /// PSCI 1.1: major 1, minor 1.
    public static let versionValue: Int64 = 0x0001_0001
}
