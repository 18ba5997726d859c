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

    /// Pending bytes in one allocation of twice `capacity` (lines are added while under
    /// `capacity`, so a usual line always fits), and the text of the last second a line was
    /// stamped with (`2026-11-25T16:28:22.`), reused until the clock moves on.
    private struct Buffer {
        let base = UnsafeMutableRawPointer.allocate(byteCount: 2 * LogWriter.capacity, alignment: 16)
        var count = 0
        var second = Int.min
        let secondText = UnsafeMutableRawPointer.allocate(byteCount: 20, alignment: 16)

        mutating func flush() {
            guard count > 0 else { return }
            LogWriter.writeAll(UnsafeRawBufferPointer(start: base, count: count))
            count = 0
        }
    }

    private let buffer = Mutex<Buffer>(Buffer())
    private let flusherStarted = Atomic<Bool>(false)

    private init() {
        atexit { LogWriter.shared.flush() }
    }

    /// Adds a line (with its newline); `urgent` writes it and all before it now.
    public func write(_ line: String, urgent: Bool) {
        var line = line
        line.withUTF8 { write(bytes: UnsafeRawBufferPointer($0), urgent: urgent) }
    }

    /// Adds a line's bytes (with its newline); `urgent` writes it and all before it now.
    public func write(bytes: UnsafeRawBufferPointer, urgent: Bool) {
        writeLine(capacity: bytes.count, timestamped: false, urgent: urgent) { out in
            if let source = bytes.baseAddress { out.copyMemory(from: source, byteCount: bytes.count) }
            return bytes.count
        }
    }

    /// Adds a line that starts with the current UTC time, `2026-11-25T16:28:22.123Z` (taken
    /// under the buffer's lock, so lines are in time order): `rest` writes at most `capacity`
    /// bytes after it (the rest of the line, with its newline) and returns how many it wrote.
    public func writeTimestamped(capacity: Int, urgent: Bool, _ rest: (UnsafeMutableRawPointer) -> Int) {
        writeLine(capacity: capacity, timestamped: true, urgent: urgent, rest)
    }

    private func writeLine(capacity: Int, timestamped: Bool, urgent: Bool, _ fill: (UnsafeMutableRawPointer) -> Int) {
        let needed = capacity + (timestamped ? 24 : 0)
        buffer.withLock { buffer in
            if buffer.count + needed > 2 * LogWriter.capacity { buffer.flush() }
            if needed > 2 * LogWriter.capacity {
                // Larger than the whole buffer: written on its own.
                let line = UnsafeMutableRawPointer.allocate(byteCount: needed, alignment: 16)
                defer { line.deallocate() }
                let stamp = timestamped ? LogWriter.stamp(&buffer, into: line) : 0
                LogWriter.writeAll(UnsafeRawBufferPointer(start: line, count: stamp + fill(line + stamp)))
                return
            }
            let out = buffer.base + buffer.count
            let stamp = timestamped ? LogWriter.stamp(&buffer, into: out) : 0
            buffer.count += stamp + fill(out + stamp)
            if urgent || buffer.count >= LogWriter.capacity { buffer.flush() }
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

    /// Writes the current time's 24 bytes at `out`.
    private static func stamp(_ buffer: inout Buffer, into out: UnsafeMutableRawPointer) -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        if now.tv_sec != buffer.second {
            buffer.second = now.tv_sec
            writeTimestamp(seconds: now.tv_sec, millis: 0, into: out)
            buffer.secondText.copyMemory(from: out, byteCount: 20)
        } else {
            out.copyMemory(from: buffer.secondText, byteCount: 20)
        }
        let millis = now.tv_nsec / 1_000_000
        out.storeBytes(of: UInt8(48 + millis / 100), toByteOffset: 20, as: UInt8.self)
        out.storeBytes(of: UInt8(48 + millis / 10 % 10), toByteOffset: 21, as: UInt8.self)
        out.storeBytes(of: UInt8(48 + millis % 10), toByteOffset: 22, as: UInt8.self)
        out.storeBytes(of: UInt8(ascii: "Z"), toByteOffset: 23, as: UInt8.self)
        return 24
    }

    /// Writes `2026-11-25T16:28:22.123Z` (24 bytes) at `out` for a UTC time (the date by
    /// `CivilDate`, not `gmtime_r`).
    static func writeTimestamp(seconds: Int, millis: Int, into out: UnsafeMutableRawPointer) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.date(days: days)
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var remaining = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                out.storeBytes(of: UInt8(48 + remaining % 10), toByteOffset: index, as: UInt8.self)
                remaining /= 10
            }
        }
        put(year, 4, at: 0)
        out.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 4, as: UInt8.self)
        put(month, 2, at: 5)
        out.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 7, as: UInt8.self)
        put(day, 2, at: 8)
        out.storeBytes(of: UInt8(ascii: "T"), toByteOffset: 10, as: UInt8.self)
        put(secondOfDay / 3600, 2, at: 11)
        out.storeBytes(of: UInt8(ascii: ":"), toByteOffset: 13, as: UInt8.self)
        put(secondOfDay / 60 % 60, 2, at: 14)
        out.storeBytes(of: UInt8(ascii: ":"), toByteOffset: 16, as: UInt8.self)
        put(secondOfDay % 60, 2, at: 17)
        out.storeBytes(of: UInt8(ascii: "."), toByteOffset: 19, as: UInt8.self)
        put(millis, 3, at: 20)
        out.storeBytes(of: UInt8(ascii: "Z"), toByteOffset: 23, as: UInt8.self)
    }

    /// Writes whatever is buffered.
    public func flush() {
        buffer.withLock { $0.flush() }
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { break }
            offset += written
        }
    }
}
