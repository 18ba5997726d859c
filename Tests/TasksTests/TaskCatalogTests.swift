import Jobs
import Tasks
import Testing

@Suite struct TaskCatalogTests {
    @Test func registersEveryContractTask() {
        let names = Set(TaskCatalog.registry.all.map(\.name))
        #expect(names.contains("test_task"))
    }
}
