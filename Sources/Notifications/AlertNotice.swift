import AppSupport
import FoundationEssentials

/// The alert a notification tells about, as the channels write it: the webhook's JSON and the
/// e-mail's subject and body.
public struct AlertNotice: Sendable, Equatable {
    /// The alert's id (`weather_alerts.id`).
    public var alertID: Int
    /// The city, as the provider names it.
    public var city: String
    /// ISO 3166 alpha-2 code, or empty.
    public var country: String
    /// `heat`, `cold`, `wind` or `thunderstorm`.
    public var kind: String
    /// The measured value: °C, m/s, or the condition code.
    public var value: Double
    /// The threshold it crossed (the lowest thunderstorm code, 200, for thunderstorms).
    public var threshold: Double
    /// A sentence describing the alert.
    public var message: String
    /// When the triggering search was made.
    public var observedAt: Date

    /// Creates a notice.
    public init(
        alertID: Int, city: String, country: String, kind: String, value: Double, threshold: Double, message: String,
        observedAt: Date
    ) {
        self.alertID = alertID
        self.city = city
        self.country = country
        self.kind = kind
        self.value = value
        self.threshold = threshold
        self.message = message
        self.observedAt = observedAt
    }

    /// The webhook's body: `{"event": "weather_alert", "alert_id", "city", "country", "kind",
    /// "value", "threshold", "unit", "message", "observed_at"}`.
    public var json: JSONValue {
        [
            "event": "weather_alert", "alert_id": .int(alertID), "city": .string(city), "country": .string(country),
            "kind": .string(kind), "value": .double(value), "threshold": .double(threshold), "unit": .string(unit),
            "message": .string(message), "observed_at": .string(Timestamps.iso8601(observedAt)),
        ]
    }

    /// `°C`, `m/s`, or `condition code`.
    public var unit: String {
        switch kind {
        case "heat", "cold": "°C"
        case "wind": "m/s"
        default: "condition code"
        }
    }

    /// `Hottown, ES` (or just the city when the country is unknown).
    public var place: String { country.isEmpty ? city : "\(city), \(country)" }

    /// `[weather alert] heat in Hottown, ES`.
    public var emailSubject: String { "[weather alert] \(kind) in \(place)" }

    /// The e-mail's text: the message, then the figures and the alert's id.
    public var emailBody: String {
        let measured = kind == "thunderstorm" ? "condition \(Int(value))" : "\(oneDecimal(value)) \(unit)"
        let limit = kind == "thunderstorm" ? "2xx (thunderstorm)" : "\(oneDecimal(threshold)) \(unit)"
        return """
            \(message)

            Place:     \(place)
            Kind:      \(kind)
            Measured:  \(measured)
            Threshold: \(limit)
            Observed:  \(Timestamps.iso8601(observedAt))
            Alert id:  \(alertID)

            Sent by the weather service's send_weather_alerts task.

            """
    }

    private func oneDecimal(_ number: Double) -> String {
        let tenths = (number * 10).rounded()
        let sign = tenths < 0 ? "-" : ""
        let magnitude = Int(abs(tenths))
        return "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
