import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes one line per message to standard error through `LogWriter`
/// (whole lines only, so lines from many threads never interleave):
/// `2026-11-25T16:28:22.123Z info fcgiapp: GET /api/ping 200 0.21ms request_id=...`
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    /// Creates a handler for `label` at `level`.
    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = LineLogHandler.timestamp()
        line += " "
        line += event.level.rawValue
        line += " "
        line += label
        line += ": "
        line += event.message.description
        let extra = event.metadata ?? [:]
        if !metadata.isEmpty || !extra.isEmpty {
            let merged = metadata.merging(extra) { _, new in new }
            for key in merged.keys.sorted() {
                line += " \(key)=\(merged[key]!)"
            }
        }
        line += "\n"
        LogWriter.shared.write(line, urgent: event.level >= .warning)
    }

    /// UTC time with milliseconds, ISO 8601.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamps.format(seconds: now.tv_sec, millis: Int32(now.tv_nsec / 1_000_000))
    }
}

extension LogLevel {
    /// The matching swift-log level.
    public var loggerLevel: Logger.Level {
        switch self {
        case .debug: return .debug
        case .info: return .info
        case .warning: return .warning
        case .error: return .error
        }
    }
}

/// Process-wide logging setup.
public enum LogSetup {
    /// Routes swift-log to `LineLogHandler` at `level`. Call once, first thing in `main`.
    public static func bootstrap(level: LogLevel) {
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level.loggerLevel) }
    }
}

/// Writes one line to standard error (for the one clear line before exiting).
public func printError(_ message: String) {
    LogWriter.shared.flush()
    let bytes = Array((message + "\n").utf8)
    bytes.withUnsafeBytes { _ = write(2, $0.baseAddress!, $0.count) }
}
