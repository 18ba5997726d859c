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
        let script = Repository.root + "/tools/fake-openweather/server.py"
        let (text, process) = try LocalServerProcess.start("/usr/bin/env", ["python3", script, "--port", "0"])
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw LaunchError(description: "fake server did not print its port; got \(text.debugDescription)")
        }
        return FakeOpenWeatherServer(baseURL: "http://127.0.0.1:\(port)", pid: process.processIdentifier)
    }
}
