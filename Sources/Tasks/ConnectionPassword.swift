import Postgres

/// Splits the password out of a libpq connection string, so a child process (pg_dump) can get
/// the rest on its command line, which any local user can read, and the password through its
/// environment (`PGPASSWORD`), which only the same user can.
///
/// Both libpq forms are understood, by libpq's own rules: URIs (`postgresql://user:secret@host/db?
/// password=...`, percent-encoded) and `key=value` strings (values bare or single-quoted, with
/// backslash escapes).
enum ConnectionPassword {
    /// A connection string libpq would parse differently than this splitter, or not at all.
    struct Unparsable: Error, CustomStringConvertible {
        let description: String
    }

    /// The connection string without any password, and the password (the last one given, as
    /// libpq takes it), if any.
    static func split(_ conninfo: String) throws(Unparsable) -> (conninfo: String, password: String?) {
        let result: (conninfo: String, password: String?)
        if let scheme = ["postgresql://", "postgres://"].first(where: { conninfo.hasPrefix($0) }) {
            result = try splitURI(String(conninfo.dropFirst(scheme.count)), scheme: scheme)
        } else {
            result = try splitKeywords(conninfo)
        }
        do {
            try PostgresConnection.validate(conninfo: result.conninfo)
        } catch {
            throw Unparsable(description: "DATABASE_URL cannot be parsed: \(error)")
        }
        return result
    }

    private static func splitURI(_ rest: String, scheme: String) throws(Unparsable) -> (conninfo: String, password: String?) {
        var password: String?
        var remainder = Substring(rest)
        var user = ""
        // libpq: the user part ends at the first '@' before any '/'.
        if let end = rest.firstIndex(where: { $0 == "@" || $0 == "/" }), rest[end] == "@" {
            let userspec = rest[..<end]
            if let colon = userspec.firstIndex(of: ":") {
                user = String(userspec[..<colon])
                password = try percentDecoded(userspec[userspec.index(after: colon)...])
            } else {
                user = String(userspec)
            }
            remainder = rest[rest.index(after: end)...]
        }
        var location = remainder
        var parameters: [Substring] = []
        if let question = remainder.firstIndex(of: "?") {
            location = remainder[..<question]
            for parameter in remainder[remainder.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false) {
                let key = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if try percentDecoded(key[0]) == "password" {
                    password = key.count > 1 ? try percentDecoded(key[1]) : ""
                } else {
                    parameters.append(parameter)
                }
            }
        }
        var out = scheme + (user.isEmpty ? "" : user + "@") + location
        if !parameters.isEmpty { out += "?" + parameters.joined(separator: "&") }
        return (out, password.flatMap { $0.isEmpty ? nil : $0 })
    }

    private static func percentDecoded(_ text: Substring) throws(Unparsable) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw Unparsable(description: "DATABASE_URL has an invalid percent-encoded token")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func splitKeywords(_ text: String) throws(Unparsable) -> (conninfo: String, password: String?) {
        var password: String?
        var kept: [String] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func skipSpaces() {
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        }
        while true {
            skipSpaces()
            guard index < scalars.count else { break }
            var key = ""
            while index < scalars.count, scalars[index] != "=", !scalars[index].properties.isWhitespace {
                key.unicodeScalars.append(scalars[index])
                index += 1
            }
            skipSpaces()
            guard index < scalars.count, scalars[index] == "=" else {
                throw Unparsable(description: "DATABASE_URL is neither a postgresql:// URI nor key=value pairs (missing \"=\" after \(key))")
            }
            index += 1
            skipSpaces()
            var value = ""
            if index < scalars.count, scalars[index] == "'" {
                index += 1
                var closed = false
                while index < scalars.count {
                    if scalars[index] == "\\", index + 1 < scalars.count {
                        value.unicodeScalars.append(scalars[index + 1])
                        index += 2
                    } else if scalars[index] == "'" {
                        index += 1
                        closed = true
                        break
                    } else {
                        value.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                }
                guard closed else { throw Unparsable(description: "DATABASE_URL has an unterminated quoted value") }
            } else {
                while index < scalars.count, !scalars[index].properties.isWhitespace {
                    if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                    value.unicodeScalars.append(scalars[index])
                    index += 1
                }
            }
            if key == "password" {
                password = value
            } else {
                kept.append(key + "='" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'")
            }
        }
        return (kept.joined(separator: " "), password.flatMap { $0.isEmpty ? nil : $0 })
    }
}
