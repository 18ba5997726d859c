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
        if metadata.isEmpty && (event.metadata?.isEmpty ?? true) {
            // The usual line (every request's): written straight into the log buffer.
            var message = event.message.description
            message.withUTF8 { message in
                LineLogHandler.writeLine(level: event.level, label: label, messageCapacity: message.count) { out in
                    if let base = message.baseAddress { out.update(from: base, count: message.count) }
                    return message.count
                }
            }
            return
        }
        var line = LineLogHandler.timestamp()
        line += " "
        line += event.level.rawValue
        line += " "
        line += label
        line += ": "
        line += event.message.description
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() {
            line += " \(key)=\(merged[key]!)"
        }
        line += "\n"
        LogWriter.shared.write(line, urgent: event.level >= .warning)
    }

    /// Writes `TIMESTAMP LEVEL LABEL: MESSAGE` and a newline to the log, straight into its
    /// buffer: `message` writes at most `messageCapacity` bytes and returns how many it wrote.
    static func writeLine(
        level: Logger.Level, label: String, messageCapacity: Int, _ message: (UnsafeMutablePointer<UInt8>) -> Int
    ) {
        writeLine(prefix: " \(level.rawValue) \(label): ", urgent: level >= .warning, messageCapacity: messageCapacity, message)
    }

    /// The same, with the text between the timestamp and the message given whole.
    static func writeLine(
        prefix: String, urgent: Bool, messageCapacity: Int, _ message: (UnsafeMutablePointer<UInt8>) -> Int
    ) {
        let prefixLength = prefix.utf8.count
        LogWriter.shared.writeTimestamped(capacity: prefixLength + messageCapacity + 1, urgent: urgent) { raw in
            let base = raw.assumingMemoryBound(to: UInt8.self)
            _ = UnsafeMutableBufferPointer(start: base, count: prefixLength).initialize(from: prefix.utf8)
            let count = prefixLength + message(base + prefixLength)
            base[count] = 0x0A
            return count + 1
        }
    }

    /// Writes one logger's lines of one level straight into the log, for a line written on every
    /// request: the same bytes as `logger.log(level:_:)`, with no string built on the way.
    public struct DirectLines: Sendable {
        /// ` info fcgiapp: `: what comes between the timestamp and the message.
        private let prefix: String
        private let urgent: Bool

        /// Lines of `logger` at `level`, or nil when its lines do not go through a
        /// `LineLogHandler` without metadata, or `level` is below its level (the logger cannot
        /// change afterwards: it is a value).
        public init?(_ logger: Logger, level: Logger.Level) {
            guard let handler = logger.handler as? LineLogHandler, handler.metadata.isEmpty, level >= handler.logLevel else { return nil }
            self.prefix = " \(level.rawValue) \(handler.label): "
            self.urgent = level >= .warning
        }

        /// Writes one line whose message `message` writes: at most `messageCapacity` bytes,
        /// returning how many it wrote.
        public func write(messageCapacity: Int, _ message: (UnsafeMutablePointer<UInt8>) -> Int) {
            LineLogHandler.writeLine(prefix: prefix, urgent: urgent, messageCapacity: messageCapacity, message)
        }
    }

    /// UTC time with milliseconds, ISO 8601.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return String(unsafeUninitializedCapacity: 24) { buffer in
            LogWriter.writeTimestamp(seconds: now.tv_sec, millis: now.tv_nsec / 1_000_000, into: UnsafeMutableRawPointer(buffer.baseAddress!))
            return 24
        }
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
