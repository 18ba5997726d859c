import AppSupport
import Foundation
import Testing
import TestSupport
@testable import Web

/// Schedules (pause, resume, run now), workers, searches, statistics, alerts and exports.
@Suite("Admin pages: schedules, workers, weather, exports")
struct AdminOtherPagesTests {
    @Test("schedules: cron in words, next and last run, runs; pause, resume and run now change the database")
    func schedules() async throws {
        try await onThread {
            let harness = try PagesHarness()
            try ScheduleStoreFixture.sync(harness)
            try harness.db.execute(
                """
                INSERT INTO schedule_runs (schedule, slot, host, pid, state, reason, finished_at)
                VALUES ('health-check', '2026-01-01 10:15', 'cron-<host>', 42, 'failed', 'queue <too> deep', now())
                """)
            try harness.db.execute("UPDATE schedules SET runs = 7 WHERE name = 'health-check'")
            let list = PagesHarness.html(harness.get("/admin/schedules"))
            #expect(list.contains(#"<a href="/admin/schedules/health-check">health-check</a>"#))
            #expect(list.contains("every 15 minutes") || list.contains("Every 15 minutes") || list.contains("*/15"))
            #expect(list.contains(#"<span class="state state-failed">failed</span> 2026-01-01 10:15"#))
            #expect(list.contains(#"<td data-label="Runs" class="num">7</td>"#))
            #expect(list.contains(#"action="/admin/schedules/health-check/pause""#))

            let pause = harness.post("/admin/schedules/health-check/pause", ["back": "schedule"])
            #expect(pause.status == 303 && pause.header("Location") == "/admin/schedules/health-check?notice=paused")
            #expect(try harness.count("SELECT count(*)::bigint AS n FROM schedules WHERE name = 'health-check' AND paused") == 1)
            let detail = PagesHarness.html(harness.get("/admin/schedules/health-check", query: "notice=paused"))
            #expect(detail.contains("The schedule is paused") && detail.contains(#"action="/admin/schedules/health-check/resume""#))
            #expect(detail.contains("cron-&lt;host&gt; (42)") && detail.contains("queue &lt;too&gt; deep"))
            let resume = harness.post("/admin/schedules/health-check/resume")
            #expect(resume.status == 303 && resume.header("Location") == "/admin/schedules?notice=resumed")
            #expect(PagesHarness.html(harness.get("/admin/schedules", query: "notice=resumed")).contains("The schedule runs again at its times."))
            #expect(try harness.count("SELECT count(*)::bigint AS n FROM schedules WHERE paused") == 0)

            let run = harness.post("/admin/schedules/health-check/run")
            #expect(run.status == 303)
            let location = try #require(run.header("Location"))
            let id = try #require(Int(location.dropFirst("/admin/tasks/".count).prefix { $0.isNumber }))
            #expect(try harness.count("SELECT count(*)::bigint AS n FROM jobs WHERE id = \(id) AND task = 'health_check' AND state = 'queued'") == 1)

            #expect(harness.get("/admin/schedules/nope").status == 404)
            #expect(harness.post("/admin/schedules/nope/pause").status == 404)
            #expect(harness.post("/admin/schedules/nope/run").status == 404)
        }
    }

    @Test("workers: host, pid, queues, started, last heartbeat, and what each runs now")
    func workers() async throws {
        try await onThread {
            let harness = try PagesHarness()
            try harness.db.execute(
                """
                INSERT INTO workers (id, host, pid, queues, concurrency, last_heartbeat_at)
                VALUES ('alpha:101:n', 'alpha', 101, '{default,reports}', 4, now()),
                       ('beta:202:n', 'beta', 202, '{default}', 2, now() - interval '10 minutes')
                """)
            let job = try harness.enqueue("bulk_weather_update")
            try harness.db.execute(
                """
                UPDATE jobs SET state = 'running', attempts = 1, worker = 'alpha:101:n', started_at = now(), progress_current = 2, progress_total = 5
                WHERE id = \(job.id)
                """)
            let html = PagesHarness.html(harness.get("/admin/workers"))
            #expect(html.contains("alpha · pid 101") && html.contains("beta · pid 202"))
            #expect(html.contains("default,reports (concurrency 4)"))
            #expect(html.contains(#"<span class="state state-live">live</span> alpha"#))
            #expect(html.contains(#"<span class="state state-silent">silent</span> beta"#))
            #expect(html.contains(#"<a href="/admin/tasks/\#(job.id)">Job \#(job.id)</a> bulk_weather_update"#) && html.contains("2/5"))
            #expect(html.contains("1 live."))
        }
    }

