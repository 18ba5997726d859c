import Testing
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

    @Test("FCGI_SOCKET is a path or HOST:PORT")
    func addresses() throws {
        #expect(try FastCGIListenAddress(parsing: "/run/app.sock") == .unixSocket(path: "/run/app.sock"))
        #expect(try FastCGIListenAddress(parsing: "127.0.0.1:9000") == .tcp(host: "127.0.0.1", port: 9000))
        #expect(try FastCGIListenAddress(parsing: ":9000") == .tcp(host: "", port: 9000))
        #expect(throws: FastCGIError.self) { try FastCGIListenAddress(parsing: "localhost") }
        #expect(throws: FastCGIError.self) { try FastCGIListenAddress(parsing: "host:99999") }
    }
}
