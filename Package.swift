// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Set by scripts/fuzz: the path of libFuzzer's "no main" runtime. The project's own
/// targets are then compiled with coverage instrumentation, so the fuzzers are guided by
/// the readers' code, not only by their thin entry points.
let fuzzRuntime = ProcessInfo.processInfo.environment["KIOSKBRIDGE_FUZZ"].flatMap { $0.isEmpty ? nil : $0 }

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
] + (fuzzRuntime == nil ? [] : [.unsafeFlags(["-sanitize=fuzzer"])])

let package = Package(
    name: "kioskbridge",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kioskbridge", targets: ["kioskbridge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // One trait only: with both default traits on, their flags come in a varying order and
        // every switch between `swift build` and `swift test` rebuilds Hummingbird.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // The domain: amounts, identifiers, time, claims, allocation. No I/O.
        .target(name: "KioskBridgeCore", swiftSettings: settings),

        // libxml2, for XML Schema validation and streaming reads.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        // glibc's mallopt, for the executable's memory arenas (MallocArenas.swift).
        .systemLibrary(name: "CGlibcMalloc"),

        // Bytes <-> domain values: kiosk files, snapshots, export files.
        .target(
            name: "KioskBridgeFormats",
            dependencies: [
                "KioskBridgeCore",
                "CLibXML2",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [
                .embedInCode("Resources/kiosk-export-1.xsd"),
                .embedInCode("Resources/camt.054.001.02-kioskbridge.xsd"),
                .embedInCode("Resources/camt.054.001.08-kioskbridge.xsd"),
            ],
            swiftSettings: settings
        ),

        // The store's contract: session protocols per use case, records, StoreError, the
        // trail's hash chain. No database library.
        .target(
            name: "KioskBridgeStore",
            dependencies: [
                "KioskBridgeCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),

        // The embedded store: SQLite through GRDB.
        .target(
            name: "KioskBridgeSQLite",
            dependencies: [
                "KioskBridgeCore",
                "KioskBridgeStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for binding the rows of a bulk load in place.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),

        // The hosted store: one PostgreSQL schema per municipality, through postgres-nio.
        .target(
            name: "KioskBridgePostgres",
            dependencies: [
                "KioskBridgeCore",
                "KioskBridgeStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),

        // The use cases: intake, cycle, claims import, lookup, report, watch.
        .target(
            name: "KioskBridgeRuntime",
            dependencies: [
                "KioskBridgeCore",
                "KioskBridgeFormats",
                "KioskBridgeStore",
                "KioskBridgeFBS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                // The operator's alert command, with a deadline over the whole run.
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: settings
        ),

        // The FBS client: the four operations of FBS's external API the bridge uses, over HTTP.
        .target(
            name: "KioskBridgeFBS",
            dependencies: [
                "KioskBridgeCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),

        // The library desk's web page (and the metrics endpoint): Hummingbird routes and templates.
        .target(
            name: "KioskBridgeDesk",
            dependencies: [
                "KioskBridgeCore",
                "KioskBridgeStore",
                "KioskBridgeRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [
                .embedInCode("Templates/layout-top.mustache"),
                .embedInCode("Templates/layout-bottom.mustache"),
                .embedInCode("Templates/login.mustache"),
                .embedInCode("Templates/lookup.mustache"),
                .embedInCode("Templates/day.mustache"),
                .embedInCode("Templates/message.mustache"),
                .embedInCode("Templates/till.mustache"),
                .embedInCode("Templates/till-receipt.mustache"),
                .embedInCode("Templates/till-close.mustache"),
                .embedInCode("Templates/accounts.mustache"),
                .embedInCode("Templates/desk.css"),
            ],
            swiftSettings: settings
        ),

        // The command line: argument parsing only.
        .executableTarget(
            name: "kioskbridge",
            dependencies: [
                "KioskBridgeCore",
                "KioskBridgeFormats",
                "KioskBridgeStore",
                "KioskBridgeSQLite",
                "KioskBridgePostgres",
                "KioskBridgeRuntime",
                "KioskBridgeDesk",
                "CGlibcMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),

        // A fresh store on each backend for the tests, with raw access for tampering.
        .target(
            name: "StoreTestSupport",
            dependencies: ["KioskBridgeStore", "KioskBridgeSQLite", "KioskBridgePostgres",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Tests/StoreTestSupport",
            swiftSettings: settings
        ),

        .testTarget(name: "KioskBridgeCoreTests", dependencies: ["KioskBridgeCore"], swiftSettings: settings),
        // The store's conformance suite: every behaviour the runtime relies on, on each backend.
        .testTarget(name: "KioskBridgeStoreTests", dependencies: ["KioskBridgeStore", "KioskBridgeCore", "StoreTestSupport"],
                    swiftSettings: settings),
        .testTarget(name: "KioskBridgeFormatsTests", dependencies: ["KioskBridgeFormats"], swiftSettings: settings),
        .testTarget(
            name: "KioskBridgeRuntimeTests",
            dependencies: [
                "KioskBridgeRuntime", "KioskBridgeStore", "KioskBridgeSQLite", "KioskBridgeCore", "StoreTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "KioskBridgeDeskTests",
            dependencies: ["KioskBridgeDesk", "KioskBridgeRuntime", "KioskBridgeStore", "KioskBridgeSQLite", "KioskBridgeCore", "StoreTestSupport",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: settings
        ),
        // Test support, not the product: an FBS stand-in on 127.0.0.1 with FBS's rules and
        // switchable faults, for the client's tests and (as `fbs-simulator`) the crash soak.
        .target(
            name: "FBSSimulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/FBSSimulator",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "fbs-simulator",
            dependencies: [
                "FBSSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/FBSSimulatorCommand",
            swiftSettings: settings
        ),
        .testTarget(
            name: "KioskBridgeFBSTests",
            dependencies: ["KioskBridgeFBS", "FBSSimulator", "KioskBridgeCore",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "KioskBridgePostgresTests",
            dependencies: ["KioskBridgePostgres", "KioskBridgeStore", "KioskBridgeCore", "StoreTestSupport"],
            swiftSettings: settings
        ),
        // Drives the built executable, as cron, an operator or the acceptance suite would.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [.target(name: "kioskbridge"), "StoreTestSupport", "FBSSimulator", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
    ]
)

// Fuzz targets (libFuzzer), built only by scripts/fuzz.
if let runtime = fuzzRuntime {
    let fuzzers: [(name: String, folder: String, dependency: Target.Dependency)] = [
        ("FuzzKioskCSV", "Fuzz/KioskCSV", "KioskBridgeFormats"),
        ("FuzzKioskXML", "Fuzz/KioskXML", "KioskBridgeFormats"),
        ("FuzzClaimsSnapshot", "Fuzz/ClaimsSnapshot", "KioskBridgeFormats"),
        ("FuzzConfiguration", "Fuzz/Configuration", "KioskBridgeRuntime"),
    ]
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/Driver"))
    for fuzzer in fuzzers {
        package.targets.append(.executableTarget(
            name: fuzzer.name, dependencies: ["FuzzDriver", "KioskBridgeCore", fuzzer.dependency], path: fuzzer.folder,
            swiftSettings: [.unsafeFlags(["-sanitize=fuzzer"])],
            linkerSettings: [.unsafeFlags(["-Xlinker", runtime, "-lstdc++"])]))
        package.products.append(.executable(name: fuzzer.name, targets: [fuzzer.name]))
    }
}
