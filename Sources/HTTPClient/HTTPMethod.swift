/// An HTTP request method supported by ``HTTPClient``.
public enum HTTPMethod: String, Sendable, CaseIterable {
    /// `GET`: fetch a resource.
    case get = "GET"
    /// `HEAD`: like `GET`, but the server sends no body.
    case head = "HEAD"
    /// `POST`: submit a body.
    case post = "POST"
    /// `PUT`: replace a resource with the body.
    case put = "PUT"
    /// `PATCH`: partially update a resource with the body.
    case patch = "PATCH"
    /// `DELETE`: remove a resource.
    case delete = "DELETE"
}
