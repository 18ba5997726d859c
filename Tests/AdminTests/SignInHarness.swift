import Foundation
import Access
import Postgres
import TestSupport
@testable import Web

/// Drives the admin through a `WebApplication` without a socket, like a browser would: form
/// bodies, cookies, client addresses. Lives on one thread (its `RequestContext`). The sign-in
/// tests use it as it is; `PagesHarness` adds a signed-in user.
final class SignInHarness {
    let url: String
    let app: WebApplication
    let context: RequestContext
    let connection: PostgresConnection

    /// A harness on a database of its own.
    init(url: String, services: WebServices = WebServices()) throws {
        self.url = url
        app = WebApplication(services: services)
        context = RequestContext(databaseURL: url)
        connection = try PostgresConnection(conninfo: url, applicationName: "admin-tests")
    }

    /// A new user and a live session of theirs, made in the stores (not through the sign-in
    /// page): the session cookie's value and the session's CSRF token.
    func newSession(username: String, password: String = "a long enough password") throws -> (secret: String, csrf: String) {
        let user = try AdminUserStore.create(username: username, password: password, on: connection)
        let session = try AdminSessionStore.create(userID: user.id, on: connection)
        return (session.secret, session.csrfToken)
    }

    /// Sends one request; `form` is sent as `application/x-www-form-urlencoded`.
    func send(
        _ method: String, _ path: String, query: String = "", form: [String: String]? = nil, cookies: [String: String] = [:],
        headers: [String: String] = [:], address: String = "192.0.2.10"
    ) -> WebResponse {
        var fields = headers
        if !cookies.isEmpty { fields["cookie"] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        var body: [UInt8] = []
        if let form {
            fields["content-type"] = "application/x-www-form-urlencoded"
            body = Array(SignInHarness.encode(form).utf8)
        }
        return app.respond(
            to: WebRequest(method: method, path: path, queryString: query, headers: fields, body: body, remoteAddress: address), context: context)
    }

    /// GET /admin/login, then POST it with its own login token: what a browser does.
    func signIn(
        _ username: String, _ password: String, next: String? = nil, address: String = "192.0.2.10", headers: [String: String] = [:]
    ) -> WebResponse {
        let token = loginToken(address: address)
        var form = ["username": username, "password": password, "login_token": token]
        if let next { form["next"] = next }
        return send(
            "POST", "/admin/login", form: form, cookies: [AdminAuthRoutes.loginCookieName: token], headers: headers, address: address)
    }

    /// The login token the sign-in page sets as its cookie.
    func loginToken(address: String = "192.0.2.10") -> String {
        let page = send("GET", "/admin/login", address: address)
        return SignInHarness.setCookies(page)[AdminAuthRoutes.loginCookieName]?.value ?? ""
    }

    /// The session cookie a successful sign-in set, or nil.
    func sessionCookie(_ response: WebResponse) -> String? {
        guard let value = SignInHarness.setCookies(response)[AdminAuth.cookieName]?.value, !value.isEmpty else { return nil }
        return value
    }

    /// Each `Set-Cookie` by name: its value and its attributes as written.
    static func setCookies(_ response: WebResponse) -> [String: (value: String, attributes: [String])] {
        var out: [String: (value: String, attributes: [String])] = [:]
        for header in response.headers where header.name.lowercased() == "set-cookie" {
            let parts = header.value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = parts.first, let equals = first.firstIndex(of: "=") else { continue }
            out[String(first[..<equals])] = (String(first[first.index(after: equals)...]), Array(parts.dropFirst()))
        }
        return out
    }

    static func text(_ response: WebResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    /// `form` as `application/x-www-form-urlencoded`, fields in name order.
    static func encode(_ form: [String: String]) -> String {
        form.sorted { $0.key < $1.key }.map { escape($0.key) + "=" + escape($0.value) }.joined(separator: "&")
    }

    /// Percent-encodes all but letters, digits, `-`, `.` and `_`.
    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return out
    }
}
