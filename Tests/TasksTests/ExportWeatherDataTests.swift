import AppSupport
import Foundation
import Jobs
import Postgres
import Tasks
import Testing
import TestSupport
import WeatherData

@Suite("export_weather_data")
struct ExportWeatherDataTests {
    /// Cities that CSV and JSON must carry through unharmed.
    static let trickyCities = [
        "Washington, D.C.", "\"Quoted\" Town", "Back\\slash", "Line\nBreak", "Carriage\r\nReturn", "Zürich", "São Paulo", "東京",
        "Tab\there", "Semi;colon", "'Apostrophe'", " Spaced ",
    ]

    static let header = [
        "id", "searched_at", "city", "country", "latitude", "longitude", "temperature", "feels_like", "temp_min", "temp_max",
        "humidity", "pressure", "wind_speed", "wind_direction", "cloudiness", "condition_code", "condition_main",
        "condition_description", "observed_at", "dew_point", "heat_index", "wind_chill", "beaufort", "comfort", "processed_at",
    ]

    /// The tricky cities (one search each, an hour apart from 2026-03-01 00:00 UTC), plus Paris
    /// searches on 2026-03-02 and 2026-03-03. Returns the ids by city, in insertion order.
    @discardableResult
    static func fill(_ db: PostgresConnection) throws -> [(id: Int, city: String)] {
        var rows: [(Int, String)] = []
        var at = DataFixture.utc("2026-03-01 00:00:00")
        for city in trickyCities {
            rows.append((try DataFixture.insert(db, city: city, temperature: 1.25, humidity: nil, windSpeed: 3.5, at: at), city))
            at += 3600
        }
        for (index, text) in ["2026-03-02 10:00:00", "2026-03-02 23:00:00", "2026-03-03 00:00:00", "2026-03-03 12:00:00"].enumerated() {
            let city = index % 2 == 0 ? "Paris" : "PARIS"
            rows.append((try DataFixture.insert(db, city: city, country: "FR", temperature: Double(index), at: DataFixture.utc(text)), city))
        }
        rows.append((try DataFixture.insert(db, city: "Parisville", country: "US", at: DataFixture.utc("2026-03-02 12:00:00")), "Parisville"))
        return rows
    }

    /// Runs the export through `ManualRun` with `EXPORT_DIR` = `directory`.
    static func export(_ args: JSONValue, directory: String?, url: String) throws -> Job {
        try DataFixture.run("export_weather_data", args: args, registry: DataFixture.registry(exportDirectory: directory), url: url)
    }

    /// Checks that the job's file exists with the recorded size and checksum, that no temporary
    /// file is left, and returns its bytes.
    static func checkedFile(_ job: Job, directory: String, db: PostgresConnection) throws -> Data {
        guard case .string(let name)? = job.result?["file"], case .int(let id)? = job.result?["export_id"] else {
            throw HarnessError("no file in \(String(describing: job.result)) (error: \(job.error ?? "none"))")
        }
        #expect(!name.contains("/"))
        let path = directory + "/" + name
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(job.result?["bytes"] == .int(data.count))
        let digest = try DataFixture.sha256sum(path)
        #expect(job.result?["sha256"] == .string(digest))
        let record = try #require(try ExportStore.record(id, on: db))
        #expect(record.state == .succeeded)
        #expect(record.fileName == name)
        #expect(record.byteCount == data.count)
        #expect(record.sha256 == digest)
        #expect(record.rowCount.map { JSONValue.int($0) } == job.result?["rows"])
        #expect(try DataFixture.files(in: directory).filter { $0.hasPrefix(".") }.isEmpty, "a temporary file was left")
        return data
    }

