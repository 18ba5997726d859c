import AppSupport
import Testing

@Suite("Environment settings: every failure names its variable")
struct ConfigurationTests {
    @Test("integers are range-checked")
    func integers() throws {
        let env = Environment(["FCGI_THREADS": "0", "GOOD": "8"])
        #expect(try env.integer("GOOD", default: 4, range: 1...16) == 8)
        #expect(try env.integer("MISSING", default: 4, range: 1...16) == 4)
        let error = #expect(throws: ConfigurationError.self) { try env.integer("FCGI_THREADS", default: 4, range: 1...256) }
        #expect(error?.description == "configuration error: FCGI_THREADS must be an integer from 1 to 256, got \"0\"")
    }

    @Test("required values, log levels, modes and URLs")
    func others() throws {
        let env = Environment(["LOG_LEVEL": "loud", "MODE": "999", "URL": "ftp://x", "EMPTY": ""])
        #expect(throws: ConfigurationError(variable: "EMPTY", problem: "is not set")) { try env.required("EMPTY") }
        #expect((try? env.logLevel()) == nil)
        #expect(try Environment([:]).logLevel() == .info)
        #expect(try Environment(["LOG_LEVEL": "DEBUG"]).logLevel() == .debug)
        #expect(throws: ConfigurationError.self) { try env.octalMode("MODE", default: 0o660) }
        #expect(try Environment(["MODE": "0640"]).octalMode("MODE", default: 0o660) == 0o640)
        #expect(throws: ConfigurationError.self) { try env.baseURL("URL", default: "https://a") }
        #expect(try Environment([:]).baseURL("URL", default: "https://api.openweathermap.org/") == "https://api.openweathermap.org")
    }
}
