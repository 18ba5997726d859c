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

    /// Serialises the CGI header block and body into one buffer, so one write suffices.
    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + headers.count * 32 + body.count)
        out.append(contentsOf: "Status: \(status) \(FastCGIResponse.reasonPhrase(status))\r\n".utf8)
        var hasLength = false
        for header in headers {
            if !hasLength && header.name.utf8.count == 14 && header.name.lowercased() == "content-length" { hasLength = true }
            out.append(contentsOf: header.name.utf8)
            out.append(contentsOf: ": ".utf8)
            // Refuse header injection: CR and LF never reach the wire.
            for byte in header.value.utf8 where byte != 13 && byte != 10 { out.append(byte) }
            out.append(contentsOf: "\r\n".utf8)
        }
        if !hasLength {
            out.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: body)
        return out
    }

    /// Writes the response on the request's output stream. Returns false when the web server
    /// went away mid-write (nothing to do but finish the request).
    func write(to raw: UnsafeMutablePointer<FCGX_Request>) -> Bool {
        let bytes = serialized()
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                FCGX_PutStr($0, Int32(buffer.count), raw.pointee.out) == Int32(buffer.count)
            }
        }
    }

    /// The standard reason phrase for a status code.
    static func reasonPhrase(_ status: Int) -> String {
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
