import FoundationEssentials

/// Typed, validated access to environment variables. Every failure names the variable.
public struct Environment: Sendable {
    /// The raw values.
    public let values: [String: String]

    /// Reads the process environment (or the given values, for tests).
    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// The value, or nil when unset or empty.
    public func string(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// The value, or a `ConfigurationError` saying it is not set.
    public func required(_ name: String, hint: String = "") throws -> String {
        guard let value = string(name) else {
            throw ConfigurationError(variable: name, problem: "is not set" + (hint.isEmpty ? "" : " (\(hint))"))
        }
        return value
    }

    /// An integer within `range`, or `defaultValue` when unset.
    public func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, problem: "must be an integer from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
        }
        return value
    }

    /// An octal permission mode such as `0660`, or `defaultValue` when unset.
    public func octalMode(_ name: String, default defaultValue: UInt32) throws -> UInt32 {
        guard let text = string(name) else { return defaultValue }
        guard let value = UInt32(text, radix: 8), value <= 0o777 else {
            throw ConfigurationError(variable: name, problem: "must be an octal mode such as 0660, got \"\(text)\"")
        }
        return value
    }

    /// The log level from `LOG_LEVEL` (`debug`, `info`, `warning`, `error`; default `info`).
    public func logLevel() throws -> LogLevel {
        guard let text = string("LOG_LEVEL") else { return .info }
        guard let level = LogLevel(rawValue: text.lowercased()) else {
            throw ConfigurationError(variable: "LOG_LEVEL", problem: "must be debug, info, warning or error, got \"\(text)\"")
        }
        return level
    }

    /// An `http://` or `https://` base URL without a trailing slash.
    public func baseURL(_ name: String, default defaultValue: String) throws -> String {
        let text = string(name) ?? defaultValue
        guard text.hasPrefix("http://") || text.hasPrefix("https://"), !text.contains(" ") else {
            throw ConfigurationError(variable: name, problem: "must be an http:// or https:// URL, got \"\(text)\"")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}

/// The levels `LOG_LEVEL` accepts.
public enum LogLevel: String, Sendable, CaseIterable {
    case debug, info, warning, error
}
