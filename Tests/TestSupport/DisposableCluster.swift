import Foundation

/// A Postgres cluster of a test's own (scripts/pg-cluster in a temporary folder), which the
/// test may stop and start to see how the system behaves without its database.
public final class DisposableCluster: Sendable {
    public let directory: String
    public let port: Int
    public let databaseURL: String

    /// Creates and starts a cluster (blocking, a second or two).
    public init() throws {
        directory = try Repository.temporaryDirectory("pg")
        port = freeLocalPort()
        let result = try runCommand(Repository.root + "/scripts/pg-cluster", ["start", directory, String(port), "--fast"])
        guard result.status == 0 else { throw HarnessError("pg-cluster start failed: \(result.stderr)") }
        databaseURL = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server (fast shutdown: sessions are cut).
    public func stop() throws {
        let result = try runCommand(Repository.root + "/scripts/pg-cluster", ["stop", directory])
        guard result.status == 0 else { throw HarnessError("pg-cluster stop failed: \(result.stderr)") }
    }

    /// Starts it again on the same port.
    public func start() throws {
        let result = try runCommand(Repository.root + "/scripts/pg-cluster", ["start", directory, String(port), "--fast"])
        guard result.status == 0 else { throw HarnessError("pg-cluster start failed: \(result.stderr)") }
    }

    /// Stops it and removes its files.
    public func destroy() {
        try? stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
