import FoundationEssentials

/// The file formats `export_weather_data` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV with a header line, CRLF line ends.
    case csv
    /// One JSON document: an array of flat objects, one per line.
    case json

    /// The file name extension.
    public var fileExtension: String { rawValue }
}

/// Which searches an export takes: all by default; `city` (case-insensitive), and the period
/// `from` (inclusive) to `to` (exclusive), as Postgres timestamps.
public struct ExportFilter: Sendable, Equatable {
    /// Only searches of this city (compared case-insensitively), or all.
    public var city: String?
    /// Searches made at or after this time, or since the beginning.
    public var from: Date?
    /// Searches made before this time, or up to the export's start.
    public var to: Date?

    /// Creates a filter.
    public init(city: String? = nil, from: Date? = nil, to: Date? = nil) {
        self.city = city
        self.from = from
        self.to = to
    }
}
