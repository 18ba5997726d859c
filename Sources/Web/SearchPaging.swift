/// The `limit` and `before` query parameters of the searches and alerts lists.
struct SearchPaging: Sendable, Equatable {
    /// Items per page when `limit` is absent.
    static let defaultLimit = 20
    /// The accepted `limit` values.
    static let limits = 1...100

    /// Items per page.
    var limit: Int
    /// The cursor: the last item's id of the previous page.
    var before: Int?

    /// Reads `limit` (default 20, 1...100) and `before` (a positive id) from the query; a 400
    /// naming the field otherwise.
    init(_ query: [String: String]) throws {
        if let text = query["limit"] {
            guard let value = Int(text), SearchPaging.limits.contains(value) else {
                throw APIError.badRequest(
                    field: "limit", "must be a whole number from \(SearchPaging.limits.lowerBound) to \(SearchPaging.limits.upperBound)")
            }
            limit = value
        } else {
            limit = SearchPaging.defaultLimit
        }
        if let text = query["before"] {
            guard let value = Int(text), value > 0 else {
                throw APIError.badRequest(field: "before", "must be the id of the last item of the previous page (a positive whole number)")
            }
            before = value
        } else {
            before = nil
        }
    }
}
