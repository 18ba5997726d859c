import Foundation

/// Starts one of the repository's local Python servers (fake OpenWeather, the notification
/// sink) and reads the line it prints once it listens. The servers watch this process
/// (`--parent-pid`) and exit with it.
enum LocalServerProcess {
    /// Runs `executable` with `arguments`; returns the first line it prints and its process.
    static func start(_ executable: String, _ arguments: [String]) throws -> (line: String, process: Process) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments + ["--parent-pid", String(getpid())]
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
        return (String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), process)
    }
}
