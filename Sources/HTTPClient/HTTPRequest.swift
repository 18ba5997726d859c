/// One HTTP request for ``HTTPClient/perform(_:)``.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The absolute `http://` or `https://` URL, query string included.
    public var url: String
    /// Request headers, sent in order. Names and values must not contain CR, LF or NUL.
    ///
    /// Unless set here, the client sends no `Content-Type` and no `Expect` header for bodies,
    /// and its own `User-Agent` and `Accept-Encoding`.
    public var headers: [(name: String, value: String)]
    /// The request body, sent as is (it may contain zero bytes).
    ///
    /// `nil` means no body; `POST`, `PUT` and `PATCH` then send an empty body
    /// (`Content-Length: 0`). A body is never sent with `HEAD`.
    public var body: [UInt8]?
    /// The longest wait for the connection (DNS, TCP and TLS) to be established.
    public var connectTimeout: Duration
    /// The longest time the whole transfer may take, connection included.
    public var totalTimeout: Duration

    /// Creates a request.
    /// - Parameters:
    ///   - method: The request method; `GET` by default.
    ///   - url: The absolute `http://` or `https://` URL.
    ///   - headers: Request headers, sent in order.
    ///   - body: The request body, or `nil` for none.
    ///   - connectTimeout: The longest wait for the connection; 5 seconds by default.
    ///   - totalTimeout: The longest time for the whole transfer; 30 seconds by default.
    ///   Durations are rounded up to whole milliseconds, and at least 1 ms.
    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        connectTimeout: Duration = .seconds(5),
        totalTimeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }
}
