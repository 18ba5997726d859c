import AppSupport

/// An error that knows the HTTP answer it deserves. Anything else thrown by a handler becomes a
/// 500 whose body only names the request id; the error itself goes to the log.
public protocol HTTPResponseError: Error {
    /// HTTP status.
    var status: Int { get }
    /// A stable, machine-readable code (`not_found`, `invalid_argument`...).
    var code: String { get }
    /// A sentence for a person.
    var message: String { get }
    /// Extra headers (`Allow`, `Retry-After`...).
    var headers: [(name: String, value: String)] { get }
    /// The whole answer: the contract's JSON error by default; admin pages answer HTML or a redirect.
    var response: WebResponse { get }
}

extension HTTPResponseError {
    public var headers: [(name: String, value: String)] { [] }

    /// The contract's error body: `{"error": {"code": ..., "message": ...}}`, written straight
    /// as bytes: the same bytes `JSONValue` writes, without building the objects (404s and 405s
    /// are answered often, and should be cheap).
    public var response: WebResponse {
        var body: [UInt8] = []
        body.reserveCapacity(40 + code.utf8.count + message.utf8.count)
        body.append(contentsOf: #"{"error":{"code":"#.utf8)
        JSONValue.writeString(code, into: &body)
        body.append(contentsOf: #","message":"#.utf8)
        JSONValue.writeString(message, into: &body)
        body.append(contentsOf: "}}".utf8)
        var response = WebResponse.json(bytes: body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// The API's errors.
public struct APIError: HTTPResponseError, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String
    public var extraHeaders: [String: String]

    public var headers: [(name: String, value: String)] { extraHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// Creates an error.
    public init(status: Int, code: String, message: String, headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.extraHeaders = headers
    }

    /// 400: a bad value, naming the field.
    public static func badRequest(field: String, _ problem: String) -> APIError {
        APIError(status: 400, code: "invalid_argument", message: "\(field): \(problem)")
    }

    /// 404 for a path no route serves.
    public static func notFound(path: String) -> APIError {
        APIError(status: 404, code: "not_found", message: "no resource at \(path)")
    }

    /// 405 with the methods the path accepts.
    public static func methodNotAllowed(_ method: String, allowed: [String]) -> APIError {
        APIError(
            status: 405, code: "method_not_allowed",
            message: "\(method) is not allowed here; use \(allowed.joined(separator: ", "))",
            headers: ["Allow": allowed.joined(separator: ", ")])
    }

    /// 413 for a body over the limit.
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: 413, code: "payload_too_large", message: "request body is larger than \(limit) bytes")
    }

    /// 503 when the database does not answer.
    public static func databaseUnavailable() -> APIError {
        APIError(status: 503, code: "database_unavailable", message: "the database is not reachable; try again shortly", headers: ["Retry-After": "5"])
    }

    /// 500, naming only the request id.
    public static func internalError(requestID: String) -> APIError {
        APIError(status: 500, code: "internal_error", message: "internal error; request id \(requestID)")
    }
}
