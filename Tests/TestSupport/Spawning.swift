import Foundation

/// Foundation's `Pipe` file descriptors are inherited by every child spawned while they are
/// open, so a long-lived child (FCGIApp, nginx) started by one test can hold another test's
/// pipe open and its reader never sees EOF. Every spawn in the harness goes through here: pipes
/// get close-on-exec (the child's copies, dup'ed to 0/1/2, are unaffected) and creation plus
/// spawn happen under one lock, so no other spawn can slip in between.
public enum Spawning {
    private static let lock = NSLock()

    /// A pipe whose descriptors are not inherited by children.
    public static func pipe() -> Pipe {
        let pipe = Pipe()
        _ = fcntl(pipe.fileHandleForReading.fileDescriptor, F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        return pipe
    }

    /// A raw pipe with close-on-exec on both ends.
    public static func descriptorPipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw HarnessError("pipe failed: errno \(errno)") }
        // Only ever called inside `locked`, so no spawn can happen before the flags are set.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    /// Runs `body` (which creates pipes and starts processes) with no other spawn in between.
    public static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
