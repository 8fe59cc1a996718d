// swift-tools-version:6.1
import PackageDescription

/// Weft: a permissioned ledger node. Module layout and dependency direction: docs/ARCHITECTURE.md.
/// Phase modules (Endorser, Orderer, Committer) never import each other or NIO; WeftNode wires them.
let package = Package(
    name: "Weft",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "weft", targets: ["weft"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Foundations.
        .target(name: "WeftCore"),
        // YAML for configuration files (Foundation-free: a static weft carries no ICU).
        .target(name: "WeftYAML"),
        .target(name: "WeftCrypto", dependencies: ["COpenSSL", "WeftCore", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
        .target(
            name: "Identity",
            dependencies: ["WeftCore", "WeftCrypto", "WeftYAML", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]
        ),
        .target(
            name: "Ledger",
            dependencies: ["CSQLite", "WeftCore", "WeftCrypto", "WeftProtocol", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]
        ),
        // What clients and peers say about a ledger over the wire (queries, answers, proofs): no storage.
        .target(name: "WeftProtocol", dependencies: ["WeftCore", "WeftCrypto", "WeftYAML"]),

        // Execution core.
        .target(name: "EVM", dependencies: ["WeftCore", "WeftCrypto", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
        .target(name: "Execution", dependencies: ["WeftCore", "WeftCrypto", "Ledger", "EVM", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
        .target(name: "CCRC32C"),
        .target(name: "Raft", dependencies: ["WeftCore", "CCRC32C"]),

        // Phases.
        .target(
            name: "Endorser",
            dependencies: ["WeftCore", "WeftCrypto", "Identity", "Ledger", "Execution", "WeftTracing",
                           .product(name: "Tracing", package: "swift-distributed-tracing")]
        ),
        .target(name: "Committer", dependencies: ["WeftCore", "WeftCrypto", "Identity", "Ledger"]),
        .target(name: "Orderer", dependencies: ["WeftCore", "WeftCrypto", "Identity", "Raft", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),

        // Spans through swift-distributed-tracing, free when no tracer is bootstrapped (docs/operations.md, "Traces").
        .target(
            name: "WeftTracing",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ]
        ),

        // OTLP/HTTP trace export (JSON over swift-nio): the tracer WeftTracing's spans go to when an endpoint is
        // configured. In-repo and Foundation-free, so a static weft carries no ICU (docs/deployment.md, "Size").
        .target(
            name: "WeftOTLP",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Network protocol.
        .target(name: "Wire", dependencies: ["WeftCore", .product(name: "NIOCore", package: "swift-nio")]),
        .target(
            name: "WeftRPC",
            dependencies: [
                "Wire", "WeftCore", "WeftCrypto", "WeftTracing", "Identity",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),

        // Processes: configuration, services, wiring of the phases to the network.
        .target(
            name: "WeftNode",
            dependencies: [
                "WeftCore", "WeftCrypto", "Identity", "Ledger", "Execution", "Endorser", "Committer", "Orderer", "Raft",
                "Wire", "WeftRPC", "WeftProtocol", "Operations", "AssetTransfer", "SmallBank",
                "WeftYAML", "WeftTracing",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // Client library.
        .target(
            name: "WeftClient",
            dependencies: [
                "WeftCore", "WeftCrypto", "Identity", "WeftProtocol", "Wire", "WeftRPC", "WeftYAML", "WeftTracing",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        // Operations endpoint (health, metrics, log level, version) and Weft's log handler.
        .target(
            name: "Operations",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "WeftTracing", "WeftOTLP",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Sample chaincode, compiled into weft.
        .target(name: "AssetTransfer", dependencies: ["Execution"], path: "Chaincode/asset-transfer"),
        .target(name: "SmallBank", dependencies: ["Execution"], path: "Chaincode/smallbank"),

        // What every `weft` subcommand shares: exit statuses and CLIFailure, JSON and text output,
        // subprocesses and the node-process launcher, the client's tracer.
        .target(
            name: "WeftCommandLine",
            dependencies: [
                "WeftCore", "Operations",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Ordering nodes connected inside one process, with fault injection: `weft bench order` and the
        // orderer tests drive the same network.
        .target(
            name: "LocalOrdering",
            dependencies: ["Orderer", "Raft", "WeftCore", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]
        ),

        // `weft bench …`: the benchmarks behind docs/BENCHMARKS.md and the harnesses they drive (an ordering
        // network in one process, a Raft cluster, load generators). Only benchmarks need Raft, Orderer,
        // Committer, Endorser and the sample chaincode directly; they come into `weft` through this module.
        .target(
            name: "WeftBench",
            dependencies: [
                "WeftCommandLine", "LocalOrdering", "WeftCore", "WeftCrypto", "Identity", "Ledger", "EVM", "Execution", "Raft",
                "Endorser", "Orderer", "Committer", "WeftClient", "WeftNode", "Operations", "AssetTransfer", "SmallBank",
                "Wire", "WeftRPC",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The executable.
        .executableTarget(
            name: "weft",
            dependencies: [
                "WeftCommandLine", "WeftBench",
                "WeftCore", "WeftCrypto", "Identity", "Ledger", "EVM", "Execution",
                "WeftClient", "WeftProtocol", "WeftNode", "Operations", "Wire", "WeftRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                // `weft healthcheck`: GET /healthz over HTTPS (already linked through WeftRPC and Operations).
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Tests and their support.
        .target(name: "WeftTestSupport", dependencies: ["Raft"], path: "Tests/WeftTestSupport"),
        .target(name: "LedgerTestSupport", dependencies: ["Ledger", "WeftCore", "WeftCrypto", "Raft"], path: "Tests/LedgerTestSupport"),
        .executableTarget(name: "LedgerCrashWriter", dependencies: ["Ledger", "LedgerTestSupport"], path: "Tests/LedgerCrashWriter"),
        .testTarget(name: "WeftCoreTests", dependencies: ["WeftCore", "WeftTestSupport"]),
        .testTarget(name: "WeftYAMLTests", dependencies: ["WeftYAML"]),
        .testTarget(name: "WeftCryptoTests", dependencies: ["WeftCrypto", "WeftCore", "WeftTestSupport"]),
        .testTarget(name: "IdentityTests", dependencies: ["Identity", "WeftCrypto", "WeftCore", "WeftTestSupport"]),
        .testTarget(
            name: "LedgerTests",
            dependencies: ["Ledger", "WeftCore", "WeftCrypto", "WeftTestSupport", "LedgerTestSupport", "LedgerCrashWriter", "Raft"]
        ),
        .testTarget(name: "EVMTests", dependencies: ["EVM", "WeftCrypto", "WeftCore", "WeftTestSupport", "Raft"]),
        .testTarget(
            name: "ExecutionTests",
            dependencies: ["Execution", "AssetTransfer", "SmallBank", "WeftCore", "WeftTestSupport"]
        ),
        .testTarget(name: "RaftTests", dependencies: ["Raft", "WeftCore"]),
        .testTarget(
            name: "WeftTracingTests",
            dependencies: ["WeftTracing", .product(name: "Tracing", package: "swift-distributed-tracing")]
        ),
        .testTarget(
            name: "WeftOTLPTests",
            dependencies: [
                "WeftOTLP", "Raft",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "NetworkTests",
            dependencies: [
                "weft", "WeftClient", "WeftNode", "Identity", "Ledger", "Raft", "WeftCore", "WeftCrypto", "WeftRPC", "WeftYAML", "Wire",
                "Operations", "WeftTestSupport", "Orderer",
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "OrdererTests",
            dependencies: ["Orderer", "Raft", "WeftCore", "WeftCrypto", "Identity", "WeftClient", "Committer", "PeerTestSupport", "LocalOrdering"]
        ),
        .testTarget(
            name: "WireTests",
            dependencies: ["Wire", "WeftCore", "Raft", .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(
            name: "WeftRPCTests",
            dependencies: [
                "WeftRPC", "Identity", "Wire", "WeftCore", "WeftCrypto", "WeftTestSupport",
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "OperationsTests",
            dependencies: [
                "Operations",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(name: "CommitterTests", dependencies: ["Committer", "WeftCore", "WeftTestSupport"]),
        .target(
            name: "PeerTestSupport",
            dependencies: ["Endorser", "Committer", "Execution", "Identity", "Ledger", "WeftClient", "WeftCore", "WeftCrypto",
                           "AssetTransfer", "SmallBank"],
            path: "Tests/PeerTestSupport"
        ),
        .testTarget(
            name: "EVMChaincodeTests",
            dependencies: ["Execution", "EVM", "PeerTestSupport", "WeftClient", "WeftCore", "WeftCrypto", "WeftTestSupport"]
        ),
        .testTarget(
            name: "PeerTests",
            dependencies: ["PeerTestSupport", "Endorser", "Committer", "Identity", "Ledger", "WeftClient", "WeftCore",
                           "WeftCrypto", "AssetTransfer", "SmallBank", "Execution", "WeftNode"]
        ),
    ]
)
