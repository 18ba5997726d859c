import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small number for the calling thread, handed out in order of first use (0, 1, 2, ...) and
/// kept for the thread's life: a way to give each thread its own shard of something shared
/// (`slot % shards`), so that N threads on N shards never share one, as a hash of the thread id
/// might make them.
public enum ThreadSlot {
    private static let next = Atomic<Int>(0)
    /// The thread-specific key that holds each thread's slot plus one (0: none yet).
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let result = pthread_key_create(&key, nil)
        precondition(result == 0, "pthread_key_create failed: \(result)")
        return key
    }()

    /// The calling thread's slot.
    public static var current: Int {
        if let stored = pthread_getspecific(key) { return Int(bitPattern: stored) - 1 }
        let slot = next.add(1, ordering: .relaxed).oldValue
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: slot + 1))
        return slot
    }
}
