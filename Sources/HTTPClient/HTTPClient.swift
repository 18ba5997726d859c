internal import CCurl

/// A blocking HTTP/1.1 and HTTP/2 client on libcurl.
///
/// One client owns one curl easy handle, so consecutive requests to the same host reuse the
/// connection (keep-alive). Redirects are not followed; gzip, deflate, brotli and zstd bodies are
/// decompressed; only `http://` and `https://` URLs are accepted.
///
/// **Threads.** A client is not `Sendable`, by design: use one client per thread, one request at a
/// time. ``perform(_:)`` blocks its thread in `curl_easy_perform` until the transfer ends or times
/// out, so call it from a thread of your own (e.g. a `Thread` or a dedicated worker), never from a
/// task on Swift's cooperative thread pool, which it would starve. libcurl runs with
/// `CURLOPT_NOSIGNAL`; processes that use TLS should ignore `SIGPIPE`.
public final class HTTPClient {
    /// The most body bytes a response may have; a larger one fails with
    /// ``HTTPClientError/responseTooLarge(limit:)``.
    public let maxResponseBytes: Int
    /// The `User-Agent` sent unless a request sets its own.
    public let userAgent: String

    private let handle: CurlHandle

    /// Creates a client with its own curl handle, initializing libcurl on first use.
    /// - Parameters:
    ///   - maxResponseBytes: The most body bytes to accept per response; 16 MiB by default.
    ///   - userAgent: The `User-Agent` header value; must not contain CR, LF or NUL.
    /// - Throws: ``HTTPClientError/transport(code:message:)`` when libcurl cannot be initialized or
    ///   an argument is invalid.
    public init(maxResponseBytes: Int = 16 << 20, userAgent: String = "weather-service/1.0") throws(HTTPClientError) {
        let handle = try CurlHandle()
        if maxResponseBytes < 0 {
            try handle.check(CURLE_BAD_FUNCTION_ARGUMENT, message: "maxResponseBytes must not be negative")
        }
        if !isValidHeaderText(userAgent) {
            try handle.check(CURLE_BAD_FUNCTION_ARGUMENT, message: "userAgent contains CR, LF or NUL")
        }
        self.handle = handle
        self.maxResponseBytes = maxResponseBytes
        self.userAgent = userAgent
    }

