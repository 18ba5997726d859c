import Logging
import Postgres

/// Applies pending migrations. Safe to run twice (applied versions are skipped) and safe when
/// several run at once (a session advisory lock lets one work while the others wait, then find
/// nothing to do).
public struct Migrator {
    /// The advisory lock key all migrators share.
    static let lockKey = 7_263_510_001
    private let connection: PostgresConnection
    private let migrations: [Migration]
    private let logger: Logger

    /// A migrator for `migrations` (the product's by default) on `connection`.
    public init(connection: PostgresConnection, migrations: [Migration] = Migration.all, logger: Logger = Logger(label: "migrate")) {
        self.connection = connection
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Errors particular to migrating.
    public enum Failure: Error, CustomStringConvertible {
        /// An applied migration's file no longer matches what was applied.
        case changedAfterApplied(version: Int, name: String)
        /// The database has a migration this program does not know (a newer program ran).
        case unknownVersionApplied(Int)

        public var description: String {
            switch self {
            case .changedAfterApplied(let version, let name):
                return "migration \(version) (\(name)) was edited after it was applied; add a new migration instead"
            case .unknownVersionApplied(let version):
                return "the database has migration \(version), which this program does not know; run a newer build"
            }
        }
    }

    /// Applies every pending migration and returns the versions it applied.
    @discardableResult
    public func migrate() throws -> [Int] {
        try connection.execute(StorageQueries.takeMigrationLock(key: Migrator.lockKey))
        defer { _ = try? connection.execute(StorageQueries.releaseMigrationLock(key: Migrator.lockKey)) }
        try connection.simpleQuery(StorageQueries.createMigrationsTable)
        let applied = try appliedChecksums()
        let known = Set(migrations.map(\.version))
        if let unknown = applied.keys.filter({ !known.contains($0) }).max() {
            throw Failure.unknownVersionApplied(unknown)
        }
        var done: [Int] = []
        for migration in migrations {
            if let checksum = applied[migration.version] {
                guard checksum == migration.checksum else {
                    throw Failure.changedAfterApplied(version: migration.version, name: migration.name)
                }
                continue
            }
            try connection.transaction { connection in
                try connection.simpleQuery(migration.sql)
                try connection.execute(
                    StorageQueries.recordMigration(version: migration.version, name: migration.name, checksum: migration.checksum))
            }
            logger.info("applied migration \(migration.version) \(migration.name)")
            done.append(migration.version)
        }
        return done
    }

    /// The highest applied version (0 when none).
    public func currentVersion() throws -> Int {
        try connection.simpleQuery(StorageQueries.createMigrationsTable)
        return try appliedChecksums().keys.max() ?? 0
    }

    private func appliedChecksums() throws -> [Int: String] {
        var out: [Int: String] = [:]
        for row in try connection.query(StorageQueries.appliedMigrations) {
            out[try row.decode(Int.self, "version")] = try row.decode(String.self, "checksum")
        }
        return out
    }
}