    @Test("searches: filter by city and time, pages by cursor, text escaped")
    func searches() async throws {
        try await onThread {
            let harness = try PagesHarness()
            for index in 0..<30 {
                try harness.db.execute(
                    """
                    INSERT INTO weather_searches (city, country, temperature, humidity, wind_speed, condition_description, searched_at)
                    VALUES (\(index % 3 == 0 ? "Oslo" : "Rome"), \(index % 3 == 0 ? "NO" : "IT"), \(Double(index)), 50, 3.5, 'clear <sky>',
                            '2026-01-01T00:00:00Z'::timestamptz + \(index) * interval '1 hour')
                    """)
            }
            let first = PagesHarness.html(harness.get("/admin/searches"))
            #expect(first.components(separatedBy: #"<td data-label="Id">"#).count - 1 == 25)
            #expect(first.contains("clear &lt;sky&gt;") && !first.contains("<sky>"))
            let older = try #require(first.range(of: #"href="/admin/searches?before="#))
            let cursor = first[older.upperBound...].prefix { $0.isNumber }
            let second = PagesHarness.html(harness.get("/admin/searches", query: "before=\(cursor)"))
            #expect(second.components(separatedBy: #"<td data-label="Id">"#).count - 1 == 5)

            let oslo = PagesHarness.html(harness.get("/admin/searches", query: "city=oslo"))
            #expect(oslo.components(separatedBy: #"<td data-label="Id">"#).count - 1 == 10)
            #expect(!oslo.contains("Rome"))
            let window = PagesHarness.html(harness.get("/admin/searches", query: "city=Rome&from=2026-01-01T10%3A00&to=2026-01-01T13%3A00"))
            // Hours 10, 11 and 13 are Rome's (12 is Oslo's), 13 is excluded.
            #expect(window.components(separatedBy: #"<td data-label="Id">"#).count - 1 == 2)
            #expect(window.contains(#"value="2026-01-01T10:00""#) && window.contains(#"name="city" value="Rome""#))
            #expect(harness.get("/admin/searches", query: "from=tuesday").status == 400)
        }
    }

    @Test("statistics: one city's daily temperature as an SVG chart and a table")
    func statistics() async throws {
        try await onThread {
            let harness = try PagesHarness()
            let today = CalendarDayText.today()
            for back in 0..<5 {
                let day = CalendarDayText.daysBefore(today, back)
                try harness.db.execute(
                    """
                    INSERT INTO weather_daily_statistics (day, city, country, searches, temperature_avg, temperature_min, temperature_max)
                    VALUES (\(day)::date, 'Oslo', 'NO', 3, \(Double(back)), \(Double(back) - 2.5), \(Double(back) + 4)),
                           (\(day)::date, '<Evil>', 'XX', 1, 30, 29, 31)
                    """)
            }
            let page = harness.get("/admin/statistics", query: "city=Oslo%2CNO&days=7")
            #expect(page.status == 200)
            let html = PagesHarness.html(page)
            #expect(html.contains(#"<option value="Oslo,NO" selected>Oslo (NO)</option>"#))
            #expect(html.contains("&lt;Evil&gt; (XX)") && !html.contains("<Evil>"))
            #expect(html.contains(#"<svg class="chart""#) && html.contains("<polyline class=\"avg\""))
            #expect(html.components(separatedBy: #"<circle class="avg""#).count - 1 == 5)
            #expect(html.contains(#"<td data-label="Day">\#(today)</td>"#) && html.contains(#"<td data-label="Max °C" class="num">4.0</td>"#))
            let evil = PagesHarness.html(harness.get("/admin/statistics", query: "city=%3CEvil%3E%2CXX"))
            #expect(evil.contains("Daily temperature in &lt;Evil&gt; (XX)") && !evil.contains("<Evil>"))
            #expect(harness.get("/admin/statistics", query: "days=0").status == 400)
            #expect(harness.get("/admin/statistics", query: "city=nocomma").status == 400)
        }
    }

