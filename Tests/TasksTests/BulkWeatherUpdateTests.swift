import AppSupport
import Foundation
import Jobs
import Postgres
import Tasks
import Testing
import TestSupport
import Weather
import WeatherData

/// `bulk_weather_update` against the fake OpenWeather server, each test on a database of its own.
@Suite struct BulkWeatherUpdateTests {
    static func registry(_ configuration: WeatherProviderConfiguration) -> TaskRegistry {
        TaskRegistry([BulkWeatherUpdateTask.definition(configuration: configuration), AsyncWeatherProcessingTask.definition])
    }

    static func cities(_ pairs: [(String, String?)]) -> JSONValue {
        .array(pairs.map { ["city": .string($0.0), "country": $0.1.map { .string($0) } ?? .null] })
    }

    static func jobID(of task: String, on db: PostgresConnection) throws -> Int? {
        try db.query("SELECT id FROM jobs WHERE task = \(task) ORDER BY id DESC LIMIT 1").first?.decode(Int.self, "id")
    }

    @Test func theEuropeanCapitalsByDefaultAreStoredAndQueuedForProcessing() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let db = try PostgresConnection(conninfo: url)
            let registry = Self.registry(Ops.providerConfiguration(try Ops.fakeBaseURL()))
            let job = try Ops.run("bulk_weather_update", registry: registry, databaseURL: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            #expect(job.result?["requested"] == .int(27))
            #expect(job.result?["succeeded"] == .int(27))
            #expect(job.result?["failed"] == .array([]))
            #expect(job.result?["preset"] == .string("european_capitals"))
            #expect(job.progressCurrent == 27 && job.progressTotal == 27)

            guard case .array(let ids)? = job.result?["search_ids"] else { Issue.record("no search_ids"); return }
            let searchIDs = ids.compactMap { if case .int(let id) = $0 { id } else { nil } }
            #expect(searchIDs.count == 27)
            let cities = try searchIDs.map { try SearchStore.search($0, on: db)?.weather.city }
            #expect(cities == EuropeanCapitals.all.map { $0.city })
            let keys = try db.query("SELECT unique_key FROM jobs WHERE task = 'async_weather_processing' AND state = 'queued'")
                .map { try $0.decode(String.self, "unique_key") }
            #expect(Set(keys) == Set(searchIDs.map { "async_weather_processing:\($0)" }))
        }
    }

    @Test func eachFailureIsRecordedWithoutFailingTheOthers() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let db = try PostgresConnection(conninfo: url)
            let registry = Self.registry(Ops.providerConfiguration(try Ops.fakeBaseURL(), timeout: .seconds(1)))
            let asked: [(String, String?)] = [
                ("Paris", "FR"), ("Atlantis", "XX"), ("Ratelimited", nil), ("Broken", "BU"), ("Slow", "TO"), ("Garbage", "GG"),
                ("Rome", "IT"), ("", "FR"), ("Vienna", nil),
            ]
            let job = try Ops.run("bulk_weather_update", args: ["cities": Self.cities(asked)], registry: registry, databaseURL: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            #expect(job.result?["requested"] == .int(9))
            #expect(job.result?["succeeded"] == .int(3))
            #expect(job.progressCurrent == 9)
            guard case .array(let failed)? = job.result?["failed"] else { Issue.record("no failures"); return }
            let kinds = failed.map { [$0["city"], $0["country"], $0["error"]] }
            #expect(kinds == [
                [.string("Atlantis"), .string("XX"), .string("city_not_found")], [.string("Ratelimited"), .null, .string("rate_limited")],
                [.string("Broken"), .string("BU"), .string("server_error")], [.string("Slow"), .string("TO"), .string("timed_out")],
                [.string("Garbage"), .string("GG"), .string("invalid_response")], [.string(""), .string("FR"), .string("bad_input")],
            ])
            #expect(failed.allSatisfy { if case .string(let message)? = $0["message"] { !message.isEmpty } else { false } })
            #expect(try Ops.integer("SELECT count(*)::int FROM weather_searches", on: db) == 3)
            #expect(try Ops.integer("SELECT count(*)::int FROM jobs WHERE task = 'async_weather_processing'", on: db) == 3)
        }
    }

    @Test func progressIsRecordedAfterEachCity() async throws {
        let url = try await TestDatabase.fresh()
        // One city at a time; each Slow city holds the run for a second, long enough to be seen.
        let configuration = Ops.providerConfiguration(try await onThread { try Ops.fakeBaseURL() }, timeout: .seconds(1), maxParallel: 1, maxRetries: 0)
        let asked: [(String, String?)] = [("Paris", "FR"), ("Slow", "PA"), ("Berlin", "DE"), ("Slow", "PB"), ("Rome", "IT")]
        let finished = StartedThread {
            try Ops.run("bulk_weather_update", args: ["cities": Self.cities(asked)], registry: Self.registry(configuration), databaseURL: url)
        }
        let seen = try await onThread { () throws -> [Int] in
            let db = try PostgresConnection(conninfo: url)
            var values: [Int] = []
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let row = try db.query("SELECT state, progress_current FROM jobs WHERE task = 'bulk_weather_update'").first
                if let current = try row?.decode(Int?.self, "progress_current"), values.last != current { values.append(current) }
                if let state = try row?.decode(String.self, "state"), state != "running" { break }
                usleep(20_000)
            }
            return values
        }
        let job = try await finished.value
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(job.progressCurrent == 5 && job.progressTotal == 5)
        #expect(seen == seen.sorted(), "progress went back: \(seen)")
        #expect(seen.contains(1) && seen.contains(3), "the counts held while a Slow city was in flight: \(seen)")
        #expect(seen.last == 5)
    }

    @Test func cancellingMidRunStopsAndKeepsWhatWasFetched() async throws {
        let url = try await TestDatabase.fresh()
        let base = try await onThread { try Ops.fakeBaseURL() }
        // Slow never answers within 3 s and is retried until the cancel is seen.
        let configuration = Ops.providerConfiguration(base, timeout: .seconds(3), maxParallel: 1, maxRetries: 3)
        let asked: [(String, String?)] = [("Paris", "FR"), ("Berlin", "DE"), ("Slow", "CX"), ("Rome", "VX"), ("Madrid", "VX")]
        let finished = StartedThread {
            try Ops.run(
                "bulk_weather_update", args: ["cities": Self.cities(asked)], registry: Self.registry(configuration), databaseURL: url,
                heartbeat: .milliseconds(100))
        }
        let outcome = try await onThread { () throws -> JobQueue.CancelOutcome in
            let db = try PostgresConnection(conninfo: url)
            try eventually("Slow in flight") {
                let current = try db.query("SELECT progress_current FROM jobs WHERE task = 'bulk_weather_update'").first?
                    .decode(Int?.self, "progress_current")
                guard current == 2 else { return false }
                return try Ops.requestCount(base, q: "slow,cx") >= 1
            }
            let id = try #require(try Self.jobID(of: "bulk_weather_update", on: db))
            return try JobQueue(registry: Self.registry(configuration)).cancel(id, on: db)
        }
        #expect(outcome == .stopRequested)
        let job = try await finished.value
        #expect(job.state == .cancelled)
        #expect(job.progressCurrent == 2 && job.progressTotal == 5)
        #expect(job.progressMessage?.contains("cancelled after 2 of 5 cities: 2 stored") == true, "\(job.progressMessage ?? "")")
        let stored = try await onThread { () throws -> [String] in
            let db = try PostgresConnection(conninfo: url)
            return try db.query("SELECT city FROM weather_searches ORDER BY id").map { try $0.decode(String.self, "city") }
        }
        #expect(stored == ["Paris", "Berlin"])
        let romeRequests = try await onThread { try Ops.requestCount(base, q: "rome,vx") }
        #expect(romeRequests == 0)
    }

    @Test func aRefusedKeyStopsAfterTheFirstCityAndFailsPermanently() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let base = try Ops.fakeBaseURL()
            let definition = BulkWeatherUpdateTask.definition(configuration: Ops.providerConfiguration(base, apiKey: "bad"))
            let asked = Self.cities([("Paris", "KA"), ("Berlin", "KB"), ("Rome", "KC")])
            let job = try Ops.run("bulk_weather_update", args: ["cities": asked], registry: TaskRegistry([definition]), databaseURL: url)
            #expect(job.state == .failed)
            #expect(job.error?.contains("rejected the API key") == true, "\(job.error ?? "")")
            #expect(job.error?.contains("stopped after the first city") == true)
            #expect(job.progressCurrent == 1 && job.progressTotal == 3)
            #expect(try Ops.requestCount(base, q: "berlin,kb") == 0)
            #expect(try Ops.requestCount(base, q: "rome,kc") == 0)
            let db = try PostgresConnection(conninfo: url)
            #expect(throws: PermanentFailure.self) { try Ops.call(definition, args: ["cities": asked], on: db) }
            #expect(try Ops.integer("SELECT count(*)::int FROM weather_searches", on: db) == 0)
        }
    }

    @Test func theEnvironmentConfiguresTheProvider() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let base = try Ops.fakeBaseURL()
            let asked: JSONValue = ["cities": Self.cities([("Lisbon", "PT")])]
            let good = BulkWeatherUpdateTask.definition(
                environment: Environment(["OPENWEATHER_API_KEY": "k", "OPENWEATHER_BASE_URL": base, "OPENWEATHER_RATE_PER_MINUTE": "1000"]))
            let job = try Ops.run("bulk_weather_update", args: asked, registry: TaskRegistry([good, AsyncWeatherProcessingTask.definition]), databaseURL: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            #expect(job.result?["succeeded"] == .int(1))

            let db = try PostgresConnection(conninfo: url)
            let noKey = BulkWeatherUpdateTask.definition(environment: Environment(["OPENWEATHER_BASE_URL": base]))
            let missing = #expect(throws: PermanentFailure.self) { try Ops.call(noKey, args: asked, on: db) }
            #expect(missing?.message.contains("OPENWEATHER_API_KEY") == true)
            let badTimeout = BulkWeatherUpdateTask.definition(environment: Environment(["OPENWEATHER_API_KEY": "k", "OPENWEATHER_TIMEOUT": "0"]))
            let bad = #expect(throws: PermanentFailure.self) { try Ops.call(badTimeout, args: asked, on: db) }
            #expect(bad?.message.contains("OPENWEATHER_TIMEOUT") == true)
        }
    }

    @Test func nothingFetchedForATransientReasonFailsToBeRetried() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let definition = BulkWeatherUpdateTask.definition(configuration: Ops.providerConfiguration(try Ops.fakeBaseURL()))
            let db = try PostgresConnection(conninfo: url)
            let args: JSONValue = ["cities": Self.cities([("Broken", "RT"), ("Atlantis", "RT")])]
            do {
                _ = try Ops.call(definition, args: args, on: db)
                Issue.record("expected a failure")
            } catch let error as PermanentFailure {
                Issue.record("a provider failure must be retried, not permanent: \(error)")
            } catch {
                #expect("\(error)".contains("none of the 2 cities could be fetched"))
                #expect("\(error)".contains("status 500"))
            }
            // Unknown cities only: nothing to retry, the result says why.
            let unknown = try Ops.call(definition, args: ["cities": Self.cities([("Atlantis", "RT")])], on: db)
            #expect(unknown["succeeded"] == .int(0))
            guard case .array(let failed)? = unknown["failed"] else { Issue.record("no failures"); return }
            #expect(failed.map { $0["error"] } == [.string("city_not_found")])
        }
    }

    @Test func badArgumentsFailPermanentlyNamingTheField() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let definition = BulkWeatherUpdateTask.definition(configuration: Ops.providerConfiguration("http://127.0.0.1:9"))
            let tooMany = JSONValue.array(Array(repeating: ["city": "Paris"], count: 501))
            for (args, words) in [
                (["cities": "asia"] as JSONValue, "unknown preset"), (["cities": []], "1 to 500"), (["cities": tooMany], "1 to 500"),
                (["cities": [["city": 3]]], "cities[0].city"), (["cities": [["city": "Paris", "country": 33]]], "cities[0].country"),
                (["cities": ["Paris"]], "cities[0]"), (["cities": [["city": "Paris", "zip": "75001"]]], "zip"),
                (["cities": 3], "cities must be"), (["town": "Paris"], "town"),
            ] {
                let error = #expect(throws: PermanentFailure.self) { try Ops.call(definition, args: args, on: db) }
                #expect(error?.message.contains(words) == true, "\(args): \(error?.message ?? "")")
            }
        }
    }
}
