import Threads

/// The crontab form of the schedules: a header (shell, PATH, environment file, time zone note)
/// and one `run --schedule` entry per schedule, kept in the user's crontab between marker lines
/// so installing again replaces the block and leaves every other line alone.
public enum Crontab {
    /// The header: the time zone note, SHELL, PATH (with `binDirectory` first) and
    /// `WEATHER_ENV_FILE`, which TaskRunner loads at start.
    public static func header(binDirectory: String, environmentFile: String) -> [String] {
        [
            "# Times are the cron daemon's local time (the system zone). TaskRunner names each run's slot",
            "# in the same zone (TZ or /etc/localtime), so every host running these entries must share it.",
            "# The 02:00 and 03:00 entries sit in the DST window of many zones: on the spring-forward night",
            "# Debian's cron runs them just after the jump, on the fall-back night once; a slot is a",
            "# wall-clock minute, so a repeated hour never runs it twice. A server on UTC has no DST at all.",
            "SHELL=/bin/sh",
            "PATH=\(binDirectory):/usr/local/bin:/usr/bin:/bin",
            "WEATHER_ENV_FILE=\(environmentFile)",
        ]
    }

    /// One line per schedule: `CRON TaskRunner run --schedule NAME`.
    public static func entries(_ schedules: [ScheduleDefinition]) -> [String] {
        schedules.map { "\($0.cron) TaskRunner run --schedule \($0.name)" }
    }

    /// The block between `# BEGIN name` and `# END name` lines.
    public static func block(name: String, lines: [String]) -> String {
        (["# BEGIN \(name) (written by TaskRunner schedule install; edits inside are replaced)"] + lines + ["# END \(name)"])
            .joined(separator: "\n") + "\n"
    }

    /// `crontab` with the block called `name` replaced by `block` (appended when absent; removed
    /// when `block` is nil). Lines outside the block are kept as they are.
    public static func replacingBlock(in crontab: String, name: String, with block: String?) -> String {
        var kept: [Substring] = []
        var inside = false
        var insertAt: Int?
        for line in crontab.split(separator: "\n", omittingEmptySubsequences: false) {
            if !inside, line.hasPrefix("# BEGIN \(name) (") || line == "# BEGIN \(name)" {
                inside = true
                insertAt = insertAt ?? kept.count
                continue
            }
            if inside {
                if line == "# END \(name)" { inside = false }
                continue
            }
            kept.append(line)
        }
        while let last = kept.last, last.isEmpty { kept.removeLast() }
        var text = kept.joined(separator: "\n")
        if !text.isEmpty { text += "\n" }
        guard let block else { return text }
        if let insertAt, insertAt < kept.count {
            let before = kept[..<insertAt].joined(separator: "\n")
            let after = kept[insertAt...].joined(separator: "\n")
            return (before.isEmpty ? "" : before + "\n") + block + after + "\n"
        }
        return text + block
    }

    /// The current user's crontab (empty when there is none), through the `crontab` program.
    public static func readInstalled() throws(SubprocessError) -> String {
        let result = try Subprocess.run("crontab", ["-l"])
        if result.status == 0 { return result.stdoutText }
        if result.stderrText.contains("no crontab") { return "" }
        throw SubprocessError(description: "crontab -l failed: \(result.stderrText)")
    }

    /// Replaces the current user's crontab with `text`, through the `crontab` program.
    public static func writeInstalled(_ text: String) throws(SubprocessError) {
        let result = try Subprocess.run("crontab", ["-"], input: Array(text.utf8))
        guard result.status == 0 else { throw SubprocessError(description: "crontab - failed: \(result.stderrText)") }
    }
}
