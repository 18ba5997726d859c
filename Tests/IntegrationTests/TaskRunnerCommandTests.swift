import Foundation
import Testing
import TestSupport

@Suite("TaskRunner command line")
struct TaskRunnerCommandTests {
    static func taskRunner(_ arguments: [String], _ changes: [String: String?] = [:]) async throws -> CommandResult {
        try await onThread { try runCommand(Repository.binDirectory + "/TaskRunner", arguments, environment: environment(with: changes)) }
    }

    @Test("migrate applies once, then says the database is up to date")
    func migrateTwice() async throws {
        let cluster = try await onThread { try DisposableCluster() }
        defer { cluster.destroy() }
        let first = try await TaskRunnerCommandTests.taskRunner(["migrate"], ["DATABASE_URL": cluster.databaseURL])
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("applied "))
        let second = try await TaskRunnerCommandTests.taskRunner(["migrate"], ["DATABASE_URL": cluster.databaseURL])
        #expect(second.status == 0)
        #expect(second.stdout.hasPrefix("database is up to date"))
    }

    @Test("a bad or unreachable DATABASE_URL: one clear line and a non-zero exit")
    func badDatabaseURL() async throws {
        let port = closedLocalPort()
        let cases: [(String?, Int32, String)] = [
            (nil, 2, "DATABASE_URL is not set"),
            ("postgresql://h:notaport/db", 2, "DATABASE_URL is not a valid connection string"),
            ("postgresql://weather:pw@127.0.0.1:\(port)/weather", 3, "cannot connect to the database (DATABASE_URL)"),
        ]
        for (url, code, expected) in cases {
            let result = try await TaskRunnerCommandTests.taskRunner(["migrate"], ["DATABASE_URL": url])
            #expect(result.status == code, "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains(expected), "\(result.stderr)")
            #expect(!result.stderr.contains("pw@"))
        }
    }

    @Test("--help names the subcommands; an unknown one is refused")
    func help() async throws {
        let help = try await TaskRunnerCommandTests.taskRunner(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("migrate"))
        let unknown = try await TaskRunnerCommandTests.taskRunner(["frobnicate"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("frobnicate"))
    }
}
