import Foundation
import Testing
import HTTPClient
import TestSupport

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

/// Decodes a JSON object body.
func jsonObject(_ response: HTTPResponse) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(response.body))
    return try #require(object as? [String: Any])
}
