import Foundation

/// The Python fake server (`tools/fake-openweather/server.py`), started once for the whole test
/// process on first use. It watches this process (`--parent-pid`) and exits when it is gone; an
/// `atexit` hook also sends it SIGTERM when the tests end normally.
public struct FakeOpenWeatherServer: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:40123`.
    public let baseURL: String
    /// The server's process id.
    public let pid: Int32

    /// The shared instance; starting it blocks, so call this off the cooperative pool (see `onThread`).
    public static func shared() throws -> FakeOpenWeatherServer {
        try started.get()
    }

    private static let started: Result<FakeOpenWeatherServer, any Error> = Result {
        let server = try launch()
        atexit {
            if case .success(let server) = FakeOpenWeatherServer.started { kill(server.pid, SIGTERM) }
        }
        return server
    }

    private struct LaunchError: Error, CustomStringConvertible {
        let description: String
    }

    private static func launch() throws -> FakeOpenWeatherServer {
        let repoRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // TestSupport
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        let script = repoRoot.appendingPathComponent("tools/fake-openweather/server.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--port", "0", "--parent-pid", String(getpid())]
        let output = try Spawning.locked {
            let output = Spawning.pipe()
            process.standardOutput = output
            try process.run()
            return output
        }

        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw LaunchError(description: "fake server did not print its port; got \(text.debugDescription)")
        }
        return FakeOpenWeatherServer(baseURL: "http://127.0.0.1:\(port)", pid: process.processIdentifier)
    }
}
