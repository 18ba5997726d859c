import Synchronization
import Threads
#if canImport(Glibc)
import Glibc
#endif

/// Where log lines go: standard error, through small buffers, as nginx's `access_log ...
/// buffer=` does. Info and debug lines (one per request) are written in blocks when 32 KiB
/// gather or every 200 ms; a warning or an error is written at once, with everything logged
/// before it, so it never comes out ahead of a line that happened first. Everything is flushed
/// at exit. A crash can lose at most the last 200 ms of info lines, never a warning.
///
/// Each thread writes into a buffer of its own (one of `shardCount`, by `ThreadSlot`), so
/// responder threads logging a line per request never wait for one another: with one shared
/// buffer, its lock was FCGIApp's hottest spot under load (a sixth of its CPU spent spinning or
/// in the kernel waiting for it). One thread's lines keep their order; lines of different
/// threads may come out of time order by up to 200 ms, as with nginx's per-worker buffers.
/// Blocks are written whole, one at a time, so lines never interleave.
public final class LogWriter: Sendable {
    /// The process's writer, to standard error.
    public static let shared = LogWriter(descriptor: 2, flushAtExit: true)

    static let capacity = 32 * 1024
    static let shardCount = 16

    /// Pending bytes in one allocation of twice `capacity` (lines are added while under
    /// `capacity`, so a usual line always fits), made on first use, and the text of the last
    /// second a line was stamped with (`2026-11-25T16:28:22.`), reused until the clock moves on.
    private struct Buffer: ~Copyable {
        var base: UnsafeMutableRawPointer? = nil
        var count = 0
        var second = Int.min
        let secondText = UnsafeMutableRawPointer.allocate(byteCount: 20, alignment: 16)

        mutating func reserve() -> UnsafeMutableRawPointer {
            if let base { return base }
            let made = UnsafeMutableRawPointer.allocate(byteCount: 2 * LogWriter.capacity, alignment: 16)
            base = made
            return made
        }

        deinit {
            base?.deallocate()
            secondText.deallocate()
        }
    }

    /// One thread's buffer (or a few threads' when there are more than `shardCount`).
    private final class Shard: Sendable {
        let buffer = Mutex<Buffer>(Buffer())
    }

    private let descriptor: Int32
    private let shards: [Shard]
    /// Held while a block is written, so blocks of different shards never interleave (a pipe
    /// takes larger writes than `PIPE_BUF` in pieces). Always taken after a shard's lock.
    private let writing = Mutex<Void>(())
    private let flusherStarted = Atomic<Bool>(false)

    /// A writer to `descriptor` (the process's is `shared`, to standard error).
    init(descriptor: Int32, flushAtExit: Bool = false) {
        self.descriptor = descriptor
        self.shards = (0..<LogWriter.shardCount).map { _ in Shard() }
        if flushAtExit {
            atexit { LogWriter.shared.flush() }
        }
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
    /// under the buffer's lock, so one thread's lines are in time order): `rest` writes at most
    /// `capacity` bytes after it (the rest of the line, with its newline) and returns how many
    /// it wrote.
    public func writeTimestamped(capacity: Int, urgent: Bool, _ rest: (UnsafeMutableRawPointer) -> Int) {
        writeLine(capacity: capacity, timestamped: true, urgent: urgent, rest)
    }

    private func writeLine(capacity: Int, timestamped: Bool, urgent: Bool, _ fill: (UnsafeMutableRawPointer) -> Int) {
        let own = ThreadSlot.current % LogWriter.shardCount
        if urgent {
            // Everything the other threads logged before this line goes out first.
            for index in shards.indices where index != own { flush(shards[index]) }
        }
        let needed = capacity + (timestamped ? 24 : 0)
        shards[own].buffer.withLock { buffer in
            if buffer.count + needed > 2 * LogWriter.capacity { flush(&buffer) }
            if needed > 2 * LogWriter.capacity {
                // Larger than the whole buffer: written on its own.
                let line = UnsafeMutableRawPointer.allocate(byteCount: needed, alignment: 16)
                defer { line.deallocate() }
                let stamp = timestamped ? LogWriter.stamp(&buffer, into: line) : 0
                writeBlock(UnsafeRawBufferPointer(start: line, count: stamp + fill(line + stamp)))
                return
            }
            let out = buffer.reserve() + buffer.count
            let stamp = timestamped ? LogWriter.stamp(&buffer, into: out) : 0
            buffer.count += stamp + fill(out + stamp)
            if urgent || buffer.count >= LogWriter.capacity { flush(&buffer) }
        }
        if !urgent, !flusherStarted.load(ordering: .relaxed),
            flusherStarted.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
        {
            _ = PosixThread(name: "log-flush") { [weak self] in
                while true {
                    blockingSleep(.milliseconds(200))
                    guard let self else { return }
                    self.flush()
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
        for shard in shards { flush(shard) }
    }

    private func flush(_ shard: Shard) {
        shard.buffer.withLock { flush(&$0) }
    }

    private func flush(_ buffer: inout Buffer) {
        guard buffer.count > 0, let base = buffer.base else { return }
        writeBlock(UnsafeRawBufferPointer(start: base, count: buffer.count))
        buffer.count = 0
    }

    private func writeBlock(_ bytes: UnsafeRawBufferPointer) {
        writing.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
