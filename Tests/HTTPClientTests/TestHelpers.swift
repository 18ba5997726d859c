import Foundation
import Testing
import HTTPClient

/// Runs blocking work (curl transfers, process start-up) on a new `Thread`, never on Swift's
/// cooperative pool, and resumes the caller with its result.
func onThread<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: Result(catching: work)) }.start()
    }
    return try result.get()
}

/// The fake server's base URL, starting the server on first use.
func fakeServerURL() async throws -> String {
    try await onThread { try FakeOpenWeatherServer.shared().baseURL }
}

/// Performs `request` on a fresh client on its own thread and returns the outcome.
func outcome(
    of request: HTTPRequest, maxResponseBytes: Int = 16 << 20
) async -> Result<HTTPResponse, HTTPClientError> {
    await onThread { () -> Result<HTTPResponse, HTTPClientError> in
        Result { () throws(HTTPClientError) in
            try HTTPClient(maxResponseBytes: maxResponseBytes).perform(request)
        }
    }
}

/// A TCP port on 127.0.0.1 with nothing listening: bound to get a free one, then closed.
func closedLocalPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    precondition(fd >= 0, "socket() failed")
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
        }
    }
    precondition(bound, "bind() or getsockname() failed")
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Decodes a JSON object body.
func jsonObject(_ response: HTTPResponse) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(response.body))
    return try #require(object as? [String: Any])
}
