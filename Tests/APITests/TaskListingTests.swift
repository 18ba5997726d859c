import AppSupport
import Foundation
import HTTPClient
import Testing
import TestSupport

/// `GET /api/tasks`: newest first, filters, cursor pagination and its bounds, through nginx.
@Suite("Task API listing")
struct TaskListingTests {
    @Test("pages of `limit` newest first, following next_before to the end; filters by state and task")
    func pagination() async throws {
        try await onThread {
            let api = try TaskAPIFixture()
            var ids: [Int] = []
            for index in 0..<5 {
                ids.append(try api.enqueue(#"{"task":"test_task","args":{"n":\#(index)},"delay_seconds":3600}"#))
            }
            ids.append(try api.enqueue(#"{"task":"health_check","delay_seconds":3600}"#))
            #expect(try api.call(.post, "/api/tasks/\(ids[1])/cancel").status == 200)
            let newestFirst = Array(ids.reversed())

            var seen: [Int] = []
            var path = "/api/tasks?limit=2"
            var pages = 0
            while true {
                let page = try api.call(.get, path)
                #expect(page.status == 200, "\(page.text)")
                let items = page.json["items"]?.taskArray ?? []
                #expect(items.count <= 2)
                seen += items.compactMap { $0["id"]?.taskInt }
                pages += 1
                guard let next = page.json["next_before"]?.taskInt else {
                    #expect(page.json["next_before"] == .null)
                    break
                }
                #expect(next == seen.last)
                path = "/api/tasks?limit=2&before=\(next)"
                if pages > 10 { break }
            }
            #expect(seen == newestFirst)
            #expect(pages == 3)

            let all = try api.call(.get, "/api/tasks")
            #expect(all.json["items"]?.taskArray?.count == 6)
            #expect(all.json["next_before"] == .null)
            #expect(all.json["items"]?.taskArray?.first?["task"] == "health_check")

            let cancelled = try api.call(.get, "/api/tasks?state=cancelled")
            #expect(cancelled.json["items"]?.taskArray?.compactMap { $0["id"]?.taskInt } == [ids[1]])
            let health = try api.call(.get, "/api/tasks?task=health_check")
            #expect(health.json["items"]?.taskArray?.compactMap { $0["id"]?.taskInt } == [ids[5]])
            let both = try api.call(.get, "/api/tasks?task=test_task&state=queued&limit=100")
            #expect(both.json["items"]?.taskArray?.compactMap { $0["id"]?.taskInt } == [ids[4], ids[3], ids[2], ids[0]])
            let below = try api.call(.get, "/api/tasks?task=test_task&before=\(ids[2])")
            #expect(below.json["items"]?.taskArray?.compactMap { $0["id"]?.taskInt } == [ids[1], ids[0]])
            let none = try api.call(.get, "/api/tasks?task=nothing_here")
            #expect(none.status == 200)
            #expect(none.json["items"] == [])
            #expect(none.json["next_before"] == .null)
        }
    }

    @Test("400 naming limit, before or state for values out of bounds")
    func badParameters() async throws {
        try await onThread {
            let api = try TaskAPIFixture()
            let cases: [(query: String, field: String)] = [
                ("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"), ("limit=-1", "limit"), ("limit=", "limit"),
                ("before=abc", "before"), ("before=0", "before"), ("before=-5", "before"),
                ("state=done", "state"), ("state=QUEUED", "state"),
                // Given empty is refused like any other value the list cannot take.
                ("state=", "state"), ("task=", "task"), ("before=", "before"),
            ]
            for (query, field) in cases {
                let answer = try api.call(.get, "/api/tasks?" + query)
                #expect(answer.status == 400, "\(query): \(answer.text)")
                #expect(answer.json["error"]?["message"]?.taskString?.hasPrefix(field + ":") == true, "\(query): \(answer.text)")
            }
            #expect(try api.call(.get, "/api/tasks?limit=1").status == 200)
            #expect(try api.call(.get, "/api/tasks?limit=100").status == 200)
            for state in ["queued", "running", "retrying", "succeeded", "failed", "cancelled"] {
                #expect(try api.call(.get, "/api/tasks?state=" + state).status == 200, "\(state)")
            }
        }
    }
}
