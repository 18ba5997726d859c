/// The preset city list of the `bulk-update-european-capitals` schedule.
public enum EuropeanCapitals {
    /// The capitals of the 27 member states of the European Union, with their ISO 3166 codes,
    /// in the order of the members' English names.
    public static let all: [CityQuery] = [
        ("Vienna", "AT"), ("Brussels", "BE"), ("Sofia", "BG"), ("Zagreb", "HR"), ("Nicosia", "CY"),
        ("Prague", "CZ"), ("Copenhagen", "DK"), ("Tallinn", "EE"), ("Helsinki", "FI"), ("Paris", "FR"),
        ("Berlin", "DE"), ("Athens", "GR"), ("Budapest", "HU"), ("Dublin", "IE"), ("Rome", "IT"),
        ("Riga", "LV"), ("Vilnius", "LT"), ("Luxembourg", "LU"), ("Valletta", "MT"), ("Amsterdam", "NL"),
        ("Warsaw", "PL"), ("Lisbon", "PT"), ("Bucharest", "RO"), ("Bratislava", "SK"), ("Ljubljana", "SI"),
        ("Madrid", "ES"), ("Stockholm", "SE"),
    ].map { CityQuery(city: $0.0, country: $0.1) }
}
