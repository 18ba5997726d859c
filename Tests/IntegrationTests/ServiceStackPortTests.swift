import Foundation
import HTTPClient
import Testing
import TestSupport

/// The test harness itself: two stacks must never end up sharing one nginx.
@Suite("Test stacks and their ports")
struct ServiceStackPortTests {
    @Test("a stack whose port another stack took first moves to a free one and answers itself")
    func takenPortMovesOn() async throws {
        try await onThread {
            let url = try TestDatabase.url()
            let first = try ServiceStack(databaseURL: url)
            defer { first.shutdown() }
            let taken = try #require(Int(first.baseURL.split(separator: ":").last ?? ""))
            let second = try ServiceStack(databaseURL: url, port: taken)
            defer { second.shutdown() }
            #expect(second.baseURL != first.baseURL)
            let answer = try HTTPClient().perform(HTTPRequest(url: second.baseURL + "/api/ping?from=second"))
            #expect(answer.status == 200)
            // The request's log line is written by the log thread, a moment later.
            try eventually("the second stack to log the request", seconds: 10) { second.fcgiLog.contains("GET /api/ping 200") }
            #expect(!first.fcgiLog.contains("GET /api/ping"), "\(first.fcgiLog)")
        }
    }
}
