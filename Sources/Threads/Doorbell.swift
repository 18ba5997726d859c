#if canImport(Glibc)
import Glibc
#endif

/// A file descriptor other threads can make readable, so a thread blocked in `poll` (for
/// example on a Postgres socket) can be woken. Rings coalesce.
public final class Doorbell: @unchecked Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    /// Creates the doorbell (a non-blocking pipe).
    public init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe failed")
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// The descriptor to poll for readability.
    public var descriptor: Int32 { readEnd }

    /// Wakes the waiter.
    public func ring() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Consumes pending rings.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }
}
