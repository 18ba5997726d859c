import Access
import Foundation
import Postgres
import Testing
import TestSupport
@testable import Web

/// The admin's sign-in and sign-out through the `WebApplication`, as a browser would use them.
@Suite("Admin sign-in")
struct AdminSignInTests {
    static let password = "correct horse battery"

    /// A harness on a fresh database with the users `alice` and `bob`.
    static func harness() throws -> SignInHarness {
        let harness = try SignInHarness(url: try TestDatabase.fresh())
        _ = try AdminUserStore.create(username: "alice", password: password, on: harness.connection)
        _ = try AdminUserStore.create(username: "bob", password: "bob's own password", on: harness.connection)
        return harness
    }

    @Test("the sign-in page: a form with a login token that matches its cookie; no navigation")
    func form() async throws {
        try await onThread {
            let harness = try Self.harness()
            let page = harness.send("GET", "/admin/login", query: "next=%2Fadmin%2Ftasks%3Fstate%3Dfailed")
            let html = SignInHarness.text(page)
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(html.contains(#"<form class="signin" method="post" action="/admin/login">"#))
            #expect(html.contains(#"name="next" value="/admin/tasks?state=failed""#))
            #expect(!html.contains("/admin/logout"))
            let cookie = SignInHarness.setCookies(page)[AdminAuthRoutes.loginCookieName]
            let token = cookie?.value ?? ""
            #expect(RandomToken.isWellFormed(token))
            #expect(html.contains(#"name="login_token" value="\#(token)""#))
            #expect(cookie?.attributes.contains("HttpOnly") == true && cookie?.attributes.contains("SameSite=Strict") == true)
            // The browser's token is kept while it is good (two tabs both work).
            let again = harness.send("GET", "/admin/login", cookies: [AdminAuthRoutes.loginCookieName: token])
            #expect(SignInHarness.setCookies(again)[AdminAuthRoutes.loginCookieName]?.value == token)
            // A hostile next is not echoed.
            let hostile = harness.send("GET", "/admin/login", query: "next=%2F%2Fevil.example%2F")
            #expect(SignInHarness.text(hostile).contains(#"name="next" value="/admin/""#))
            #expect(!SignInHarness.text(hostile).contains("evil.example"))
        }
    }

    @Test("success: a new session cookie with HttpOnly, SameSite=Strict, Path=/admin/, Secure only over https; 303 to next")
    func success() async throws {
        try await onThread {
            let harness = try Self.harness()
            let plain = harness.signIn("Alice", Self.password, next: "/admin/tasks?state=failed")
            #expect(plain.status == 303)
            #expect(plain.header("Location") == "/admin/tasks?state=failed")
            let cookies = SignInHarness.setCookies(plain)
            let session = try #require(cookies[AdminAuth.cookieName])
            #expect(RandomToken.isWellFormed(session.value))
            #expect(session.attributes.contains("HttpOnly"))
            #expect(session.attributes.contains("SameSite=Strict"))
            #expect(session.attributes.contains("Path=/admin/"))
            #expect(session.attributes.contains("Max-Age=\(AdminAuthPolicy().sessionLifetimeSeconds)"))
            #expect(!session.attributes.contains("Secure"))
            // The login token is spent.
            #expect(cookies[AdminAuthRoutes.loginCookieName]?.attributes.contains("Max-Age=0") == true)
            // The session works: the sign-in page sends a signed-in browser on.
            let signedIn = harness.send("GET", "/admin/login", cookies: [AdminAuth.cookieName: session.value])
            #expect(signedIn.status == 303 && signedIn.header("Location") == "/admin/")
            let who = try AdminAuth.requireSession(
                WebRequest(method: "GET", path: "/admin/", headers: ["cookie": "\(AdminAuth.cookieName)=\(session.value)"]), harness.context,
                policy: AdminAuthPolicy())
            #expect(who.username == "alice")

            let secure = harness.signIn("alice", Self.password, headers: ["x-forwarded-proto": "https"])
            #expect(secure.status == 303 && secure.header("Location") == "/admin/")
            let secureCookie = try #require(SignInHarness.setCookies(secure)[AdminAuth.cookieName])
            #expect(secureCookie.attributes.contains("Secure") && secureCookie.attributes.contains("HttpOnly"))
            // Never the same session twice.
            #expect(secureCookie.value != session.value)
        }
    }

    @Test("a browser that signs in again with an old session cookie gets a new session, and the old one ends")
    func noReuse() async throws {
        try await onThread {
            let harness = try Self.harness()
            let first = try #require(harness.sessionCookie(harness.signIn("alice", Self.password)))
            let token = harness.loginToken()
            let again = harness.send(
                "POST", "/admin/login", form: ["username": "alice", "password": Self.password, "login_token": token],
                cookies: [AdminAuthRoutes.loginCookieName: token, AdminAuth.cookieName: first])
            let second = try #require(harness.sessionCookie(again))
            #expect(second != first)
            #expect(try AdminSessionStore.find(secret: first, on: harness.connection) == nil)
            #expect(try AdminSessionStore.find(secret: second, on: harness.connection) != nil)
        }
    }

    @Test("wrong password and unknown user: the same 401 page, no session, and slowed")
    func wrongPassword() async throws {
        try await onThread {
            let harness = try Self.harness()
            let started = Date()
            let wrong = harness.signIn("alice", "not the password")
            #expect(Date().timeIntervalSince(started) >= Double(AdminAuthPolicy().failureDelayMilliseconds) / 1000)
            let unknown = harness.signIn("mallory", "not the password")
            for response in [wrong, unknown] {
                #expect(response.status == 401)
                #expect(SignInHarness.text(response).contains("Wrong user name or password."))
                #expect(harness.sessionCookie(response) == nil)
            }
            #expect(SignInHarness.text(unknown).contains(#"name="username" type="text" value="mallory""#))
            let empty = harness.signIn("alice", "")
            #expect(empty.status == 400 && harness.sessionCookie(empty) == nil)
            #expect(try harness.connection.query("SELECT count(*) AS n FROM admin_sessions").first?.decode(Int.self, "n") == 0)
        }
    }

    @Test("throttled per user: after 5 failures even the right password gets 429 with Retry-After; other users are not affected")
    func throttledPerUser() async throws {
        try await onThread {
            let harness = try Self.harness()
            let limit = AdminAuthPolicy().maxFailuresPerUser
            for attempt in 0..<limit {
                // From different addresses: the limit is the name's.
                #expect(harness.signIn("alice", "wrong \(attempt)", address: "198.51.100.\(attempt)").status == 401)
            }
            let refused = harness.signIn("ALICE", Self.password, address: "203.0.113.7")
            #expect(refused.status == 429)
            #expect(harness.sessionCookie(refused) == nil)
            let retryAfter = Int(refused.header("Retry-After") ?? "") ?? 0
            #expect(retryAfter > 0 && retryAfter <= AdminAuthPolicy().failureWindowSeconds)
            #expect(SignInHarness.text(refused).contains("Too many failed sign-ins"))
            #expect(harness.signIn("bob", "bob's own password", address: "203.0.113.7").status == 303)
            // The refused try was not counted: once the failures leave the window, the right password works.
            _ = try harness.connection.execute("UPDATE admin_login_failures SET failed_at = now() - interval '1 hour'")
            #expect(harness.signIn("alice", Self.password, address: "203.0.113.7").status == 303)
        }
    }

    @Test("throttled per address: after 20 failures under any names that address gets 429, others do not; success clears the name")
    func throttledPerAddress() async throws {
        try await onThread {
            let harness = try Self.harness()
            // Four failures, then success: the name's failures are forgotten.
            for attempt in 0..<4 { _ = harness.signIn("alice", "wrong \(attempt)", address: "10.1.1.1") }
            #expect(harness.signIn("alice", Self.password, address: "10.1.1.1").status == 303)
            #expect(harness.signIn("alice", "wrong again", address: "10.1.1.2").status == 401)
            #expect(harness.signIn("alice", Self.password, address: "10.1.1.2").status == 303)

            let limit = AdminAuthPolicy().maxFailuresPerAddress
            let attacker = "10.9.9.9"
            for attempt in 0..<limit { #expect(harness.signIn("user\(attempt)", "guess", address: attacker).status == 401) }
            let refused = harness.signIn("bob", "bob's own password", address: attacker)
            #expect(refused.status == 429)
            #expect(refused.header("Retry-After") != nil)
            #expect(harness.signIn("bob", "bob's own password", address: "10.1.1.3").status == 303)
        }
    }

    @Test("login CSRF: a sign-in without the login cookie, or with another token, is refused with 403")
    func loginCSRF() async throws {
        try await onThread {
            let harness = try Self.harness()
            let token = harness.loginToken()
            let noCookie = harness.send("POST", "/admin/login", form: ["username": "alice", "password": Self.password, "login_token": token])
            let noField = harness.send(
                "POST", "/admin/login", form: ["username": "alice", "password": Self.password], cookies: [AdminAuthRoutes.loginCookieName: token])
            let other = harness.send(
                "POST", "/admin/login", form: ["username": "alice", "password": Self.password, "login_token": RandomToken.generate()],
                cookies: [AdminAuthRoutes.loginCookieName: token])
            let bothJunk = harness.send(
                "POST", "/admin/login", form: ["username": "alice", "password": Self.password, "login_token": "x"],
                cookies: [AdminAuthRoutes.loginCookieName: "x"])
            for response in [noCookie, noField, other, bothJunk] {
                #expect(response.status == 403)
                #expect(harness.sessionCookie(response) == nil)
                #expect(SignInHarness.text(response).contains("did not come from this site"))
            }
            let json = harness.send("POST", "/admin/login", headers: ["content-type": "application/json"])
            #expect(json.status == 415)
            #expect(try harness.connection.query("SELECT count(*) AS n FROM admin_sessions").first?.decode(Int.self, "n") == 0)
        }
    }

    @Test("next: only paths under /admin/ on this site; anything else goes to /admin/")
    func openRedirect() async throws {
        try await onThread {
            let harness = try Self.harness()
            let cases: [(String, String)] = [
                ("//evil.example", "/admin/"), ("//evil.example/admin/", "/admin/"), ("https://evil.example/admin/", "/admin/"),
                ("/\\evil.example", "/admin/"), ("/admin/\\evil.example", "/admin/"), ("javascript:alert(1)", "/admin/"),
                ("/api/tasks", "/admin/"), ("/admin/tasks\r\nSet-Cookie: x=1", "/admin/"), ("", "/admin/"),
                ("/admin/login", "/admin/"), ("/admin/schedules/cleanup", "/admin/schedules/cleanup"),
            ]
            for (next, expected) in cases {
                let response = harness.signIn("alice", Self.password, next: next)
                #expect(response.status == 303)
                #expect(response.header("Location") == expected, "\(next)")
            }
        }
    }

    @Test("logout: needs the CSRF token, ends the session in the database, clears the cookie; the old cookie is refused after")
    func logout() async throws {
        try await onThread {
            let harness = try Self.harness()
            let alice = try #require(harness.sessionCookie(harness.signIn("alice", Self.password)))
            let bob = try #require(harness.sessionCookie(harness.signIn("bob", "bob's own password")))
            let aliceCSRF = try #require(try AdminSessionStore.find(secret: alice, on: harness.connection)?.csrfToken)
            let bobCSRF = try #require(try AdminSessionStore.find(secret: bob, on: harness.connection)?.csrfToken)

            // Without the token, or with another session's token: refused, and the session lives on.
            let missing = harness.send("POST", "/admin/logout", form: [:], cookies: [AdminAuth.cookieName: alice])
            let crossed = harness.send("POST", "/admin/logout", form: ["csrf_token": bobCSRF], cookies: [AdminAuth.cookieName: alice])
            for response in [missing, crossed] {
                #expect(response.status == 403)
                #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            }
            #expect(try AdminSessionStore.find(secret: alice, on: harness.connection) != nil)

            let out = harness.send("POST", "/admin/logout", form: ["csrf_token": aliceCSRF], cookies: [AdminAuth.cookieName: alice])
            #expect(out.status == 303 && out.header("Location") == "/admin/login")
            let cleared = try #require(SignInHarness.setCookies(out)[AdminAuth.cookieName])
            #expect(cleared.value.isEmpty && cleared.attributes.contains("Max-Age=0"))
            let ended = try harness.connection.query(
                "SELECT ended_at IS NOT NULL AS ended FROM admin_sessions WHERE token_hash = \(RandomToken.hash(alice))")
            #expect(try ended.first?.decode(Bool.self, "ended") == true)

            // The old cookie, replayed by anyone: no session.
            let replay = harness.send("GET", "/admin/login", cookies: [AdminAuth.cookieName: alice])
            #expect(replay.status == 200)
            #expect(throws: AdminError.self) {
                try AdminAuth.requireSession(
                    WebRequest(method: "GET", path: "/admin/", headers: ["cookie": "\(AdminAuth.cookieName)=\(alice)"]), harness.context, policy: AdminAuthPolicy())
            }
            let page = harness.send("GET", "/admin/workers", cookies: [AdminAuth.cookieName: alice])
            #expect(page.status == 303 && page.header("Location")?.hasPrefix("/admin/login?next=") == true)
            // Nor can the old session's CSRF token be used with it.
            let again = harness.send("POST", "/admin/logout", form: ["csrf_token": aliceCSRF], cookies: [AdminAuth.cookieName: alice])
            #expect(again.status == 303 && again.header("Location") == "/admin/login")
            // Bob's session is untouched.
            #expect(try AdminSessionStore.find(secret: bob, on: harness.connection)?.username == "bob")
        }
    }

    @Test("a page needing a session sends the browser to /admin/login?next=..., and signing in comes back there")
    func signInRequired() async throws {
        try await onThread {
            let harness = try Self.harness()
            let page = harness.send("GET", "/admin/tasks", query: "state=failed")
            #expect(page.status == 303)
            let location = try #require(page.header("Location"))
            #expect(location == "/admin/login?next=/admin/tasks%3Fstate%3Dfailed")
            let query = String(location.split(separator: "?", maxSplits: 1)[1])
            let form = harness.send("GET", "/admin/login", query: query)
            #expect(SignInHarness.text(form).contains(#"name="next" value="/admin/tasks?state=failed""#))
            let back = harness.signIn("alice", Self.password, next: "/admin/tasks?state=failed")
            #expect(back.header("Location") == "/admin/tasks?state=failed")
            // A cookie that is no session at all is the same as none.
            for junk in ["", "x", RandomToken.generate(), String(repeating: "a", count: 5000)] {
                let response = harness.send("GET", "/admin/", cookies: [AdminAuth.cookieName: junk])
                #expect(response.status == 303 && response.header("Location") == "/admin/login?next=/admin/")
            }
            // requireForm: the session first, then its CSRF token.
            let session = try #require(harness.sessionCookie(back))
            let csrf = try #require(try AdminSessionStore.find(secret: session, on: harness.connection)?.csrfToken)
            func formRequest(_ fields: String) -> WebRequest {
                WebRequest(
                    method: "POST", path: "/admin/tasks/1/cancel",
                    headers: ["cookie": "\(AdminAuth.cookieName)=\(session)", "content-type": "application/x-www-form-urlencoded"],
                    body: Array(fields.utf8))
            }
            let (signedIn, fields) = try AdminAuth.requireForm(formRequest("csrf_token=\(csrf)&x=1"), harness.context, policy: AdminAuthPolicy())
            #expect(signedIn.username == "alice" && signedIn.csrfToken == csrf && fields["x"] == "1")
            for bad in ["x=1", "csrf_token=", "csrf_token=\(RandomToken.generate())"] {
                #expect(throws: AdminError.self) { try AdminAuth.requireForm(formRequest(bad), harness.context, policy: AdminAuthPolicy()) }
            }
        }
    }
}
