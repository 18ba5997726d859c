import AppSupport
import FoundationEssentials

/// One stored alert (`weather_alerts`).
public struct WeatherAlert: Sendable, Equatable {
    /// The row id.
    public var id: Int
    /// The search that raised it (nil once that search was cleaned up).
    public var searchID: Int?
    /// The city, as the provider names it.
    public var city: String
    /// ISO 3166 alpha-2 code, or empty.
    public var country: String
    /// What it is about.
    public var kind: AlertKind
    /// The measured value: °C, m/s, or the condition code.
    public var value: Double
    /// The threshold crossed (200 for thunderstorms).
    public var threshold: Double
    /// A sentence for people.
    public var message: String
    /// When the triggering search was made.
    public var observedAt: Date
    /// When the alert was recorded.
    public var createdAt: Date

    /// Creates a value from its fields.
    public init(
        id: Int, searchID: Int?, city: String, country: String, kind: AlertKind, value: Double, threshold: Double,
        message: String, observedAt: Date, createdAt: Date
    ) {
        self.id = id
        self.searchID = searchID
        self.city = city
        self.country = country
        self.kind = kind
        self.value = value
        self.threshold = threshold
        self.message = message
        self.observedAt = observedAt
        self.createdAt = createdAt
    }

    /// The JSON form for API answers (snake_case).
    public var json: JSONValue {
        [
            "id": .int(id), "search_id": searchID.map { .int($0) } ?? .null, "city": .string(city),
            "country": .string(country), "kind": .string(kind.rawValue), "value": .double(value),
            "threshold": .double(threshold), "message": .string(message),
            "observed_at": .string(Timestamps.iso8601(observedAt)), "created_at": .string(Timestamps.iso8601(createdAt)),
        ]
    }
}
