// swift-tools-version:6.0
import PackageDescription

/// Coverage-guided fuzz targets (libFuzzer) for Weft's decoders and parsers. Built and run only by
/// `run.sh` (`swift build --sanitize fuzzer --sanitize address -c release`), never by the root package.
///
/// The root package exports no library products (only the `weft` executable), and a package can use
/// another package's modules only through products; so this package compiles the modules it fuzzes
/// from the same sources, through the symlinks in `Modules/` — one copy of the code, two builds.
let fuzzTarget: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
let nioConcurrency = Target.Dependency.product(name: "NIOConcurrencyHelpers", package: "swift-nio")

/// One executable per fuzz target; its sources are `Targets/<name>/`.
func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Targets/\(name)", swiftSettings: fuzzTarget)
}

let package = Package(
    name: "WeftFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // The product modules under test (symlinks to ../../Sources).
        .systemLibrary(name: "COpenSSL", path: "Modules/COpenSSL", pkgConfig: "openssl"),
        .systemLibrary(name: "CSQLite", path: "Modules/CSQLite", pkgConfig: "sqlite3"),
        .target(name: "CCRC32C", path: "Modules/CCRC32C"),
        .target(name: "WeftCore", path: "Modules/WeftCore"),
        .target(name: "WeftYAML", path: "Modules/WeftYAML"),
        .target(name: "WeftCrypto", dependencies: ["COpenSSL", "WeftCore", nioConcurrency], path: "Modules/WeftCrypto"),
        .target(name: "Identity", dependencies: ["WeftCore", "WeftCrypto", "WeftYAML", nioConcurrency], path: "Modules/Identity"),
        .target(name: "WeftProtocol", dependencies: ["WeftCore", "WeftCrypto", "WeftYAML"], path: "Modules/WeftProtocol"),
        .target(name: "Ledger", dependencies: ["CSQLite", "WeftCore", "WeftCrypto", "WeftProtocol", nioConcurrency], path: "Modules/Ledger"),
        .target(name: "EVM", dependencies: ["WeftCore", "WeftCrypto", nioConcurrency], path: "Modules/EVM"),
        .target(name: "Raft", dependencies: ["WeftCore", "CCRC32C"], path: "Modules/Raft"),
        .target(name: "Orderer", dependencies: ["WeftCore", "WeftCrypto", "Identity", "Raft", nioConcurrency], path: "Modules/Orderer"),
        .target(name: "Wire", dependencies: ["WeftCore", .product(name: "NIOCore", package: "swift-nio")], path: "Modules/Wire"),

        // Shared checks.
        .target(name: "FuzzSupport", dependencies: ["WeftCore"], path: "Support"),

        // The fuzz targets.
        fuzzer("FuzzFrameDecoder", ["Wire", .product(name: "NIOCore", package: "swift-nio"),
                                    .product(name: "NIOEmbedded", package: "swift-nio")]),
        fuzzer("FuzzBlock", ["WeftCore"]),
        fuzzer("FuzzChannelConfig", ["WeftCore"]),
        fuzzer("FuzzAdminMessages", ["WeftCore", "Ledger"]),
        fuzzer("FuzzBlockMetadata", ["WeftCore"]),
        fuzzer("FuzzEnvelope", ["WeftCore"]),
        fuzzer("FuzzProposal", ["WeftCore"]),
        fuzzer("FuzzRaftMessage", ["Raft", "WeftCore"]),
        fuzzer("FuzzRaftEntry", ["Raft", "WeftCore"]),
        fuzzer("FuzzBlockRecord", ["Orderer", "Raft", "WeftCore"]),
        fuzzer("FuzzYAML", ["WeftYAML"]),
        fuzzer("FuzzSelector", ["Ledger"]),
        fuzzer("FuzzPolicy", ["Identity"]),
        fuzzer("FuzzEVM", ["EVM", "WeftCore"]),
        fuzzer("FuzzABI", ["EVM"]),
    ]
)
