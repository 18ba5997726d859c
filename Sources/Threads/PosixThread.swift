#if canImport(Glibc)
import Glibc
#endif

/// A plain POSIX thread for blocking work (accept loops, libpq, libcurl), which must never run
/// on Swift's cooperative thread pool.
public final class PosixThread: Sendable {
    private let thread: pthread_t

    private final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts `body` on a new thread; `name` is for the reader of the code and of logs.
    public init(name: String, stackSize: Int = 1 << 20, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, stackSize)
        var handle = pthread_t()
        let result = pthread_create(&handle, &attributes, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        pthread_attr_destroy(&attributes)
        precondition(result == 0, "pthread_create failed: \(result)")
        thread = handle
    }

    /// Waits for the thread to end.
    public func join() {
        pthread_join(thread, nil)
    }
}
