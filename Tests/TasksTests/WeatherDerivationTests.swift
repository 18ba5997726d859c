import Foundation
import Testing
import WeatherData

/// The formulas against published tables.
@Suite struct WeatherDerivationTests {
    static func celsius(fahrenheit: Double) -> Double { (fahrenheit - 32) * 5 / 9 }
    static func fahrenheit(celsius: Double) -> Double { celsius * 9 / 5 + 32 }

    /// NWS heat index chart (°F): temperature, relative humidity, the chart's value. 84 °F / 90 %
    /// goes through the high-humidity adjustment.
    @Test(arguments: [(90.0, 60.0, 100.0), (100, 50, 118), (96, 65, 121), (84, 90, 98), (86, 40, 85), (110, 40, 136)])
    func heatIndexMatchesTheNWSChart(temperature: Double, humidity: Double, chart: Double) throws {
        let index = try #require(WeatherDerivation.heatIndex(temperature: Self.celsius(fahrenheit: temperature), humidity: humidity))
        #expect(abs(Self.fahrenheit(celsius: index) - chart) <= 1, "\(temperature) °F at \(humidity) %")
    }

    @Test func heatIndexLowHumidityAdjustmentLowersIt() throws {
        // 104 °F at 10 %: the Rothfusz regression gives 99.7 °F, the adjustment takes 1.6 °F off
        // (the NWS calculator says 98 °F).
        let index = try #require(WeatherDerivation.heatIndex(temperature: Self.celsius(fahrenheit: 104), humidity: 10))
        #expect(abs(Self.fahrenheit(celsius: index) - 98.07) < 0.05)
    }

    @Test func heatIndexOnlyFrom27Degrees() {
        #expect(WeatherDerivation.heatIndex(temperature: 26.99, humidity: 90) == nil)
        #expect(WeatherDerivation.heatIndex(temperature: 27, humidity: 40) != nil)
        // 27 °C at 40 %: below 80 °F the simple formula stands (about 27 °C).
        #expect(abs(WeatherDerivation.heatIndex(temperature: 27, humidity: 40)! - 26.8) < 0.3)
    }

    /// Environment Canada wind chill table (°C, km/h).
    @Test(arguments: [(-10.0, 20.0, -17.9), (0, 10, -3.3), (-20, 30, -32.6), (-30, 50, -49.0), (5, 5, 4.1)])
    func windChillMatchesEnvironmentCanada(temperature: Double, kmh: Double, table: Double) throws {
        let chill = try #require(WeatherDerivation.windChill(temperature: temperature, windSpeed: kmh / 3.6))
        #expect(abs(chill - table) < 0.06, "\(temperature) °C at \(kmh) km/h gave \(chill)")
    }

    @Test func windChillOnlyWhenColdAndWindy() {
        #expect(WeatherDerivation.windChill(temperature: 10.1, windSpeed: 10) == nil)
        #expect(WeatherDerivation.windChill(temperature: 10, windSpeed: 10) != nil)
        #expect(WeatherDerivation.windChill(temperature: -5, windSpeed: 4.8 / 3.6) == nil)
        #expect(WeatherDerivation.windChill(temperature: -5, windSpeed: 4.9 / 3.6) != nil)
    }

    /// Magnus dew points (°C, %): the usual reference values.
    @Test(arguments: [(20.0, 50.0, 9.26), (30, 70, 23.93), (0, 80, -3.04), (25, 100, 25.0), (-10, 60, -16.3)])
    func dewPointMatchesMagnus(temperature: Double, humidity: Double, expected: Double) {
        #expect(abs(WeatherDerivation.dewPoint(temperature: temperature, humidity: humidity) - expected) < 0.05)
    }

    @Test func dewPointOfZeroHumidityIsFinite() {
        let dew = WeatherDerivation.dewPoint(temperature: 30, humidity: 0)
        #expect(dew.isFinite)
        #expect(dew < -30)
    }

    /// WMO Beaufort table: each force's lowest and highest speed (m/s, to 0.1).
    @Test func beaufortBoundariesFollowTheWMOTable() {
        let table: [(low: Double, high: Double)] = [
            (0, 0.2), (0.3, 1.5), (1.6, 3.3), (3.4, 5.4), (5.5, 7.9), (8.0, 10.7), (10.8, 13.8), (13.9, 17.1), (17.2, 20.7),
            (20.8, 24.4), (24.5, 28.4), (28.5, 32.6), (32.7, 60),
        ]
        for (force, range) in table.enumerated() {
            #expect(WeatherDerivation.beaufort(windSpeed: range.low) == force, "\(range.low) m/s")
            #expect(WeatherDerivation.beaufort(windSpeed: range.high) == force, "\(range.high) m/s")
        }
        #expect(WeatherDerivation.beaufort(windSpeed: 0.25) == 1)  // rounds to 0.3
        #expect(WeatherDerivation.beaufort(windSpeed: 0.24) == 0)
        #expect(WeatherDerivation.beaufort(windSpeed: -1) == 0)
        #expect(WeatherDerivation.beaufort(windSpeed: .nan) == 0)
    }

    @Test func comfortFollowsTheDocumentedRule() {
        func comfort(_ apparent: Double, _ dew: Double?) -> ComfortClass {
            WeatherDerivation.comfort(apparentTemperature: apparent, dewPoint: dew)
        }
        #expect(comfort(-0.1, -5) == .freezing)
        #expect(comfort(0, -5) == .cold)
        #expect(comfort(9.9, 5) == .cold)
        #expect(comfort(10, 5) == .cool)
        #expect(comfort(17.9, 12) == .cool)
        #expect(comfort(18, 10) == .comfortable)
        #expect(comfort(24.9, 15.9) == .comfortable)
        #expect(comfort(22, 16) == .warm)
        #expect(comfort(25, 10) == .warm)
        #expect(comfort(31.9, 10) == .warm)
        #expect(comfort(32, 10) == .hot)
        #expect(comfort(40.9, 20.9) == .hot)
        #expect(comfort(41, 10) == .oppressive)
        #expect(comfort(22, 21) == .oppressive)
        #expect(comfort(22, nil) == .comfortable)
    }

    @Test func deriveCombinesTheFormulas() {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        // The fake provider's Hottown: 38 °C, 18 %, 2.1 m/s.
        let hot = WeatherDerivation.derive(temperature: 38, humidity: 18, windSpeed: 2.1, processedAt: at)
        #expect(hot.heatIndex != nil && hot.windChill == nil)
        #expect(hot.beaufort == 2)
        #expect(hot.comfort == "hot")
        #expect(hot.processedAt == at)
        // Coldville: -15 °C, 85 %, 3.1 m/s (11.2 km/h): wind chill -21.7 °C.
        let cold = WeatherDerivation.derive(temperature: -15, humidity: 85, windSpeed: 3.1, processedAt: at)
        #expect(cold.heatIndex == nil)
        #expect(abs(cold.windChill! - -21.68) < 0.01)
        #expect(cold.comfort == "freezing")
        #expect(cold.dewPoint < -15)
        // A mild day: air temperature is the apparent one.
        let mild = WeatherDerivation.derive(temperature: 21, humidity: 50, windSpeed: 4, processedAt: at)
        #expect(mild.heatIndex == nil && mild.windChill == nil)
        #expect(mild.comfort == "comfortable")
        #expect(mild.beaufort == 3)
        // The same input, the same output.
        #expect(WeatherDerivation.derive(temperature: 21, humidity: 50, windSpeed: 4, processedAt: at) == mild)
    }
}
