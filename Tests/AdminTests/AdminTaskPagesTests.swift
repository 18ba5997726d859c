import AppSupport
import Foundation
import Jobs
import Testing
import TestSupport
@testable import Web

/// The job pages and actions: list with filters and pages, the job page (args, result, every
/// attempt's error, progress), retry, cancel and the enqueue form.
@Suite("Admin pages: tasks")
struct AdminTaskPagesTests {
    static let hostile = #"<script>alert(1)</script>"#
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"

    @Test("hostile args are shown escaped on the job page and in the list")
    func hostileArgsEscaped() async throws {
        try await onThread {
            let harness = try PagesHarness()
            let job = try harness.enqueue(args: ["x": .string(Self.hostile), "\"><img src=x>": 1])
            for response in [harness.get("/admin/tasks/\(job.id)"), harness.get("/admin/tasks")] {
                #expect(response.status == 200)
                let html = PagesHarness.html(response)
                #expect(!html.contains("<script>alert"))
                #expect(!html.contains("<img src=x>"))
                #expect(html.contains("alert(1)"))
            }
            let page = PagesHarness.html(harness.get("/admin/tasks/\(job.id)"))
            #expect(page.contains(#"&quot;x&quot;: &quot;\#(Self.escaped)&quot;"#))
        }
    }

