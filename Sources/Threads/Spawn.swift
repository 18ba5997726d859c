#if canImport(Glibc)
import Glibc
#endif

/// Starting a child process the careful way, shared by every spawner of the product: the child
/// gets the default signal mask and dispositions (a daemon blocks SIGTERM and ignores SIGPIPE, and
/// both would be inherited), only descriptors 0, 1 and 2, and pipes are close-on-exec from birth
/// so no child started meanwhile by another thread inherits them.
public enum Spawn {
    /// glibc's `pipe2` and `posix_spawn_file_actions_addclosefrom_np` (2.34), which Swift's Glibc
    /// module hides (they need `_GNU_SOURCE`), looked up once.
    private static let pipe2 = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2").map {
        unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    }
    private static let addCloseFrom = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }

    /// A pipe whose ends are closed on exec.
    public static func closeOnExecPipe() throws(SubprocessError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        if let pipe2 {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { throw SubprocessError(description: "cannot create a pipe: \(String(cString: strerror(errno)))") }
        } else {
            guard pipe(&fds) == 0 else { throw SubprocessError(description: "cannot create a pipe: \(String(cString: strerror(errno)))") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        return (fds[0], fds[1])
    }

    /// Starts `program` (a path; or a name looked up in PATH when `searchPath`) with `arguments`
    /// and `environment` (nil: this process's), its standard streams on the given descriptors
    /// (-1: /dev/null). Returns the child's pid.
    public static func start(
        _ program: String, _ arguments: [String], environment: [String: String]?, stdin: Int32, stdout: Int32, stderr: Int32,
        searchPath: Bool = false
    ) throws(SubprocessError) -> pid_t {
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
        if let addCloseFrom { _ = addCloseFrom(&actions, 3) }

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

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        func spawn(_ envp: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
            searchPath
                ? posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
                : posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        }
        let result = envp.map { spawn($0) } ?? spawn(environ)
        guard result == 0 else { throw SubprocessError(description: "cannot run \(program): \(String(cString: strerror(result)))") }
        return pid
    }

    /// The exit status of a `waitpid` status word: the code, or 128 + the signal number.
    public static func exitStatus(_ raw: Int32) -> Int32 {
        (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }
}
