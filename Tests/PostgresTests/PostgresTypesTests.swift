import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Postgres types: every supported type in and out, and NULL")
struct PostgresTypesTests {
    @Test("interpolation becomes $n placeholders and binds, never spliced text")
    func interpolationBinds() {
        let name = "Robert'); DROP TABLE students;--"
        let limit = 5
        let query: PostgresQuery = "SELECT * FROM t WHERE name = \(name) AND n < \(limit) AND x IS \(Optional<Int>.none)"
        #expect(query.sql == "SELECT * FROM t WHERE name = $1 AND n < $2 AND x IS $3")
        #expect(query.binds.map(\.text) == [name, "5", nil])
        #expect(query.binds[1].typeOID == PostgresTypeOID.int8)
    }

    @Test("identifiers are quoted so they cannot end early")
    func identifierQuoting() {
        let query: PostgresQuery = "LISTEN \(identifier: "we\"ird")"
        #expect(query.sql == "LISTEN \"we\"\"ird\"")
        #expect(query.binds.isEmpty)
    }

    @Test("scalar types round-trip through the server")
    func scalars() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let when = Date(timeIntervalSince1970: 1_764_000_000.123456)
            let bytes: [UInt8] = [0, 1, 2, 250, 255]
            let text = "héllo, 'world' \"quoted\" \\ 🌦"
            let rows = try db.query("""
                SELECT \(text)::text AS t, \(Int.max)::bigint AS big, \(Int32(-42))::int4 AS small,
                       \(3.25)::float8 AS f, \(true)::bool AS yes, \(false)::bool AS no,
                       \(when)::timestamptz AS at, \(bytes)::bytea AS raw,
                       '2024-02-29 23:59:59.5-05:30'::timestamptz AS offset_time,
                       'NaN'::float8 AS nan, 1.5::numeric AS num
                """)
            let row = try #require(rows.first)
            #expect(try row.decode(String.self, "t") == text)
            #expect(try row.decode(Int.self, "big") == Int.max)
            #expect(try row.decode(Int32.self, "small") == -42)
            #expect(try row.decode(Double.self, "f") == 3.25)
            #expect(try row.decode(Bool.self, "yes") == true)
            #expect(try row.decode(Bool.self, "no") == false)
            let decoded = try row.decode(Date.self, "at")
            #expect(abs(decoded.timeIntervalSince1970 - when.timeIntervalSince1970) < 0.000_001)
            #expect(try row.decode([UInt8].self, "raw") == bytes)
            // 2024-02-29 23:59:59.5 at -05:30 is 2024-03-01 05:29:59.5 UTC.
            #expect(try row.decode(Date.self, "offset_time").timeIntervalSince1970 == 1_709_270_999.5)
            #expect(try row.decode(Double.self, "nan").isNaN)
            #expect(try row.decode(Double.self, "num") == 1.5)
        }
    }

    @Test("jsonb and text[] round-trip")
    func jsonAndArrays() async throws {
        struct Payload: Codable, Equatable {
            var city: String
            var temps: [Double]
        }
        try await onThread {
            let db = try TestDatabase.connect()
            let payload = Payload(city: "Zürich", temps: [1.5, -3])
            let json = try PostgresJSON(encoding: payload)
            let list = PostgresTextArray(["a", "b c", "d\"e", "f\\g", ""])
            let row = try #require(try db.query("SELECT \(json)::jsonb AS j, \(list)::text[] AS l, (\(json)::jsonb)->>'city' AS c").first)
            #expect(try row.decode(PostgresJSON.self, "j").decode(Payload.self) == payload)
            #expect(try row.decode(PostgresTextArray.self, "l").elements == list.elements)
            #expect(try row.decode(String.self, "c") == "Zürich")
        }
    }

    @Test("NULL decodes as nil into optionals and fails clearly otherwise")
    func nulls() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let row = try #require(try db.query("""
                SELECT NULL::text AS t, NULL::bigint AS i, NULL::float8 AS f, NULL::bool AS b,
                       NULL::timestamptz AS d, NULL::jsonb AS j, NULL::bytea AS r
                """).first)
            #expect(try row.decode(String?.self, "t") == nil)
            #expect(try row.decode(Int?.self, "i") == nil)
            #expect(try row.decode(Double?.self, "f") == nil)
            #expect(try row.decode(Bool?.self, "b") == nil)
            #expect(try row.decode(Date?.self, "d") == nil)
            #expect(try row.decode(PostgresJSON?.self, "j") == nil)
            #expect(try row.decode([UInt8]?.self, "r") == nil)
            #expect(try row.isNull("t"))
            let error = #expect(throws: PostgresError.self) { try row.decode(Int.self, "i") }
            #expect(error?.kind == .decoding)
            #expect(error?.message.contains("column i is NULL") == true)
            #expect(throws: PostgresError.self) { try row.decode(Int.self, "no_such_column") }
        }
    }

    @Test("a NULL bind reaches the server as NULL")
    func nullBind() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let missing: String? = nil
            let row = try #require(try db.query("SELECT \(missing)::text IS NULL AS is_null").first)
            #expect(try row.decode(Bool.self, "is_null"))
        }
    }

    @Test("many binds at once (empty, NULL, non-ASCII, long) each reach the server whole")
    func manyBinds() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let long = String(repeating: "ab€", count: 50_000)  // 250 kB: past any stack scratch buffer
            let missing: String? = nil
            let row = try #require(
                try db.query(
                    """
                    SELECT \("")::text AS empty, \(missing)::text IS NULL AS null_is_null, \("é😀\n\t'\"")::text AS unicode,
                           length(\(long)::text) AS long_length, \(long)::text = repeat('ab€', 50000) AS long_equal, \(42) AS answer
                    """
                ).first)
            #expect(try row.decode(String.self, "empty") == "")
            #expect(try row.decode(Bool.self, "null_is_null"))
            #expect(try row.decode(String.self, "unicode") == "é😀\n\t'\"")
            #expect(try row.decode(Int.self, "long_length") == 150_000)
            #expect(try row.decode(Bool.self, "long_equal"))
            #expect(try row.decode(Int.self, "answer") == 42)
        }
    }

    @Test("text that is not the asked type is a decoding error")
    func wrongType() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let row = try #require(try db.query("SELECT 'abc'::text AS t, 99999999999::bigint AS big").first)
            #expect(throws: PostgresError.self) { try row.decode(Int.self, "t") }
            #expect(throws: PostgresError.self) { try row.decode(Int32.self, "big") }
            #expect(throws: PostgresError.self) { try row.decode(Date.self, "t") }
        }
    }
}
