import AppSupport
import Logging
import Postgres
#if canImport(Glibc)
import Glibc
#endif

/// The whole HTTP surface: routes, error mapping, request ids and the access log. Pure: it takes
/// a `WebRequest` and a per-thread `RequestContext`, so tests drive it without a socket.
public struct WebApplication: Sendable {
    private let router: Router
    private let logger: Logger
    private let accessLog: AccessLog
    /// The metrics route of each of the router's patterns (by index), and of unmatched paths.
    private let metricsRoutes: [RequestMetrics.Route]
    private let unmatchedRoute: RequestMetrics.Route
    /// The body size limit, reported in 413 answers.
    public let maxBodyBytes: Int

    /// The shared services the routes use.
    public let services: WebServices

    /// Builds the application with every route.
    public init(services: WebServices = WebServices(), maxBodyBytes: Int = 1 << 20, logger: Logger = Logger(label: "fcgiapp")) {
        var router = Router()
        HealthRoutes.register(in: &router)
        for register in [
            TaskRoutes.register, WeatherRoutes.register, SearchRoutes.register, StatisticsRoutes.register, AlertRoutes.register,
            ScheduleRoutes.register, MetricsRoutes.register, OpenAPIRoutes.register, AdminRoutes.register,
        ] {
            register(&router, services)
        }
        self.services = services
        self.router = router
        self.logger = logger
        self.accessLog = AccessLog(logger: logger)
        self.metricsRoutes = router.patternNames.map { services.metrics.route($0) }
        self.unmatchedRoute = services.metrics.route("unmatched")
        self.maxBodyBytes = maxBodyBytes
    }

    /// Answers one request. Never throws: handler errors become error answers (the API's JSON,
    /// or under `/admin/` the admin's HTML page), and every request is logged once with its
    /// method, path, status, duration and id.
    public func respond(to request: WebRequest, context: RequestContext) -> WebResponse {
        let started = MonotonicTime.nanoseconds()
        var metricsRoute = unmatchedRoute
        var response = route(request, context: context, metricsRoute: &metricsRoute)
        response.headers.append(("X-Request-Id", request.requestID))
        if request.method == "HEAD" {
            response.headers.append(("Content-Length", String(response.body.count)))
            response.body = []
        }
        let nanoseconds = MonotonicTime.nanoseconds() - started
        services.metrics.record(metricsRoute, method: request.method, status: response.status, seconds: Double(nanoseconds) * 1e-9)
        accessLog.log(request, status: response.status, microseconds: nanoseconds / 1000)
        return response
    }

    /// Routes and runs the handler; `metricsRoute` becomes the matched route's pattern.
    private func route(_ request: WebRequest, context: RequestContext, metricsRoute: inout RequestMetrics.Route) -> WebResponse {
        if request.bodyTooLarge {
            if let index = router.patternIndex(forPath: request.path) { metricsRoute = metricsRoutes[index] }
            return errorResponse(APIError.payloadTooLarge(limit: maxBodyBytes), for: request)
        }
        switch router.match(method: request.method, path: request.path) {
        case .notFound:
            return errorResponse(APIError.notFound(path: request.path), for: request)
        case .methodNotAllowed(let allowed):
            if let index = router.patternIndex(forPath: request.path) { metricsRoute = metricsRoutes[index] }
            return errorResponse(APIError.methodNotAllowed(request.method, allowed: allowed), for: request)
        case .found(let handler, let parameters):
            metricsRoute = metricsRoutes[parameters.routeIndex]
            do {
                return try handler(request, parameters, context)
            } catch let error as HTTPResponseError {
                return errorResponse(error, for: request)
            } catch let error as PostgresError where error.sqlState?.hasPrefix("22") == true {
                // A data exception (a value Postgres cannot take: U+0000 in text, a number out of
                // range) is the client's input, not our fault.
                logger.info("refused input: \(error)", metadata: ["request_id": .string(request.requestID)])
                return errorResponse(
                    APIError(status: 400, code: "invalid_argument", message: "a value was refused by the database: \(error.message)"), for: request)
            } catch let error as PostgresError where error.isConnectionFailure {
                logger.warning("database unavailable: \(error)", metadata: ["request_id": .string(request.requestID)])
                return errorResponse(APIError.databaseUnavailable(), for: request)
            } catch {
                logger.error("unhandled error: \(error)", metadata: ["request_id": .string(request.requestID)])
                return errorResponse(APIError.internalError(requestID: request.requestID), for: request)
            }
        }
    }

    /// The one place an error becomes an answer, in the language of the path: under `/admin/`
    /// the admin's HTML page (an `AdminError` answers as it is: a page or a redirect), elsewhere
    /// the error's own answer (the API's JSON).
    private func errorResponse(_ error: some HTTPResponseError, for request: WebRequest) -> WebResponse {
        guard WebApplication.isAdminPath(request.path), !(error is AdminError) else { return error.response }
        return AdminError(status: error.status, code: error.code, message: error.message, headers: error.headers).response
    }

    /// True for `/admin` and every path under `/admin/`.
    static func isAdminPath(_ path: String) -> Bool {
        path.hasPrefix("/admin") && (path.utf8.count == 6 || path.utf8.dropFirst(6).first == UInt8(ascii: "/"))
    }
}
