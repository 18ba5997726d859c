import Testing
import TestSupport
@testable import Web

/// A bad filter value on a list page shows the page again (400): the form refilled with what was
/// sent, the problem next to its field, and no list until it is corrected.
@Suite("Admin filter problems")
struct AdminFilterProblemsTests {
    /// The HTML of a page refused with 400 (checked).
    static func refused(
        _ harness: PagesHarness, _ path: String, _ query: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        let response = harness.get(path, query: query)
        #expect(response.status == 400, "\(path)?\(query)", sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8", sourceLocation: sourceLocation)
        return PagesHarness.html(response)
    }

    @Test("tasks: a bad state, time or cursor: 400, the form refilled, the problem at its field, no list")
    func tasks() async throws {
        try await onThread {
            let harness = try PagesHarness()
            let job = try harness.enqueue()
            let html = Self.refused(harness, "/admin/tasks", "state=bogus&task=test_task&from=2021-01-01")
            #expect(html.contains(#"<label class="invalid">State <select name="state">"#))
            #expect(html.contains(#"<span class="problem" role="alert">must be one of queued, "#))
            #expect(html.contains(#"<option value="test_task" selected>test_task</option>"#))
            #expect(html.contains(#"name="from" value="2021-01-01T00:00""#))
            #expect(html.contains("Correct the filter to see the jobs."))
            #expect(!html.contains("/admin/tasks/\(job.id)\""))

            let time = Self.refused(harness, "/admin/tasks", "from=%3Cyesterday%3E")
            #expect(time.contains(#"<label class="invalid">Created from (UTC) <input type="datetime-local" name="from" value="&lt;yesterday&gt;">"#))
            #expect(time.contains("must be a time such as 2026-11-25T08:00 (UTC)"))
            #expect(!time.contains("<yesterday>"))

            let cursor = Self.refused(harness, "/admin/tasks", "before=-3")
            #expect(cursor.contains(#"<p class="error" role="alert">before: must be a positive whole number</p>"#))

            // The list itself was fine: it is shown, with the find form's problem.
            let found = Self.refused(harness, "/admin/tasks/find", "id=x")
            #expect(found.contains(#"<label class="invalid">Job id <input type="number" name="id" min="1" inputmode="numeric" required value="x">"#))
            #expect(found.contains("must be a positive whole number"))
            #expect(found.contains("/admin/tasks/\(job.id)\""))
        }
    }

    @Test("searches and statistics: a bad value is shown again with its problem, 400")
    func otherLists() async throws {
        try await onThread {
            let harness = try PagesHarness()
            let searches = Self.refused(harness, "/admin/searches", "city=Oslo&from=tuesday")
            #expect(searches.contains(#"name="city" value="Oslo""#))
            #expect(searches.contains(#"<label class="invalid">From (UTC) <input type="datetime-local" name="from" value="tuesday">"#))
            #expect(searches.contains("Correct the filter to see the searches."))
            #expect(harness.get("/admin/searches", query: "city=Oslo").status == 200)

            let days = Self.refused(harness, "/admin/statistics", "days=0")
            #expect(days.contains(#"<label class="invalid">Days <input type="number" name="days" min="1" max="366" value="0""#))
            #expect(days.contains("must be a whole number from 1 to 366"))
            let city = Self.refused(harness, "/admin/statistics", "city=nocomma")
            #expect(city.contains(#"<label class="invalid">City"#) && city.contains("must be CITY,COUNTRY as the menu sends it"))
        }
    }
}
