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
    /// The body bytes.
    public var body: [UInt8]
    /// True when the body was larger than the responder accepts (it was not read).
    public var bodyTooLarge: Bool
    /// The id logged and returned in `X-Request-Id`.
    public var requestID: String
    /// The client's address as the web server saw it.
    public var remoteAddress: String
    /// Where the header fields come from: a dictionary given to `init`, or the CGI variables
    /// that carry them, kept as they came and looked at only when asked for (most requests
    /// never read a header).
    private var headerSource: HeaderSource

    private enum HeaderSource: Sendable {
        case fields([String: String])
        case cgi(CGIHeaderBlock)
    }

    /// Header fields with lowercased names (`HTTP_X_REQUEST_ID` becomes `x-request-id`;
    /// `CONTENT_TYPE` and `CONTENT_LENGTH`, when not empty, `content-type` and `content-length`).
    /// Built on each read for a request made from CGI variables; `header(_:)` finds one without
    /// building them all.
    public var headers: [String: String] {
        get {
            switch headerSource {
            case .fields(let fields):
                return fields
            case .cgi(let block):
                var fields: [String: String] = [:]
                block.forEach { name, value in fields[WebRequest.headerName(cgiKey: name)] = String(decoding: value, as: UTF8.self) }
                return fields
            }
        }
        set { headerSource = .fields(newValue) }
    }

    /// A header's value by its name in any case (`content-type`, `Authorization`): the last one
    /// sent, as in `headers`.
    public func header(_ name: String) -> String? {
        switch headerSource {
        case .fields(let fields):
            return fields[name] ?? fields[name.lowercased()]
        case .cgi(let block):
            var found: String?
            var name = name
            name.withUTF8 { wanted in
                block.forEach { key, value in
                    if WebRequest.cgiKey(key, isHeader: wanted) { found = String(decoding: value, as: UTF8.self) }
                }
            }
            return found
        }
    }

    /// Creates a request.
    public init(
        method: String, path: String, queryString: String = "", headers: [String: String] = [:], body: [UInt8] = [],
        bodyTooLarge: Bool = false, requestID: String = RequestID.generate(), remoteAddress: String = ""
    ) {
        self.method = method
        self.path = path
        self.queryString = queryString
        self.headerSource = .fields(headers)
        self.body = body
        self.bodyTooLarge = bodyTooLarge
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }

    /// Builds a request from CGI variables in the C `environ` layout (a NULL-terminated array
    /// of `NAME=VALUE` strings, as libfcgi keeps a request's parameters), in one pass:
    /// `REQUEST_METHOD`, `DOCUMENT_URI` or `REQUEST_URI`, `QUERY_STRING`, `REMOTE_ADDR` and
    /// nginx's `REQUEST_ID` are read; `HTTP_*`, `CONTENT_TYPE` and `CONTENT_LENGTH` are copied
    /// as they are into one block, for `headers`. Nothing else is copied, and the strings are not
    /// used after this returns.
    public init(cgiEnvironment environment: UnsafePointer<UnsafeMutablePointer<CChar>?>, body: [UInt8], bodyTooLarge: Bool) {
        var method = "GET", documentURI = "", queryString = "", remoteAddress = ""
        var requestURI: UnsafeRawBufferPointer?
        var requestID: String?
        // Header entries: noted while reading (by index), then copied into one block.
        var headerIndexes: UInt64 = 0
        var headerBytes = 0
        var index = 0
        // Every variable is looked at once; the last one of a name wins. The first byte rules
        // out most of the ~20 that nginx sends before anything else is done with them.
        while let pointer = environment[index] {
            defer { index += 1 }
            switch UInt8(bitPattern: pointer[0]) {
            case UInt8(ascii: "R"):
                let entry = CGIEntry(pointer)
                if let value = entry.value(ifNamed: "REQUEST_METHOD=") {
                    method = WebRequest.method(value)
                } else if let value = entry.value(ifNamed: "REQUEST_URI=") {
                    // Read only without DOCUMENT_URI (nginx always sends both).
                    requestURI = value
                } else if let value = entry.value(ifNamed: "REMOTE_ADDR=") {
                    remoteAddress = String(decoding: value, as: UTF8.self)
                } else if let value = entry.value(ifNamed: "REQUEST_ID=") {
                    requestID = RequestID.sanitized(value)
                }
            case UInt8(ascii: "D"):
                if let value = CGIEntry(pointer).value(ifNamed: "DOCUMENT_URI=") { documentURI = String(decoding: value, as: UTF8.self) }
            case UInt8(ascii: "Q"):
                if let value = CGIEntry(pointer).value(ifNamed: "QUERY_STRING=") { queryString = String(decoding: value, as: UTF8.self) }
            case UInt8(ascii: "H"), UInt8(ascii: "C"):
                let entry = CGIEntry(pointer)
                if entry.carriesHeader {
                    if index < 64 { headerIndexes |= 1 << index }
                    headerBytes += entry.bytes.count + 1
                }
            default:
                break
            }
        }
        let headers = CGIHeaderBlock(copying: headerIndexes, totalling: headerBytes, from: environment)
        let path: String
        if !documentURI.isEmpty {
            path = documentURI
        } else {
            let uri = requestURI.map { String(decoding: $0, as: UTF8.self) } ?? "/"
            let rawPath = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
            path = PercentDecoding.decode(rawPath) ?? rawPath
        }
        if requestID == nil {
            // The client's X-Request-Id (the last one sent) when nginx sent no usable id.
            var fromClient: String??
            headers.forEach { key, value in
                if WebRequest.cgiKey(key, isHeader: "x-request-id") { fromClient = .some(RequestID.sanitized(value)) }
            }
            requestID = fromClient ?? nil
        }
        self.method = method
        self.path = path
        self.queryString = queryString
        self.headerSource = .cgi(headers)
        self.body = body
        self.bodyTooLarge = bodyTooLarge
        self.requestID = requestID ?? RequestID.generate()
        self.remoteAddress = remoteAddress
    }

    /// Builds a request from CGI/FastCGI parameters given one by one (NUL bytes in a value are
    /// dropped).
    public init(cgi params: [(name: String, value: String)], body: [UInt8], bodyTooLarge: Bool) {
        var block: [UInt8] = []
        var offsets: [Int] = []
        for (name, value) in params {
            offsets.append(block.count)
            block.append(contentsOf: name.utf8.lazy.filter { $0 != 0 })
            block.append(UInt8(ascii: "="))
            block.append(contentsOf: value.utf8.lazy.filter { $0 != 0 })
            block.append(0)
        }
        self = block.withUnsafeMutableBytes { bytes in
            var environment: [UnsafeMutablePointer<CChar>?] = offsets.map { (bytes.baseAddress! + $0).assumingMemoryBound(to: CChar.self) }
            environment.append(nil)
            return environment.withUnsafeBufferPointer {
                WebRequest(cgiEnvironment: $0.baseAddress!, body: body, bodyTooLarge: bodyTooLarge)
            }
        }
    }

    /// Builds a request from CGI parameters given as a dictionary.
    public init(cgi params: [String: String], body: [UInt8], bodyTooLarge: Bool) {
        self.init(cgi: params.map { (name: $0.key, value: $0.value) }, body: body, bodyTooLarge: bodyTooLarge)
    }

    /// The method as a string; the usual ones without decoding.
    private static func method(_ value: UnsafeRawBufferPointer) -> String {
        if CGIHeaderBlock.equals(value, "GET") { return "GET" }
        if CGIHeaderBlock.equals(value, "POST") { return "POST" }
        if CGIHeaderBlock.equals(value, "HEAD") { return "HEAD" }
        return String(decoding: value, as: UTF8.self)
    }

    /// `HTTP_X_REQUEST_ID` becomes `x-request-id` (and `CONTENT_TYPE` `content-type`), in one
    /// pass over the bytes.
    static func headerName(cgiKey key: UnsafeRawBufferPointer) -> String {
        let skip = CGIHeaderBlock.isHTTPHeader(key) ? 5 : 0
        return String(unsafeUninitializedCapacity: key.count - skip) { out in
            for index in skip..<key.count {
                let byte = key[index]
                out[index - skip] = byte == 95 ? 45 : (byte >= 65 && byte <= 90 ? byte + 32 : byte)
            }
            return key.count - skip
        }
    }

    /// True when the CGI variable `key` carries the header `name` (in any case):
    /// `HTTP_X_REQUEST_ID` (or `CONTENT_TYPE`) for `x-request-id` (or `content-type`).
    static func cgiKey(_ key: UnsafeRawBufferPointer, isHeader name: UnsafeBufferPointer<UInt8>) -> Bool {
        let skip = CGIHeaderBlock.isHTTPHeader(key) ? 5 : 0
        guard key.count - skip == name.count else { return false }
        for index in 0..<name.count {
            let byte = key[skip + index]
            let wanted = name[index]
            if (byte == 95 ? 45 : (byte >= 65 && byte <= 90 ? byte + 32 : byte)) != (wanted >= 65 && wanted <= 90 ? wanted + 32 : wanted) {
                return false
            }
        }
        return true
    }

    static func cgiKey(_ key: UnsafeRawBufferPointer, isHeader name: StaticString) -> Bool {
        cgiKey(key, isHeader: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
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
        guard let raw = header("content-type") else { return nil }
        let media = raw.utf8.firstIndex(of: UInt8(ascii: ";")).map { raw[..<$0] } ?? raw[...]
        return media.trimmingCharacters().lowercased()
    }
}

extension StringProtocol {
    /// The text without white space at either end. ASCII white space is cut byte by byte; only
    /// an end that is not ASCII is looked at as characters (Unicode's white space).
    func trimmingCharacters() -> String {
        var view = Substring(self)
        func asciiSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        while let first = view.utf8.first, asciiSpace(first) { view = view.dropFirst() }
        while let last = view.utf8.last, asciiSpace(last) { view = view.dropLast() }
        if let first = view.utf8.first, first >= 0x80 || view.utf8.last.map({ $0 >= 0x80 }) == true {
            while let first = view.first, first.isWhitespace { view = view.dropFirst() }
            while let last = view.last, last.isWhitespace { view = view.dropLast() }
        }
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
