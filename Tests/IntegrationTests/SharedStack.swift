import Foundation
import HTTPClient
import TestSupport

/// One FCGIApp + nginx on the migrated test database, shared by the read-only tests.
enum SharedStack {
    private static let started: Result<ServiceStack, any Error> = Result {
        let url = try TestDatabase.url()
        let migrate = try taskRunner(["migrate"], databaseURL: url)
        guard migrate.status == 0 else { throw HarnessError("TaskRunner migrate failed: \(migrate.stderr)") }
        let stack = try ServiceStack(databaseURL: url)
        atexit {
            if case .success(let stack) = SharedStack.started {
                stack.shutdown()
                Repository.removeTemporaryDirectory(stack.directory)
            }
        }
        return stack
    }

    /// The stack, started on first use (call from a thread of its own: it blocks).
    static func get() throws -> ServiceStack { try started.get() }
}

/// Sends a request through nginx on a thread of its own.
func send(
    _ method: HTTPMethod = .get, _ url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil
) async throws -> HTTPResponse {
    try await onThread {
        try HTTPClient().perform(HTTPRequest(method: method, url: url, headers: headers, body: body, totalTimeout: .seconds(20)))
    }
}

/// The base URL of the shared stack.
func sharedBaseURL() async throws -> String {
    try await onThread { try SharedStack.get().baseURL }
}

/// The body parsed as a JSON object.
func jsonObject(_ response: HTTPResponse) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
        throw HarnessError("not a JSON object: \(response.bodyText)")
    }
    return object
}

/// The `{"error": {"code", "message"}}` body's code.
func errorCode(_ response: HTTPResponse) throws -> String? {
    (try jsonObject(response)["error"] as? [String: Any])?["code"] as? String
}
