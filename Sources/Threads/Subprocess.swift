#if canImport(Glibc)
import Glibc
#endif

/// What a finished child process left: its exit status and what it wrote.
public struct SubprocessResult: Sendable {
    /// The exit status; 128 + the signal number when a signal ended it.
    public var status: Int32
    /// Standard output.
    public var stdout: [UInt8]
    /// Standard error.
    public var stderr: [UInt8]

    /// Standard output as text.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as text, trimmed.
    public var stderrText: String {
        String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: " \n\r\t")
    }
}

/// Why a child process could not be run.
public struct SubprocessError: Error, Sendable, CustomStringConvertible {
    public let description: String

    /// An error saying `description`.
    public init(description: String) {
        self.description = description
    }
}

/// Runs a program to completion (started by `Spawn`), feeding its standard input and collecting
/// its output with `poll` on the calling thread (blocking: call it from a thread of its own,
/// never from Swift's cooperative pool).
public enum Subprocess {
    /// Runs `program` (a path, or a name looked up in PATH) with `arguments`. `environment`
    /// nil inherits this process's. Output beyond `outputLimit` bytes per stream is dropped.
    public static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, input: [UInt8] = [],
        outputLimit: Int = 16 << 20
    ) throws(SubprocessError) -> SubprocessResult {
        let input0 = try Spawn.closeOnExecPipe()
        let output = try Spawn.closeOnExecPipe()
        let errors = try Spawn.closeOnExecPipe()
        let stdinPipe = [input0.read, input0.write], stdoutPipe = [output.read, output.write], stderrPipe = [errors.read, errors.write]
        let pid: pid_t
        do {
            pid = try Spawn.start(
                program, arguments, environment: environment, stdin: stdinPipe[0], stdout: stdoutPipe[1], stderr: stderrPipe[1],
                searchPath: true)
        } catch {
            for fd in stdinPipe + stdoutPipe + stderrPipe { close(fd) }
            throw error
        }
        close(stdinPipe[0])
        close(stdoutPipe[1])
        close(stderrPipe[1])

        var out: [UInt8] = [], err: [UInt8] = []
        var inputOffset = 0
        var inputFD: Int32 = stdinPipe[1]
        if input.isEmpty {
            close(inputFD)
            inputFD = -1
        } else {
            _ = fcntl(inputFD, F_SETFL, fcntl(inputFD, F_GETFL) | O_NONBLOCK)
        }
        var outFD = stdoutPipe[0], errFD = stderrPipe[0]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while outFD >= 0 || errFD >= 0 || inputFD >= 0 {
            var fds: [pollfd] = []
            if inputFD >= 0 { fds.append(pollfd(fd: inputFD, events: Int16(POLLOUT), revents: 0)) }
            if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
            if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == inputFD {
                    let written = input.withUnsafeBytes { bytes in
                        write(inputFD, bytes.baseAddress! + inputOffset, bytes.count - inputOffset)
                    }
                    if written > 0 { inputOffset += written }
                    if written < 0 && errno != EAGAIN && errno != EINTR || inputOffset >= input.count {
                        close(inputFD)
                        inputFD = -1
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if count <= 0 {
                    close(entry.fd)
                    if entry.fd == outFD { outFD = -1 } else { errFD = -1 }
                    continue
                }
                if entry.fd == outFD {
                    if out.count < outputLimit { out.append(contentsOf: buffer[0..<min(count, outputLimit - out.count)]) }
                } else if err.count < outputLimit {
                    err.append(contentsOf: buffer[0..<min(count, outputLimit - err.count)])
                }
            }
        }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return SubprocessResult(status: Spawn.exitStatus(raw), stdout: out, stderr: err)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
