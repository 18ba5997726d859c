import FoundationEssentials
import Threads
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program (started by `Threads.Spawn`) until it exits, stopping it (SIGTERM, then SIGKILL
/// after a grace period) once `isCancelled` turns true. Standard output goes to a descriptor of
/// the caller's (a file being written); standard error is collected. Blocks the calling thread.
///
/// Unlike `Threads.Subprocess` (which gathers output in memory and always waits for the end), it
/// streams standard output to a file and can be stopped, as a long `pg_dump` must be.
struct CancellableCommand {
    /// How the program ended.
    struct Outcome {
        /// The exit status; 128 + the signal number when a signal ended it.
        var status: Int32
        /// Standard error (up to the limit), trimmed.
        var standardError: String
        /// True when it was stopped because `isCancelled` returned true.
        var stopped: Bool
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        let description: String
    }

    var executable: String
    var arguments: [String]
    var environment: [String: String]
    /// How long SIGTERM may take before SIGKILL.
    var grace: Duration = .seconds(5)
    /// The most bytes of standard error kept.
    var errorLimit = 64 << 10

    func run(standardOutput: Int32, isCancelled: () -> Bool) throws -> Outcome {
        let (errorRead, errorWrite) = try Spawn.closeOnExecPipe()
        let pid: pid_t
        do {
            pid = try Spawn.start(executable, arguments, environment: environment, stdin: -1, stdout: standardOutput, stderr: errorWrite)
        } catch {
            close(errorWrite)
            close(errorRead)
            throw SpawnFailed(description: error.description)
        }
        close(errorWrite)

        let clock = ContinuousClock()
        var errorOutput: [UInt8] = []
        var errorOpen = true
        var stopRequested: ContinuousClock.Instant?
        var killed = false
        var status: Int32?
        var buffer = [UInt8](repeating: 0, count: 8192)
        func readError(timeout: Int32) {
            var entry = pollfd(fd: errorRead, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, timeout) > 0 else { return }
            let count = read(errorRead, &buffer, buffer.count)
            if count > 0 {
                if errorOutput.count < errorLimit { errorOutput.append(contentsOf: buffer[0..<min(count, errorLimit - errorOutput.count)]) }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                errorOpen = false
            }
        }
        while status == nil {
            if stopRequested == nil, isCancelled() {
                kill(pid, SIGTERM)
                stopRequested = clock.now
            }
            if let asked = stopRequested, !killed, asked.duration(to: clock.now) > grace {
                kill(pid, SIGKILL)
                killed = true
            }
            if errorOpen { readError(timeout: 100) } else { blockingSleep(.milliseconds(50)) }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid {
                status = Spawn.exitStatus(raw)
            } else if reaped < 0, errno != EINTR {
                status = -1
            }
        }
        // What the child wrote just before it exited (a grandchild holding the pipe cannot stall us).
        var drains = 0
        while errorOpen, drains < 20 {
            readError(timeout: 50)
            drains += 1
        }
        close(errorRead)
        let text = String(decoding: errorOutput, as: UTF8.self)
        let trimmed = text.unicodeScalars.drop(while: { $0.properties.isWhitespace }).reversed().drop(while: { $0.properties.isWhitespace })
        return Outcome(status: status ?? -1, standardError: String(String.UnicodeScalarView(trimmed.reversed())), stopped: stopRequested != nil)
    }
}
