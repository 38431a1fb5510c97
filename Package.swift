// swift-tools-version:6.0
import PackageDescription

// One target per layer of DESIGN.md; dependencies point downward only.
let optimizedHotPath: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"]),
]

let package = Package(
    name: "evlsim",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "evlsim", targets: ["evlsim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(name: "CCapstone", path: "Sources/CCapstone", pkgConfig: "capstone",
                       providers: [.apt(["libcapstone-dev"])]),
        .systemLibrary(name: "CLibelf", path: "Sources/CLibelf", pkgConfig: "libelf",
                       providers: [.apt(["libelf-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // Test-only oracle: Unicorn steps the same instructions for lockstep comparison.
        .systemLibrary(name: "CUnicorn", path: "Tests/CUnicorn", pkgConfig: "unicorn",
                       providers: [.apt(["libunicorn-dev"])]),

        // Layer 1: time, events, randomness, tracing.
        .target(name: "SimCore",
                dependencies: [.product(name: "HeapModule", package: "swift-collections"), "CZlib"],
                swiftSettings: optimizedHotPath),
        // Layer 2: RAM, address spaces, software TLB, MMIO map.
        .target(name: "Memory", dependencies: ["SimCore"], swiftSettings: optimizedHotPath),
        // Layer 3: timing models shared by every CPU: caches, TLBs, branch prediction.
        .target(name: "Microarch", dependencies: ["SimCore"], swiftSettings: optimizedHotPath),
        // Layer 4: the AArch64 ISA.
        .target(name: "AArch64", dependencies: ["SimCore", "Memory", "Microarch"], swiftSettings: optimizedHotPath),
        // Layer 5: interrupt controllers, timers, UARTs.
        .target(name: "Devices", dependencies: ["SimCore", "Memory"], swiftSettings: optimizedHotPath),
        // Layer 6: board files and the machine built from them.
        .target(name: "Board",
                dependencies: ["SimCore", "Memory", "Microarch", "AArch64", "Devices",
                               .product(name: "Yams", package: "Yams")],
                swiftSettings: optimizedHotPath),
        // Layer 9: the in-band Linux kernel model (user-mode syscalls so far).
        .target(name: "Linux", dependencies: ["SimCore", "Memory"], swiftSettings: optimizedHotPath),
        // Layer 10: ELF loading, process images, symbols, disassembly.
        .target(name: "Guest",
                dependencies: ["SimCore", "Memory", "Microarch", "AArch64", "Linux", "Board", "CCapstone", "CLibelf"],
                swiftSettings: optimizedHotPath),
        // The GDB remote stub (protocol only), and the debugger targets it drives.
        .target(name: "GDBStub", swiftSettings: optimizedHotPath),
        .target(name: "Debugger", dependencies: ["GDBStub", "Guest", "Board", "AArch64", "Memory", "Linux", "SimCore"],
                swiftSettings: optimizedHotPath),
        // Layer 12: the command-line tool, as a library so tests can drive it.
        .target(name: "EvlsimCLI",
                dependencies: ["Guest", "SimCore", "Board", "Microarch", "AArch64", "Debugger", "GDBStub",
                               .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "evlsim", dependencies: ["EvlsimCLI"]),

        .testTarget(name: "SimCoreTests", dependencies: ["SimCore"]),
        .testTarget(name: "MemoryTests", dependencies: ["Memory"]),
        .testTarget(name: "MicroarchTests", dependencies: ["Microarch"]),
        .testTarget(name: "DevicesTests", dependencies: ["Devices", "SimCore", "Memory"]),
        .testTarget(name: "BoardTests", dependencies: ["Board", "Devices", "AArch64", "Memory", "SimCore", "Guest"]),
        .testTarget(name: "LinuxTests", dependencies: ["Linux", "Memory", "SimCore"]),
        .testTarget(name: "AArch64Tests", dependencies: ["AArch64", "Memory", "Microarch", "SimCore", "CUnicorn", "Guest"]),
        .testTarget(name: "GuestTests", dependencies: ["Guest", "AArch64", "Linux", "Memory", "SimCore"]),
        .testTarget(name: "GDBStubTests", dependencies: ["GDBStub"]),
        .testTarget(name: "DebuggerTests", dependencies: ["Debugger", "Linux"]),
        .testTarget(name: "EvlsimCLITests", dependencies: ["EvlsimCLI", "Linux", "SimCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    ],
    swiftLanguageModes: [.v5]
)
