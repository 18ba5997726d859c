/// Routes of the API (filled in by the issue-5 work).
enum StatisticsRoutes {
    static func register(in router: inout Router, services: WebServices) {}
}
