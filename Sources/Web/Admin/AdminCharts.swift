/// SVG charts drawn on the server from numbers. Every piece of text in them is either a number
/// formatted here or passed through `AdminFormat.escape`, so the templates may insert them
/// unescaped (`{{{chart}}}`). Colours come from admin.css (classes), not inline styles.
enum AdminCharts {
    /// Finished jobs per minute over the last hour, succeeded and failed stacked.
    /// `succeeded[0]` is the current minute, `succeeded[59]` the oldest.
    static func throughput(succeeded: [Int], failed: [Int]) -> String {
        let minutes = 60
        let width = 600.0, height = 200.0, left = 56.0, bottom = 28.0, top = 14.0
        let plotHeight = height - bottom - top
        let barWidth = (width - left) / Double(minutes)
        let totals = (0..<minutes).map { (succeeded.indices.contains($0) ? succeeded[$0] : 0) + (failed.indices.contains($0) ? failed[$0] : 0) }
        let peak = max(1, totals.max() ?? 1)
        let sum = totals.reduce(0, +), failures = failed.reduce(0, +)
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-labelledby="throughput-title">\
            <title id="throughput-title">Finished jobs per minute, last hour: \(sum) in all, \(failures) failed; peak \(peak) a minute</title>
            """
        svg += axis(left: left, width: width, top: top, plotHeight: plotHeight, labels: [(0, "0"), (1, String(peak))])
        for ago in 0..<minutes {
            let x = left + Double(minutes - 1 - ago) * barWidth
            let ok = succeeded.indices.contains(ago) ? succeeded[ago] : 0
            let bad = failed.indices.contains(ago) ? failed[ago] : 0
            let okHeight = plotHeight * Double(ok) / Double(peak)
            let badHeight = plotHeight * Double(bad) / Double(peak)
            let base = top + plotHeight
            if ok > 0 {
                svg += rect(x: x, y: base - okHeight, width: barWidth - 1, height: okHeight, cls: "ok", title: "\(ago) min ago: \(ok) succeeded")
            }
            if bad > 0 {
                svg += rect(
                    x: x, y: base - okHeight - badHeight, width: barWidth - 1, height: badHeight, cls: "bad", title: "\(ago) min ago: \(bad) failed")
            }
        }
        svg += text(x: left, y: height - 6, "60 min ago", anchor: "start")
        svg += text(x: width, y: height - 6, "now", anchor: "end")
        return svg + "</svg>"
    }

    /// One point of the temperature chart.
    struct Day {
        var day: String
        var average: Double
        var minimum: Double
        var maximum: Double
    }

    /// Daily average, lowest and highest temperature, oldest day on the left: a band from lowest
    /// to highest, the average as a line, points at each day.
    static func temperatures(_ days: [Day], label: String) -> String {
        let width = 600.0, height = 240.0, left = 72.0, right = 8.0, bottom = 28.0, top = 14.0
        let plotHeight = height - bottom - top, plotWidth = width - left - right
        var low = days.map(\.minimum).min() ?? 0, high = days.map(\.maximum).max() ?? 1
        if high - low < 2 { low -= 1; high += 1 }
        // Whole degrees around the data.
        low = (low - 0.5).rounded(.down)
        high = (high + 0.5).rounded(.up)
        func x(_ index: Int) -> Double {
            days.count < 2 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(days.count - 1)
        }
        func y(_ value: Double) -> Double { top + plotHeight * (high - value) / (high - low) }
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-labelledby="temperature-title">\
            <title id="temperature-title">\(AdminFormat.escape(label))</title>
            """
        let zero: Double? = (low < 0 && high > 0) ? (0 - low) / (high - low) : nil
        var labels: [(Double, String)] = [(0, AdminFormat.number(low, digits: 0) + " °C"), (1, AdminFormat.number(high, digits: 0) + " °C")]
        if let zero { labels.append((zero, "0")) }
        svg += axis(left: left, width: width - right, top: top, plotHeight: plotHeight, labels: labels)
        guard !days.isEmpty else { return svg + "</svg>" }
        let upper = days.indices.map { "\(coordinate(x($0))),\(coordinate(y(days[$0].maximum)))" }
        let lower = days.indices.reversed().map { "\(coordinate(x($0))),\(coordinate(y(days[$0].minimum)))" }
        svg += #"<polygon class="band" points="\#((upper + lower).joined(separator: " "))"/>"#
        for (cls, value) in [("max", \Day.maximum), ("min", \Day.minimum), ("avg", \Day.average)] {
            let points = days.indices.map { "\(coordinate(x($0))),\(coordinate(y(days[$0][keyPath: value])))" }
            svg += #"<polyline class="\#(cls)" points="\#(points.joined(separator: " "))"/>"#
        }
        for (index, day) in days.enumerated() {
            let tip = "\(day.day): avg \(AdminFormat.number(day.average)), min \(AdminFormat.number(day.minimum)), max \(AdminFormat.number(day.maximum)) °C"
            svg += #"<circle class="avg" cx="\#(coordinate(x(index)))" cy="\#(coordinate(y(day.average)))" r="3"><title>\#(AdminFormat.escape(tip))</title></circle>"#
        }
        svg += text(x: left, y: height - 6, days[0].day, anchor: "start")
        if days.count > 1 { svg += text(x: width - right, y: height - 6, days[days.count - 1].day, anchor: "end") }
        return svg + "</svg>"
    }

    /// The frame: a baseline, and `labels` at fractions of the height (0 bottom, 1 top) with grid lines.
    private static func axis(left: Double, width: Double, top: Double, plotHeight: Double, labels: [(Double, String)]) -> String {
        var svg = ""
        for (fraction, label) in labels {
            let y = top + plotHeight * (1 - fraction)
            svg += #"<line class="grid" x1="\#(coordinate(left))" y1="\#(coordinate(y))" x2="\#(coordinate(width))" y2="\#(coordinate(y))"/>"#
            svg += text(x: left - 6, y: y + 5, label, anchor: "end")
        }
        return svg
    }

    private static func rect(x: Double, y: Double, width: Double, height: Double, cls: String, title: String) -> String {
        #"<rect class="\#(cls)" x="\#(coordinate(x))" y="\#(coordinate(y))" width="\#(coordinate(max(0.5, width)))" height="\#(coordinate(height))"><title>\#(AdminFormat.escape(title))</title></rect>"#
    }

    private static func text(x: Double, y: Double, _ content: String, anchor: String) -> String {
        #"<text x="\#(coordinate(x))" y="\#(coordinate(y))" text-anchor="\#(anchor)">\#(AdminFormat.escape(content))</text>"#
    }

    /// A coordinate with at most one decimal.
    static func coordinate(_ value: Double) -> String {
        AdminFormat.number(value, digits: 1)
    }
}
