import CFastCGI

/// What the responder sends back: a status, headers and a body.
public struct FastCGIResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Header fields in order; `Status` is written from `status`.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Serialises the CGI header block and body into one buffer (tests; the server writes the
    /// head and the body without joining them).
    func serialized() -> [UInt8] {
        withHead { head in Array(head) + body }
    }

    /// Calls `body` with the CGI header block (status line, headers, `Content-Length` unless a
    /// header gives it, blank line), built on the stack for usual sizes. Header values lose
    /// any CR and LF, so no header can be injected.
    func withHead<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let reason = FastCGIResponse.reasonPhrase(status)
        // Longest possible head: the status line ("Status: ", 20 digits, a space, the reason,
        // CRLF), every header with ": " and CRLF, a Content-Length line (16 + 20 digits + CRLF)
        // and the final CRLF.
        var capacity = 31 + reason.utf8CodeUnitCount + 40
        for header in headers { capacity += header.name.utf8.count + header.value.utf8.count + 4 }
        return withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 1) { buffer in
            var writer = ByteWriter(buffer.baseAddress!)
            writer.append("Status: ")
            writer.append(decimal: status)
            writer.append(0x20)
            writer.append(reason)
            writer.append(13, 10)
            var hasLength = false
            for header in headers {
                let name = writer.append(string: header.name)
                if !hasLength && FastCGIResponse.isContentLength(name) { hasLength = true }
                writer.append(0x3A, 0x20)
                writer.appendRemovingLineBreaks(header.value)
                writer.append(13, 10)
            }
            if !hasLength {
                writer.append("Content-Length: ")
                writer.append(decimal: self.body.count)
                writer.append(13, 10)
            }
            writer.append(13, 10)
            return body(UnsafeRawBufferPointer(start: buffer.baseAddress!, count: writer.count))
        }
    }

    /// Writes the response on the request's output stream: the head, then the body (libfcgi
    /// copies both into its own buffer and sends them together). Returns false when the web
    /// server went away mid-write (nothing to do but finish the request).
    func write(to raw: UnsafeMutablePointer<FCGX_Request>) -> Bool {
        let stream = raw.pointee.out
        let headWritten = withHead { head in
            FCGX_PutStr(head.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(head.count), stream) == Int32(head.count)
        }
        guard headWritten, !body.isEmpty else { return headWritten }
        return body.withUnsafeBytes { bytes in
            FCGX_PutStr(bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count), stream) == Int32(bytes.count)
        }
    }

    /// `Content-Length` in any case.
    private static func isContentLength(_ name: UnsafeRawBufferPointer) -> Bool {
        guard name.count == 14 else { return false }
        let expected: StaticString = "content-length"
        for index in 0..<14 {
            let byte = name[index]
            if (byte >= 65 && byte <= 90 ? byte + 32 : byte) != expected.utf8Start[index] { return false }
        }
        return true
    }

    /// The standard reason phrase for a status code.
    static func reasonPhrase(_ status: Int) -> StaticString {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status"
        }
    }
}
