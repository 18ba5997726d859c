import Scheduling

/// The built-in schedules in a harness's database (what `TaskRunner migrate` does).
enum ScheduleStoreFixture {
    static func sync(_ harness: PagesHarness) throws {
        try ScheduleStore(registry: PagesHarness.registry).sync(on: harness.db)
    }
}
