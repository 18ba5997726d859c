import Foundation

/// Paths of the repository and of the binaries under test.
public enum Repository {
    /// The repository's root folder.
    public static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent().path

    /// Where `FCGIApp` and `TaskRunner` were built: `TEST_BIN_DIR`, else `.build/debug`.
    public static var binDirectory: String {
        ProcessInfo.processInfo.environment["TEST_BIN_DIR"] ?? root + "/.build/debug"
    }

    /// A new empty folder that nginx's and Postgres's users can traverse, under `TEST_TMP_ROOT`
    /// (set by scripts/test, so it can clean up after a crashed run) or /tmp.
    public static func temporaryDirectory(_ prefix: String) throws -> String {
        let base = ProcessInfo.processInfo.environment["TEST_TMP_ROOT"] ?? NSTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let template = (base as NSString).appendingPathComponent("\(prefix).XXXXXX")
        var bytes = Array(template.utf8CString)
        guard mkdtemp(&bytes) != nil else { throw HarnessError("mkdtemp failed under \(base)") }
        let path = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        chmod(path, 0o755)
        return path
    }

    /// Removes a folder `temporaryDirectory` made, unless `TEST_KEEP_TMP` is set (to look at
    /// logs and configs after a run).
    public static func removeTemporaryDirectory(_ path: String) {
        guard ProcessInfo.processInfo.environment["TEST_KEEP_TMP"] == nil else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
