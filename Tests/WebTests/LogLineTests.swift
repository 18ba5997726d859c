@testable import AppSupport
import Testing
@testable import Web
#if canImport(Glibc)
import Glibc
#endif

@Suite("Log lines written byte by byte")
struct LogLineTests {
    @Test("the log timestamp matches gmtime's date for days across leap years, centuries and month ends")
    func timestamps() {
        var seconds: [Int] = [0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 4_107_542_400, 1_709_164_800, 1_735_689_599, 1_764_088_102]
        var day = 0
        while day < 200 * 366 {
            seconds.append(day * 86_400 + (day * 7919) % 86_400)
            day += 97
        }
        for value in seconds {
            for millis in [0, 7, 999] {
                let expected = Timestamps.format(seconds: time_t(value), millis: Int32(millis))
                let written = String(unsafeUninitializedCapacity: 24) { buffer in
                    LogWriter.writeTimestamp(seconds: value, millis: millis, into: UnsafeMutableRawPointer(buffer.baseAddress!))
                    return 24
                }
                #expect(written == expected, "\(value) s")
            }
        }
    }

    @Test("the access line: method, path, status, milliseconds with three decimals, request id")
    func accessLine() {
        func line(_ method: String, _ path: String, _ status: Int, _ microseconds: Int, _ id: String) -> String {
            let line = AccessLogLine(method: method, path: path, status: status, microseconds: microseconds, requestID: id)
            return String(unsafeUninitializedCapacity: line.capacity) { line.write($0.baseAddress!) }
        }
        #expect(line("GET", "/api/ping", 200, 213, "abc12345") == "GET /api/ping 200 0.213ms request_id=abc12345")
        #expect(line("POST", "/api/tasks", 202, 5, "x") == "POST /api/tasks 202 0.005ms request_id=x")
        #expect(line("GET", "/api/a b", 404, 45, "x") == "GET /api/a b 404 0.045ms request_id=x")
        #expect(line("GET", "/", 503, 1_234_567, "x") == "GET / 503 1234.567ms request_id=x")
        #expect(line("GET", "/", 200, 12_000_000_010, "x") == "GET / 200 12000000.010ms request_id=x")
        #expect(line("BREW", "/café", 1, 0, "") == "BREW /café 1 0.000ms request_id=")
        #expect(line("GET", "/", 12_345, 999, "x") == "GET / 12345 0.999ms request_id=x")
    }
}
