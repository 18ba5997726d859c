import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// A plain-text e-mail for ``MailSender``: its envelope (sender and recipients) and the header
/// fields and body it is written with.
///
/// Header values cannot inject headers: CR and LF in them become spaces, and text that is not
/// plain ASCII, or too long for one line, is written as RFC 2047 encoded words. The body's line
/// endings become CRLF; a body that is not 7-bit ASCII with short lines is sent base64-encoded
/// as UTF-8. Lines that start with a dot are escaped by curl on the wire.
public struct MailMessage: Sendable, Equatable {
    /// The sender's address (`alerts@example.com`): the envelope's `MAIL FROM` and the `From`
    /// header.
    public var from: String
    /// The sender's display name in the `From` header, if any.
    public var fromName: String?
    /// The recipients' addresses: the envelope's `RCPT TO` list and the `To` header.
    public var to: [String]
    /// The subject line.
    public var subject: String
    /// The plain-text body.
    public var body: String
    /// The `Date` header.
    public var date: Date
    /// The `Message-ID` without angle brackets; a random one at the sender's domain when nil.
    public var messageID: String?

    /// Creates a message.
    /// - Parameters:
    ///   - from: The sender's address.
    ///   - fromName: The sender's display name, if any.
    ///   - to: The recipients' addresses (at least one).
    ///   - subject: The subject line.
    ///   - body: The plain-text body.
    ///   - date: The `Date` header; now by default.
    ///   - messageID: The `Message-ID` (without `<>`); generated when nil.
    public init(
        from: String, fromName: String? = nil, to: [String], subject: String, body: String, date: Date = Date(),
        messageID: String? = nil
    ) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
    }

    /// Whether `address` can be used in the envelope and headers: a bare ASCII `local@domain`,
    /// with no spaces, control characters, angle brackets, commas or quotes.
    public static func isValidAddress(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1, bytes.count <= 254 else {
            return false
        }
        return bytes.allSatisfy { byte in
            byte > 0x20 && byte < 0x7F && !"<>,;:\"()[]\\".utf8.contains(byte)
        } && bytes.firstIndex(of: UInt8(ascii: "@")) == at
    }

    /// The message as it goes over the wire after `DATA` (before dot-stuffing): header fields,
    /// a blank line and the body, every line ending in CRLF.
    /// - Throws: ``MailError/invalidMessage(_:)`` when an address is not valid or there is no
    ///   recipient.
    public func rendered() throws(MailError) -> String {
        try validate()
        let fromHeader: String
        if let name = fromName.map(headerText), !name.isEmpty {
            fromHeader = "\(displayName(name)) <\(from)>"
        } else {
            fromHeader = from
        }
        let id = messageID.flatMap(sanitizedMessageID) ?? MailMessage.randomMessageID(domain: domain(of: from))
        var lines = [
            "Date: \(MailMessage.rfc5322Date(date))",
            "From: \(fromHeader)",
            "To: \(to.joined(separator: ",\r\n "))",
            "Subject: \(encodedHeaderValue(headerText(subject), prefixLength: "Subject: ".utf8.count))",
            "Message-ID: <\(id)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
        ]
        let bodyLines = normalizedLines(body)
        if bodyLines.allSatisfy({ $0.utf8.count <= 998 && $0.utf8.allSatisfy { $0 < 0x80 } }) {
            lines.append("Content-Transfer-Encoding: 7bit")
            lines.append("")
            lines.append(contentsOf: bodyLines)
        } else {
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            let encoded = base64(Array((bodyLines.joined(separator: "\r\n") + "\r\n").utf8))
            var index = encoded.startIndex
            while index < encoded.endIndex {
                let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
                lines.append(String(encoded[index..<end]))
                index = end
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Checks the envelope.
    func validate() throws(MailError) {
        guard MailMessage.isValidAddress(from) else {
            throw .invalidMessage("invalid sender address \(from.debugDescription)")
        }
        guard !to.isEmpty else { throw .invalidMessage("no recipient") }
        for address in to where !MailMessage.isValidAddress(address) {
            throw .invalidMessage("invalid recipient address \(address.debugDescription)")
        }
    }

    /// A header value without line breaks: CR, LF and NUL become spaces, so no header can be
    /// injected.
    private func headerText(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar == "\r" || scalar == "\n" || scalar == "\0" ? " " : scalar
        }))
    }

    /// A caller's message id with only printable ASCII other than spaces and angle brackets;
    /// nil when nothing is left.
    private func sanitizedMessageID(_ id: String) -> String? {
        let kept = id.utf8.filter { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
        return kept.isEmpty ? nil : String(decoding: kept, as: UTF8.self)
    }

    /// A display name: plain ASCII words as a quoted string, anything else as encoded words.
    private func displayName(_ name: String) -> String {
        if name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && name.utf8.count <= 60 {
            var quoted = "\""
            for character in name {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }
        return encodedWords(name)
    }

    /// `text` as it is when it is printable ASCII and fits on its line, else as encoded words.
    private func encodedHeaderValue(_ text: String, prefixLength: Int) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && text.utf8.count + prefixLength <= 78 {
            return text
        }
        return encodedWords(text)
    }

    /// RFC 2047 `=?UTF-8?B?...?=` words of at most 39 bytes of text each (64 characters in
    /// all, so even the first line stays under 78), never splitting a character, folded onto
    /// continuation lines.
    private func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(base64(chunk))?=")
                chunk.removeAll(keepingCapacity: true)
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(base64(chunk))?=") }
        return words.joined(separator: "\r\n ")
    }

    /// The body's lines, whatever line endings it used.
    private func normalizedLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        var previousCR = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                if !previousCR { lines.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
                previousCR = false
            } else if byte == UInt8(ascii: "\r") {
                lines.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                previousCR = true
            } else {
                current.append(byte == 0 ? UInt8(ascii: " ") : byte)
                previousCR = false
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(String(decoding: current, as: UTF8.self)) }
        return lines
    }

    private func domain(of address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "localhost" }
        return String(address[address.index(after: at)...])
    }

    /// `<32 hex digits>.<seconds>@domain`.
    static func randomMessageID(domain: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "\(hex(high))\(hex(low))@\(domain)"
    }

    /// `Thu, 05 Mar 2026 14:03:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}

/// Standard base64 with padding.
func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index < bytes.count {
        let b0 = bytes[index]
        let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
        let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
        out.append(alphabet[Int(b0 >> 2)])
        out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
        out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
        out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
        index += 3
    }
    return String(decoding: out, as: UTF8.self)
}
