import AppSupport
import Testing
@testable import Web

/// The API's error body is written byte by byte; it must be the bytes `JSONValue` writes.
@Suite("Error bodies")
struct ErrorBodyTests {
    @Test("the error body written as text equals JSONValue's, for awkward messages too")
    func sameBytes() throws {
        let errors = [
            APIError.notFound(path: "/api/\"quoted\"\\<b>&\u{1}\n\u{2028}é😀"), APIError.methodNotAllowed("PUT", allowed: ["GET", "HEAD"]),
            APIError.payloadTooLarge(limit: 10), APIError(status: 400, code: "", message: ""),
            APIError(status: 400, code: "x", message: "plain text, \u{7F} and é"), APIError(status: 400, code: "x", message: "a\u{2029}b"),
            APIError(status: 400, code: "x", message: "\u{2013} dash"),
        ]
        for error in errors {
            let expected: JSONValue = ["error": ["code": .string(error.code), "message": .string(error.message)]]
            let response = error.response
            #expect(response.body == expected.bytes, "\(String(decoding: response.body, as: UTF8.self))")
            #expect(try JSONValue.parse(response.body) == expected)
            #expect(response.header("Content-Type") == "application/json")
        }
        #expect(APIError.methodNotAllowed("PUT", allowed: ["GET", "HEAD"]).response.header("Allow") == "GET, HEAD")
    }
}
