// swift-tools-version:6.0
import PackageDescription

/// Weft: a permissioned ledger node. Module layout and dependency direction: docs/ARCHITECTURE.md
/// and ../shared/design/ARCHITECTURE.md section 9. Phase modules never import each other or NIO.
let package = Package(
    name: "Weft",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "weft", targets: ["weft"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "WeftCore"),
        .target(name: "WeftCrypto", dependencies: ["COpenSSL", "WeftCore"]),
        .target(name: "Execution", dependencies: ["WeftCore"]),
        .target(name: "Committer", dependencies: ["WeftCore"]),
        .target(name: "AssetTransfer", dependencies: ["Execution"], path: "Chaincode/asset-transfer"),
        .target(name: "SmallBank", dependencies: ["Execution"], path: "Chaincode/smallbank"),
        .target(name: "Wire", dependencies: ["WeftCore", .product(name: "NIOCore", package: "swift-nio")]),
        .target(
            name: "WeftRPC",
            dependencies: [
                "Wire", "WeftCore", "WeftCrypto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "EVM", dependencies: ["WeftCore", "WeftCrypto"]),
        .target(name: "Ledger", dependencies: ["CSQLite", "WeftCore", "WeftCrypto"]),
        .target(name: "Raft", dependencies: ["WeftCore"]),
        .executableTarget(
            name: "weft",
            dependencies: [
                "WeftCore",
                "WeftCrypto",
                "WeftRPC",
                "Wire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                "EVM",
                "Ledger",
                "Raft",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "WeftTestSupport", path: "Tests/WeftTestSupport"),
        .testTarget(name: "WeftCoreTests", dependencies: ["WeftCore", "WeftTestSupport"]),
        .testTarget(
            name: "ExecutionTests",
            dependencies: ["Execution", "AssetTransfer", "SmallBank", "WeftCore", "WeftTestSupport"]
        ),
        .testTarget(name: "CommitterTests", dependencies: ["Committer", "WeftCore", "WeftTestSupport"]),
        .testTarget(name: "WeftCryptoTests", dependencies: ["WeftCrypto", "WeftCore", "WeftTestSupport"]),
        .testTarget(
            name: "WireTests",
            dependencies: ["Wire", "WeftCore", .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(
            name: "WeftRPCTests",
            dependencies: ["WeftRPC", "Wire", "WeftCore", "WeftCrypto", .product(name: "NIOPosix", package: "swift-nio")]
        ),
        .testTarget(name: "EVMTests", dependencies: ["EVM", "WeftCrypto", "WeftCore", "WeftTestSupport"]),
        .target(name: "LedgerTestSupport", dependencies: ["Ledger", "WeftCore", "WeftCrypto"], path: "Tests/LedgerTestSupport"),
        .executableTarget(name: "LedgerCrashWriter", dependencies: ["Ledger", "LedgerTestSupport"], path: "Tests/LedgerCrashWriter"),
        .testTarget(
            name: "LedgerTests",
            dependencies: ["Ledger", "WeftCore", "WeftCrypto", "WeftTestSupport", "LedgerTestSupport", "LedgerCrashWriter"]
        ),
        .testTarget(name: "RaftTests", dependencies: ["Raft", "WeftCore"]),
    ]
)
