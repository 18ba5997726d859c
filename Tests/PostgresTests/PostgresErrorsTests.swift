import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Postgres errors: SQLSTATE, redaction, configuration")
struct PostgresErrorsTests {
    @Test("a unique violation carries SQLSTATE 23505 and the constraint, not the values")
    func uniqueViolation() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            try db.simpleQuery("CREATE TEMP TABLE people (email text CONSTRAINT people_email_key UNIQUE)")
            try db.execute("INSERT INTO people VALUES (\("secret@example.com"))")
            let error = #expect(throws: PostgresError.self) {
                try db.execute("INSERT INTO people VALUES (\("secret@example.com"))")
            }
            #expect(error?.sqlState == "23505")
            #expect(error?.isUniqueViolation == true)
            #expect(error?.constraint == "people_email_key")
            #expect(error?.detail?.contains("secret@example.com") == true)
            #expect(error.map { "\($0)" }?.contains("secret@example.com") == false)
            // The connection is still usable after a statement error.
            #expect(try db.query("SELECT count(*)::int AS n FROM people").first?.decode(Int.self, "n") == 1)
        }
    }

    @Test("a syntax error is a query error with SQLSTATE 42601")
    func syntaxError() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let error = #expect(throws: PostgresError.self) { try db.query("SELEC 1") }
            #expect(error?.kind == .query)
            #expect(error?.sqlState == "42601")
        }
    }

    @Test("a malformed connection string is a configuration error")
    func badConninfo() async throws {
        await onThread {
            let error = #expect(throws: PostgresError.self) {
                _ = try PostgresConnection(conninfo: "postgresql://host:notaport/db")
            }
            #expect(error?.kind == .configuration)
            #expect(throws: PostgresError.self) { try PostgresConnection.validate(conninfo: "host=a bogus_option=1") }
            #expect(throws: Never.self) { try PostgresConnection.validate(conninfo: "postgresql://u:p@127.0.0.1:5432/db") }
        }
    }

    @Test("an unreachable server is a connection error, without the password")
    func unreachable() async throws {
        let port = closedLocalPort()
        await onThread {
            let error = #expect(throws: PostgresError.self) {
                _ = try PostgresConnection(conninfo: "postgresql://weather:hunter2secret@127.0.0.1:\(port)/weather")
            }
            #expect(error?.kind == .connection)
            #expect(error?.isConnectionFailure == true)
            #expect(error.map { "\($0)" }?.contains("hunter2secret") == false)
            #expect(error?.message.contains("\(port)") == true)
        }
    }
}
