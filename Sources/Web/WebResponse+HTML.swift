/// HTML answers, redirects and cookies for the admin pages.
extension WebResponse {
    /// Headers every admin page carries: no caching of private pages, no framing, no sniffing,
    /// scripts and styles only from this site, no referrer to other sites.
    public static let htmlSecurityHeaders: [(name: String, value: String)] = [
        ("Cache-Control", "no-store"),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    ]

    /// An HTML page (`text/html; charset=utf-8`) with the security headers.
    public static func html(_ text: String, status: Int = 200) -> WebResponse {
        WebResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")] + htmlSecurityHeaders, body: Array(text.utf8))
    }

    /// A redirect (303 See Other by default: after a form, the browser follows with a GET).
    /// `location` must be a path on this site (starting with one `/`); anything else goes to `/admin/`.
    public static func redirect(to location: String, status: Int = 303) -> WebResponse {
        WebResponse(status: status, headers: [("Location", WebResponse.localPath(location))] + htmlSecurityHeaders)
    }

    /// `path` when it is a path on this site (`/...` but not `//...` or `/\\...`), else `/admin/`:
    /// redirects never leave the site, whatever a `next` parameter says.
    public static func localPath(_ path: String) -> String {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/"), bytes.count < 2048,
            bytes.count == 1 || (bytes[1] != UInt8(ascii: "/") && bytes[1] != UInt8(ascii: "\\")),
            !bytes.contains(where: { $0 < 0x20 || $0 == 0x7f })
        else { return "/admin/" }
        return path
    }

    /// Adds a `Set-Cookie` header: `HttpOnly`, `SameSite=Strict`, `Path=/admin/`, `Secure` when
    /// `secure`; `maxAge` 0 deletes the cookie, nil makes it last as long as the browser session.
    public mutating func setCookie(_ name: String, _ value: String, maxAge: Int?, secure: Bool) {
        var cookie = "\(name)=\(value); Path=/admin/; HttpOnly; SameSite=Strict"
        if let maxAge { cookie += "; Max-Age=\(maxAge)" }
        if secure { cookie += "; Secure" }
        headers.append(("Set-Cookie", cookie))
    }
}
