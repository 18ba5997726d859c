import Foundation
import HTTPClient
import TestSupport
import Testing

@Suite("HTTPClient against the fake server")
struct HTTPClientTests {
    @Test func getReturnsStatusAndBody() async throws {
        let base = try await fakeServerURL()
        let response = try await outcome(of: HTTPRequest(url: base + "/status/200")).get()
        #expect(response.status == 200)
        #expect(response.bodyText == "status 200")
        #expect(response.body == Array("status 200".utf8))
    }

    @Test(arguments: [201, 404, 429, 500, 503])
    func errorStatusesAreResponses(code: Int) async throws {
        let base = try await fakeServerURL()
        let response = try await outcome(of: HTTPRequest(url: base + "/status/\(code)")).get()
        #expect(response.status == code)
        #expect(response.bodyText == "status \(code)")
    }

    @Test func headerLookupIsCaseInsensitiveAndTakesTheLastValue() async throws {
        let base = try await fakeServerURL()
        let response = try await outcome(of: HTTPRequest(url: base + "/headers")).get()
        #expect(response.header("x-test") == "yes")
        #expect(response.header("X-TEST") == "yes")
        #expect(response.header("retry-after") == "7")
        #expect(response.header("X-Multi") == "last")
        #expect(response.header("Content-Length") == "7")
        #expect(response.header("X-Missing") == nil)
    }

    @Test func postSendsBodyWithZeroBytesAndCustomHeaders() async throws {
        let base = try await fakeServerURL()
        let body = Array("hello\u{0}world".utf8)
        let request = HTTPRequest(
            method: .post, url: base + "/echo?x=1",
            headers: [("X-Custom", "42"), ("Content-Type", "application/json")], body: body)
        let response = try await outcome(of: request).get()
        #expect(response.status == 200)
        let echo = try jsonObject(response)
        #expect(echo["method"] as? String == "POST")
        #expect(echo["path"] as? String == "/echo")
        #expect(echo["query"] as? String == "x=1")
        #expect(echo["body"] as? String == "hello\u{0}world")
        let headers = try #require(echo["headers"] as? [String: String])
        #expect(headers["x-custom"] == "42")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["content-length"] == "11")
        #expect(headers["user-agent"] == "weather-service/1.0")
        #expect(headers["expect"] == nil)
    }

    @Test(arguments: [HTTPMethod.put, .patch, .delete, .post])
    func methodsAreSentAsIs(method: HTTPMethod) async throws {
        let base = try await fakeServerURL()
        let response = try await outcome(of: HTTPRequest(method: method, url: base + "/echo")).get()
        let echo = try jsonObject(response)
        #expect(echo["method"] as? String == method.rawValue)
        #expect(echo["body"] as? String == "")
        let headers = try #require(echo["headers"] as? [String: String])
        // Bodyless POST/PUT/PATCH still send Content-Length: 0, without curl's form Content-Type.
        #expect(headers["content-type"] == nil)
        if method != .delete { #expect(headers["content-length"] == "0") }
    }

    @Test func headHasHeadersButNoBody() async throws {
        let base = try await fakeServerURL()
        let response = try await outcome(of: HTTPRequest(method: .head, url: base + "/large/1000")).get()
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.header("content-length") == "1000")
    }

    @Test func interimResponseHeadersAreDropped() async throws {
        let base = try await fakeServerURL()
        let request = HTTPRequest(
            method: .post, url: base + "/echo", headers: [("Expect", "100-continue")], body: Array("x".utf8))
        let response = try await outcome(of: request).get()
        #expect(response.status == 200)
        #expect(response.header("X-Interim") == nil)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
    }

    @Test func totalTimeoutEndsSlowTransfer() async throws {
        let base = try await fakeServerURL()
        let request = HTTPRequest(url: base + "/delay/2000", totalTimeout: .milliseconds(300))
        let result = await outcome(of: request)
        guard case .failure(.timedOut) = result else {
            Issue.record("expected .timedOut, got \(result)")
            return
        }
    }

    @Test func closedPortIsConnectionRefused() async {
        let result = await outcome(of: HTTPRequest(url: "http://127.0.0.1:\(closedLocalPort())/"))
        guard case .failure(.connectionRefused) = result else {
            Issue.record("expected .connectionRefused, got \(result)")
            return
        }
    }

    @Test(arguments: ["", "not a url at all", "http://[::1", "://x", "ftp://127.0.0.1/", "file:///etc/passwd", "http://exa\u{0}mple.com/"])
    func invalidURLs(url: String) async {
        let result = await outcome(of: HTTPRequest(url: url))
        #expect(result.failure == .invalidURL(url))
    }

    @Test func unresolvableHost() async {
        let result = await outcome(of: HTTPRequest(url: "http://nonexistent.invalid/"))
        guard case .failure(.couldNotResolveHost) = result else {
            Issue.record("expected .couldNotResolveHost, got \(result)")
            return
        }
    }

    @Test(arguments: ["/large/5000", "/large/5000?chunked=1"])
    func bodyOverTheLimitIsAnError(path: String) async throws {
        let base = try await fakeServerURL()
        let result = await outcome(of: HTTPRequest(url: base + path), maxResponseBytes: 1000)
        #expect(result.failure == .responseTooLarge(limit: 1000))
    }

    @Test(arguments: ["/large/1000", "/large/1000?chunked=1", "/large/200000?chunked=1"])
    func bodyUpToTheLimitIsKept(path: String) async throws {
        let base = try await fakeServerURL()
        let limit = path.contains("200000") ? 200_000 : 1000
        let response = try await outcome(of: HTTPRequest(url: base + path), maxResponseBytes: limit).get()
        #expect(response.body.count == limit)
        #expect(response.body.allSatisfy { $0 == UInt8(ascii: "x") })
    }

    @Test func invalidRequestHeaderIsRejected() async throws {
        let base = try await fakeServerURL()
        let request = HTTPRequest(url: base + "/echo", headers: [("X-Bad", "a\r\nX-Injected: 1")])
        let result = await outcome(of: request)
        guard case .failure(.transport) = result else {
            Issue.record("expected .transport, got \(result)")
            return
        }
    }

    @Test func oneClientReusesItsConnection() async throws {
        let base = try await fakeServerURL()
        let (first, second, afterError) = try await onThread { () throws(HTTPClientError) in
            let client = try HTTPClient()
            let first = try client.perform(HTTPRequest(url: base + "/echo"))
            let second = try client.perform(HTTPRequest(method: .post, url: base + "/echo", body: [1, 2, 3]))
            _ = try? client.perform(HTTPRequest(url: base + "/delay/2000", totalTimeout: .milliseconds(100)))
            let afterError = try client.perform(HTTPRequest(url: base + "/status/204"))
            return (first, second, afterError)
        }
        #expect(first.status == 200)
        #expect(second.status == 200)
        #expect(afterError.status == 204)
        #expect(afterError.body.isEmpty)
        let firstPort = try jsonObject(first)["remote_port"] as? Int
        let secondPort = try jsonObject(second)["remote_port"] as? Int
        #expect(firstPort != nil)
        #expect(firstPort == secondPort, "the second request should reuse the first connection")
        #expect(try jsonObject(second)["method"] as? String == "POST")
    }
}

extension Result {
    /// The error, or `nil` on success.
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
