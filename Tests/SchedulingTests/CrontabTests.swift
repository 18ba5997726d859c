import AppSupport
import Foundation
import Scheduling
import Testing
import TestSupport

@Suite("Crontab")
struct CrontabTests {
    @Test("crontab/weather-service.crontab holds exactly the built-in schedules, in order, and the header")
    func checkedInFileMatchesCatalog() throws {
        let text = try String(contentsOfFile: Repository.root + "/crontab/weather-service.crontab", encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let entries = lines.filter { !$0.hasPrefix("#") && !$0.contains("=") && !$0.isEmpty }
        #expect(entries == Crontab.entries(ScheduleCatalog.builtIn))
        #expect(lines.contains("SHELL=/bin/sh"))
        #expect(lines.contains { $0.hasPrefix("PATH=") })
        #expect(lines.contains { $0.hasPrefix("WEATHER_ENV_FILE=/") })
        #expect(text.contains("Time zone"))
        // Every entry parses, and matches the contract's table.
        let contract: [String: String] = [
            "cleanup-old-searches": "0 2 * * *", "generate-weather-statistics": "0 6 * * *", "check-weather-alerts": "0 */2 * * *",
            "database-maintenance": "0 3 * * 0", "export-weather-data-json": "0 7 * * 1", "health-check": "*/15 * * * *",
            "bulk-update-european-capitals": "0 8 * * *",
        ]
        for definition in ScheduleCatalog.builtIn {
            #expect(contract[definition.name] == definition.cron)
            _ = try CronExpression(definition.cron)
        }
    }

    @Test("installing twice replaces the block; other lines stay; uninstall removes only the block")
    func blockReplacement() {
        let mine = "MAILTO=me@example.org\n5 4 * * * /usr/local/bin/my-own-job\n"
        let block = Crontab.block(name: "weather-service", lines: ["0 2 * * * TaskRunner run --schedule a"])
        let once = Crontab.replacingBlock(in: mine, name: "weather-service", with: block)
        #expect(once == mine + block)
        let twice = Crontab.replacingBlock(in: once, name: "weather-service", with: block)
        #expect(twice == once)
        let changed = Crontab.block(name: "weather-service", lines: ["0 3 * * * TaskRunner run --schedule b"])
        let replaced = Crontab.replacingBlock(in: once + "1 1 * * * after\n", name: "weather-service", with: changed)
        #expect(replaced == mine + changed + "1 1 * * * after\n")
        let other = Crontab.replacingBlock(in: once, name: "weather-test", with: Crontab.block(name: "weather-test", lines: ["x"]))
        #expect(other.contains("# BEGIN weather-service") && other.contains("# BEGIN weather-test"))
        #expect(Crontab.replacingBlock(in: once, name: "weather-service", with: nil) == mine)
        #expect(Crontab.replacingBlock(in: "", name: "weather-service", with: nil) == "")
    }

    @Test("environment files: quotes, escapes, export, comments; mistakes are refused with the line number")
    func environmentFileParsing() throws {
        let text = """
            # comment
            export A=plain
            B='it'\\''s a value with spaces'
            C="double \\"quoted\\" $HOME"
            D=postgresql://u:p@/db\\?host=/run\\&port=5432

            E=
            F=trailing # comment
            """
        let entries = try EnvironmentFile.parse(text)
        let values = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.value) })
        #expect(values["A"] == "plain")
        #expect(values["B"] == "it's a value with spaces")
        #expect(values["C"] == "double \"quoted\" $HOME")
        #expect(values["D"] == "postgresql://u:p@/db?host=/run&port=5432")
        #expect(values["E"] == "")
        #expect(values["F"] == "trailing")
        #expect(throws: EnvironmentFile.ParseError.self) { try EnvironmentFile.parse("GOOD=1\nnot a line\n") }
        #expect(throws: EnvironmentFile.ParseError.self) { try EnvironmentFile.parse("A='unterminated\n") }
        do {
            _ = try EnvironmentFile.parse("GOOD=1\n=x\n")
        } catch {
            #expect(error.description.contains("line 2"))
        }
    }
}
