/// One numbered SQL file from `Sources/Storage/Migrations`, applied once, in order, in a
/// transaction of its own.
public struct Migration: Sendable, Equatable {
    /// The number at the start of the file name.
    public var version: Int
    /// The rest of the file name, without `.sql`.
    public var name: String
    /// The file's SQL.
    public var sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A stable checksum of the SQL (FNV-1a, 64 bits, hex), to notice a file edited after it
    /// was applied.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Migration {
    /// Every migration of the product, in order. A test checks that this list matches the
    /// files in `Migrations/` one for one.
    public static let all: [Migration] = [
        Migration(version: 1, name: "foundation", sql: text(PackageResources._001_foundation_sql)),
        Migration(version: 2, name: "jobs", sql: text(PackageResources._002_jobs_sql)),
        Migration(version: 3, name: "weather", sql: text(PackageResources._003_weather_sql)),
        Migration(version: 4, name: "api", sql: text(PackageResources._004_api_sql)),
        Migration(version: 5, name: "change_notifications", sql: text(PackageResources._005_change_notifications_sql)),
        Migration(version: 6, name: "admin", sql: text(PackageResources._006_admin_sql)),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
