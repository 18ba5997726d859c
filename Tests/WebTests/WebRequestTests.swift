import Testing
@testable import Web

@Suite("WebRequest from CGI parameters")
struct WebRequestTests {
    @Test("headers, path, query, request id and address are read from CGI variables")
    func fromCGI() {
        let request = WebRequest(
            cgi: [
                "REQUEST_METHOD": "POST", "REQUEST_URI": "/api/a%20b?x=1", "DOCUMENT_URI": "/api/a b",
                "QUERY_STRING": "city=S%C3%A3o+Paulo&limit=20&empty=&city=ignored&bad=%zz",
                "CONTENT_TYPE": "application/json; charset=utf-8", "CONTENT_LENGTH": "2",
                "HTTP_X_FORWARDED_FOR": "10.0.0.1", "HTTP_AUTHORIZATION": "Bearer t", "REMOTE_ADDR": "127.0.0.1",
                "REQUEST_ID": "0123456789abcdef0123456789abcdef",
            ], body: Array("{}".utf8), bodyTooLarge: false)
        #expect(request.method == "POST")
        #expect(request.path == "/api/a b")
        #expect(request.headers["x-forwarded-for"] == "10.0.0.1")
        #expect(request.headers["authorization"] == "Bearer t")
        #expect(request.contentType == "application/json")
        #expect(request.query == ["city": "São Paulo", "limit": "20", "empty": ""])
        #expect(request.requestID == "0123456789abcdef0123456789abcdef")
        #expect(request.remoteAddress == "127.0.0.1")
    }

    @Test("the responder copies only the CGI parameters the web layer reads")
    func parameterFilter() {
        func reads(_ name: String) -> Bool { Array(name.utf8).withUnsafeBytes { WebRequest.readsParameter($0) } }
        #expect(reads("HTTP_AUTHORIZATION"))
        for header in ["HTTP_HOST", "HTTP_ACCEPT", "HTTP_COOKIE", "HTTP_X_FOO_BAR", "HTTP_USER_AGENT"] { #expect(reads(header)) }
        #expect(reads("REMOTE_ADDR"))
        #expect(reads("DOCUMENT_URI"))
        #expect(!reads("REMOTE_PORT"))
        #expect(reads("REQUEST_METHOD"))
        #expect(reads("CONTENT_LENGTH"))
        #expect(!reads("SCRIPT_NAME"))
        #expect(!reads("HTTP_"))
        #expect(!reads("REQUEST_ME"))
    }

    @Test("a hostile request id is replaced by a generated one")
    func requestIDSanitised() {
        let hostile = WebRequest(cgi: ["HTTP_X_REQUEST_ID": "abc\ndef ghi jkl"], body: [], bodyTooLarge: false)
        #expect(hostile.requestID.count == 32)
        #expect(hostile.requestID.allSatisfy { $0.isHexDigit })
        let fromClient = WebRequest(cgi: ["HTTP_X_REQUEST_ID": "client-id-1234"], body: [], bodyTooLarge: false)
        #expect(fromClient.requestID == "client-id-1234")
        #expect(RequestID.generate() != RequestID.generate())
    }

    @Test("percent-decoding refuses malformed escapes and invalid UTF-8")
    func percentDecoding() {
        #expect(PercentDecoding.decode("a%2Fb") == "a/b")
        #expect(PercentDecoding.decode("a+b", plusIsSpace: true) == "a b")
        #expect(PercentDecoding.decode("a+b") == "a+b")
        #expect(PercentDecoding.decode("%4") == nil)
        #expect(PercentDecoding.decode("%ff%fe") == nil)
    }
}
