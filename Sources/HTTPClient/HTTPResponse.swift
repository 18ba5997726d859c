/// The final response to an ``HTTPRequest``, whatever its status code.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200 or 404.
    public var status: Int
    /// The headers of the final response, in the order received.
    ///
    /// Headers of interim (`1xx`) responses are not included.
    public var headers: [(name: String, value: String)]
    /// The body, decompressed when the server used a content encoding.
    public var body: [UInt8]

    /// Creates a response (for tests and fakes; ``HTTPClient`` makes the real ones).
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: The response headers, in order.
    ///   - body: The body bytes.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the last header named `name`, compared case-insensitively, or `nil`.
    /// - Parameter name: A header name such as `"Retry-After"`.
    public func header(_ name: String) -> String? {
        headers.last { asciiCaseInsensitiveEqual($0.name, name) }?.value
    }

    /// The body decoded as UTF-8, with invalid sequences replaced by U+FFFD.
    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }
}

/// Compares two strings ignoring the case of ASCII letters, as HTTP header names are compared.
func asciiCaseInsensitiveEqual(_ a: String, _ b: String) -> Bool {
    a.utf8.elementsEqual(b.utf8) { x, y in
        x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= UInt8(ascii: "a") && (x | 0x20) <= UInt8(ascii: "z"))
    }
}
