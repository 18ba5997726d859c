import AppSupport
import FoundationEssentials

extension AdminSignedIn {
    /// A page for this user: `template` inside the layout, with the navigation and the CSRF token.
    func page(_ template: String, title: String, section: String, _ context: [String: Any?], status: Int = 200) -> WebResponse {
        AdminRenderer.shared.page(
            template, title: title, section: section, context: context.compactMapValues { $0 }, user: username, csrfToken: csrfToken,
            status: status)
    }
}

/// How the admin pages write values: times in UTC as `2026-11-25 08:00:03` (the layout says
/// UTC), numbers with one decimal, JSON indented.
enum AdminFormat {
    /// `YYYY-MM-DD HH:MM:SS` in UTC, or nil for nil.
    static func time(_ date: Date?) -> String? {
        guard let date else { return nil }
        let iso = Timestamps.iso8601(date)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
    }

    /// `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago` (`in 5 min` for the future).
    static func ago(_ date: Date, now: Date = Date()) -> String {
        let seconds = Int(now.timeIntervalSince(date).rounded())
        let magnitude = abs(seconds)
        let text: String
        switch magnitude {
        case ..<120: text = "\(magnitude) s"
        case ..<7200: text = "\(magnitude / 60) min"
        case ..<172_800: text = "\(magnitude / 3600) h"
        default: text = "\(magnitude / 86400) d"
        }
        return seconds >= 0 ? text + " ago" : "in " + text
    }

    /// `value` with `digits` decimals (rounded half away from zero).
    static func number(_ value: Double, digits: Int = 1) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale), fraction = scaled % Int(scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let digitsText = String(fraction)
            text += "." + String(repeating: "0", count: digits - digitsText.count) + digitsText
        }
        return text
    }

    /// HTML-escaped text (for markup the server builds itself, such as SVG).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// `value` as JSON on one line (`[1, 2]`, `{"a": 1}`), keys sorted, strings as `jsonString`
    /// writes them.
    static func compactJSON(_ value: JSONValue) -> String {
        readableJSON(value, indent: nil)
    }

    /// `value` as indented JSON (two spaces), keys sorted: for people to read.
    static func prettyJSON(_ value: JSONValue, indent: String = "") -> String {
        readableJSON(value, indent: indent)
    }

    /// The one writer behind both: one line when `indent` is nil, else one member a line.
    private static func readableJSON(_ value: JSONValue, indent: String?) -> String {
        let inner = indent.map { $0 + "  " }
        func wrap(_ open: String, _ parts: [String], _ close: String) -> String {
            guard !parts.isEmpty else { return open + close }
            guard let indent, let inner else { return open + parts.joined(separator: ", ") + close }
            return open + "\n" + parts.map { inner + $0 }.joined(separator: ",\n") + "\n" + indent + close
        }
        switch value {
        case .array(let items):
            return wrap("[", items.map { readableJSON($0, indent: inner) }, "]")
        case .object(let members):
            return wrap("{", members.sorted { $0.key < $1.key }.map { jsonString($0.key) + ": " + readableJSON($0.value, indent: inner) }, "}")
        case .string(let text):
            return jsonString(text)
        default:
            return value.serialized
        }
    }

    /// A JSON string literal escaping only what JSON requires (quotes, backslashes, control
    /// characters), so `<` stays readable; the template escapes the HTML.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `?name=value&...` of the pairs whose value is not nil (percent-encoded), or "" when none.
    static func query(_ pairs: [(String, String?)]) -> String {
        let present = pairs.compactMap { name, value in value.map { "\(name)=\(AdminError.queryEscaped($0))" } }
        return present.isEmpty ? "" : "?" + present.joined(separator: "&")
    }
}

/// The query parameters of an admin page. Unlike the API, an empty value means "not given":
/// the pages' filter forms send every field.
struct AdminQuery {
    let values: [String: String]

    init(_ request: WebRequest) {
        values = request.query
    }

    /// The trimmed value, nil when missing or blank; over `maxLength` characters is a 400.
    func text(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let raw = values[name] else { return nil }
        let value = raw.trimmingCharacters()
        guard !value.isEmpty else { return nil }
        guard value.count <= maxLength else { throw AdminError.badRequest(field: name, "must be at most \(maxLength) characters") }
        return value
    }

    /// A positive whole number, nil when missing or blank.
    func positive(_ name: String) throws -> Int? {
        guard let text = try text(name, maxLength: 20) else { return nil }
        guard let value = TaskRoutes.positiveInteger(text) else { throw AdminError.badRequest(field: name, "must be a positive whole number") }
        return value
    }

    /// A time (see `AdminTime.parse`), nil when missing or blank.
    func time(_ name: String) throws -> Date? {
        guard let text = try text(name, maxLength: 40) else { return nil }
        guard let date = AdminTime.parse(text) else {
            throw AdminError.badRequest(field: name, "must be a time such as 2026-11-25T08:00 (UTC) or a date 2026-11-25")
        }
        return date
    }
}

/// Times typed into the admin's forms, all in UTC.
enum AdminTime {
    /// ISO 8601 with a zone, `YYYY-MM-DDTHH:MM[:SS]` (a `datetime-local` field, or a space for the
    /// `T`) read as UTC, or a date `YYYY-MM-DD` (its midnight, UTC).
    static func parse(_ text: String) -> Date? {
        var text = text
        if text.utf8.count >= 11, Array(text.utf8)[10] == UInt8(ascii: " ") {
            text = String(text.prefix(10)) + "T" + String(text.dropFirst(11))
        }
        guard fieldsInRange(text) else { return nil }
        if let date = Timestamps.parseISO8601(text) { return date }
        switch text.utf8.count {
        case 10: return Timestamps.parseISO8601(text + "T00:00:00Z")
        case 16: return Timestamps.parseISO8601(text + ":00Z")
        case 19: return Timestamps.parseISO8601(text + "Z")
        default: return nil
        }
    }

    /// True when the date is a real calendar date and the hour, minute and second (when there)
    /// are in range: Foundation's parser would roll `25:00` over into the next day.
    static func fieldsInRange(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, StatisticsDate.validated(String(decoding: bytes[0..<10], as: UTF8.self)) != nil else { return false }
        func number(_ range: Range<Int>, max: Int) -> Bool {
            guard range.upperBound <= bytes.count, bytes[range].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
            return bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) } <= max
        }
        if bytes.count > 10 {
            guard number(11..<13, max: 23), number(14..<16, max: 59) else { return false }
            if bytes.count > 16 && bytes[16] == UInt8(ascii: ":") && !number(17..<19, max: 59) { return false }
        }
        return true
    }

    /// The value a `datetime-local` field shows for `date` (`YYYY-MM-DDTHH:MM`, UTC).
    static func field(_ date: Date?) -> String? {
        date.map { String(Timestamps.iso8601($0).prefix(16)) }
    }
}

/// The "older" link of a newest-first page: the same filters with `before` = the last id.
struct AdminPager {
    /// Rows per page.
    static let pageSize = 25

    /// `{"older": "/admin/...?...&before=N", "newest": "/admin/...?...", "shown": Bool}` for the
    /// templates (`older` only when there is a next page, `newest` only when this is not the first page).
    static func context(path: String, filters: [(String, String?)], before: Int?, nextBefore: Int?) -> [String: Any] {
        var pager: [String: Any] = [:]
        if let nextBefore { pager["older"] = path + AdminFormat.query(filters + [("before", String(nextBefore))]) }
        if before != nil { pager["newest"] = path + AdminFormat.query(filters) }
        pager["shown"] = !pager.isEmpty
        return pager
    }
}
