import AppSupport
import Logging

/// The access log: one line per request, `GET /api/ping 200 0.213ms request_id=...`, at info.
/// When the logger writes through `LineLogHandler` (FCGIApp's does), the line's bytes go
/// straight into the log buffer; otherwise the line goes through swift-log as a message.
struct AccessLog: Sendable {
    private let logger: Logger
    private let direct: LineLogHandler.DirectLines?

    init(logger: Logger) {
        self.logger = logger
        self.direct = LineLogHandler.DirectLines(logger, level: .info)
    }

    /// Logs one answered request.
    func log(_ request: WebRequest, status: Int, microseconds: Int) {
        let line = AccessLogLine(method: request.method, path: request.path, status: status, microseconds: microseconds, requestID: request.requestID)
        if let direct {
            direct.write(messageCapacity: line.capacity) { line.write($0) }
        } else {
            logger.info(Logger.Message(stringLiteral: String(unsafeUninitializedCapacity: line.capacity) { line.write($0.baseAddress!) }), source: "web")
        }
    }
}

/// The bytes of one access log line.
struct AccessLogLine {
    let method: String
    let path: String
    let status: Int
    let microseconds: Int
    let requestID: String

    /// Most bytes `write` writes: the strings, two numbers of up to 20 characters, and the
    /// separators, three digits and `ms request_id=`.
    var capacity: Int { method.utf8.count + path.utf8.count + requestID.utf8.count + 2 * 20 + 24 }

    /// Writes the line at `out`; returns its length.
    func write(_ out: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        func put(_ text: String) {
            let target = UnsafeMutableBufferPointer(start: out + count, count: text.utf8.count)
            count += target.initialize(from: text.utf8).1
        }
        func put(_ text: StaticString) {
            (out + count).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
            count += text.utf8CodeUnitCount
        }
        func put(decimal value: Int, minimumDigits: Int = 1) {
            if value >= 0 && value < 1000 && minimumDigits <= 3 {
                // Statuses, and durations under a second: the usual case, without loops.
                let digits = max(minimumDigits, value >= 100 ? 3 : value >= 10 ? 2 : 1)
                if digits == 3 { out[count] = UInt8(truncatingIfNeeded: 48 + value / 100) }
                if digits >= 2 { out[count + digits - 2] = UInt8(truncatingIfNeeded: 48 + value / 10 % 10) }
                out[count + digits - 1] = UInt8(truncatingIfNeeded: 48 + value % 10)
                count += digits
                return
            }
            if value < 0 {
                out[count] = UInt8(ascii: "-")
                count += 1
            }
            var rest = value.magnitude
            var digits = 1
            var scale: UInt = 10
            while digits < 20 && scale <= rest {
                digits += 1
                scale &*= 10
            }
            digits = max(digits, minimumDigits)
            for index in stride(from: count + digits - 1, through: count, by: -1) {
                out[index] = UInt8(truncatingIfNeeded: 48 &+ rest % 10)
                rest /= 10
            }
            count += digits
        }
        put(method)
        put(" ")
        put(path)
        put(" ")
        put(decimal: status)
        put(" ")
        put(decimal: microseconds / 1000)
        put(".")
        put(decimal: microseconds % 1000, minimumDigits: 3)
        put("ms request_id=")
        put(requestID)
        return count
    }
}
