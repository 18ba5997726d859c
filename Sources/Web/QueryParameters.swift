/// A request's query parameters under the API's one rule: a parameter left out takes its
/// default; a parameter given with an empty value (`?city=`) is a 400 naming it, like any other
/// value the endpoint cannot take.
struct QueryParameters: Sendable {
    /// The percent-decoded parameters (the first value of a repeated name).
    let values: [String: String]

    /// The parameters of `request`, decoded once.
    init(_ request: WebRequest) {
        values = request.query
    }

    /// Parameters from a dictionary (tests).
    init(_ values: [String: String]) {
        self.values = values
    }

    /// The value of `name`, nil when left out; a 400 naming it when given empty.
    func optional(_ name: String) throws -> String? {
        guard let value = values[name] else { return nil }
        guard !value.isEmpty else { throw APIError.badRequest(field: name, "must not be empty (leave it out instead)") }
        return value
    }
}
