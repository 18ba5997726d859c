/// Removes an API key from text bound for errors and logs: the key itself (raw and
/// percent-encoded) and any `appid=` query value.
struct Redaction {
    /// The key to hide, if any.
    let secret: String?

    /// `text` with the key and every `appid=` value replaced by `***`.
    func apply(_ text: String) -> String {
        var result = text
        if let secret, !secret.isEmpty {
            result = result.replacing(secret, with: "***")
            let encoded = PercentEncoding.encodeQueryValue(secret)
            if encoded != secret { result = result.replacing(encoded, with: "***") }
        }
        return hideAppIDValues(result)
    }

    /// Replaces the value after each `appid=` (up to `&`, `#`, whitespace, a quote or the end).
    private func hideAppIDValues(_ text: String) -> String {
        guard text.contains("appid=") else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: "appid=") {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let end = rest.firstIndex(where: { "&# \t\r\n\"'".contains($0) }) ?? rest.endIndex
            if end != rest.startIndex { out += "***" }
            rest = rest[end...]
        }
        return out + rest
    }
}
