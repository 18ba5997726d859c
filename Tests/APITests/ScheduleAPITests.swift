import AppSupport
import HTTPClient
import Postgres
import Testing
import TestSupport

/// `/api/schedules` through nginx: list, pause, resume, run now, auth and unknown names.
@Suite("/api/schedules")
struct ScheduleAPITests {
    @Test("lists the seven schedules with cron, words, next run, runs and paused; pause, resume and run now")
    func lifecycle() async throws {
        try await onThread {
            let harness = try APIDataHarness(syncSchedules: true)
            let list = try harness.call(.get, "/api/schedules")
            #expect(list.status == 200, "\(list.response.bodyText)")
            guard case .array(let items)? = list.json["items"] else {
                Issue.record("no items: \(list.response.bodyText)")
                return
            }
            #expect(items.count == 7)
            let health = items.first { $0["name"] == "health-check" }
            #expect(health?["cron"] == "*/15 * * * *")
            #expect(health?["task"] == "health_check")
            #expect(health?["paused"] == false)
            #expect(health?["runs"] == 0)
            #expect(health?["last_run"] == .null)
            if case .string(let words)? = health?["cron_words"] { #expect(!words.isEmpty) } else { Issue.record("no cron_words") }
            if case .string(let next)? = health?["next_run_at"] { #expect(next.hasPrefix("20")) } else { Issue.record("no next_run_at") }

            let paused = try harness.call(.post, "/api/schedules/health-check/pause")
            #expect(paused.status == 200)
            #expect(paused.json["name"] == "health-check" && paused.json["paused"] == true)
            let pausedAgain = try harness.call(.post, "/api/schedules/health-check/pause")
            #expect(pausedAgain.status == 200 && pausedAgain.json["paused"] == true)
            let stored = try harness.database.query("SELECT paused FROM schedules WHERE name = 'health-check'").first?.decode(Bool.self, "paused")
            #expect(stored == true)
            let resumed = try harness.call(.post, "/api/schedules/health-check/resume")
            #expect(resumed.status == 200 && resumed.json["paused"] == false)

            let run = try harness.call(.post, "/api/schedules/export-weather-data-json/run")
            #expect(run.status == 202, "\(run.response.bodyText)")
            #expect(run.json["task"] == "export_weather_data")
            #expect(run.json["queue"] == "default")
            #expect(run.json["args"] == ["format": "json"])
            #expect(run.json["state"] == "queued")
            guard case .int(let id)? = run.json["id"] else {
                Issue.record("no job id: \(run.response.bodyText)")
                return
            }
            let job = try harness.database.query("SELECT task, queue FROM jobs WHERE id = \(id)").first
            #expect(try job?.decode(String.self, "task") == "export_weather_data")
            // A run-now is not a cron slot.
            let slots = try harness.database.query("SELECT count(*)::bigint AS n FROM schedule_runs").first?.decode(Int.self, "n")
            #expect(slots == 0)
            let second = try harness.call(.post, "/api/schedules/export-weather-data-json/run")
            #expect(second.status == 202)
            #expect(second.json["id"] != run.json["id"])
        }
    }

    @Test("pages by name cover every schedule once; next_after ends with null; bad limit is a 400")
    func pages() async throws {
        try await onThread {
            let harness = try APIDataHarness(syncSchedules: true)
            let names = try harness.database.query("SELECT name FROM schedules ORDER BY name").map { try $0.decode(String.self, "name") }
            #expect(names.count == 7)
            var seen: [String] = []
            var after: String?
            var sizes: [Int] = []
            repeat {
                let answer = try harness.call(.get, "/api/schedules?limit=3" + (after.map { "&after=\($0)" } ?? ""))
                #expect(answer.status == 200, "\(answer.response.bodyText)")
                guard case .array(let items)? = answer.json["items"] else { break }
                sizes.append(items.count)
                seen += items.compactMap { if case .string(let name)? = $0["name"] { name } else { nil } }
                if case .string(let next)? = answer.json["next_after"] {
                    #expect(next == seen.last)
                    after = next
                } else {
                    after = nil
                }
            } while after != nil && sizes.count < 10
            #expect(seen == names)
            #expect(sizes == [3, 3, 1])
            let end = try harness.call(.get, "/api/schedules?after=zzz")
            #expect(end.status == 200 && end.json == ["items": [], "next_after": nil])
            for bad in ["limit=0", "limit=x", "limit=", "after="] {
                let answer = try harness.call(.get, "/api/schedules?" + bad)
                #expect(answer.status == 400, "\(bad)")
                #expect(answer.message.hasPrefix(String(bad.prefix { $0 != "=" }) + ":"), "\(bad): \(answer.message)")
            }
        }
    }

    @Test("401 without a valid token, 404 for an unknown schedule, 405 for a wrong method")
    func errors() async throws {
        try await onThread {
            let harness = try APIDataHarness(syncSchedules: true)
            for (method, path) in [
                (HTTPMethod.get, "/api/schedules"), (.post, "/api/schedules/health-check/run"),
                (.post, "/api/schedules/health-check/pause"), (.post, "/api/schedules/health-check/resume"),
            ] {
                let bare = try harness.call(method, path, authorized: false)
                #expect(bare.status == 401, "\(path)")
                #expect(bare.code == "unauthorized")
                let wrong = try harness.call(method, path, token: "wst_not-a-real-token")
                #expect(wrong.status == 401, "\(path)")
            }
            let jobs = try harness.database.query("SELECT count(*)::bigint AS n FROM jobs").first?.decode(Int.self, "n")
            #expect(jobs == 0)
            for action in ["run", "pause", "resume"] {
                let unknown = try harness.call(.post, "/api/schedules/no-such-schedule/\(action)")
                #expect(unknown.status == 404, "\(action)")
                #expect(unknown.message.contains("no-such-schedule") && unknown.message.contains("health-check"), "\(unknown.message)")
            }
            #expect(try harness.call(.get, "/api/schedules/health-check/run").status == 405)
            #expect(try harness.call(.post, "/api/schedules").status == 405)
        }
    }
}
