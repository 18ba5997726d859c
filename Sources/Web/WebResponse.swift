import AppSupport

/// An HTTP response from the web layer.
public struct WebResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Header fields in order.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response from a `JSONValue`.
    public static func json(_ value: JSONValue, status: Int = 200) -> WebResponse {
        json(bytes: value.bytes, status: status)
    }

    /// A JSON response from bytes already serialised.
    public static func json(bytes: [UInt8], status: Int = 200) -> WebResponse {
        WebResponse(status: status, headers: jsonHeaders, body: bytes)
    }

    /// Shared by every JSON answer (no array built per response; it is copied when a header is
    /// added, as `X-Request-Id` always is).
    private static let jsonHeaders: [(name: String, value: String)] = [("Content-Type", "application/json")]

    /// The value of a header (case-insensitive), if set.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.last { $0.name.lowercased() == lowered }?.value
    }
}
