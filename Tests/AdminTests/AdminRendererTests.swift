import Testing
@testable import Web

/// The admin templates: every one parses, values are HTML-escaped, the layout shows the
/// navigation and the sign-out form only to a signed-in user.
@Suite("Admin renderer")
struct AdminRendererTests {
    @Test("values are escaped; the layout wraps the body; no navigation without a user")
    func escaping() {
        let renderer = AdminRenderer.shared
        #expect(renderer.templateNames.contains("layout") && renderer.templateNames.contains("error"))
        let page = renderer.page("error", title: "<b>T</b>", context: ["message": "<script>alert(1)</script>"], status: 400)
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(page.status == 400)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;b&gt;T&lt;/b&gt;"))
        #expect(!html.contains("/admin/logout"))
        let signedIn = String(decoding: renderer.page("error", title: "x", section: "tasks", user: "ann<", csrfToken: "tok\"en").body, as: UTF8.self)
        #expect(signedIn.contains("/admin/logout") && signedIn.contains("ann&lt;"))
        #expect(signedIn.contains(#"value="tok&quot;en""#))
        #expect(signedIn.contains(#"href="/admin/tasks" aria-current="page""#))
    }

    @Test("redirects stay on this site")
    func localRedirects() {
        #expect(WebResponse.localPath("/admin/tasks?state=failed") == "/admin/tasks?state=failed")
        for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example", "admin", "", "/admin/\r\nSet-Cookie: x=1"] {
            #expect(WebResponse.localPath(hostile) == "/admin/", "\(hostile)")
        }
        #expect(WebResponse.redirect(to: "//evil").header("Location") == "/admin/")
    }
}
