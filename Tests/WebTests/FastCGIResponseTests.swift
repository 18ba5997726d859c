import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import FastCGI

@Suite("FastCGI response and address parsing")
struct FastCGIResponseTests {
    @Test("the CGI header block has a status line, Content-Length, and no injected lines")
    func serialise() {
        let response = FastCGIResponse(status: 404, headers: [("X-A", "1\r\nSet-Cookie: evil=1")], body: Array("nope".utf8))
        let text = String(decoding: response.serialized(), as: UTF8.self)
        #expect(text == "Status: 404 Not Found\r\nX-A: 1Set-Cookie: evil=1\r\nContent-Length: 4\r\n\r\nnope")
        let head = FastCGIResponse(status: 200, headers: [("Content-Length", "11")], body: [])
        #expect(String(decoding: head.serialized(), as: UTF8.self) == "Status: 200 OK\r\nContent-Length: 11\r\n\r\n")
    }

    @Test("every status gets a line; a Content-Length header in any case is not doubled; empty and long values")
    func headBlock() {
        func text(_ response: FastCGIResponse) -> String { String(decoding: response.serialized(), as: UTF8.self) }
        #expect(text(FastCGIResponse(status: 299)) == "Status: 299 Status\r\nContent-Length: 0\r\n\r\n")
        #expect(text(FastCGIResponse(status: 503, body: [UInt8](repeating: 120, count: 12_345))).hasPrefix(
            "Status: 503 Service Unavailable\r\nContent-Length: 12345\r\n\r\nxxx"))
        #expect(text(FastCGIResponse(status: 200, headers: [("content-LENGTH", "3"), ("X-Empty", "")], body: Array("abc".utf8)))
            == "Status: 200 OK\r\ncontent-LENGTH: 3\r\nX-Empty: \r\n\r\nabc")
        #expect(text(FastCGIResponse(status: 200, headers: [("Content-Lengthy", "1")])) == "Status: 200 OK\r\nContent-Lengthy: 1\r\nContent-Length: 0\r\n\r\n")
        let long = String(repeating: "v", count: 5000)
        #expect(text(FastCGIResponse(status: 201, headers: [("X-Long", long + "\n")])) == "Status: 201 Created\r\nX-Long: \(long)\r\nContent-Length: 0\r\n\r\n")
        #expect(text(FastCGIResponse(status: -1)) == "Status: -1 Status\r\nContent-Length: 0\r\n\r\n")
    }

    @Test("parameters are read in place from libfcgi's environ array; CONTENT_LENGTH decides the body")
    func parameters() {
        func withEnvironment<R>(_ entries: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
            var pointers = entries.map { strdup($0) }
            pointers.append(nil)
            defer { for pointer in pointers { free(pointer) } }
            return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
        }
        withEnvironment(["REQUEST_METHOD=GET", "QUERY_STRING=a=b=c", "HTTP_HOST=h", "CONTENT_LENGTH=12"]) { environment in
            let request = FastCGIRequest(environment: environment, body: [], bodyTooLarge: false)
            #expect(request.params.map { "\($0.name)|\($0.value)" } == ["REQUEST_METHOD|GET", "QUERY_STRING|a=b=c", "HTTP_HOST|h", "CONTENT_LENGTH|12"])
            #expect(request["QUERY_STRING"] == "a=b=c")
            #expect(request["QUERY"] == nil)
            #expect(request["HTTP_HOST"] == "h")
            #expect(FastCGIRequest.contentLength(environment) == 12)
        }
        for (entries, length) in [
            (["CONTENT_LENGTH="], 0), (["CONTENT_LENGTH=abc"], 0), (["CONTENT_LENGTH=+7"], 7), (["CONTENT_LENGTH=-5"], -5),
            (["CONTENT_TYPE=x", "CONTENT_LENGTH=3", "CONTENT_LENGTH=9"], 3), (["CONTENT_LENGTHX=4"], 0), ([], 0),
            (["CONTENT_LENGTH=99999999999999999999999"], 0),
        ] {
            #expect(withEnvironment(entries) { FastCGIRequest.contentLength($0) } == length, "\(entries)")
        }
    }

    @Test("FCGI_SOCKET is a path or HOST:PORT")
    func addresses() throws {
        #expect(try FastCGIListenAddress(parsing: "/run/app.sock") == .unixSocket(path: "/run/app.sock"))
        #expect(try FastCGIListenAddress(parsing: "127.0.0.1:9000") == .tcp(host: "127.0.0.1", port: 9000))
        #expect(try FastCGIListenAddress(parsing: ":9000") == .tcp(host: "", port: 9000))
        #expect(throws: FastCGIError.self) { try FastCGIListenAddress(parsing: "localhost") }
        #expect(throws: FastCGIError.self) { try FastCGIListenAddress(parsing: "host:99999") }
    }
}
