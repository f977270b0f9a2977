// swift-tools-version: 6.1
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

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

        // Bytes <-> domain values: kiosk files, snapshots, export files.
        .target(
            name: "KioskBridgeFormats",
            dependencies: [
                "KioskBridgeCore",
                "CLibXML2",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.embedInCode("Resources/kiosk-export-1.xsd")],
            swiftSettings: settings
        ),

        // The store: GRDB/SQLite behind the BridgeStore protocol.
        .target(
            name: "KioskBridgeStore",
            dependencies: [
                "KioskBridgeCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
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
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
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
                "KioskBridgeRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),

        .testTarget(name: "KioskBridgeCoreTests", dependencies: ["KioskBridgeCore"], swiftSettings: settings),
        .testTarget(name: "KioskBridgeFormatsTests", dependencies: ["KioskBridgeFormats"], swiftSettings: settings),
        .testTarget(
            name: "KioskBridgeRuntimeTests",
            dependencies: [
                "KioskBridgeRuntime", "KioskBridgeStore", "KioskBridgeCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // Drives the built executable, as cron, an operator or the acceptance suite would.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [.target(name: "kioskbridge"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
    ]
)
