/// Builds a Prometheus text exposition (format 0.0.4): each family's `# HELP` and `# TYPE` once,
/// then its samples, with label values escaped as the format asks.
public struct MetricsText {
    /// The content type of the format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The text so far.
    public private(set) var text = ""

    /// An empty exposition.
    public init() {
        text.reserveCapacity(16 * 1024)
    }

    /// Starts a family: its `# HELP` and `# TYPE` lines.
    public mutating func family(_ name: String, type: String, help: String) {
        text += "# HELP \(name) \(MetricsText.escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }

    /// One sample line.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (index, (label, labelValue)) in labels.enumerated() {
                if index > 0 { text += "," }
                text += "\(label)=\"\(MetricsText.escapeLabel(labelValue))\""
            }
            text += "}"
        }
        text += " \(MetricsText.format(value))\n"
    }

    /// A sample with an integer value.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: UInt64) {
        sample(name, labels, Double(value))
    }

    /// A label value escaped: backslash, double quote and line feed.
    public static func escapeLabel(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// HELP text escaped: backslash and line feed.
    public static func escapeHelp(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    /// A value as the format writes it: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
