import AppSupport

/// The limits that raise alerts: heat at or above ``heatC``, cold at or below ``coldC``, wind at
/// or above ``windMS``; thunderstorms are OpenWeather's condition codes 200-299.
public struct AlertThresholds: Sendable, Equatable {
    /// °C; `ALERT_HEAT_C`, 35 by default.
    public var heatC: Double
    /// °C; `ALERT_COLD_C`, -10 by default.
    public var coldC: Double
    /// Metres per second; `ALERT_WIND_MS`, 20 by default.
    public var windMS: Double

    /// The accepted range of ``heatC`` and ``coldC``.
    public static let temperatureRange: ClosedRange<Double> = -100...100
    /// The accepted range of ``windMS``.
    public static let windRange: ClosedRange<Double> = 0...200
    /// The condition codes of thunderstorms.
    public static let thunderstormCodes: ClosedRange<Int> = 200...299

    /// Creates thresholds; the defaults are the production ones.
    public init(heatC: Double = 35, coldC: Double = -10, windMS: Double = 20) {
        self.heatC = heatC
        self.coldC = coldC
        self.windMS = windMS
    }

    /// Reads `ALERT_HEAT_C`, `ALERT_COLD_C` and `ALERT_WIND_MS` (numbers; unset means the default).
    /// - Throws: ``ConfigurationError`` naming a variable that is not a number in range, or
    ///   `ALERT_COLD_C` when it is not below `ALERT_HEAT_C`.
    public init(environment: Environment) throws(ConfigurationError) {
        let defaults = AlertThresholds()
        heatC = try Self.number(environment, "ALERT_HEAT_C", default: defaults.heatC, range: Self.temperatureRange)
        coldC = try Self.number(environment, "ALERT_COLD_C", default: defaults.coldC, range: Self.temperatureRange)
        windMS = try Self.number(environment, "ALERT_WIND_MS", default: defaults.windMS, range: Self.windRange)
        guard coldC < heatC else {
            throw ConfigurationError(variable: "ALERT_COLD_C", problem: "must be below ALERT_HEAT_C (\(heatC)), got \(coldC)")
        }
    }

    /// The thresholds as JSON (for task results).
    public var json: JSONValue {
        ["heat_c": .double(heatC), "cold_c": .double(coldC), "wind_ms": .double(windMS)]
    }

    private static func number(
        _ environment: Environment, _ name: String, default value: Double, range: ClosedRange<Double>
    ) throws(ConfigurationError) -> Double {
        guard let text = environment.string(name) else { return value }
        guard let number = Double(text), number.isFinite, range.contains(number) else {
            throw ConfigurationError(
                variable: name, problem: "must be a number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
        }
        return number
    }
}
