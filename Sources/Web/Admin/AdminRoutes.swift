/// Every `/admin/` route: sign-in and sign-out (`AdminAuthRoutes`) and the pages (`AdminPageRoutes`).
enum AdminRoutes {
    static func register(in router: inout Router, services: WebServices) {
        AdminAuthRoutes.register(in: &router, services: services)
        AdminPageRoutes.register(in: &router, services: services)
    }
}