    /// Sends `request` and waits for the whole response. Blocks the calling thread.
    ///
    /// Any status code, 4xx and 5xx included, is a response; errors are for failures to get one.
    /// - Parameter request: The request to send.
    /// - Returns: The final response; headers of interim `1xx` responses are dropped.
    /// - Throws: ``HTTPClientError`` when the URL is invalid, the host cannot be resolved or reached,
    ///   a timeout runs out, TLS fails, the body exceeds ``maxResponseBytes``, or the transfer fails.
    public func perform(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        let transfer = TransferState(url: request.url, limit: maxResponseBytes)
        if request.url.utf8.contains(0) {
            try handle.check(CURLE_URL_MALFORMAT, transfer: transfer)
        }
        let body: [UInt8]? =
            switch request.method {
            case .head: nil
            case .post, .put, .patch: request.body ?? []
            case .get, .delete: request.body
            }
        let headerList = try makeHeaderList(request.headers, hasBody: body != nil)

        try handle.reset()
        try handle.set(CURLOPT_NOSIGNAL, 1)
        try handle.set(CURLOPT_URL, request.url)
        try handle.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try handle.set(CURLOPT_FOLLOWLOCATION, 0)
        try handle.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout))
        try handle.set(CURLOPT_TIMEOUT_MS, milliseconds(request.totalTimeout))
        try handle.set(CURLOPT_USERAGENT, userAgent)
        try handle.set(CURLOPT_ACCEPT_ENCODING, "")
        try handle.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(maxResponseBytes))
        try handle.set(CURLOPT_HTTPHEADER, list: headerList)
        try handle.set(CURLOPT_WRITEFUNCTION, callback: { data, size, count, state in
            guard let state else { return 0 }
            let total = size * count
            let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(data), count: total)
            return Unmanaged<TransferState>.fromOpaque(state).takeUnretainedValue().receiveBody(bytes) ? total : 0
        })
        try handle.set(CURLOPT_HEADERFUNCTION, callback: { data, size, count, state in
            guard let state else { return 0 }
            let total = size * count
            let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(data), count: total)
            Unmanaged<TransferState>.fromOpaque(state).takeUnretainedValue().receiveHeaderLine(bytes)
            return total
        })
        let statePointer = Unmanaged.passUnretained(transfer).toOpaque()
        try handle.set(CURLOPT_WRITEDATA, pointer: statePointer)
        try handle.set(CURLOPT_HEADERDATA, pointer: statePointer)

        switch request.method {
        case .get where body == nil:
            try handle.set(CURLOPT_HTTPGET, 1)
        case .head:
            try handle.set(CURLOPT_NOBODY, 1)
        default:
            try handle.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }

        try withExtendedLifetime((transfer, headerList)) { () throws(HTTPClientError) in
            if let body {
                try performSending(body, transfer: transfer)
            } else {
                try handle.perform(transfer)
            }
        }
        return HTTPResponse(status: try handle.responseCode(), headers: transfer.headers, body: transfer.body)
    }

    /// Points `CURLOPT_POSTFIELDS` at `body` (which curl does not copy) and performs the transfer
    /// while the bytes stay alive.
    private func performSending(_ body: [UInt8], transfer: TransferState) throws(HTTPClientError) {
        try handle.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
        // An empty array may have no storage; curl needs a non-null pointer, or it reads stdin.
        let storage = body.isEmpty ? [0] : body
        let outcome = storage.withUnsafeBytes { raw in
            Result { () throws(HTTPClientError) in
                try handle.set(CURLOPT_POSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: raw.baseAddress))
                try handle.perform(transfer)
            }
        }
        try outcome.get()
    }

    /// Builds the header list: the caller's headers, then, unless the caller set them, empty
    /// `Content-Type` and `Expect` entries that stop curl from adding its defaults for bodies.
    private func makeHeaderList(
        _ headers: [(name: String, value: String)], hasBody: Bool
    ) throws(HTTPClientError) -> CurlHeaderList {
        let list = CurlHeaderList()
        var lines: [String] = []
        for (name, value) in headers {
            guard isValidHeaderName(name), isValidHeaderText(value) else {
                try handle.check(CURLE_BAD_FUNCTION_ARGUMENT, message: "invalid request header \(name.debugDescription)")
                continue
            }
            // "Name;" sends an empty value; "Name:" would remove the header.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        if hasBody {
            for name in ["Content-Type", "Expect"]
            where !headers.contains(where: { asciiCaseInsensitiveEqual($0.name, name) }) {
                lines.append("\(name):")
            }
        }
        for line in lines where !list.append(line) {
            try handle.check(CURLE_OUT_OF_MEMORY, message: "curl_slist_append failed")
        }
        return list
    }
}

@available(*, unavailable, message: "HTTPClient blocks its thread; use one client per thread")
extension HTTPClient: Sendable {}

/// Whether `text` can go in a header value: no CR, LF or NUL.
private func isValidHeaderText(_ text: String) -> Bool {
    !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
}

/// Whether `name` is an HTTP token (RFC 9110), as header names must be.
private func isValidHeaderName(_ name: String) -> Bool {
    !name.isEmpty
        && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
}

/// `duration` in whole milliseconds, rounded up, at least 1 (curl reads 0 as "no timeout").
private func milliseconds(_ duration: Duration) -> Int {
    guard duration > .zero else { return 1 }
    let (seconds, attoseconds) = duration.components
    let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
    if overflow { return Int.max }
    let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    let (total, sumOverflow) = whole.addingReportingOverflow(fraction)
    return sumOverflow ? Int.max : Int(clamping: max(1, total))
}
