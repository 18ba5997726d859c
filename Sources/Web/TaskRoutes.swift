/// Routes of the API (filled in by the issue-5 work).
enum TaskRoutes {
    static func register(in router: inout Router, services: WebServices) {}
}
