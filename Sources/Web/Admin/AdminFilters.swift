/// A list page's filter form. Reads its fields as `AdminQuery` does, but a bad value does not end
/// the request with a bare error page: its problem is kept by field, so the page shows its form
/// again with the value as sent and the problem next to the field, with status 400.
struct AdminFilters {
    /// The query the fields come from.
    let query: AdminQuery
    /// The problems found so far: the field and what is wrong with it (without the field's name).
    private(set) var problems: [(field: String, problem: String)] = []

    init(_ request: WebRequest) {
        query = AdminQuery(request)
    }

    /// The value `read` takes from the query, or nil with its `AdminError` kept as `field`'s
    /// problem. Other errors are thrown.
    mutating func read<Value>(_ field: String, _ read: (AdminQuery) throws -> Value?) throws -> Value? {
        do {
            return try read(query)
        } catch let error as AdminError {
            let prefix = field + ": "
            problems.append((field, error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message))
            return nil
        }
    }

    /// True when none of `fields` has a problem.
    func valid(_ fields: [String]) -> Bool {
        !problems.contains { fields.contains($0.field) }
    }

    /// The field's value as it was sent when it has a problem (so the person can correct it),
    /// `value` otherwise.
    func shown(_ field: String, _ value: String?) -> String? {
        problems.contains { $0.field == field } ? query.values[field] : value
    }

    /// 400 when any field has a problem, 200 otherwise.
    var status: Int { problems.isEmpty ? 200 : 400 }

    /// For the templates: `<field>_problem` (the problem, shown at the field) for each field of
    /// `formFields`, and `filter_problems` (messages naming their field, shown above the form) for
    /// the others (such as a hand-edited `before`).
    func context(formFields: [String]) -> [String: Any?] {
        var context: [String: Any?] = [:]
        var others: [String] = []
        for (field, problem) in problems {
            if formFields.contains(field) {
                context[field + "_problem"] = problem
            } else {
                others.append("\(field): \(problem)")
            }
        }
        context["filter_problems"] = others
        return context
    }
}
