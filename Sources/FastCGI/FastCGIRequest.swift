import CFastCGI
#if canImport(Glibc)
import Glibc
#endif

/// One request as libfcgi hands it over: the FastCGI parameters (CGI variables) and the body.
///
/// The parameters are not copied: `environment` points into libfcgi's memory, which it frees
/// when the request is finished, so they can be read only while the handler runs. Copy what
/// you keep (`params` does, for all of them). Most of the ~20 variables nginx sends are never
/// read, so copying them for every request would be waste.
public struct FastCGIRequest {
    /// The parameters in the C `environ` layout: a NULL-terminated array of `NAME=VALUE`
    /// strings, in the order the web server sent them. Valid only until the handler returns.
    public let environment: UnsafePointer<UnsafeMutablePointer<CChar>?>
    /// The request body, read up to the server's limit.
    public var body: [UInt8]
    /// True when `CONTENT_LENGTH` exceeded the limit; `body` is then empty and unread.
    public var bodyTooLarge: Bool

    /// Creates a request over parameters in the C `environ` layout (kept by the caller for as
    /// long as the request is used).
    public init(environment: UnsafePointer<UnsafeMutablePointer<CChar>?>, body: [UInt8] = [], bodyTooLarge: Bool = false) {
        self.environment = environment
        self.body = body
        self.bodyTooLarge = bodyTooLarge
    }

    /// Every parameter, copied, in the order the web server sent them.
    public var params: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        var cursor = environment
        while let entry = cursor.pointee {
            if let equals = strchr(entry, 61) {
                let name = UnsafeRawBufferPointer(start: entry, count: entry.distance(to: equals))
                out.append((String(decoding: name, as: UTF8.self), String(cString: equals + 1)))
            }
            cursor += 1
        }
        return out
    }

    /// A parameter's value, copied.
    public subscript(_ name: String) -> String? {
        var cursor = environment
        let length = name.utf8.count
        while let entry = cursor.pointee {
            if strncmp(entry, name, length) == 0 && entry[length] == 61 { return String(cString: entry + length + 1) }
            cursor += 1
        }
        return nil
    }

    /// Reads the body of the request currently accepted on `raw` (by `CONTENT_LENGTH`), and
    /// calls `body` with the request.
    static func withRequest<Result>(
        from raw: UnsafeMutablePointer<FCGX_Request>, maxBodyBytes: Int, _ body: (FastCGIRequest) -> Result
    ) -> Result {
        guard let envp = raw.pointee.envp else {
            var empty: UnsafeMutablePointer<CChar>? = nil
            return withUnsafePointer(to: &empty) { body(FastCGIRequest(environment: $0, body: [], bodyTooLarge: false)) }
        }
        let environment = UnsafePointer(envp)
        let declared = contentLength(environment)
        if declared > maxBodyBytes {
            return body(FastCGIRequest(environment: environment, body: [], bodyTooLarge: true))
        }
        var bytes: [UInt8] = []
        if declared > 0 {
            bytes = [UInt8](unsafeUninitializedCapacity: declared) { buffer, count in
                var total = 0
                while total < declared {
                    let read = buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: declared) {
                        FCGX_GetStr($0 + total, Int32(declared - total), raw.pointee.in)
                    }
                    if read <= 0 { break }
                    total += Int(read)
                }
                count = total
            }
        }
        return body(FastCGIRequest(environment: environment, body: bytes, bodyTooLarge: false))
    }

    /// The first `CONTENT_LENGTH` as a number (0 when absent, empty or not a number).
    static func contentLength(_ environment: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int {
        var cursor = environment
        while let entry = cursor.pointee {
            if entry[0] == 67 && strncmp(entry, "CONTENT_LENGTH=", 15) == 0 {
                return entry[15] == 0 ? 0 : Int(String(cString: entry + 15)) ?? 0
            }
            cursor += 1
        }
        return 0
    }
}
