// swift-tools-version:6.0
import PackageDescription

/// Layers, bottom to top:
/// - C modules (`CFastCGI`, `CLibPQ`, `CCurl`), each imported by exactly one Swift wrapper;
/// - wrappers (`FastCGI`, `Postgres`, `HTTPClient`) that turn C results into typed Swift errors;
/// - `AppSupport` (configuration, logging) and `Storage` (migrations and named queries);
/// - `Web` (routing, JSON, handlers; testable without a socket);
/// - the executables `FCGIApp` and `TaskRunner`, thin wiring.
let package = Package(
    name: "WeatherService",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "FCGIApp", targets: ["FCGIApp"]),
        .executable(name: "TaskRunner", targets: ["TaskRunner"]),
        .executable(name: "QueueBench", targets: ["QueueBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C wrapper modules.
        .systemLibrary(name: "CFastCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // libxcrypt (yescrypt password hashing), imported by Access only.
        .systemLibrary(name: "CCrypt", pkgConfig: "libxcrypt", providers: [.apt(["libcrypt-dev"])]),

        // POSIX threads for blocking C calls, kept off Swift's cooperative pool.
        .target(name: "Threads"),

        // Swift wrappers: the only importers of the C modules.
        .target(name: "FastCGI", dependencies: ["CFastCGI", "Threads"]),
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        .target(name: "HTTPClient", dependencies: ["CCurl"]),

        // Configuration and logging shared by both executables.
        .target(name: "AppSupport", dependencies: ["Threads", .product(name: "Logging", package: "swift-log")]),
        // Migrations and named queries.
        .target(
            name: "Storage",
            dependencies: ["Postgres", "AppSupport", .product(name: "Logging", package: "swift-log")],
            resources: [.embedInCode("Migrations")]
        ),
        // The job queue and its daemon (no C, no HTTP).
        .target(
            name: "Jobs",
            dependencies: ["Postgres", "AppSupport", "Threads", .product(name: "Logging", package: "swift-log")]
        ),
        // The registered tasks.
        .target(
            name: "Tasks",
            dependencies: [
                "Jobs", "AppSupport", "Postgres", "Weather", "WeatherData", "Notifications", "Threads", "Storage", "Scheduling", "Access",
            ]
        ),
        // The weather provider client (on the HTTP client).
        .target(name: "Weather", dependencies: ["HTTPClient", "AppSupport", "Threads"]),
        // Stored weather: searches, statistics, alerts, exports (named queries, no HTTP).
        .target(name: "WeatherData", dependencies: ["Postgres", "Weather", "AppSupport"]),
        // Alert notifications: e-mail (SMTP) and webhooks, both through the HTTP client module.
        .target(name: "Notifications", dependencies: ["HTTPClient", "AppSupport"]),
        // Cron expressions, the schedules table, and `run --schedule` slots.
        .target(
            name: "Scheduling",
            dependencies: ["Jobs", "Postgres", "AppSupport", "Threads", .product(name: "Logging", package: "swift-log")]
        ),
        // API tokens, admin users (yescrypt) and admin sessions: only hashes are stored.
        .target(name: "Access", dependencies: ["Postgres", "AppSupport", "CCrypt"]),
        // Routing, JSON, the API handlers and the admin pages (Mustache templates compiled in),
        // independent of FastCGI sockets.
        .target(
            name: "Web",
            dependencies: [
                "Storage", "Postgres", "AppSupport", "Access", "Jobs", "Scheduling", "Weather", "WeatherData", "Threads",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.embedInCode("Admin/Templates")]
        ),

        // Executables.
        .executableTarget(
            name: "FCGIApp",
            dependencies: ["FastCGI", "Web", "Storage", "AppSupport", "Access", "Tasks", "Jobs", "Weather", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "TaskRunner",
            dependencies: [
                "Storage", "Postgres", "AppSupport", "Jobs", "Tasks", "Threads", "Scheduling", "Access",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .executableTarget(name: "QueueBench", dependencies: ["Jobs", "Tasks", "Postgres", "AppSupport", "Threads", "HTTPClient"], path: "Sources/QueueBench"),

        // Tests.
        .target(name: "TestSupport", dependencies: ["Postgres", "Storage", "Threads"], path: "Tests/TestSupport"),
        .testTarget(name: "WebTests", dependencies: ["Web", "AppSupport", "FastCGI", "TestSupport", "Threads", "Access", "Jobs", "Postgres"]),
        .testTarget(name: "APITests", dependencies: ["HTTPClient", "Postgres", "AppSupport", "Access", "TestSupport"]),
        .testTarget(
            name: "AdminTests",
            dependencies: ["Web", "Access", "Jobs", "Scheduling", "HTTPClient", "Postgres", "AppSupport", "TestSupport"]
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "Storage", "Threads", "TestSupport"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "TestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["HTTPClient", "Postgres", "TestSupport"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "Tasks", "Postgres", "AppSupport", "Threads", "TestSupport"]),
        .testTarget(name: "WeatherTests", dependencies: ["Weather", "HTTPClient", "AppSupport", "TestSupport"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling", "Jobs", "Tasks", "Postgres", "AppSupport", "TestSupport"]),
        .testTarget(
            name: "TasksTests",
            dependencies: ["Tasks", "Jobs", "Weather", "WeatherData", "Notifications", "HTTPClient", "Postgres", "AppSupport", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
