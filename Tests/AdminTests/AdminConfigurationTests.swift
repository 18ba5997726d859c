import Foundation
import Testing
import TestSupport

/// FCGIApp checks the admin pages' `ADMIN_*` variables at start, like its own settings.
@Suite("Admin configuration")
struct AdminConfigurationTests {
    @Test(
        "a bad ADMIN_* value stops FCGIApp at start: one line naming the variable, exit 2",
        arguments: [
            ("ADMIN_SESSION_IDLE_MINUTES", "0"), ("ADMIN_SESSION_MAX_HOURS", "a week"), ("ADMIN_LOGIN_MAX_FAILURES_PER_USER", "-1"),
            ("ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS", "100001"), ("ADMIN_LOGIN_WINDOW_MINUTES", "1441"), ("ADMIN_LOGIN_FAILURE_DELAY_MS", "5001"),
        ])
    func badValueStopsStart(variable: String, value: String) async throws {
        let socket = try Repository.temporaryDirectory("admincfg") + "/x.sock"
        let env = environment(with: ["DATABASE_URL": "postgresql://u@127.0.0.1/db", "FCGI_SOCKET": socket, variable: value])
        let result = try await onThread { try runCommand(Repository.binDirectory + "/FCGIApp", environment: env) }
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("\(variable) must be an integer"), "\(result.stderr)")
    }
}
