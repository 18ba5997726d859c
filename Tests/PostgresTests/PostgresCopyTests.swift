import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Postgres COPY TO STDOUT")
struct PostgresCopyTests {
    struct Stop: Error {}

    /// Runs `copyOut` and returns the rows it reported and every byte it handed over.
    static func copyAll(_ db: PostgresConnection, _ statement: PostgresQuery) throws -> (rows: Int, bytes: [UInt8], chunks: Int) {
        var bytes: [UInt8] = []
        var chunks = 0
        let rows = try db.copyOut(statement) { chunk in
            bytes.append(contentsOf: chunk)
            chunks += 1
        }
        return (rows, bytes, chunks)
    }

    static func scalar(_ db: PostgresConnection, _ query: PostgresQuery) throws -> Int {
        try db.query(query).first!.decode(Int.self, at: 0)
    }

    @Test("streams CSV rows one message each and returns the row count")
    func csvRows() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let (rows, bytes, chunks) = try Self.copyAll(
                db, "COPY (SELECT g, 'row ' || g FROM generate_series(1, 1000) g) TO STDOUT (FORMAT csv, HEADER true)")
            #expect(rows == 1000)
            #expect(chunks == 1001)  // the header, then one message per row
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "g,?column?")
            #expect(lines[1] == "1,row 1")
            #expect(lines[1000] == "1000,row 1000")
            #expect(lines.count == 1002 && lines.last == "")
        }
    }

    @Test("an empty result copies nothing and returns zero")
    func empty() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let (rows, bytes, _) = try Self.copyAll(db, "COPY (SELECT 1 WHERE false) TO STDOUT (FORMAT csv)")
            #expect(rows == 0)
            #expect(bytes.isEmpty)
        }
    }

    @Test("values go in through set_config and current_setting, never spliced into the COPY")
    func settingsCarryValues() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let tricky = "O'Brien \"the\" \\ city, with\nnewline — Zürich"
            let bytes = try db.transaction { tx -> [UInt8] in
                try tx.execute("SELECT set_config('test.copy_value', \(tricky), true)")
                return try Self.copyAll(tx, "COPY (SELECT current_setting('test.copy_value') AS v) TO STDOUT (FORMAT binary)").bytes
            }
            var reader = PostgresBinaryCopyReader()
            var values: [String] = []
            try bytes.withUnsafeBytes { buffer in
                try reader.feed(buffer) { fields in values.append(String(decoding: fields[0]!, as: UTF8.self)) }
            }
            try reader.finish()
            #expect(values == [tricky])
            // The setting was local to the transaction.
            let after = try db.query("SELECT current_setting('test.copy_value', true) AS v").first?.decode(String?.self, "v")
            #expect(after == nil || after == "")
        }
    }

    @Test("binary format: JSON text arrives unescaped, NULLs as nil, integers and timestamps decode")
    func binaryFields() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let statement: PostgresQuery = """
                COPY (SELECT g::bigint AS id, timestamptz '2026-11-25 08:00:00.123456+00' + g * interval '1 day 1 microsecond' AS at,
                             json_build_object('city', E'back\\\\slash "quote"\\nline', 'n', g) AS doc,
                             NULL::text AS nothing
                      FROM generate_series(-400, 400, 200) g ORDER BY g) TO STDOUT (FORMAT binary)
                """
            let (rows, bytes, _) = try Self.copyAll(db, statement)
            #expect(rows == 5)
            var reader = PostgresBinaryCopyReader()
            var ids: [Int] = []
            var stamps: [String] = []
            var docs: [[String: Any]] = []
            try bytes.withUnsafeBytes { buffer in
                try reader.feed(buffer) { fields in
                    #expect(fields.count == 4)
                    ids.append(try PostgresBinary.integer(fields[0]))
                    stamps.append(PostgresBinary.timestampText(microseconds: try PostgresBinary.timestampMicroseconds(fields[1])))
                    let object = try JSONSerialization.jsonObject(with: Data(fields[2]!)) as? [String: Any]
                    docs.append(object ?? [:])
                    #expect(fields[3] == nil)
                }
            }
            try reader.finish()
            #expect(ids == [-400, -200, 0, 200, 400])
            #expect(docs.map { $0["city"] as? String } == Array(repeating: "back\\slash \"quote\"\nline", count: 5))
            // The text reads back as exactly the same instant (microseconds included), before and after 2000.
            for (index, text) in stamps.enumerated() {
                let g = ids[index]
                let same = try db.query(
                    "SELECT (\(text)::timestamptz = timestamptz '2026-11-25 08:00:00.123456+00' + \(g) * interval '1 day 1 microsecond') AS same"
                ).first?.decode(Bool.self, "same")
                #expect(same == true, "\(text)")
            }
            #expect(PostgresBinary.timestampText(microseconds: 0) == "2000-01-01 00:00:00.000000+00")
            #expect(PostgresBinary.timestampText(microseconds: -1) == "1999-12-31 23:59:59.999999+00")
        }
    }

    @Test("the binary reader puts tuples split across chunks back together")
    func binarySplitChunks() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let (_, bytes, _) = try Self.copyAll(
                db, "COPY (SELECT g, repeat('é', g % 7), CASE WHEN g % 3 = 0 THEN NULL ELSE g END FROM generate_series(1, 50) g) TO STDOUT (FORMAT binary)")
            for step in [1, 2, 3, 7, 64] {
                var reader = PostgresBinaryCopyReader()
                var seen: [String] = []
                var start = 0
                while start < bytes.count {
                    let end = min(start + step, bytes.count)
                    try bytes[start..<end].withUnsafeBytes { piece in
                        try reader.feed(piece) { fields in
                            let n = try PostgresBinary.integer(fields[0])
                            let text = String(decoding: fields[1]!, as: UTF8.self)
                            let third = try fields[2].map { try PostgresBinary.integer($0) }
                            seen.append("\(n)|\(text)|\(third.map(String.init) ?? "null")")
                        }
                    }
                    start = end
                }
                try reader.finish()
                let expected = (1...50).map { g in "\(g)|\(String(repeating: "é", count: g % 7))|\(g % 3 == 0 ? "null" : String(g))" }
                #expect(seen == expected, "chunks of \(step) bytes")
            }
            var truncated = PostgresBinaryCopyReader()
            try bytes.dropLast(2).withUnsafeBytes { piece in try truncated.feed(piece) { _ in } }
            #expect(throws: PostgresError.self) { try truncated.finish() }
            var garbage = PostgresBinaryCopyReader()
            #expect(throws: PostgresError.self) {
                try Array("id,city\n1,Paris\n".utf8).withUnsafeBytes { try garbage.feed($0) { _ in } }
            }
        }
    }

    @Test("bind parameters, statements that are no COPY TO STDOUT, and COPY FROM are refused; the connection stays usable")
    func refusals() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let pid = db.serverProcessID
            #expect(throws: PostgresError.self) {
                try db.copyOut("COPY (SELECT \(42)) TO STDOUT") { _ in }
            }
            do {
                try db.copyOut("SELECT 1") { _ in }
                Issue.record("a SELECT was accepted as a COPY")
            } catch let error as PostgresError {
                #expect(error.kind == .usage)
            }
            try db.simpleQuery("CREATE TEMP TABLE copy_in_target (n int)")
            do {
                try db.copyOut("COPY copy_in_target FROM STDIN") { _ in }
                Issue.record("COPY FROM was accepted")
            } catch let error as PostgresError {
                #expect(error.kind == .usage)
            }
            #expect(try Self.scalar(db, "SELECT count(*) FROM copy_in_target") == 0)
            #expect(db.serverProcessID == pid)
        }
    }

    @Test("an error in the middle of the copy surfaces as the server's error; the connection stays usable")
    func serverErrorMidway() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            var received = 0
            do {
                try db.copyOut("COPY (SELECT 1 / (5000 - g) FROM generate_series(1, 10000) g) TO STDOUT") { _ in received += 1 }
                Issue.record("division by zero did not fail the copy")
            } catch let error as PostgresError {
                #expect(error.sqlState == "22012")
                #expect(error.kind == .query)
            }
            #expect(received <= 4999)
            #expect(try Self.scalar(db, "SELECT 7") == 7)
        }
    }

    @Test("a thrown error from the closure cancels the copy and leaves the same connection usable")
    func closureThrows() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let pid = db.serverProcessID
            var received = 0
            // A copy far bigger than anyone would wait for (streamed: a set-returning function in the
            // select list, not FROM, which would build the whole set first): it must stop at the cancel.
            #expect(throws: Stop.self) {
                try db.copyOut("COPY (SELECT g, repeat('x', 100) FROM (SELECT generate_series(1, 200000000) AS g) s) TO STDOUT") { _ in
                    received += 1
                    if received == 1000 { throw Stop() }
                }
            }
            #expect(received == 1000)
            #expect(db.isConnected)
            #expect(db.serverProcessID == pid)
            #expect(try Self.scalar(db, "SELECT 8") == 8)
            // And again, so nothing of the first copy is left in the pipe.
            let (rows, _, _) = try Self.copyAll(db, "COPY (SELECT g FROM generate_series(1, 10) g) TO STDOUT")
            #expect(rows == 10)
        }
    }

    @Test("inside a transaction, a thrown error rolls the transaction back and the connection stays usable")
    func closureThrowsInTransaction() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            try db.simpleQuery("CREATE TEMP TABLE copy_tx (n int)")
            #expect(throws: Stop.self) {
                try db.transaction { tx in
                    try tx.execute("INSERT INTO copy_tx VALUES (\(1))")
                    try tx.copyOut("COPY (SELECT generate_series(1, 200000000)) TO STDOUT") { _ in throw Stop() }
                }
            }
            #expect(!db.inTransaction)
            #expect(try Self.scalar(db, "SELECT count(*) FROM copy_tx") == 0)
            try db.transaction { tx in try tx.execute("INSERT INTO copy_tx VALUES (\(2))") }
            #expect(try Self.scalar(db, "SELECT count(*) FROM copy_tx") == 1)
        }
    }

    @Test("whileWaiting runs while the server sends nothing, and throwing from it cancels the statement")
    func whileWaitingCancels() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let pid = db.serverProcessID
            var waits = 0
            let started = ContinuousClock.now
            #expect(throws: Stop.self) {
                try db.copyOut("COPY (SELECT pg_sleep(60)) TO STDOUT", whileWaiting: {
                    waits += 1
                    if waits == 3 { throw Stop() }
                }) { _ in Issue.record("pg_sleep produced data") }
            }
            // Well under the 60 s the statement would take: it was cancelled, not waited for.
            #expect(started.duration(to: .now) >= .milliseconds(200))
            #expect(waits == 3)
            #expect(db.serverProcessID == pid)
            #expect(try Self.scalar(db, "SELECT 9") == 9)
        }
    }

    @Test("a connection killed during the copy is a connection error; the next statement reconnects")
    func connectionDies() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let admin = try TestDatabase.connect(applicationName: "tests-copy-admin")
            let pid = db.serverProcessID
            var received = 0
            do {
                try db.copyOut("COPY (SELECT g, repeat('y', 200) FROM (SELECT generate_series(1, 200000000) AS g) s) TO STDOUT") { _ in
                    received += 1
                    if received == 100 { try admin.execute("SELECT pg_terminate_backend(\(pid))") }
                }
                Issue.record("the copy survived its backend's termination")
            } catch let error as PostgresError {
                #expect(error.isConnectionFailure, "\(error)")
            }
            #expect(!db.isConnected)
            #expect(try Self.scalar(db, "SELECT 10") == 10)
            #expect(db.serverProcessID != pid)
        }
    }
}
