import AppSupport
import Foundation
import Testing
@testable import Web

/// The pure helpers of the admin pages: formatting, time fields, JSON for people, SVG charts.
@Suite("Admin page helpers")
struct AdminPageHelpersTests {
    @Test("numbers, times and ages are written one way everywhere")
    func formatting() {
        #expect(AdminFormat.number(3.14159) == "3.1")
        #expect(AdminFormat.number(-0.04) == "0.0")
        #expect(AdminFormat.number(-2.55, digits: 1) == "-2.6" || AdminFormat.number(-2.55, digits: 1) == "-2.5")
        #expect(AdminFormat.number(-12.0, digits: 0) == "-12")
        #expect(AdminFormat.number(7.25, digits: 2) == "7.25")
        #expect(AdminFormat.number(.nan) == "–")
        let date = Date(timeIntervalSince1970: 1_764_059_403.5)
        #expect(AdminFormat.time(date) == "2025-11-25 08:30:03")
        #expect(AdminFormat.time(nil) == nil)
        #expect(AdminFormat.ago(date, now: date.addingTimeInterval(12)) == "12 s ago")
        #expect(AdminFormat.ago(date, now: date.addingTimeInterval(600)) == "10 min ago")
        #expect(AdminFormat.ago(date, now: date.addingTimeInterval(-7200)) == "in 2 h")
        #expect(AdminFormat.ago(date, now: date.addingTimeInterval(3 * 86400)) == "3 d ago")
        #expect(AdminFormat.query([("a", "x y&z"), ("b", nil), ("c", "1")]) == "?a=x%20y%26z&c=1")
        #expect(AdminFormat.query([("b", nil)]) == "")
    }

    @Test("time fields: datetime-local, dates and ISO 8601 are UTC; anything else is refused")
    func timeFields() {
        let expected = Timestamps.parseISO8601("2026-11-25T08:00:00Z")
        #expect(AdminTime.parse("2026-11-25T08:00") == expected)
        #expect(AdminTime.parse("2026-11-25 08:00") == expected)
        #expect(AdminTime.parse("2026-11-25T08:00:00") == expected)
        #expect(AdminTime.parse("2026-11-25T09:00:00+01:00") == expected)
        #expect(AdminTime.parse("2026-11-25") == Timestamps.parseISO8601("2026-11-25T00:00:00Z"))
        for bad in ["yesterday", "2026-13-01", "2026-11-25T25:00", "", "1764059403"] { #expect(AdminTime.parse(bad) == nil, "\(bad)") }
        #expect(AdminTime.field(expected) == "2026-11-25T08:00")
    }

    @Test("JSON for people: indented, keys sorted, strings readable (the template escapes HTML)")
    func prettyJSON() throws {
        let value = try JSONValue.parse(#"{"b": [1, 2.5, null, true], "a": {"x": "<i>\"q\"\n"}, "e": {}, "f": []}"#)
        #expect(AdminFormat.prettyJSON(value) == """
            {
              "a": {
                "x": "<i>\\"q\\"\\n"
              },
              "b": [
                1,
                2.5,
                null,
                true
              ],
              "e": {},
              "f": []
            }
            """)
        #expect(AdminFormat.compactJSON(value) == #"{"a": {"x": "<i>\"q\"\n"}, "b": [1, 2.5, null, true], "e": {}, "f": []}"#)
        #expect(AdminFormat.jsonString("\u{1}\u{2028}") == #""\u0001\u2028""#)
        // What the page shows parses back to the same value.
        #expect(try JSONValue.parse(AdminFormat.prettyJSON(value)) == value)
    }

    @Test("charts are built from numbers; every text in them is escaped")
    func charts() {
        var succeeded = Array(repeating: 0, count: 60), failed = Array(repeating: 0, count: 60)
        succeeded[0] = 8
        failed[59] = 2
        let throughput = AdminCharts.throughput(succeeded: succeeded, failed: failed)
        #expect(throughput.hasPrefix("<svg class=\"chart\"") && throughput.hasSuffix("</svg>"))
        #expect(throughput.contains("10 in all, 2 failed; peak 8 a minute"))
        #expect(throughput.components(separatedBy: "<rect ").count - 1 == 2)
        #expect(!throughput.contains("style="))
        let empty = AdminCharts.throughput(succeeded: [], failed: [])
        #expect(!empty.contains("<rect") && !empty.contains("nan"))

        let days = [
            AdminCharts.Day(day: "2026-11-24", average: 1, minimum: -3, maximum: 4),
            AdminCharts.Day(day: "<script>", average: 2, minimum: 0, maximum: 5),
        ]
        let chart = AdminCharts.temperatures(days, label: "Oslo <b>&</b>")
        #expect(chart.contains("Oslo &lt;b&gt;&amp;&lt;/b&gt;") && chart.contains("&lt;script&gt;"))
        #expect(!chart.contains("<script>") && !chart.contains("<b>"))
        #expect(chart.components(separatedBy: "<circle").count - 1 == 2)
        let one = AdminCharts.temperatures([AdminCharts.Day(day: "2026-11-24", average: 1, minimum: 1, maximum: 1)], label: "x")
        #expect(!one.contains("nan") && !one.contains("inf"))
        #expect(!AdminCharts.temperatures([], label: "x").contains("<polyline"))
    }

    @Test("only bare file names are served from the export folder")
    func bareNames() {
        #expect(ExportPages.isBareName("weather-20260101T000000Z-1.csv"))
        for bad in ["", "../etc/passwd", "a/b.csv", "..", "x..y", ".hidden", "a b.csv", "a%2fb", "é.csv", String(repeating: "a", count: 256)] {
            #expect(!ExportPages.isBareName(bad), "\(bad)")
        }
    }
}
