import Access
import Postgres

extension APIError {
    /// 401 without a valid `Authorization: Bearer` token.
    public static func unauthorized(_ message: String) -> APIError {
        APIError(status: 401, code: "unauthorized", message: message, headers: ["WWW-Authenticate": #"Bearer realm="weather-service""#])
    }
}

/// `Authorization: Bearer <token>` on the routes the contract marks "token".
enum Authentication {
    /// The live token the request carries, or a 401. With `tokens`, a token found live is kept
    /// there (by its hash) until a token changes (revoked, renamed, deleted: NOTIFY) or a minute
    /// passes, so most requests skip the lookup.
    static func requireToken(_ request: WebRequest, _ context: RequestContext, tokens: NotifiedCache<APIToken>? = nil) throws -> APIToken {
        guard let header = request.header("authorization") else {
            throw APIError.unauthorized("this endpoint needs an API token: Authorization: Bearer <token> (TaskRunner token create NAME)")
        }
        guard let space = header.utf8.firstIndex(of: UInt8(ascii: " ")), header[..<space].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization header must be: Bearer <token>")
        }
        let text = header[header.utf8.index(after: space)...].trimmingCharacters()
        guard let hash = TokenStore.lookupHash(text) else { throw APIError.unauthorized("the token is not valid (unknown or revoked)") }
        if let token = tokens?.value(hash) { return token }
        let ticket = tokens?.ticket()
        guard let token = try TokenStore.authenticate(hash: hash, on: context.database()) else {
            throw APIError.unauthorized("the token is not valid (unknown or revoked)")
        }
        if let ticket { tokens?.store(token, for: hash, ticket: ticket) }
        return token
    }
}
