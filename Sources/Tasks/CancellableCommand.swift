import FoundationEssentials
import Threads
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with `posix_spawn` until it exits, stopping it (SIGTERM, then SIGKILL after a
/// grace period) once `isCancelled` turns true. Standard output goes to a descriptor of the
/// caller's (a file being written); standard error is collected. Blocks the calling thread.
///
/// Unlike `Threads.Subprocess` (which gathers output in memory and always waits for the end), it
/// streams standard output to a file and can be stopped, as a long `pg_dump` must be. The child
/// gets the default signal mask and dispositions (the daemon blocks SIGTERM and ignores SIGPIPE,
/// and both would be inherited) and no descriptor but 0, 1 and 2.
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

    /// glibc's `pipe2` and `posix_spawn_file_actions_addclosefrom_np` (2.34), which Swift's
    /// Glibc module hides (they need `_GNU_SOURCE`), looked up once.
    private static let pipe2 = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2").map {
        unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    }
    private static let addCloseFrom = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }

    /// A pipe whose ends are closed on exec (atomically with `pipe2`, so no child spawned by
    /// another thread meanwhile inherits them).
    private static func closeOnExecPipe(_ fds: inout [Int32]) -> Int32 {
        if let pipe2 { return pipe2(&fds, O_CLOEXEC) }
        guard pipe(&fds) == 0 else { return -1 }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return 0
    }

    func run(standardOutput: Int32, isCancelled: () -> Bool) throws -> Outcome {
        var pipeFDs: [Int32] = [-1, -1]
        guard CancellableCommand.closeOnExecPipe(&pipeFDs) == 0 else {
            throw SpawnFailed(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        let (errorRead, errorWrite) = (pipeFDs[0], pipeFDs[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        posix_spawn_file_actions_adddup2(&actions, errorWrite, 2)
        if let closeFrom = CancellableCommand.addCloseFrom { _ = closeFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(errorWrite)
        guard spawned == 0 else {
            close(errorRead)
            throw SpawnFailed(description: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }

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
                status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
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
