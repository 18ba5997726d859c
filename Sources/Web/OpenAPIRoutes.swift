/// Routes of the API (filled in by the issue-5 work).
enum OpenAPIRoutes {
    static func register(in router: inout Router, services: WebServices) {}
}