    @Test("the job page shows args, result, every attempt's error, times, worker and a live progress bar")
    func jobPage() async throws {
        try await onThread {
            let harness = try PagesHarness()
            let failed = try harness.enqueue(args: ["message": "hello"])
            try harness.db.execute(
                """
                INSERT INTO job_attempts (job_id, attempt, worker, started_at, outcome, error)
                VALUES (\(failed.id), 1, 'host-a:1:x', now() - interval '5 minutes', 'retrying', 'first <b>error</b>'),
                       (\(failed.id), 2, 'host-b:2:y', now() - interval '3 minutes', 'failed', 'second error')
                """)
            try harness.finish(failed.id, state: "failed", error: "second error")
            let html = PagesHarness.html(harness.get("/admin/tasks/\(failed.id)"))
            #expect(html.contains("first &lt;b&gt;error&lt;/b&gt;") && html.contains("second error"))
            #expect(html.contains("host-b:2:y") && html.contains("host-a:1:x"))
            #expect(html.contains(#"&quot;message&quot;: &quot;hello&quot;"#))
            #expect(html.contains("/admin/tasks/\(failed.id)/retry"))
            #expect(!html.contains("/admin/tasks/\(failed.id)/cancel"))
            #expect(!html.contains("<progress"))

            let succeeded = try harness.enqueue()
            try harness.finish(succeeded.id, state: "succeeded", result: #"{"answer": 42}"#)
            let done = PagesHarness.html(harness.get("/admin/tasks/\(succeeded.id)"))
            #expect(done.contains("&quot;answer&quot;: 42"))
            #expect(!done.contains("/retry"))

            let running = try harness.enqueue()
            try harness.db.execute(
                """
                UPDATE jobs SET state = 'running', attempts = 1, worker = 'host-c:3:z', started_at = now(),
                    progress_current = 3, progress_total = 10, progress_message = 'city 3'
                WHERE id = \(running.id)
                """)
            let live = PagesHarness.html(harness.get("/admin/tasks/\(running.id)"))
            #expect(live.contains(#"<progress id="job-progress" data-progress-url="/admin/tasks/\#(running.id)/progress" max="10" value="3">"#))
            #expect(live.contains("/admin/tasks/\(running.id)/cancel"))
            let progress = harness.get("/admin/tasks/\(running.id)/progress")
            #expect(progress.status == 200)
            #expect(progress.header("Content-Type") == "application/json")
            let body = try JSONValue.parse(progress.body)
            #expect(body["state"] == "running" && body["current"] == 3 && body["total"] == 10 && body["finished"] == false)
            #expect(body["text"] == "3 of 10 · city 3" && body["finished_at"] == .null)

            #expect(harness.get("/admin/tasks/999999").status == 404)
            #expect(harness.get("/admin/tasks/abc").status == 404)
            #expect(harness.get("/admin/tasks/999999/progress").status == 404)
            let find = harness.get("/admin/tasks/find", query: "id=\(failed.id)")
            #expect(find.status == 303 && find.header("Location") == "/admin/tasks/\(failed.id)")
            #expect(harness.get("/admin/tasks/find", query: "id=x").status == 400)
        }
    }

    @Test("the list filters by state, task and time, and pages with a cursor")
    func listFiltersAndPages() async throws {
        try await onThread {
            let harness = try PagesHarness()
            var ids: [Int] = []
            for index in 0..<30 { ids.append(try harness.enqueue(args: ["i": .int(index)]).id) }
            let other = try harness.enqueue("health_check")
            try harness.finish(ids[0], state: "failed", error: "bad")
            try harness.db.execute("UPDATE jobs SET created_at = '2020-01-01T00:00:00Z' WHERE id = \(ids[1])")

            let first = PagesHarness.html(harness.get("/admin/tasks"))
            #expect(first.contains(#"href="/admin/tasks/\#(other.id)""#))
            #expect(first.components(separatedBy: #"<td data-label="Id">"#).count - 1 == 25)
            // 31 jobs: the first page ends at ids[6], the second holds ids[5] to ids[0].
            let older = "/admin/tasks?before=\(ids[6])"
            #expect(first.contains(#"href="\#(older)""#))
            let second = PagesHarness.html(harness.get("/admin/tasks", query: "before=\(ids[6])"))
            #expect(second.components(separatedBy: #"<td data-label="Id">"#).count - 1 == 6)
            #expect(second.contains(#"href="/admin/tasks/\#(ids[0])""#) && !second.contains(#"href="/admin/tasks/\#(ids[6])""#))
            #expect(!second.contains("rel=\"next\""))

            let failed = PagesHarness.html(harness.get("/admin/tasks", query: "state=failed"))
            #expect(failed.contains(#"href="/admin/tasks/\#(ids[0])""#) && !failed.contains(#"href="/admin/tasks/\#(ids[2])""#))
            #expect(failed.contains(#"<option value="failed" selected>"#))
            let health = PagesHarness.html(harness.get("/admin/tasks", query: "task=health_check&state="))
            #expect(health.contains(#"href="/admin/tasks/\#(other.id)""#) && !health.contains(#"href="/admin/tasks/\#(ids[2])""#))
            let old = PagesHarness.html(harness.get("/admin/tasks", query: "from=2019-12-31T00%3A00&to=2020-01-02"))
            #expect(old.contains(#"href="/admin/tasks/\#(ids[1])""#) && !old.contains(#"href="/admin/tasks/\#(ids[2])""#))
            #expect(old.contains(#"value="2019-12-31T00:00""#))
            let recent = PagesHarness.html(harness.get("/admin/tasks", query: "from=2021-01-01&state=queued"))
            #expect(recent.contains(#"href="/admin/tasks/\#(ids[29])""#) && recent.contains(#"href="/admin/tasks/\#(other.id)""#))
            let recentOlder = PagesHarness.html(harness.get("/admin/tasks", query: "from=2021-01-01&state=queued&before=\(ids[5])"))
            #expect(recentOlder.contains(#"href="/admin/tasks/\#(ids[2])""#) && !recentOlder.contains(#"href="/admin/tasks/\#(ids[1])""#))
            #expect(!recentOlder.contains(#"href="/admin/tasks/\#(ids[0])""#))
            #expect(harness.get("/admin/tasks", query: "state=sleeping").status == 400)
            #expect(harness.get("/admin/tasks", query: "from=yesterday").status == 400)
            #expect(harness.get("/admin/tasks", query: "before=-3").status == 400)
        }
    }

    @Test("retry enqueues a copy of a failed or cancelled job; cancel stops one that has not finished")
    func retryAndCancel() async throws {
        try await onThread {
            let harness = try PagesHarness()
            let failed = try harness.enqueue(args: ["message": "again"], queue: "slow")
            try harness.finish(failed.id, state: "failed", error: "boom")
            let retried = harness.post("/admin/tasks/\(failed.id)/retry")
            #expect(retried.status == 303)
            let location = try #require(retried.header("Location"))
            let newID = try #require(Int(location.dropFirst("/admin/tasks/".count).prefix { $0.isNumber }))
            #expect(newID != failed.id && location.hasSuffix("?notice=retried"))
            #expect(try harness.count("SELECT count(*)::bigint AS n FROM jobs WHERE id = \(newID) AND state = 'queued' AND queue = 'slow' AND args = '{\"message\": \"again\"}'::jsonb") == 1)
            #expect(PagesHarness.html(harness.get("/admin/tasks/\(newID)", query: "notice=retried")).contains("A copy of the job was enqueued"))
            // Only failed or cancelled jobs.
            #expect(harness.post("/admin/tasks/\(newID)/retry").status == 409)
            #expect(harness.post("/admin/tasks/999999/retry").status == 404)

            let cancel = harness.post("/admin/tasks/\(newID)/cancel")
            #expect(cancel.status == 303 && cancel.header("Location") == "/admin/tasks/\(newID)?notice=cancelled")
            #expect(try harness.count("SELECT count(*)::bigint AS n FROM jobs WHERE id = \(newID) AND state = 'cancelled'") == 1)
            #expect(harness.post("/admin/tasks/\(newID)/cancel").status == 409)
            // A cancelled job can be retried too.
            #expect(harness.post("/admin/tasks/\(newID)/retry").status == 303)

            let running = try harness.enqueue()
            try harness.db.execute("UPDATE jobs SET state = 'running', attempts = 1, worker = 'w', started_at = now() WHERE id = \(running.id)")
            let stop = harness.post("/admin/tasks/\(running.id)/cancel")
            #expect(stop.header("Location") == "/admin/tasks/\(running.id)?notice=stop_requested")
            #expect(try harness.count("SELECT count(*)::bigint AS n FROM jobs WHERE id = \(running.id) AND cancel_requested") == 1)
        }
    }

    @Test("the enqueue form lists the tasks, refuses malformed JSON with the form again (400), and enqueues")
    func enqueueForm() async throws {
        try await onThread {
            let harness = try PagesHarness()
            let form = harness.get("/admin/tasks/new", query: "task=health_check")
            #expect(form.status == 200)
            let html = PagesHarness.html(form)
            for task in PagesHarness.registry.all.map(\.name) { #expect(html.contains(#"<option value="\#(task)""#)) }
            #expect(html.contains(#"<option value="health_check" selected>"#))
            #expect(html.contains(#"name="csrf_token" value="\#(harness.csrf)""#))

            let before = try harness.count("SELECT count(*)::bigint AS n FROM jobs")
            let bad = harness.post("/admin/tasks/new", ["task": "test_task", "args": #"{"x": "<script>alert(1)</script>""#])
            #expect(bad.status == 400)
            let badHTML = PagesHarness.html(bad)
            #expect(badHTML.contains("args: is not valid JSON"))
            #expect(badHTML.contains(#"{&quot;x&quot;: &quot;\#(Self.escaped)&quot;"#))
            #expect(!badHTML.contains("<script>alert"))
            #expect(harness.post("/admin/tasks/new", ["task": "test_task", "args": "[1]"]).status == 400)
            #expect(harness.post("/admin/tasks/new", ["task": "", "args": "{}"]).status == 400)
            #expect(PagesHarness.html(harness.post("/admin/tasks/new", ["task": "nope", "args": "{}"])).contains("no task is registered as nope"))
            #expect(harness.post("/admin/tasks/new", ["task": "test_task", "args": "{}", "priority": "high"]).status == 400)
            #expect(harness.post("/admin/tasks/new", ["task": "test_task", "args": "{}", "delay_seconds": "-1"]).status == 400)
            #expect(harness.post("/admin/tasks/new", ["task": "test_task", "args": "{}", "queue": String(repeating: "q", count: 65)]).status == 400)
            #expect(try harness.count("SELECT count(*)::bigint AS n FROM jobs") == before)

            let good = harness.post(
                "/admin/tasks/new", ["task": "test_task", "args": #"{"x": "<script>alert(1)</script>"}"#, "queue": "slow", "priority": "5", "delay_seconds": "60"])
            #expect(good.status == 303)
            let location = try #require(good.header("Location"))
            let id = try #require(Int(location.dropFirst("/admin/tasks/".count)))
            #expect(try harness.count(
                "SELECT count(*)::bigint AS n FROM jobs WHERE id = \(id) AND queue = 'slow' AND priority = 5 AND run_at > now() + interval '30 seconds' AND args ->> 'x' = '<script>alert(1)</script>'") == 1)
            let page = PagesHarness.html(harness.get("/admin/tasks/\(id)"))
            #expect(page.contains(Self.escaped) && !page.contains("<script>alert"))
        }
    }

    @Test("the dashboard shows jobs by queue and state, the throughput chart, workers, failing schedules and latest failures")
    func dashboard() async throws {
        try await onThread {
            let harness = try PagesHarness()
            try ScheduleStoreFixture.sync(harness)
            let failed = try harness.enqueue(args: ["x": "<b>"], queue: "reports")
            try harness.finish(failed.id, state: "failed", error: "it <broke>", minutesAgo: 3)
            for _ in 0..<4 {
                let job = try harness.enqueue()
                try harness.finish(job.id, state: "succeeded", result: "{}", minutesAgo: 1)
            }
            try harness.enqueue()
            try harness.db.execute(
                """
                INSERT INTO schedule_runs (schedule, slot, host, pid, state, reason, finished_at, job_id)
                VALUES ('health-check', '2026-01-01 10:15', 'cron-host', 42, 'failed', 'queue too deep', now(), \(failed.id))
                """)
            try harness.db.execute(
                "INSERT INTO workers (id, host, pid, queues, concurrency) VALUES ('h:1:n', 'h', 1, '{default}', 4), ('h:2:n', 'h', 2, '{default}', 4)")
            let html = PagesHarness.html(harness.get("/admin/"))
            #expect(html.contains(#"<th scope="row">reports</th>"#) && html.contains(#"<th scope="row">default</th>"#))
            #expect(html.contains(#"<td class="num" data-label="succeeded"><a href="/admin/tasks?state=succeeded" title="succeeded">4</a></td>"#))
            #expect(html.contains(#"<td class="num" data-label="queued"><a href="/admin/tasks?state=queued" title="queued">1</a></td>"#))
            #expect(html.contains(#"<svg class="chart""#) && html.contains("5 in all, 1 failed"))
            #expect(html.contains(#"<rect class="bad""#) && html.contains(#"<rect class="ok""#))
            #expect(html.contains(#"<span class="figure">2</span> live workers"#))
            #expect(html.contains(#"<a href="/admin/schedules/health-check">health-check</a>"#) && html.contains("queue too deep"))
            #expect(html.contains(#"<a href="/admin/tasks/\#(failed.id)">Job \#(failed.id)</a>"#) && html.contains("it &lt;broke&gt;"))
            #expect(html.contains("auto-refresh"))
        }
    }
}
