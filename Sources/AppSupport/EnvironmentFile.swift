#if canImport(Glibc)
import Glibc
#endif

/// A file of `NAME=value` lines, the form `scripts/run` writes to `var/env` and a shell can
/// source: blank lines and `#` comments are skipped, an optional `export ` prefix is allowed,
/// values may be bare, 'single-quoted' or "double-quoted", and a backslash escapes the next
/// character outside single quotes. `TaskRunner` loads the file named by `WEATHER_ENV_FILE`, so
/// crontab entries need no shell wrapper.
public enum EnvironmentFile {
    /// Why a file could not be read.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Parses the text of an environment file.
    public static func parse(_ text: String) throws(ParseError) -> [(name: String, value: String)] {
        var entries: [(name: String, value: String)] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            while let first = line.first, first == " " || first == "\t" { line = line.dropFirst() }
            if line.isEmpty || line.first == "#" { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7) }
            guard let equals = line.firstIndex(of: "="), !line[..<equals].isEmpty,
                line[..<equals].allSatisfy({ $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) })
            else { throw ParseError(description: "line \(index + 1): expected NAME=value") }
            let name = String(line[..<equals])
            guard let value = unquote(line[line.index(after: equals)...]) else {
                throw ParseError(description: "line \(index + 1): unterminated quote in the value of \(name)")
            }
            entries.append((name, value))
        }
        return entries
    }

    /// Sets every variable of the file at `path` that the environment does not already have
    /// (what the caller set explicitly wins).
    public static func load(path: String) throws(ParseError) {
        guard let file = fopen(path, "r") else {
            throw ParseError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        for entry in try parse(String(decoding: bytes, as: UTF8.self)) {
            setenv(entry.name, entry.value, 0)
        }
    }

    static func unquote(_ text: Substring) -> String? {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            switch character {
            case "'":
                var closed = false
                while let inner = iterator.next() {
                    if inner == "'" { closed = true; break }
                    result.append(inner)
                }
                if !closed { return nil }
            case "\"":
                var closed = false
                while let inner = iterator.next() {
                    if inner == "\"" { closed = true; break }
                    if inner == "\\", let escaped = iterator.next() {
                        if !"\"\\$`".contains(escaped) { result.append("\\") }
                        result.append(escaped)
                    } else {
                        result.append(inner)
                    }
                }
                if !closed { return nil }
            case "\\":
                if let escaped = iterator.next() { result.append(escaped) }
            case " ", "\t", "\r":
                // Trailing blanks (or a comment after them) end a bare value.
                return result
            default:
                result.append(character)
            }
        }
        return result
    }
}
