/// A city to look up, with an optional ISO 3166 two-letter country code.
public struct CityQuery: Sendable, Hashable, CustomStringConvertible {
    /// The city name as the provider knows it, e.g. `"São Paulo"`.
    public var city: String
    /// The two-letter country code, e.g. `"BR"`, or `nil` to search by name only.
    public var country: String?

    /// Creates a query; nothing is checked until ``validated()``.
    public init(city: String, country: String?) {
        self.city = city
        self.country = country
    }

    /// The longest accepted city name, in characters.
    public static let maxCityLength = 100

    /// The query cleaned up for the provider: surrounding whitespace trimmed, country uppercased.
    /// - Throws: ``WeatherProviderError/badInput(_:)`` when the city is empty, too long, or contains
    ///   a comma or control character, or when the country is not two ASCII letters.
    public func validated() throws(WeatherProviderError) -> CityQuery {
        let name = trimmed(city)
        guard !name.isEmpty else { throw .badInput("city must not be empty") }
        guard name.count <= Self.maxCityLength else {
            throw .badInput("city must be at most \(Self.maxCityLength) characters")
        }
        guard !name.contains(",") else { throw .badInput("city must not contain a comma") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .badInput("city must not contain control characters")
        }
        guard let country else { return CityQuery(city: name, country: nil) }
        let code = trimmed(country)
        guard code.utf8.count == 2,
            code.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else {
            throw .badInput("country must be a two-letter code such as FR, got \(country.debugDescription)")
        }
        return CityQuery(city: name, country: code.uppercased())
    }

    /// `City` or `City, CC`.
    public var description: String {
        country.map { "\(city), \($0)" } ?? city
    }

    private func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[start...end]))
    }
}
