import Testing
#if canImport(Glibc)
import Glibc
#endif
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

    @Test("from libfcgi's environ array: only the variables it needs are read, and header fields are copied for later")
    func fromEnvironment() {
        let entries = [
            "SCRIPT_NAME=/api/ping", "REQUEST_METHOD=GET", "QUERY_STRING=a=1", "REQUEST_URI=/api/ping?a=1",
            "DOCUMENT_URI=/api/ping", "REQUEST_SCHEME=http", "REMOTE_ADDR=10.1.2.3", "REMOTE_PORT=5555",
            "CONTENT_TYPE=", "CONTENT_LENGTH=", "HTTP_HOST=example.org", "HTTP_PROXY=", "HTTP_AUTHORIZATION=Bearer x",
            "HTTP_X_REQUEST_ID=client-id-1234", "REQUEST_ID=0123456789abcdef0123456789abcdef", "HTTP_AUTHORIZATION=Bearer y",
            "R", "", "HTTP_NO_EQUALS", "REQUEST_METHODX=POST",
        ]
        var storage = entries.map { strdup($0) }
        storage.append(nil)
        defer { for pointer in storage { free(pointer) } }
        let request = storage.withUnsafeBufferPointer { WebRequest(cgiEnvironment: $0.baseAddress!, body: [], bodyTooLarge: false) }
        // The C strings are gone: everything below reads the request's own copies.
        for pointer in storage { if let pointer { memset(pointer, 0, strlen(pointer)) } }
        #expect(request.method == "GET")
        #expect(request.path == "/api/ping")
        #expect(request.queryString == "a=1")
        #expect(request.remoteAddress == "10.1.2.3")
        #expect(request.requestID == "0123456789abcdef0123456789abcdef")
        #expect(request.headers == ["host": "example.org", "proxy": "", "authorization": "Bearer y", "x-request-id": "client-id-1234"])
        #expect(request.header("authorization") == "Bearer y")
        #expect(request.header("Authorization") == "Bearer y")
        #expect(request.header("X-Request-ID") == "client-id-1234")
        #expect(request.header("content-type") == nil)
        #expect(request.contentType == nil)
        var changed = request
        changed.headers["content-type"] = "text/plain"
        #expect(changed.contentType == "text/plain")
        #expect(changed.header("host") == "example.org")
        #expect(changed.header("Content-Type") == "text/plain")
    }

    @Test("without DOCUMENT_URI the path is REQUEST_URI's, decoded, without the query; without either it is /")
    func pathFromRequestURI() {
        #expect(WebRequest(cgi: ["REQUEST_URI": "/api/a%20b?x=1"], body: [], bodyTooLarge: false).path == "/api/a b")
        #expect(WebRequest(cgi: ["REQUEST_URI": "/api/a%zz"], body: [], bodyTooLarge: false).path == "/api/a%zz")
        #expect(WebRequest(cgi: ["DOCUMENT_URI": "", "REQUEST_URI": "/x"], body: [], bodyTooLarge: false).path == "/x")
        let bare = WebRequest(cgi: [:], body: [], bodyTooLarge: false)
        #expect(bare.path == "/" && bare.method == "GET" && bare.queryString == "" && bare.headers.isEmpty)
    }

    @Test("methods other than GET, POST and HEAD arrive as sent")
    func otherMethods() {
        for method in ["PUT", "DELETE", "GE", "GETS", "PATCH", "HEADER", "POS"] {
            #expect(WebRequest(cgi: ["REQUEST_METHOD": method], body: [], bodyTooLarge: false).method == method)
        }
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
