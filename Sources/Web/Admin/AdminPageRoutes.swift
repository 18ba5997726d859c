/// Every admin page but sign-in: each group registers its own routes. Every page needs a
/// session (`AdminAuth.requireSession`), every form the session's CSRF token (`AdminAuth.requireForm`).
enum AdminPageRoutes {
    static func register(in router: inout Router, services: WebServices) {
        DashboardPage.register(in: &router, services: services)
        TaskPages.register(in: &router, services: services)
        TaskActions.register(in: &router, services: services)
        SchedulePages.register(in: &router, services: services)
        WorkerPage.register(in: &router, services: services)
        WeatherPages.register(in: &router, services: services)
        ExportPages.register(in: &router, services: services)
    }
}
