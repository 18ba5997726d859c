/// `limit` and `before` of the newest-first lists (searches, alerts, jobs): `limit` items per
/// page, and `before` the previous page's `next_before` (the id of its last item).
struct ListPaging: Sendable, Equatable {
    /// Items per page when `limit` is left out.
    static let defaultLimit = 20
    /// The accepted `limit` values.
    static let limits = 1...100

    /// Items per page.
    var limit: Int
    /// The cursor: the last item's id of the previous page.
    var before: Int?

    /// Reads `limit` (default 20, 1...100) and `before` (a positive id); a 400 naming the field otherwise.
    init(_ query: QueryParameters) throws {
        limit = try ListPaging.limit(query)
        if let text = try query.optional("before") {
            guard let value = Int(text), value > 0 else {
                throw APIError.badRequest(field: "before", "must be the next_before of the previous page (a positive whole number)")
            }
            before = value
        } else {
            before = nil
        }
    }

    /// `limit` alone (default 20, 1...100), for the lists whose cursor is not an id.
    static func limit(_ query: QueryParameters) throws -> Int {
        guard let text = try query.optional("limit") else { return defaultLimit }
        guard let value = Int(text), limits.contains(value) else {
            throw APIError.badRequest(field: "limit", "must be a whole number from \(limits.lowerBound) to \(limits.upperBound)")
        }
        return value
    }
}
