#if canImport(Glibc)
import Glibc
#endif

/// An HTTP request as the web layer sees it, built from CGI variables, so it can be made in a
/// test without any socket.
public struct WebRequest: Sendable {
    /// `GET`, `POST`...
    public var method: String
    /// The decoded path, without the query string.
    public var path: String
    /// The raw query string (no `?`).
    public var queryString: String
    /// Header fields with lowercased names.
    public var headers: [String: String]
    /// The body bytes.
    public var body: [UInt8]
    /// True when the body was larger than the responder accepts (it was not read).
    public var bodyTooLarge: Bool
    /// The id logged and returned in `X-Request-Id`.
    public var requestID: String
    /// The client's address as the web server saw it.
    public var remoteAddress: String

    /// Creates a request.
    public init(
        method: String, path: String, queryString: String = "", headers: [String: String] = [:], body: [UInt8] = [],
        bodyTooLarge: Bool = false, requestID: String = RequestID.generate(), remoteAddress: String = ""
    ) {
        self.method = method
        self.path = path
        self.queryString = queryString
        self.headers = headers
        self.body = body
        self.bodyTooLarge = bodyTooLarge
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }

    /// Builds a request from CGI/FastCGI parameters (`REQUEST_METHOD`, `DOCUMENT_URI` or
    /// `REQUEST_URI`, `QUERY_STRING`, `CONTENT_TYPE`, `CONTENT_LENGTH`, `HTTP_*`,
    /// `REMOTE_ADDR`, and nginx's `REQUEST_ID`), in one pass over them.
    public init(cgi params: [(name: String, value: String)], body: [UInt8], bodyTooLarge: Bool) {
        var headers: [String: String] = [:]
        var method = "GET", uri = "/", documentURI = "", queryString = "", remoteAddress = ""
        var nginxID: String?
        for (key, value) in params {
            if key.utf8.starts(with: "HTTP_".utf8) {
                headers[WebRequest.headerName(cgiKey: key)] = value
                continue
            }
            switch key {
            case "REQUEST_METHOD": method = value
            case "REQUEST_URI": uri = value
            case "DOCUMENT_URI": documentURI = value
            case "QUERY_STRING": queryString = value
            case "REMOTE_ADDR": remoteAddress = value
            case "REQUEST_ID": nginxID = value
            case "CONTENT_TYPE" where !value.isEmpty: headers["content-type"] = value
            case "CONTENT_LENGTH" where !value.isEmpty: headers["content-length"] = value
            default: break
            }
        }
        let path: String
        if !documentURI.isEmpty {
            path = documentURI
        } else {
            let rawPath = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
            path = PercentDecoding.decode(rawPath) ?? rawPath
        }
        let id = RequestID.sanitized(nginxID) ?? RequestID.sanitized(headers["x-request-id"]) ?? RequestID.generate()
        self.init(
            method: method, path: path, queryString: queryString, headers: headers, body: body, bodyTooLarge: bodyTooLarge,
            requestID: id, remoteAddress: remoteAddress)
    }

    /// Builds a request from CGI parameters given as a dictionary.
    public init(cgi params: [String: String], body: [UInt8], bodyTooLarge: Bool) {
        self.init(cgi: params.map { (name: $0.key, value: $0.value) }, body: body, bodyTooLarge: bodyTooLarge)
    }

    /// The CGI parameters `init(cgi:)` reads (for `FastCGIServerConfiguration.keepParameter`):
    /// `HTTP_*` and the few it names.
    public static func readsParameter(_ name: UnsafeRawBufferPointer) -> Bool {
        guard let base = name.baseAddress else { return false }
        func equals(_ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount == name.count && memcmp(base, literal.utf8Start, name.count) == 0
        }
        if name.count > 5 && memcmp(base, "HTTP_", 5) == 0 { return true }
        switch name.count {
        case 10: return equals("REQUEST_ID")
        case 11: return equals("REQUEST_URI") || equals("REMOTE_ADDR")
        case 12: return equals("DOCUMENT_URI") || equals("QUERY_STRING") || equals("CONTENT_TYPE")
        case 14: return equals("REQUEST_METHOD") || equals("CONTENT_LENGTH")
        default: return false
        }
    }

    /// `HTTP_X_REQUEST_ID` becomes `x-request-id`, in one pass over the bytes.
    static func headerName(cgiKey key: String) -> String {
        var key = key
        return key.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count - 5) { out in
                for index in 5..<bytes.count {
                    let byte = bytes[index]
                    out[index - 5] = byte == 95 ? 45 : (byte >= 65 && byte <= 90 ? byte + 32 : byte)
                }
                return bytes.count - 5
            }
        }
    }

    /// The query parameters, percent-decoded (`+` is a space); the first value of a repeated
    /// name wins. Pairs that do not decode are dropped.
    public var query: [String: String] {
        var out: [String: String] = [:]
        for pair in queryString.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(String(parts[0]), plusIsSpace: true), !name.isEmpty else { continue }
            let value = parts.count > 1 ? PercentDecoding.decode(String(parts[1]), plusIsSpace: true) : ""
            if out[name] == nil, let value { out[name] = value }
        }
        return out
    }

    /// The media type of the body, lowercased, without parameters.
    public var contentType: String? {
        guard let raw = headers["content-type"] else { return nil }
        return raw.split(separator: ";").first.map { $0.trimmingCharacters().lowercased() }
    }
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}

/// Percent-decoding of paths and query components.
public enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as a space when asked); nil for a malformed escape or
    /// invalid UTF-8.
    public static func decode(_ text: String, plusIsSpace: Bool = false) -> String? {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return text
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else if plusIsSpace && byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
