import AppSupport
import Foundation
import Jobs
import Postgres
import Tasks
import Testing
import TestSupport
import WeatherData

@Suite struct AsyncWeatherProcessingTests {
    @Test func processesOneSearchAndProcessingAgainChangesNothing() async throws {
        try await onThread {
            let url = try TestDatabase.url()
            let db = try TestDatabase.connect()
            // 90 °F at 60 %: heat index about 100 °F; a 23.5 °C dew point is oppressive.
            let stored = try SearchStore.insert(Ops.weather(temperature: 32.22, humidity: 60, windSpeed: 6), on: db)
            #expect(stored.derived == nil)

            let job = try Ops.run("async_weather_processing", args: ["search_id": .int(stored.id)], databaseURL: url)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            #expect(job.result?["changed"] == .bool(true))
            let first = try #require(try SearchStore.search(stored.id, on: db)?.derived)
            let expected = WeatherDerivation.derive(temperature: 32.22, humidity: 60, windSpeed: 6, processedAt: first.processedAt)
            #expect(first == expected)
            #expect(abs(first.heatIndex! * 9 / 5 + 32 - 100) < 1)
            #expect(first.windChill == nil)
            #expect(first.beaufort == 4)
            #expect(abs(first.dewPoint - 23.5) < 0.1)
            #expect(first.comfort == "oppressive")
            #expect(job.result?["derived"]?["comfort"] == .string("oppressive"))

            let again = try Ops.run("async_weather_processing", args: ["search_id": .int(stored.id)], databaseURL: url)
            #expect(again.state == .succeeded)
            #expect(again.result?["changed"] == .bool(false))
            let second = try #require(try SearchStore.search(stored.id, on: db)?.derived)
            #expect(second == first)  // processed_at included: the row was left alone
        }
    }

    @Test func unknownSearchFailsPermanently() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            #expect(throws: PermanentFailure.self) {
                try Ops.call(AsyncWeatherProcessingTask.definition, args: ["search_id": .int(Int(Int32.max) * 4)], on: db)
            }
            let job = try Ops.run("async_weather_processing", args: ["search_id": .int(Int(Int32.max) * 4)], databaseURL: TestDatabase.url())
            #expect(job.state == .failed)
            #expect(job.error?.contains("does not exist") == true)
        }
    }

    @Test func badArgumentsFailPermanentlyNamingTheField() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            for (args, field) in [
                (["search_id": "7"] as JSONValue, "search_id"), (["limit": 0], "limit"), (["search_id": 1, "limit": 5], "search_id"),
                (["batch_size": -1], "batch_size"), (["city": "Paris"], "city"),
            ] {
                let error = #expect(throws: PermanentFailure.self) { try Ops.call(AsyncWeatherProcessingTask.definition, args: args, on: db) }
                #expect(error?.message.contains(field) == true, "\(args): \(error?.message ?? "")")
            }
        }
    }

    @Test func batchesProcessTheOldestWaitingSearchesUpToTheLimit() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let db = try PostgresConnection(conninfo: url)
            let temperatures: [Double] = [-12, 4, 15, 21, 30]
            let ids = try temperatures.map { try SearchStore.insert(Ops.weather(temperature: $0, humidity: 70, windSpeed: 5), on: db).id }
            // A row without humidity (not something the provider sends, but the schema allows it).
            let bare = try Ops.integer(
                "INSERT INTO weather_searches (city, temperature, wind_speed) VALUES ('Bare', -3, 8) RETURNING id", on: db)

            let first = try Ops.run("async_weather_processing", args: ["limit": 3, "batch_size": 2], databaseURL: url)
            #expect(first.state == .succeeded, "\(first.error ?? "")")
            #expect(first.result?["processed"] == .int(3))
            #expect(first.result?["batches"] == .int(2))
            #expect(first.result?["more_waiting"] == .bool(true))
            #expect(first.progressCurrent == 3)
            #expect(first.progressTotal == 3)
            let processed = try ids.map { try SearchStore.search($0, on: db)?.derived != nil }
            #expect(processed == [true, true, true, false, false])
            #expect(try SearchStore.search(ids[0], on: db)?.derived?.comfort == "freezing")

            let rest = try Ops.run("async_weather_processing", databaseURL: url)
            #expect(rest.result?["processed"] == .int(3))
            #expect(rest.result?["more_waiting"] == .bool(false))
            for id in ids {
                let search = try #require(try SearchStore.search(id, on: db))
                let derived = try #require(search.derived)
                let expected = WeatherDerivation.derive(
                    temperature: search.weather.temperature, humidity: 70, windSpeed: 5, processedAt: derived.processedAt)
                #expect(derived == expected)
            }
            let row = try #require(try db.query("SELECT dew_point, heat_index, wind_chill, beaufort, comfort, processed_at FROM weather_searches WHERE id = \(bare)").first)
            #expect(try row.decode(Double?.self, "dew_point") == nil)
            #expect(try row.decode(Double?.self, "wind_chill") == WeatherDerivation.windChill(temperature: -3, windSpeed: 8))
            #expect(try row.decode(Int.self, "beaufort") == 5)
            #expect(try row.decode(String.self, "comfort") == "freezing")
            #expect(try row.decode(Date?.self, "processed_at") != nil)

            let idle = try Ops.run("async_weather_processing", databaseURL: url)
            #expect(idle.result?["processed"] == .int(0))
            #expect(idle.result?["batches"] == .int(0))
        }
    }
}
