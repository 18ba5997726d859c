import Scheduling
import Testing

@Suite struct ScheduleDefinitionTests {
    @Test func keepsItsFields() {
        let definition = ScheduleDefinition(name: "health-check", cron: "*/15 * * * *", task: "health_check", description: "x")
        #expect(definition.task == "health_check")
    }
}
