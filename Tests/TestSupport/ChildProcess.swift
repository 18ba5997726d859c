import Foundation

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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (source, target) in [(stdin, Int32(0)), (stdout, 1), (stderr, 2)] {
            if source >= 0 {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // Default signals and an empty mask, as the product's Spawn: the spawning thread may be
        // one of Swift's pool threads, which block nearly every signal, and a child inherits
        // that mask (a cron daemon started so could neither be stopped by SIGTERM nor reap
        // its own children).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw HarnessError("cannot start \(executable): \(String(cString: strerror(result)))") }
        pid = child
    }

    /// Waits for the child to exit and returns its exit status (128 + signal when killed).
    @discardableResult
    public func wait() -> Int32 {
        if let status = lock.withLock({ exitStatus }) { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        lock.withLock { exitStatus = status }
        return status
    }

    /// True while the child has not exited.
    public var isRunning: Bool {
        if lock.withLock({ exitStatus }) != nil { return false }
        var raw: Int32 = 0
        let reaped = waitpid(pid, &raw, WNOHANG)
        if reaped == pid {
            let status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
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
