/// An admin page's error: an HTML page (or, for a missing session, a redirect to the sign-in
/// page), never the API's JSON.
public struct AdminError: HTTPResponseError, Sendable {
    public var status: Int
    public var code: String
    public var message: String
    /// Where to send the browser instead of showing a page (303).
    public var redirect: String?
    /// Extra headers (`Retry-After`).
    public var extraHeaders: [(name: String, value: String)]

    public var headers: [(name: String, value: String)] { extraHeaders }

    /// An error page with `status`.
    public init(status: Int, code: String, message: String, redirect: String? = nil, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.redirect = redirect
        self.extraHeaders = headers
    }

    public var response: WebResponse {
        var response: WebResponse
        if let redirect {
            response = .redirect(to: redirect)
        } else {
            response = AdminRenderer.shared.page("error", title: AdminError.title(status), context: ["message": message], status: status)
        }
        response.headers.append(contentsOf: extraHeaders)
        return response
    }

    static func title(_ status: Int) -> String {
        switch status {
        case 400: "Bad request"
        case 403: "Forbidden"
        case 404: "Not found"
        case 405: "Method not allowed"
        case 409: "Conflict"
        case 413: "Too large"
        case 415: "Unsupported form"
        case 429: "Too many attempts"
        case 500: "Internal error"
        case 503: "Unavailable"
        default: "Error"
        }
    }

    /// No session: to the sign-in page, coming back to `next` afterwards.
    public static func signInRequired(next: String) -> AdminError {
        AdminError(status: 303, code: "sign_in_required", message: "sign in first", redirect: "/admin/login?next=" + AdminError.queryEscaped(next))
    }

    /// A form without the session's CSRF token.
    public static let csrfRefused = AdminError(
        status: 403, code: "csrf_refused", message: "This form has expired or did not come from this site. Go back, reload the page and try again.")

    /// Something the page names does not exist.
    public static func notFound(_ what: String) -> AdminError {
        AdminError(status: 404, code: "not_found", message: what)
    }

    /// A bad field, named.
    public static func badRequest(field: String, _ problem: String) -> AdminError {
        AdminError(status: 400, code: "invalid_argument", message: "\(field): \(problem)")
    }

    /// Percent-encodes everything but unreserved characters and `/`.
    static func queryEscaped(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}