    @Test("alerts: newest first, by cursor, escaped")
    func alerts() async throws {
        try await onThread {
            let harness = try PagesHarness()
            for index in 0..<27 {
                try harness.db.execute(
                    """
                    INSERT INTO weather_alerts (city, country, kind, value, threshold, message, observed_at)
                    VALUES (\("Town\(index)"), 'XX', 'heat', 40, 35, \("hot <b>\(index)</b>"), now())
                    """)
            }
            let first = PagesHarness.html(harness.get("/admin/alerts"))
            #expect(first.components(separatedBy: #"<td data-label="Id">"#).count - 1 == 25)
            #expect(first.contains("Town26") && !first.contains("Town1 ") && first.contains("hot &lt;b&gt;26&lt;/b&gt;"))
            let older = try #require(first.range(of: #"href="/admin/alerts?before="#))
            let cursor = first[older.upperBound...].prefix { $0.isNumber }
            let second = PagesHarness.html(harness.get("/admin/alerts", query: "before=\(cursor)"))
            #expect(second.components(separatedBy: #"<td data-label="Id">"#).count - 1 == 2)
            #expect(second.contains("Town0") && second.contains("« Newest"))
        }
    }

    @Test("exports: list, start a new one, download through X-Accel-Redirect with the stored name only")
    func exports() async throws {
        try await onThread {
            let harness = try PagesHarness()
            try harness.db.execute(
                """
                INSERT INTO weather_exports (format, state, file_name, row_count, byte_count, sha256, finished_at)
                VALUES ('csv', 'succeeded', 'weather-20260101T000000Z-1.csv', 10, 2048, 'abc', now())
                """)
            let done = try harness.count("SELECT max(id)::bigint AS n FROM weather_exports")
            try harness.db.execute("INSERT INTO weather_exports (format) VALUES ('json')")
            let running = try harness.count("SELECT max(id)::bigint AS n FROM weather_exports")
            try harness.db.execute(
                "INSERT INTO weather_exports (format, state, file_name, finished_at) VALUES ('json', 'succeeded', '..hidden', now())")
            let dotted = try harness.count("SELECT max(id)::bigint AS n FROM weather_exports")

            let list = PagesHarness.html(harness.get("/admin/exports"))
            #expect(list.contains(#"<a href="/admin/exports/\#(done)/download" download>weather-20260101T000000Z-1.csv</a>"#))
            #expect(!list.contains("/admin/exports/\(running)/download"))
            #expect(list.contains("2.0 KiB"))

            let download = harness.get("/admin/exports/\(done)/download")
            #expect(download.status == 200)
            #expect(download.header("X-Accel-Redirect") == "/protected-exports/weather-20260101T000000Z-1.csv")
            #expect(download.header("Content-Type") == "text/csv; charset=utf-8")
            #expect(download.body.isEmpty)
            for id in [String(running), String(dotted), "999999", "abc", "0"] {
                let refused = harness.get("/admin/exports/\(id)/download")
                #expect(refused.status == 404, "\(id)")
                #expect(refused.header("X-Accel-Redirect") == nil)
            }

            let start = harness.post("/admin/exports", ["format": "csv", "city": "Oslo", "from": "2026-01-01", "to": ""])
            #expect(start.status == 303)
            let location = try #require(start.header("Location"))
            #expect(location.hasPrefix("/admin/exports?notice=export_started&job="))
            let id = try #require(Int(location.dropFirst("/admin/exports?notice=export_started&job=".count)))
            let followed = PagesHarness.html(harness.get("/admin/exports", query: "notice=export_started&job=\(id)"))
            #expect(followed.contains(#"<a href="/admin/tasks/\#(id)">job \#(id)</a>"#) && followed.contains(#"data-refresh-seconds="5""#))
            #expect(followed.contains("The export was enqueued."))
            #expect(try harness.count(
                """
                SELECT count(*)::bigint AS n FROM jobs WHERE id = \(id) AND task = 'export_weather_data'
                  AND args = '{"format": "csv", "city": "Oslo", "from": "2026-01-01"}'::jsonb
                """) == 1)
            #expect(harness.post("/admin/exports", ["format": "xml"]).status == 400)
            #expect(harness.post("/admin/exports", ["format": "json", "from": "soon"]).status == 400)
        }
    }
}
