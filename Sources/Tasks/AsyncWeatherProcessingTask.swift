import AppSupport
import FoundationEssentials
import Jobs
import Postgres
import WeatherData

/// `async_weather_processing`: derives what the provider's figures lack (dew point, heat index or
/// wind chill, Beaufort force, comfort class; see `WeatherDerivation`) and stores it on the search.
///
/// Args: `search_id` (one search; an unknown id fails permanently), or none: up to `limit`
/// (default 1000) unprocessed searches, oldest first, `batch_size` (default 200) per transaction,
/// with a checkpoint between batches. Rows another run is processing are skipped, not waited
/// for. Processing again gives the same values and leaves an unchanged row untouched.
public enum AsyncWeatherProcessingTask {
    /// The registered name.
    public static let name = "async_weather_processing"
    /// Searches processed per run without `search_id`, unless `limit` says otherwise.
    public static let defaultLimit = 1000
    /// Searches per transaction, unless `batch_size` says otherwise.
    public static let defaultBatchSize = 200

    /// The task's registration.
    public static let definition = TaskDefinition(
        name: name, summary: "Derive dew point, heat index or wind chill, Beaufort force and comfort class of searches.",
        maxAttempts: 3, timeoutSeconds: 600, run: run)

    static func run(_ context: JobContext) throws -> JSONValue {
        let args = try TaskArguments(context.args, allowed: ["search_id", "limit", "batch_size"])
        let searchID = try args.integer("search_id", range: 1...Int.max)
        let limit = try args.integer("limit", range: 1...1_000_000)
        let batchSize = try args.integer("batch_size", range: 1...10_000)
        let database = try context.database()
        if let searchID {
            guard limit == nil, batchSize == nil else {
                throw PermanentFailure("search_id cannot be combined with limit or batch_size")
            }
            return try processOne(searchID, on: database)
        }
        return try processWaiting(
            limit: limit ?? defaultLimit, batchSize: batchSize ?? defaultBatchSize, context: context, on: database)
    }

    /// Processes one search, whether or not it was processed before.
    static func processOne(_ id: Int, on database: PostgresConnection) throws -> JSONValue {
        guard let row = try database.query(ProcessingQueries.figures(id: id)).first else {
            throw PermanentFailure("search \(id) does not exist")
        }
        let figures = try Figures(row: row)
        let written = try database.query(ProcessingQueries.store(document([figures])))
        let derived = try SearchStore.search(id, on: database)?.derived
        return ["search_id": .int(id), "changed": .bool(!written.isEmpty), "derived": derived?.json ?? .null]
    }

    /// Processes up to `limit` waiting searches in batches.
    static func processWaiting(limit: Int, batchSize: Int, context: JobContext, on database: PostgresConnection) throws -> JSONValue {
        let started = ContinuousClock.now
        let waiting = try database.query(ProcessingQueries.unprocessedCount(limit: limit)).first?.decode(Int.self, "n") ?? 0
        context.progress(0, of: waiting, "\(waiting) searches to process")
        var processed = 0
        var batches = 0
        while processed < limit {
            try context.checkpoint()
            let size = min(batchSize, limit - processed)
            let count = try database.transaction { connection -> Int in
                let rows = try connection.query(ProcessingQueries.claimUnprocessed(limit: size))
                let figures = try rows.map(Figures.init(row:))
                if !figures.isEmpty { try connection.execute(ProcessingQueries.store(document(figures))) }
                return figures.count
            }
            if count == 0 { break }
            processed += count
            batches += 1
            context.progress(processed, of: max(waiting, processed), "processed \(processed) searches")
        }
        let moreWaiting = try database.query(ProcessingQueries.unprocessedCount(limit: 1)).first?.decode(Int.self, "n") ?? 0
        return [
            "processed": .int(processed), "batches": .int(batches), "limit": .int(limit), "more_waiting": .bool(moreWaiting > 0),
            "duration_ms": .int(Int((started.duration(to: .now) / .milliseconds(1)).rounded())),
        ]
    }

    /// The raw figures of one search.
    struct Figures {
        var id: Int
        var temperature: Double
        var humidity: Int?
        var windSpeed: Double?

        init(row: PostgresRow) throws {
            id = try row.decode(Int.self, "id")
            temperature = try row.decode(Double.self, "temperature")
            humidity = try row.decode(Int?.self, "humidity")
            windSpeed = try row.decode(Double?.self, "wind_speed")
        }

        /// The derived columns as one element of `ProcessingQueries.store`'s document. Without a
        /// humidity there is no dew point nor heat index; a missing wind counts as calm; a
        /// temperature that is not a number derives nothing (the row is still marked processed,
        /// so it is not picked again).
        var columns: JSONValue {
            func number(_ value: Double?) -> JSONValue { value.map { .double($0) } ?? .null }
            let wind = windSpeed.flatMap { $0.isFinite ? max($0, 0) : nil } ?? 0
            guard temperature.isFinite else {
                return ["id": .int(id), "dew_point": .null, "heat_index": .null, "wind_chill": .null, "beaufort": .null, "comfort": .null]
            }
            if let humidity {
                let derived = WeatherDerivation.derive(temperature: temperature, humidity: humidity, windSpeed: wind, processedAt: Date())
                return [
                    "id": .int(id), "dew_point": .double(derived.dewPoint), "heat_index": number(derived.heatIndex),
                    "wind_chill": number(derived.windChill), "beaufort": .int(derived.beaufort), "comfort": .string(derived.comfort),
                ]
            }
            let chill = WeatherDerivation.windChill(temperature: temperature, windSpeed: wind)
            let apparent = WeatherDerivation.apparentTemperature(temperature: temperature, heatIndex: nil, windChill: chill)
            return [
                "id": .int(id), "dew_point": .null, "heat_index": .null, "wind_chill": number(chill),
                "beaufort": .int(WeatherDerivation.beaufort(windSpeed: wind)),
                "comfort": .string(WeatherDerivation.comfort(apparentTemperature: apparent, dewPoint: nil).rawValue),
            ]
        }
    }

    static func document(_ figures: [Figures]) -> PostgresJSON {
        PostgresJSON(text: JSONValue.array(figures.map(\.columns)).serialized)
    }
}
