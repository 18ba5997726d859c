/// An `application/x-www-form-urlencoded` request body (the admin's forms).
public struct FormBody: Sendable {
    /// The decoded fields (`+` is a space); the first value of a repeated name.
    public let values: [String: String]

    /// Fields from a dictionary (tests).
    public init(_ values: [String: String]) {
        self.values = values
    }

    /// Reads `request`'s body; a 415 for another content type, a 400 for bad percent-encoding.
    public init(_ request: WebRequest) throws {
        let type = request.contentType ?? ""
        guard type == "application/x-www-form-urlencoded" else {
            throw APIError(
                status: 415, code: "unsupported_media_type",
                message: "a form must be sent as application/x-www-form-urlencoded, not \(type.isEmpty ? "no content type" : type)")
        }
        var values: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(String(parts[0]), plusIsSpace: true),
                let value = PercentDecoding.decode(parts.count > 1 ? String(parts[1]) : "", plusIsSpace: true)
            else {
                throw APIError.badRequest(field: "form", "bad percent-encoding")
            }
            if values[name] == nil { values[name] = value }
        }
        self.values = values
    }

    /// The field `name`, if sent.
    public subscript(_ name: String) -> String? { values[name] }
}
