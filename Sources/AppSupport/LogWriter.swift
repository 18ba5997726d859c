import Synchronization
import Threads
#if canImport(Glibc)
import Glibc
#endif

/// Where log lines go: standard error, through a small buffer, as nginx's `access_log ...
/// buffer=` does. Info and debug lines (one per request) are written in blocks when 32 KiB
/// gather or every 200 ms; a warning or an error is written at once, with everything before it,
/// so order is kept. The buffer is flushed at exit. A crash can lose at most the last 200 ms of
/// info lines, never a warning.
public final class LogWriter: Sendable {
    /// The process's writer.
    public static let shared = LogWriter()

    static let capacity = 32 * 1024
    private let buffer = Mutex<[UInt8]>([])
    private let flusherStarted = Atomic<Bool>(false)

    private init() {
        atexit { LogWriter.shared.flush() }
    }

    /// Adds a line (with its newline); `urgent` writes it and all before it now.
    public func write(_ line: String, urgent: Bool) {
        var line = line
        line.withUTF8 { bytes in
            buffer.withLock { pending in
                pending.append(contentsOf: bytes)
                if urgent || pending.count >= LogWriter.capacity {
                    LogWriter.writeAll(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        if !urgent, !flusherStarted.load(ordering: .relaxed),
            flusherStarted.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
        {
            _ = PosixThread(name: "log-flush") {
                while true {
                    blockingSleep(.milliseconds(200))
                    LogWriter.shared.flush()
                }
            }
        }
    }

    /// Writes whatever is buffered.
    public func flush() {
        buffer.withLock { pending in
            guard !pending.isEmpty else { return }
            LogWriter.writeAll(pending)
            pending.removeAll(keepingCapacity: true)
        }
    }

    private static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
