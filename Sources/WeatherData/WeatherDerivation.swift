import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// How a search feels, from its apparent temperature and dew point (see
/// ``WeatherDerivation/comfort(apparentTemperature:dewPoint:)`` for the rule).
public enum ComfortClass: String, Sendable, CaseIterable {
    case freezing, cold, cool, comfortable, warm, hot, oppressive
}

/// The pure formulas of `async_weather_processing`: what a search's raw figures (temperature
/// °C, relative humidity %, wind m/s) imply. No I/O; every function is deterministic, so
/// processing a search again gives the same values.
///
/// Results are rounded to 0.01 °C, which is finer than any input the provider reports.
public enum WeatherDerivation {
    /// Everything derived from one search, stamped `processedAt`.
    public static func derive(temperature: Double, humidity: Int, windSpeed: Double, processedAt: Date) -> DerivedWeather {
        let dew = dewPoint(temperature: temperature, humidity: Double(humidity))
        let heat = heatIndex(temperature: temperature, humidity: Double(humidity))
        let chill = windChill(temperature: temperature, windSpeed: windSpeed)
        let apparent = apparentTemperature(temperature: temperature, heatIndex: heat, windChill: chill)
        return DerivedWeather(
            dewPoint: dew, heatIndex: heat, windChill: chill, beaufort: beaufort(windSpeed: windSpeed),
            comfort: comfort(apparentTemperature: apparent, dewPoint: dew).rawValue, processedAt: processedAt)
    }

    /// Dew point in °C by the Magnus formula with Alduchov and Eskridge's (1996) constants
    /// (a = 17.625, b = 243.04 °C), good to about 0.1 °C from -40 to 50 °C.
    ///
    /// Relative humidity is clamped to 1...100 %: the formula has no value at 0 % (the logarithm
    /// diverges), and a reported 0 % only means "very dry".
    public static func dewPoint(temperature: Double, humidity: Double) -> Double {
        let a = 17.625
        let b = 243.04
        let relative = min(max(humidity, 1), 100) / 100
        let gamma = log(relative) + a * temperature / (b + temperature)
        return rounded(b * gamma / (a - gamma))
    }

    /// The lowest temperature (°C) with a heat index: NOAA computes it only in the heat.
    public static let heatIndexThreshold = 27.0

    /// The NOAA / National Weather Service heat index in °C, or nil below 27 °C.
    ///
    /// The algorithm of the NWS Weather Prediction Center, in °F: Steadman's simple formula
    /// `0.5 (T + 61 + 1.2 (T - 68) + 0.094 RH)`; when its mean with T reaches 80 °F, the Rothfusz
    /// regression instead, minus `(13 - RH)/4 * sqrt((17 - |T - 95|)/17)` when RH < 13 % and
    /// 80 <= T <= 112 °F, plus `(RH - 85)/10 * (87 - T)/5` when RH > 85 % and 80 <= T <= 87 °F.
    /// Converted back to °C.
    public static func heatIndex(temperature: Double, humidity: Double) -> Double? {
        guard temperature >= heatIndexThreshold else { return nil }
        let t = temperature * 9 / 5 + 32
        let rh = min(max(humidity, 0), 100)
        var index = 0.5 * (t + 61 + (t - 68) * 1.2 + rh * 0.094)
        if (index + t) / 2 >= 80 {
            index = -42.379 + 2.049_015_23 * t + 10.143_331_27 * rh - 0.224_755_41 * t * rh - 0.006_837_83 * t * t
                - 0.054_817_17 * rh * rh + 0.001_228_74 * t * t * rh + 0.000_852_82 * t * rh * rh
                - 0.000_001_99 * t * t * rh * rh
            if rh < 13, (80...112).contains(t) {
                index -= (13 - rh) / 4 * ((17 - abs(t - 95)) / 17).squareRoot()
            } else if rh > 85, (80...87).contains(t) {
                index += (rh - 85) / 10 * ((87 - t) / 5)
            }
        }
        return rounded((index - 32) * 5 / 9)
    }

    /// The highest temperature (°C) with a wind chill.
    public static let windChillMaxTemperature = 10.0
    /// The wind speed (km/h) a wind chill needs to exceed.
    public static let windChillMinWind = 4.8

    /// The wind chill index in °C (Environment Canada and the US National Weather Service, 2001):
    /// `13.12 + 0.6215 T - 11.37 V^0.16 + 0.3965 T V^0.16` with V the wind at 10 m in km/h;
    /// nil above 10 °C or with wind at most 4.8 km/h, where it is not defined.
    public static func windChill(temperature: Double, windSpeed: Double) -> Double? {
        let kmh = windSpeed * 3.6
        guard temperature <= windChillMaxTemperature, kmh > windChillMinWind else { return nil }
        let power = pow(kmh, 0.16)
        return rounded(13.12 + 0.6215 * temperature - 11.37 * power + 0.3965 * temperature * power)
    }

    /// The lowest speed of forces 1 to 12, in tenths of m/s (WMO table: 0.3, 1.6, 3.4, 5.5, 8.0,
    /// 10.8, 13.9, 17.2, 20.8, 24.5, 28.5 and 32.7 m/s).
    static let beaufortLowerBounds = [3, 16, 34, 55, 80, 108, 139, 172, 208, 245, 285, 327]

    /// The Beaufort force (0 to 12) of a wind in m/s, by the WMO table, which lists speeds to
    /// 0.1 m/s: the speed is rounded to 0.1 m/s (half up), then placed between the table's bounds.
    public static func beaufort(windSpeed: Double) -> Int {
        guard windSpeed.isFinite, windSpeed > 0 else { return 0 }
        let tenths = Int((windSpeed * 10).rounded(.toNearestOrAwayFromZero))
        return beaufortLowerBounds.lastIndex(where: { $0 <= tenths }).map { $0 + 1 } ?? 0
    }

    /// What the temperature feels like: the heat index when there is one, else the wind chill
    /// when there is one, else the air temperature.
    public static func apparentTemperature(temperature: Double, heatIndex: Double?, windChill: Double?) -> Double {
        heatIndex ?? windChill ?? temperature
    }

    /// The comfort class, taking the first rule that holds (A is the apparent temperature, D the
    /// dew point, both °C):
    ///
    /// | class | rule | why |
    /// | --- | --- | --- |
    /// | freezing | A < 0 | below the freezing point |
    /// | cold | A < 10 | |
    /// | cool | A < 18 | |
    /// | oppressive | D >= 21 or A >= 41 | NWS dew point scale "oppressive"; heat index "danger" from 41 °C (105 °F) |
    /// | hot | A >= 32 | heat index "extreme caution" from 32 °C (90 °F) |
    /// | warm | A >= 25 or D >= 16 | warm, or mild but humid ("sticky" from a 16 °C dew point) |
    /// | comfortable | otherwise | 18 <= A < 25 with a dew point under 16 °C |
    ///
    /// With no dew point (humidity unknown) the dew point rules are skipped.
    public static func comfort(apparentTemperature apparent: Double, dewPoint: Double?) -> ComfortClass {
        let dew = dewPoint ?? -.infinity
        if apparent < 0 { return .freezing }
        if apparent < 10 { return .cold }
        if apparent < 18 { return .cool }
        if dew >= 21 || apparent >= 41 { return .oppressive }
        if apparent >= 32 { return .hot }
        if apparent >= 25 || dew >= 16 { return .warm }
        return .comfortable
    }

    /// `value` to 0.01.
    static func rounded(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }
}
