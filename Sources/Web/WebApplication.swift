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
            ScheduleRoutes.register, MetricsRoutes.register, OpenAPIRoutes.register,
        ] {
            register(&router, services)
        }
        self.services = services
        self.router = router
        self.logger = logger
        self.maxBodyBytes = maxBodyBytes
    }

    /// Answers one request. Never throws: handler errors become JSON error answers, and every
    /// request is logged once with its method, path, status, duration and id.
    public func respond(to request: WebRequest, context: RequestContext) -> WebResponse {
        let started = ContinuousClock.now
        var routeLabel = "unmatched"
        var response = route(request, context: context, routeLabel: &routeLabel)
        response.headers.append(("X-Request-Id", request.requestID))
        if request.method == "HEAD" {
            response.headers.append(("Content-Length", String(response.body.count)))
            response.body = []
        }
        let elapsed = started.duration(to: .now)
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        services.metrics.record(
            route: routeLabel, method: request.method, status: response.status,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        logger.info(
            "\(request.method) \(request.path) \(response.status) \(micros / 1000).\(WebApplication.threeDigits(micros % 1000))ms request_id=\(request.requestID)", source: "web")
        return response
    }

    private static func threeDigits(_ value: Int64) -> String {
        value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)"
    }

    /// Routes and runs the handler; `routeLabel` becomes the matched route's pattern (metrics).
    private func route(_ request: WebRequest, context: RequestContext, routeLabel: inout String) -> WebResponse {
        if request.bodyTooLarge {
            routeLabel = router.pattern(forPath: request.path) ?? "unmatched"
            return APIError.payloadTooLarge(limit: maxBodyBytes).response
        }
        switch router.match(method: request.method, path: request.path) {
        case .notFound:
            return APIError.notFound(path: request.path).response
        case .methodNotAllowed(let allowed):
            routeLabel = router.pattern(forPath: request.path) ?? "unmatched"
            return APIError.methodNotAllowed(request.method, allowed: allowed).response
        case .found(let handler, let parameters):
            routeLabel = parameters.route
            do {
                return try handler(request, parameters, context)
            } catch let error as HTTPResponseError {
                return error.response
            } catch let error as PostgresError where error.sqlState?.hasPrefix("22") == true {
                // A data exception (a value Postgres cannot take: U+0000 in text, a number out of
                // range) is the client's input, not our fault.
                logger.info("refused input: \(error)", metadata: ["request_id": .string(request.requestID)])
                return APIError(status: 400, code: "invalid_argument", message: "a value was refused by the database: \(error.message)").response
            } catch let error as PostgresError where error.isConnectionFailure {
                logger.warning("database unavailable: \(error)", metadata: ["request_id": .string(request.requestID)])
                return APIError.databaseUnavailable().response
            } catch {
                logger.error("unhandled error: \(error)", metadata: ["request_id": .string(request.requestID)])
                return APIError.internalError(requestID: request.requestID).response
            }
        }
    }
}
