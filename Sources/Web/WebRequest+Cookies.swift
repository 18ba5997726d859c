extension WebRequest {
    /// The cookies of the `Cookie` header (the first value of a repeated name).
    public var cookies: [String: String] {
        guard let header = header("cookie") else { return [:] }
        var cookies: [String: String] = [:]
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = pair[0].trimmingCharacters(), value = pair[1].trimmingCharacters()
            if !name.isEmpty && cookies[name] == nil { cookies[name] = value }
        }
        return cookies
    }

    /// True when the client reached nginx over https (nginx passes `$scheme` as
    /// `X-Forwarded-Proto`, see nginx/fastcgi_params): cookies are then marked `Secure`.
    public var isSecure: Bool {
        header("x-forwarded-proto")?.lowercased() == "https"
    }
}
