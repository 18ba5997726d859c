import AppSupport
import Jobs
import Tasks
import Testing

/// U+0000 cannot be stored in Postgres text or jsonb: enqueueing refuses it, naming the field.
@Suite struct EnqueueNULTests {
    @Test func refusesNULInArgsQueueAndUniqueKey() {
        let registry = TaskCatalog.registry
        func field(_ request: EnqueueRequest) -> String? {
            do {
                _ = try request.validated(against: registry)
                return nil
            } catch {
                if case .invalid(let field, _) = error { return field }
                return "other"
            }
        }
        #expect(field(EnqueueRequest(task: "test_task", args: ["message": "a\u{0}b"])) == "args")
        #expect(field(EnqueueRequest(task: "test_task", args: ["k\u{0}": 1])) == "args")
        #expect(field(EnqueueRequest(task: "test_task", args: ["list": ["ok", ["deep": "x\u{0}"]]])) == "args")
        #expect(field(EnqueueRequest(task: "test_task", queue: "q\u{0}")) == "queue")
        var keyed = EnqueueRequest(task: "test_task")
        keyed.uniqueKey = "k\u{0}"
        #expect(field(keyed) == "unique_key")
        #expect(field(EnqueueRequest(task: "test_task", args: ["message": "fine"])) == nil)
    }
}
