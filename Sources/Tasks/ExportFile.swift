import AppSupport
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// One export file being written into `EXPORT_DIR`, atomically: the bytes go to a hidden
/// temporary file (through a 256 KiB buffer), which `commit()`
/// syncs to disk and links to its final name (never replacing a file), then syncs the folder.
/// Until then nothing under the final name exists; `discard()` (or dropping an uncommitted file)
/// removes the temporary file.
///
/// Bytes are hashed (SHA-256) as they come, piece by piece, rather than a buffer at a time: work
/// in long bursts would leave the socket unread meanwhile and stall the server's COPY.
///
/// Writeback is started every 32 MiB (`posix_fadvise(DONTNEED)` starts it without waiting), so
/// the final `fsync` only waits for the tail, and the written pages leave the page cache.
final class ExportFile {
    /// The folder (as configured), the final bare name, and the temporary one.
    let directory: String
    let name: String
    let temporaryName: String
    private var descriptor: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var used = 0
    private var hash = SHA256()
    private var written = 0
    private var writebackStarted = 0
    private var state = State.writing

    private enum State { case writing, committed, recorded, discarded }

    static let bufferSize = 256 << 10
    static let writebackEvery = 32 << 20

    /// Creates the temporary file for `name` in `directory`. Throws `ExportFileError` with
    /// `errno` when it cannot.
    init(directory: String, name: String) throws {
        self.directory = directory
        self.name = name
        temporaryName = ".\(name).\(getpid()).partial"
        descriptor = open(directory + "/" + temporaryName, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ExportFileError(operation: "create a file in", path: directory, code: errno) }
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ExportFile.bufferSize, alignment: 64)
    }

    deinit {
        if state == .writing { discard() }
        buffer.deallocate()
    }

    /// Bytes written so far (buffered ones included).
    var byteCount: Int { written + used }

    /// Appends bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        hash.update(bytes)
        if bytes.count > ExportFile.bufferSize - used {
            try flush()
            if bytes.count >= ExportFile.bufferSize {
                try writeOut(bytes)
                return
            }
        }
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (buffer.baseAddress! + used).copyMemory(from: source, byteCount: bytes.count)
        used += bytes.count
    }

    /// Syncs the file, links it under its final name (failing, never replacing, if a file of that
    /// name exists), removes the temporary name and syncs the folder. Returns the size and the
    /// SHA-256 (hex) of the bytes.
    func commit() throws -> (bytes: Int, sha256: String) {
        try flush()
        guard fsync(descriptor) == 0 else { throw ExportFileError(operation: "sync", path: temporaryPath, code: errno) }
        close(descriptor)
        descriptor = -1
        guard link(temporaryPath, finalPath) == 0 else {
            throw ExportFileError(operation: "link the export as", path: finalPath, code: errno)
        }
        state = .committed
        unlink(temporaryPath)
        let folder = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            let synced = fsync(folder)
            let code = errno
            close(folder)
            guard synced == 0 else { throw ExportFileError(operation: "sync", path: directory, code: code) }
        }
        return (written, hash.finalize().hex)
    }

    /// Marks a committed file as recorded: `discard()` leaves it alone from now on.
    func recorded() {
        if state == .committed { state = .recorded }
    }

    /// Removes what was written: the temporary file, or the final one when it was committed but
    /// not recorded (its record could not be written, so no one would ever find it).
    func discard() {
        switch state {
        case .writing:
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
            unlink(temporaryPath)
        case .committed:
            unlink(finalPath)
        case .recorded, .discarded:
            return
        }
        state = .discarded
    }

    var temporaryPath: String { directory + "/" + temporaryName }
    var finalPath: String { directory + "/" + name }

    private func flush() throws {
        guard used > 0 else { return }
        try writeOut(UnsafeRawBufferPointer(start: buffer.baseAddress, count: used))
        used = 0
    }

    private func writeOut(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw ExportFileError(operation: "write", path: temporaryPath, code: errno)
            }
            offset += count
        }
        written += bytes.count
        if written - writebackStarted >= ExportFile.writebackEvery {
            _ = posix_fadvise(descriptor, off_t(writebackStarted), off_t(written - writebackStarted), POSIX_FADV_DONTNEED)
            writebackStarted = written
        }
    }
}

/// A file operation that failed, with its `errno`.
struct ExportFileError: Error, CustomStringConvertible {
    let operation: String
    let path: String
    let code: Int32

    /// True when the folder itself refuses (missing, not a folder, no permission, read-only):
    /// retrying cannot help until someone fixes `EXPORT_DIR`.
    var isConfiguration: Bool { [ENOENT, ENOTDIR, EACCES, EPERM, EROFS].contains(code) }

    var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
}