    @Test("CSV: RFC 4180 with a header and CRLF; quotes, commas, line breaks, backslashes and non-ASCII survive")
    func csvRoundTrip() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            let rows = try Self.fill(db)
            let directory = try DataFixture.exportDirectory()
            defer { Repository.removeTemporaryDirectory(directory) }
            let job = try Self.export(["format": "csv"], directory: directory, url: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            #expect(job.result?["rows"] == .int(rows.count))
            guard case .string(let name)? = job.result?["file"] else { return }
            #expect(name.range(of: #"^weather-\d{8}T\d{6}Z-\d+\.csv$"#, options: .regularExpression) != nil, "\(name)")
            let records = try DataFixture.parseCSV(try Self.checkedFile(job, directory: directory, db: db))
            #expect(records.first == Self.header)
            let body = Array(records.dropFirst())
            #expect(body.count == rows.count)
            #expect(body.allSatisfy { $0.count == Self.header.count })
            // In (searched_at, id) order, every city exactly as stored.
            let byTime = try db.query("SELECT id, city FROM weather_searches ORDER BY searched_at, id").map {
                (try $0.decode(Int.self, "id"), try $0.decode(String.self, "city"))
            }
            #expect(body.map { Int($0[0]) ?? -1 } == byTime.map(\.0))
            #expect(body.map { $0[2] } == byTime.map(\.1))
            // NULL is an empty field; numbers and times as Postgres writes them.
            let first = body[0]
            #expect(first[10] == "")  // humidity NULL
            #expect(first[6] == "1.25")
            #expect(first[12] == "3.5")
            #expect(first[1] == "2026-03-01 00:00:00+00")
        }
    }

    @Test("JSON: one valid document, an array of objects with the CSV's keys, nulls included")
    func jsonRoundTrip() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            let rows = try Self.fill(db)
            let directory = try DataFixture.exportDirectory()
            defer { Repository.removeTemporaryDirectory(directory) }
            let job = try Self.export(["format": "json"], directory: directory, url: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            let data = try Self.checkedFile(job, directory: directory, db: db)
            let objects = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
            #expect(objects.count == rows.count)
            #expect(objects.allSatisfy { Set($0.keys) == Set(Self.header) })
            let cities = Set(objects.compactMap { $0["city"] as? String })
            #expect(Set(Self.trickyCities).isSubset(of: cities))
            #expect(objects[0]["humidity"] is NSNull)
            #expect(objects[0]["temperature"] as? Double == 1.25)
            #expect(objects[0]["searched_at"] as? String == "2026-03-01T00:00:00+00:00")

            struct Search: Decodable {
                let id: Int
                let city: String
                let country: String
                let temperature: Double
                let humidity: Int?
                let wind_speed: Double?
                let searched_at: String
            }
            let decoded = try JSONDecoder().decode([Search].self, from: data)
            #expect(decoded.map(\.id) == objects.compactMap { $0["id"] as? Int })
            #expect(Set(decoded.map(\.city)) == Set(rows.map(\.city)))
            // One object per line inside the array.
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "[" && lines.dropLast().last == "]" && lines.count == rows.count + 3)
        }
    }

    @Test("an empty selection is a valid empty document in both formats")
    func emptyExport() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            let directory = try DataFixture.exportDirectory()
            defer { Repository.removeTemporaryDirectory(directory) }
            let json = try Self.export(["format": "json"], directory: directory, url: url)
            #expect(json.result?["rows"] == .int(0))
            let document = try JSONSerialization.jsonObject(with: try Self.checkedFile(json, directory: directory, db: db)) as? [Any]
            #expect(document?.isEmpty == true)
            let csv = try Self.export(["format": "csv"], directory: directory, url: url)
            #expect(try DataFixture.parseCSV(try Self.checkedFile(csv, directory: directory, db: db)) == [Self.header])
        }
    }

    @Test("filters: city case-insensitively, the period with `from` inclusive and `to` exclusive, a plain date `to` its whole day")
    func filters() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            try Self.fill(db)
            let directory = try DataFixture.exportDirectory()
            defer { Repository.removeTemporaryDirectory(directory) }
            func exportedIDs(_ args: JSONValue) throws -> [String] {
                let job = try Self.export(args.merging(["format": "csv"]), directory: directory, url: url)
                #expect(job.state == .succeeded, "\(args): \(job.error ?? "")")
                return try DataFixture.parseCSV(try Self.checkedFile(job, directory: directory, db: db)).dropFirst().map { "\($0[2]) \($0[1])" }
            }
            #expect(
                try exportedIDs(["city": "paris"]) == [
                    "Paris 2026-03-02 10:00:00+00", "PARIS 2026-03-02 23:00:00+00", "Paris 2026-03-03 00:00:00+00",
                    "PARIS 2026-03-03 12:00:00+00",
                ])
            #expect(
                try exportedIDs(["city": "Paris", "from": "2026-03-02T23:00:00Z", "to": "2026-03-03T12:00:00Z"]) == [
                    "PARIS 2026-03-02 23:00:00+00", "Paris 2026-03-03 00:00:00+00",
                ])
            #expect(try exportedIDs(["from": "2026-03-02", "to": "2026-03-02"]) == [
                "Paris 2026-03-02 10:00:00+00", "Parisville 2026-03-02 12:00:00+00", "PARIS 2026-03-02 23:00:00+00",
            ])
            #expect(try exportedIDs(["from": "2026-03-03T01:00:00+01:00", "city": "PARIS"]) == [
                "Paris 2026-03-03 00:00:00+00", "PARIS 2026-03-03 12:00:00+00",
            ])
            #expect(try exportedIDs(["city": "Nowhere"]).isEmpty)

            let job = try Self.export(["format": "json", "city": "Paris", "to": "2026-03-03"], directory: directory, url: url)
            let objects = try JSONSerialization.jsonObject(with: try Self.checkedFile(job, directory: directory, db: db)) as? [[String: Any]]
            #expect(objects?.count == 4)
            guard case .int(let id)? = job.result?["export_id"] else {
                Issue.record("no export id in \(String(describing: job.result))")
                return
            }
            let record = try #require(try ExportStore.record(id, on: db))
            #expect(record.filter.city == "Paris")
            #expect(record.filter.to == DataFixture.utc("2026-03-04 00:00:00"))
        }
    }

    @Test("small chunks give the same file, ties of searched_at across chunk boundaries included", arguments: [ExportFormat.csv, .json])
    func chunkBoundaries(format: ExportFormat) async throws {
        try await onThread {
            let (_, db) = try DataFixture.database()
            try Self.fill(db)
            // 40 searches sharing 10 times: every chunk boundary falls inside a tie.
            try db.execute(
                """
                INSERT INTO weather_searches (city, country, temperature, searched_at)
                SELECT 'Tie ' || g, 'ZZ', g, timestamptz '2026-03-05 00:00:00.123456+00' + (g / 4) * interval '1 microsecond'
                FROM generate_series(1, 40) g
                """)
            let total = try DataFixture.integer(db, "SELECT count(*) FROM weather_searches")
            var files: [Data] = []
            for chunkRows in [3, 7, 1000] {
                let directory = try DataFixture.exportDirectory()
                defer { Repository.removeTemporaryDirectory(directory) }
                var reports: [Int] = []
                let context = DataFixture.context("export_weather_data", args: ["format": .string(format.rawValue)], on: db) { current, _, _ in
                    reports.append(current)
                }
                let result = try ExportWeatherDataTask.run(context, environment: Environment(["EXPORT_DIR": directory]), chunkRows: chunkRows)
                #expect(result["rows"] == .int(total))
                #expect(reports.first == 0 && reports.last == total)
                #expect(reports.count == 1 + (total / chunkRows) + 1, "chunks of \(chunkRows): \(reports)")
                guard case .string(let name)? = result["file"] else { return }
                files.append(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            }
            #expect(files.count == 3 && files[0] == files[2] && files[1] == files[2])
        }
    }

    @Test("two exports in the same second get different names; neither replaces the other")
    func uniqueNames() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            try Self.fill(db)
            let directory = try DataFixture.exportDirectory()
            defer { Repository.removeTemporaryDirectory(directory) }
            let registry = DataFixture.registry(exportDirectory: directory)
            var names: Set<String> = []
            for _ in 0..<3 {
                let job = try DataFixture.run("export_weather_data", args: ["format": "csv"], registry: registry, url: url)
                if case .string(let name)? = job.result?["file"] { names.insert(name) }
            }
            #expect(names.count == 3)
            #expect(Set(try DataFixture.files(in: directory)) == names)
        }
    }

    @Test("EXPORT_DIR unset, missing, not a directory or not writable fails permanently, naming EXPORT_DIR")
    func badExportDirectory() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            try Self.fill(db)
            let parent = try DataFixture.exportDirectory()
            defer { Repository.removeTemporaryDirectory(parent) }
            let plainFile = parent + "/plain-file"
            _ = FileManager.default.createFile(atPath: plainFile, contents: Data("x".utf8))
            var settings: [String?] = [nil, parent + "/missing", plainFile]
            // A folder no one may write into: read-only for other users; for root (who may write
            // anywhere) immutable, where the filesystem supports it.
            let readOnly = parent + "/read-only"
            try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false)
            var immutable = false
            if getuid() != 0 {
                chmod(readOnly, 0o555)
                settings.append(readOnly)
            } else if FileManager.default.isExecutableFile(atPath: "/usr/bin/chattr"),
                (try? runCommand("/usr/bin/chattr", ["+i", readOnly]))?.status == 0
            {
                immutable = true
                settings.append(readOnly)
            }
            defer { if immutable { _ = try? runCommand("/usr/bin/chattr", ["-i", readOnly]) } }
            for setting in settings {
                let job = try Self.export(["format": "csv"], directory: setting, url: url)
                #expect(job.state == .failed)
                #expect(job.error?.contains("EXPORT_DIR") == true, "\(job.error ?? "")")
                let environment = Environment(setting.map { ["EXPORT_DIR": $0] } ?? [:])
                do {
                    _ = try ExportWeatherDataTask.run(DataFixture.context("export_weather_data", args: [:], on: db), environment: environment)
                    Issue.record("EXPORT_DIR \(setting ?? "unset") was accepted")
                } catch {
                    #expect(error is PermanentFailure, "\(error)")
                }
            }
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_exports WHERE state = 'succeeded'") == 0)
        }
    }

    @Test("bad arguments fail permanently, naming the field")
    func badArguments() async throws {
        try await onThread {
            let (url, _) = try DataFixture.database()
            let directory = try DataFixture.exportDirectory()
            defer { Repository.removeTemporaryDirectory(directory) }
            let cases: [(JSONValue, String)] = [
                (["format": "xml"], "format"), (["format": 1], "format"), (["from": "yesterday"], "from"),
                (["to": "2026-13-01"], "to"), (["from": "2026-03-02", "to": "2026-03-01"], "from"), (["city": ""], "city"),
                (["path": "/etc/passwd"], "path"),
            ]
            for (args, field) in cases {
                let job = try Self.export(args, directory: directory, url: url)
                #expect(job.state == .failed, "\(args)")
                #expect(job.error?.contains(field) == true, "\(args): \(job.error ?? "")")
            }
            #expect(try DataFixture.files(in: directory).isEmpty)
        }
    }

    @Test("a cancel in the middle of a COPY removes the temporary file and marks the export failed; the connection stays usable")
    func cancelMidCopy() async throws {
        try await onThread {
            let (_, db) = try DataFixture.database()
            try db.execute(
                """
                INSERT INTO weather_searches (city, country, temperature, searched_at)
                SELECT 'Bulk ' || (g % 50), 'ZZ', g % 40, now() - interval '1 day' + g * interval '1 millisecond'
                FROM generate_series(1, 5000) g
                """)
            for format in ExportFormat.allCases {
                let directory = try DataFixture.exportDirectory()
                defer { Repository.removeTemporaryDirectory(directory) }
                var sawTemporary = false
                // Stopped once streaming starts: the COPY's own checkpoint (every 1024 rows) ends it.
                let context = DataFixture.context("export_weather_data", args: ["format": .string(format.rawValue)], on: db) { current, _, token in
                    sawTemporary = (try? DataFixture.files(in: directory))?.contains { $0.hasPrefix(".") } ?? false
                    if current == 0 { token.stop(.cancelled) }
                }
                #expect(throws: JobStopped.self) {
                    _ = try ExportWeatherDataTask.run(context, environment: Environment(["EXPORT_DIR": directory]), chunkRows: 100_000)
                }
                #expect(sawTemporary, "the temporary file existed while writing")
                let left = try DataFixture.files(in: directory)
                #expect(left.isEmpty, "\(format): files left: \(left)")
                #expect(db.isConnected)
                let state = try db.query("SELECT state, error FROM weather_exports ORDER BY id DESC LIMIT 1").first
                #expect(try state?.decode(String.self, "state") == "failed")
                #expect(try state?.decode(String?.self, "error") == "cancelled")
            }
        }
    }

    @Test("a cancel between chunks removes the temporary file too")
    func cancelBetweenChunks() async throws {
        try await onThread {
            let (_, db) = try DataFixture.database()
            try Self.fill(db)
            let directory = try DataFixture.exportDirectory()
            defer { Repository.removeTemporaryDirectory(directory) }
            let context = DataFixture.context("export_weather_data", args: ["format": "json"], on: db) { current, _, token in
                if current >= 5 { token.stop(.cancelled) }
            }
            #expect(throws: JobStopped.self) {
                _ = try ExportWeatherDataTask.run(context, environment: Environment(["EXPORT_DIR": directory]), chunkRows: 5)
            }
            #expect(try DataFixture.files(in: directory).isEmpty)
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_exports WHERE state = 'failed'") == 1)
        }
    }

    @Test("a connection lost mid-export is a retryable failure that leaves no file")
    func connectionLost() async throws {
        try await onThread {
            let (url, db) = try DataFixture.database()
            try Self.fill(db)
            let admin = try PostgresConnection(conninfo: url, applicationName: "tests-admin")
            let directory = try DataFixture.exportDirectory()
            defer { Repository.removeTemporaryDirectory(directory) }
            let context = DataFixture.context("export_weather_data", args: ["format": "csv"], on: db) { current, _, _ in
                if current == 4 { _ = try? admin.execute("SELECT pg_terminate_backend(\(db.serverProcessID), 5000)") }
            }
            do {
                _ = try ExportWeatherDataTask.run(context, environment: Environment(["EXPORT_DIR": directory]), chunkRows: 4)
                Issue.record("the export survived its connection")
            } catch let error as PostgresError {
                #expect(error.isConnectionFailure, "\(error)")
            }
            #expect(try DataFixture.files(in: directory).isEmpty)
            // The record was marked failed on the reopened connection.
            #expect(try DataFixture.integer(db, "SELECT count(*) FROM weather_exports WHERE state = 'failed'") == 1)
        }
    }
}

extension JSONValue {
    /// This object with `other`'s members added.
    func merging(_ other: JSONValue) -> JSONValue {
        guard case .object(var members) = self, case .object(let more) = other else { return self }
        for (key, value) in more { members[key] = value }
        return .object(members)
    }
}
