import Postgres
import Testing
import TestSupport

@Suite("Postgres transactions")
struct PostgresTransactionTests {
    struct Boom: Error {}

    @Test("commit keeps the work; a thrown error rolls it back")
    func commitAndRollback() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            try db.simpleQuery("CREATE TEMP TABLE items (n int)")
            try db.transaction { tx in try tx.execute("INSERT INTO items VALUES (\(1))") }
            #expect(throws: Boom.self) {
                try db.transaction { tx in
                    try tx.execute("INSERT INTO items VALUES (\(2))")
                    throw Boom()
                }
            }
            #expect(!db.inTransaction)
            let values = try db.query("SELECT n FROM items ORDER BY n").map { try $0.decode(Int.self, "n") }
            #expect(values == [1])
        }
    }

    @Test("a failed statement aborts the transaction and rolls everything back")
    func statementErrorRollsBack() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            try db.simpleQuery("CREATE TEMP TABLE uniq (n int UNIQUE)")
            #expect(throws: PostgresError.self) {
                try db.transaction { tx in
                    try tx.execute("INSERT INTO uniq VALUES (\(1))")
                    try tx.execute("INSERT INTO uniq VALUES (\(1))")
                }
            }
            #expect(try db.query("SELECT count(*)::int AS c FROM uniq").first?.decode(Int.self, "c") == 0)
        }
    }

    @Test("nested transactions are savepoints: the inner one rolls back alone")
    func nested() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            try db.simpleQuery("CREATE TEMP TABLE nest (n int)")
            try db.transaction { tx in
                try tx.execute("INSERT INTO nest VALUES (\(1))")
                _ = try? tx.transaction { inner in
                    try inner.execute("INSERT INTO nest VALUES (\(2))")
                    throw Boom()
                }
                try tx.execute("INSERT INTO nest VALUES (\(3))")
            }
            let values = try db.query("SELECT n FROM nest ORDER BY n").map { try $0.decode(Int.self, "n") }
            #expect(values == [1, 3])
        }
    }

    @Test("statements are prepared once per connection and reused")
    func preparedReuse() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            for value in 0..<5 { _ = try db.query("SELECT \(value)::int + 1 AS next") }
            let count = try db.query("SELECT count(*)::int AS c FROM pg_prepared_statements WHERE statement = 'SELECT $1::int + 1 AS next'")
            #expect(try count.first?.decode(Int.self, "c") == 1)
        }
    }
}
