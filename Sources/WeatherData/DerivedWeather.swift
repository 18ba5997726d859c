import AppSupport
import FoundationEssentials

/// What `async_weather_processing` derives from a search's raw figures.
public struct DerivedWeather: Sendable, Equatable {
    /// Dew point, °C (Magnus formula).
    public var dewPoint: Double
    /// Heat index, °C, when the temperature is at least 27 °C.
    public var heatIndex: Double?
    /// Wind chill, °C, when at most 10 °C with wind above 4.8 km/h.
    public var windChill: Double?
    /// Beaufort force, 0 to 12.
    public var beaufort: Int
    /// A comfort class: freezing, cold, cool, comfortable, warm, hot, oppressive.
    public var comfort: String
    /// When it was derived.
    public var processedAt: Date

    /// Creates a value from its fields.
    public init(dewPoint: Double, heatIndex: Double?, windChill: Double?, beaufort: Int, comfort: String, processedAt: Date) {
        self.dewPoint = dewPoint
        self.heatIndex = heatIndex
        self.windChill = windChill
        self.beaufort = beaufort
        self.comfort = comfort
        self.processedAt = processedAt
    }

    /// The JSON form (snake_case).
    public var json: JSONValue {
        [
            "dew_point": .double(dewPoint), "heat_index": heatIndex.map { .double($0) } ?? .null,
            "wind_chill": windChill.map { .double($0) } ?? .null, "beaufort": .int(beaufort),
            "comfort": .string(comfort), "processed_at": .string(Timestamps.iso8601(processedAt)),
        ]
    }
}
