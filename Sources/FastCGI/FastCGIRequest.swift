import CFastCGI
#if canImport(Glibc)
import Glibc
#endif

/// One request as libfcgi hands it over: the FastCGI parameters (CGI variables) and the body.
///
/// Parameter strings are copied out of libfcgi's memory, so the value stays valid after the
/// request is finished.
public struct FastCGIRequest: Sendable {
    /// Every FastCGI parameter (`REQUEST_METHOD`, `QUERY_STRING`, `HTTP_*`...), in the order
    /// the web server sent them (an array: cheaper to build than a dictionary, per request).
    public var params: [(name: String, value: String)]
    /// The request body, read up to the server's limit.
    public var body: [UInt8]
    /// True when `CONTENT_LENGTH` exceeded the limit; `body` is then empty and unread.
    public var bodyTooLarge: Bool

    /// Creates a request (used by tests and by the server).
    public init(params: [(name: String, value: String)], body: [UInt8] = [], bodyTooLarge: Bool = false) {
        self.params = params
        self.body = body
        self.bodyTooLarge = bodyTooLarge
    }

    /// A parameter's value.
    public subscript(_ name: String) -> String? { params.first { $0.name == name }?.value }

    /// Reads the parameters and body of the request currently accepted on `raw`.
    static func read(
        from raw: UnsafeMutablePointer<FCGX_Request>, maxBodyBytes: Int, keep: ((UnsafeRawBufferPointer) -> Bool)?
    ) -> FastCGIRequest {
        var params: [(name: String, value: String)] = []
        params.reserveCapacity(32)
        if var cursor = raw.pointee.envp {
            while let entry = cursor.pointee {
                if let equals = strchr(entry, Int32(UInt8(ascii: "="))) {
                    let keyLength = entry.distance(to: equals)
                    let key = UnsafeRawBufferPointer(start: entry, count: keyLength)
                    // CONTENT_LENGTH is always kept: the body is read by it.
                    if let keep, !keep(key), !(keyLength == 14 && memcmp(entry, "CONTENT_LENGTH", 14) == 0) {
                        cursor += 1
                        continue
                    }
                    params.append((String(decoding: key, as: UTF8.self), String(cString: equals + 1)))
                }
                cursor += 1
            }
        }
        let declared = params.first { $0.name == "CONTENT_LENGTH" }.flatMap { Int($0.value) } ?? 0
        if declared > maxBodyBytes {
            return FastCGIRequest(params: params, body: [], bodyTooLarge: true)
        }
        var body: [UInt8] = []
        if declared > 0 {
            body = [UInt8](unsafeUninitializedCapacity: declared) { buffer, count in
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
        return FastCGIRequest(params: params, body: body, bodyTooLarge: false)
    }
}
