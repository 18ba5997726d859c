import Access
#if canImport(Glibc)
import Glibc
#endif

/// `GET|POST /admin/login` and `POST /admin/logout`.
///
/// The sign-in form is protected against login CSRF by a double-submit token: the form page
/// sets a random `weather_admin_login` cookie (SameSite=Strict, HttpOnly) and carries the same
/// value in a hidden field; a sign-in whose field does not match its cookie is refused. Failed
/// sign-ins are throttled per user name and per address (`LoginThrottle`) and each one waits
/// `AdminAuthPolicy.failureDelayMilliseconds` before it is answered. A successful sign-in
/// always starts a new session (ending the one the browser may still have sent).
enum AdminAuthRoutes {
    /// The pre-session cookie that the sign-in form's `login_token` must match.
    static let loginCookieName = "weather_admin_login"

    static func register(in router: inout Router, services: WebServices) {
        router.add("GET", "/admin/login") { request, _, context in
            try showForm(request, context, policy: services.adminPolicy)
        }
        router.add("POST", "/admin/login") { request, _, context in
            try signIn(request, context, policy: services.adminPolicy)
        }
        router.add("POST", "/admin/logout") { request, _, context in
            try signOut(request, context, policy: services.adminPolicy)
        }
    }

    /// The form; straight on to `next` when the browser is already signed in.
    static func showForm(_ request: WebRequest, _ context: RequestContext, policy: AdminAuthPolicy) throws -> WebResponse {
        let next = safeNext(request.query["next"])
        if try AdminAuth.session(request, context, policy: policy) != nil { return .redirect(to: next) }
        return form(request, next: next)
    }

    static func signIn(_ request: WebRequest, _ context: RequestContext, policy: AdminAuthPolicy) throws -> WebResponse {
        let fields = try FormBody(request)
        let next = safeNext(fields["next"])
        let username = (fields["username"] ?? "").trimmingCharacters()
        let password = fields["password"] ?? ""
        guard let cookieToken = request.cookies[loginCookieName], RandomToken.isWellFormed(cookieToken),
            AdminAuth.tokensMatch(fields["login_token"] ?? "", cookieToken)
        else {
            return form(
                request, next: next, username: username, status: 403,
                message: "This sign-in form has expired or did not come from this site. Please sign in again.")
        }
        guard !username.isEmpty, !password.isEmpty else {
            return form(request, next: next, username: username, status: 400, message: "Enter your user name and password.")
        }
        let connection = try context.database()
        let address = request.remoteAddress
        // The try counts as a failure from here on, so tries running in parallel (one per
        // responder thread) see each other while their passwords are checked.
        let attempt = try LoginThrottle.begin(username: username, address: address, policy: policy, on: connection)
        if let wait = attempt.retryAfter {
            try LoginThrottle.withdraw(attempt, on: connection)
            let minutes = (wait + 59) / 60
            var response = form(
                request, next: next, username: username, status: 429,
                message: "Too many failed sign-ins. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").")
            response.headers.append(("Retry-After", String(wait)))
            return response
        }
        guard let user = try AdminUserStore.authenticate(username: username, password: password, on: connection) else {
            // The failure was recorded when the try began.
            if policy.failureDelayMilliseconds > 0 { usleep(UInt32(policy.failureDelayMilliseconds) * 1000) }
            return form(request, next: next, username: username, status: 401, message: "Wrong user name or password.")
        }
        try LoginThrottle.clear(username: username, on: connection)
        if let previous = request.cookies[AdminAuth.cookieName] {
            try AdminSessionStore.end(secret: previous, on: connection)
        }
        let created = try AdminSessionStore.create(userID: user.id, policy: policy, on: connection)
        var response = WebResponse.redirect(to: next)
        response.setCookie(AdminAuth.cookieName, created.secret, maxAge: policy.sessionLifetimeSeconds, secure: request.isSecure)
        response.setCookie(loginCookieName, "", maxAge: 0, secure: request.isSecure)
        return response
    }

    /// Ends the session (the form must carry its CSRF token), clears the cookie, and goes to the
    /// sign-in page. Without a live session there is nothing to end: only the cookie is cleared.
    static func signOut(_ request: WebRequest, _ context: RequestContext, policy: AdminAuthPolicy) throws -> WebResponse {
        if let signedIn = try AdminAuth.session(request, context, policy: policy), let secret = request.cookies[AdminAuth.cookieName] {
            let fields = try FormBody(request)
            guard AdminAuth.tokensMatch(fields["csrf_token"] ?? "", signedIn.csrfToken) else { throw AdminError.csrfRefused }
            try AdminSessionStore.end(secret: secret, on: context.database())
        }
        var response = WebResponse.redirect(to: "/admin/login")
        response.setCookie(AdminAuth.cookieName, "", maxAge: 0, secure: request.isSecure)
        return response
    }

    /// The sign-in page with a login token: the browser's own when it still has a good one
    /// (so two open tabs both work), else a new one, set as the pre-session cookie.
    static func form(_ request: WebRequest, next: String, username: String = "", status: Int = 200, message: String? = nil) -> WebResponse {
        let token: String
        if let existing = request.cookies[loginCookieName], RandomToken.isWellFormed(existing) {
            token = existing
        } else {
            token = RandomToken.generate()
        }
        var context: [String: Any] = ["login_token": token, "next": next, "username": username]
        if let message { context["message"] = message }
        var response = AdminRenderer.shared.page("login", title: "Sign in", context: context, status: status)
        response.setCookie(loginCookieName, token, maxAge: nil, secure: request.isSecure)
        return response
    }

    /// `next` when it is a path under `/admin/` on this site, else `/admin/`: a sign-in never
    /// sends the browser anywhere else.
    static func safeNext(_ next: String?) -> String {
        guard let next, next == "/admin" || next.hasPrefix("/admin/"), WebResponse.localPath(next) == next,
            !next.contains("\\"), !next.hasPrefix("/admin/login")
        else { return "/admin/" }
        return next
    }
}
