/// What an alert is about (`weather_alerts.kind`).
public enum AlertKind: String, Sendable, CaseIterable, Codable {
    /// Temperature at or above the heat threshold.
    case heat
    /// Temperature at or below the cold threshold.
    case cold
    /// Wind speed at or above the wind threshold.
    case wind
    /// An OpenWeather thunderstorm condition (codes 200-299).
    case thunderstorm
}
