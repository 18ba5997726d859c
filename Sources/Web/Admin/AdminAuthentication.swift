import Access
import AppSupport

/// A signed-in admin user, from the session cookie.
public struct AdminSignedIn: Sendable {
    public let userID: Int
    public let username: String
    public let csrfToken: String

    /// Creates a value.
    public init(userID: Int, username: String, csrfToken: String) {
        self.userID = userID
        self.username = username
        self.csrfToken = csrfToken
    }
}

/// The admin's session cookie and CSRF check, for every `/admin/` handler but the sign-in page.
enum AdminAuth {
    /// The session cookie's name.
    static let cookieName = "weather_admin"

    /// The request's live session, or `AdminError.signInRequired(next:)` with the request's path
    /// and query.
    static func requireSession(_ request: WebRequest, _ context: RequestContext, policy: AdminAuthPolicy) throws -> AdminSignedIn {
        guard let signedIn = try session(request, context, policy: policy) else {
            // After signing in, the browser comes back to the page it asked for; a form's target
            // (a POST) cannot be come back to, so it goes to the dashboard.
            let next = request.method != "GET" ? "/admin/" : request.queryString.isEmpty ? request.path : request.path + "?" + request.queryString
            throw AdminError.signInRequired(next: next)
        }
        return signedIn
    }

    /// For POST handlers: the session, then the form, whose `csrf_token` must equal the
    /// session's (`AdminError.csrfRefused` otherwise).
    static func requireForm(_ request: WebRequest, _ context: RequestContext, policy: AdminAuthPolicy) throws -> (AdminSignedIn, FormBody) {
        let signedIn = try requireSession(request, context, policy: policy)
        let form = try FormBody(request)
        guard let sent = form["csrf_token"], tokensMatch(sent, signedIn.csrfToken) else { throw AdminError.csrfRefused }
        return (signedIn, form)
    }

    /// The live session the request's cookie names, or nil.
    static func session(_ request: WebRequest, _ context: RequestContext, policy: AdminAuthPolicy) throws -> AdminSignedIn? {
        guard let secret = request.cookies[cookieName], RandomToken.isWellFormed(secret),
            let session = try AdminSessionStore.find(secret: secret, policy: policy, on: context.database())
        else { return nil }
        return AdminSignedIn(userID: session.userID, username: session.username, csrfToken: session.csrfToken)
    }

    /// Equal, compared in constant time (both non-empty).
    static func tokensMatch(_ sent: String, _ expected: String) -> Bool {
        !expected.isEmpty && PasswordHash.constantTimeEquals(Array(sent.utf8), Array(expected.utf8))
    }
}
