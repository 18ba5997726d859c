import Foundation
import Threads

/// The outcome of a finished command.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// A child process started with `posix_spawn` and reaped with `waitpid` by the harness itself.
/// (Foundation's `Process` left some children unreaped here, and its pipes leak into every
/// other child spawned meanwhile; see `Spawning`.)
public final class ChildProcess: @unchecked Sendable {
    /// The child's pid.
    public let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments` and `environment`, with its standard input, output
    /// and error on the given descriptors (-1: /dev/null).
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String], stdin: Int32 = -1, stdout: Int32 = -1,
        stderr: Int32 = -1
    ) throws {
        // Spawn.start, as the product spawns: an empty signal mask and default signals (the
        // spawning thread may be one of Swift's pool threads, which block nearly every signal: a
        // cron daemon started with that mask could neither be stopped by SIGTERM nor reap its
        // children), only descriptors 0-2.
        let child: pid_t
        do {
            child = try Spawn.start(executable, arguments, environment: environment, stdin: stdin, stdout: stdout, stderr: stderr)
        } catch {
            throw HarnessError("cannot start \(executable): \(error)")
        }
        pid = child
    }

    /// Waits for the child to exit and returns its exit status (128 + signal when killed).
    @discardableResult
    public func wait() -> Int32 {
        if let status = lock.withLock({ exitStatus }) { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let status = Spawn.exitStatus(raw)
        lock.withLock { exitStatus = status }
        return status
    }

    /// True while the child has not exited.
    public var isRunning: Bool {
        if lock.withLock({ exitStatus }) != nil { return false }
        var raw: Int32 = 0
        let reaped = waitpid(pid, &raw, WNOHANG)
        if reaped == pid {
            let status = Spawn.exitStatus(raw)
            lock.withLock { exitStatus = status }
            return false
        }
        return true
    }

    /// Sends a signal.
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }
}

/// Runs a command to completion (blocking; call it through `onThread`).
public func runCommand(
    _ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil, stdin: String? = nil
) throws -> CommandResult {
    let (child, outRead, errRead, inWrite) = try Spawning.locked { () throws -> (ChildProcess, Int32, Int32, Int32) in
        let out = try Spawning.descriptorPipe()
        let err = try Spawning.descriptorPipe()
        let input = try Spawning.descriptorPipe()
        defer {
            close(out.write)
            close(err.write)
            close(input.read)
        }
        do {
            let child = try ChildProcess(
                executable, arguments, environment: environment ?? ProcessInfo.processInfo.environment, stdin: input.read,
                stdout: out.write, stderr: err.write)
            return (child, out.read, err.read, input.write)
        } catch {
            [out.read, err.read, input.write].forEach { close($0) }
            throw error
        }
    }
    if let stdin {
        var bytes = Array(stdin.utf8)
        _ = write(inWrite, &bytes, bytes.count)
    }
    close(inWrite)
    nonisolated(unsafe) var errData = [UInt8]()
    let done = NSCondition()
    nonisolated(unsafe) var finished = false
    let errThread = Thread {
        errData = readAll(errRead)
        done.lock()
        finished = true
        done.signal()
        done.unlock()
    }
    errThread.start()
    let outData = readAll(outRead)
    done.lock()
    while !finished { done.wait() }
    done.unlock()
    close(outRead)
    close(errRead)
    let status = child.wait()
    return CommandResult(
        status: status, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

private func readAll(_ fd: Int32) -> [UInt8] {
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = read(fd, &buffer, buffer.count)
        if count > 0 {
            data.append(contentsOf: buffer[0..<count])
        } else if count < 0 && errno == EINTR {
            continue
        } else {
            break
        }
    }
    return data
}

/// The process environment with `changes` applied (a nil value removes the variable).
public func environment(with changes: [String: String?]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    for (key, value) in changes { env[key] = value }
    return env
}
