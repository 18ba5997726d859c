@testable import AppSupport
import Foundation
import Synchronization
import TestSupport
import Testing
import Threads
#if canImport(Glibc)
import Glibc
#endif

@Suite("The log writer: a buffer per thread, whole lines, warnings after what came before")
struct LogWriterTests {
    /// A writer to a fresh file; `body` gets the writer, and then the file's lines are returned.
    private func withLogFile(_ body: (LogWriter) -> Void) throws -> [Substring] {
        let directory = try Repository.temporaryDirectory("log-writer")
        defer { Repository.removeTemporaryDirectory(directory) }
        let path = directory + "/log"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw HarnessError("open \(path) failed: errno \(errno)") }
        defer { close(descriptor) }
        body(LogWriter(descriptor: descriptor))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    }

    /// Starts `count` threads running `body` with their index, and waits for all of them.
    private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let threads = (0..<count).map { index in PosixThread(name: "log-writer-test-\(index)") { body(index) } }
        for thread in threads { thread.join() }
    }

    @Test("threads alive together get distinct slots, each kept for the thread's life")
    func threadSlots() async {
        await onThread {
            let slots = Mutex<[Int: (first: Int, again: Int)]>([:])
            let arrived = Atomic<Int>(0)
            onThreads(8) { index in
                let first = ThreadSlot.current
                arrived.add(1, ordering: .sequentiallyConsistent)
                // Every thread stays alive until all have taken a slot.
                while arrived.load(ordering: .sequentiallyConsistent) < 8 { sched_yield() }
                slots.withLock { $0[index] = (first, ThreadSlot.current) }
            }
            let taken = slots.withLock { $0 }
            #expect(taken.count == 8)
            #expect(Set(taken.values.map(\.first)).count == 8, "\(taken)")
            #expect(taken.values.allSatisfy { $0.first == $0.again })
        }
    }

    @Test("lines of many threads come out whole, each thread's in its order, none lost")
    func manyThreads() async throws {
        let lines = try await onThread {
            try withLogFile { writer in
                onThreads(8) { thread in
                    for number in 0..<3_000 {
                        // Lines of different lengths, so blocks end mid-way through lines of others.
                        writer.write("thread \(thread) line \(number) \(String(repeating: "x", count: number % 97))\n", urgent: false)
                    }
                }
                writer.flush()
            }
        }
        #expect(lines.count == 8 * 3_000)
        var next = [Int](repeating: 0, count: 8)
        for line in lines {
            let fields = line.split(separator: " ")
            guard fields.count >= 4, fields[0] == "thread", let thread = Int(fields[1]), (0..<8).contains(thread), let number = Int(fields[3])
            else {
                Issue.record("a line came out broken: \(line.prefix(120))")
                return
            }
            #expect(number == next[thread], "thread \(thread): line \(number) came after line \(next[thread] - 1)")
            #expect(line.utf8.count == "thread \(thread) line \(number) ".utf8.count + number % 97)
            next[thread] = number + 1
        }
        #expect(next == [Int](repeating: 3_000, count: 8))
    }

    @Test("a warning is written at once, after every line logged before it on any thread")
    func urgentAfterEverythingBefore() async throws {
        let lines = try await onThread {
            try withLogFile { writer in
                // Buffered lines on other threads; those threads end before the warning.
                onThreads(4) { thread in
                    for number in 0..<50 { writer.write("info \(thread) \(number)\n", urgent: false) }
                }
                writer.write("warning\n", urgent: true)
                // No flush: the warning must already be out, with all of the above.
            }
        }
        #expect(lines.count == 4 * 50 + 1)
        #expect(lines.last == "warning")
    }

    @Test("a line longer than the whole buffer is written on its own, whole, in its place")
    func longLine() async throws {
        let long = String(repeating: "y", count: 3 * LogWriter.capacity)
        let lines = try await onThread {
            try withLogFile { writer in
                writer.write("before\n", urgent: false)
                writer.writeTimestamped(capacity: long.utf8.count + 2, urgent: false) { out in
                    out.storeBytes(of: UInt8(ascii: " "), as: UInt8.self)
                    var copy = long
                    let count = copy.withUTF8 { bytes in
                        (out + 1).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                        return bytes.count
                    }
                    (out + 1 + count).storeBytes(of: UInt8(ascii: "\n"), as: UInt8.self)
                    return count + 2
                }
                writer.write("after\n", urgent: false)
                writer.flush()
            }
        }
        #expect(lines.count == 3)
        #expect(lines.first == "before")
        #expect(lines.last == "after")
        #expect(lines.dropFirst().first?.hasSuffix("Z " + long) == true)
        #expect(lines.dropFirst().first?.utf8.count == 24 + 1 + long.utf8.count)
    }
}
