import AppSupport
import Postgres
import Storage

/// `GET /api/ping` (liveness, no database) and `GET /api/health` (one database round trip).
enum HealthRoutes {
    static let pingBody: [UInt8] = Array(#"{"ok":true}"#.utf8)
    /// Longest `echo` value `ping` returns.
    static let maxEcho = 256

    static func register(in router: inout Router) {
        router.add("GET", "/api/ping") { request, _, _ in
            // `?echo=TEXT` sends TEXT back decoded: a check that queries survive the proxy path.
            guard !request.queryString.isEmpty, let echo = request.query["echo"] else {
                return WebResponse.json(bytes: pingBody)
            }
            guard echo.count <= maxEcho else {
                throw APIError.badRequest(field: "echo", "must be at most \(maxEcho) characters")
            }
            return WebResponse.json(["ok": true, "echo": .string(echo)])
        }
        router.add("GET", "/api/health") { _, _, context in try health(context) }
    }

    /// How long a thread reuses the queue figures it read; the database itself is asked on
    /// every request.
    static let figuresMaxAge: Duration = .seconds(1)

    /// One round trip per request: the full figures (schema version, queue depth, live workers)
    /// when this thread's copy is older than `figuresMaxAge`, else `SELECT 1`, so a load
    /// balancer polling many times a second costs the database next to nothing.
    static func health(_ context: RequestContext) throws -> WebResponse {
        do {
            let database = try context.database()
            let now = ContinuousClock.now
            if let figures = context.healthFigures, figures.readAt.duration(to: now) < figuresMaxAge {
                try database.query(StorageQueries.ping)
            } else {
                guard let row = try database.query(StorageQueries.health).first else {
                    throw PostgresError(kind: .usage, message: "health query returned no row")
                }
                context.healthFigures = (
                    try row.decode(Int.self, "queue_depth"), try row.decode(Int.self, "live_workers"),
                    try row.decode(Int.self, "schema_version"), now
                )
            }
            let figures = context.healthFigures!
            let capped = figures.queueDepth > StorageQueries.queueDepthCap
            let depth = capped ? StorageQueries.queueDepthCap : figures.queueDepth
            // Written directly: this answers load balancers many times a second.
            let body = #"{"database":"ok","live_workers":\#(figures.liveWorkers),"ok":true,"queue_depth":\#(depth),"queue_depth_capped":\#(capped),"schema_version":\#(figures.schemaVersion)}"#
            return .json(bytes: Array(body.utf8))
        } catch let error as PostgresError where error.sqlState == "42P01" {
            context.healthFigures = nil
            return .json(
                ["ok": false, "database": "ok", "error": ["code": "schema_not_migrated", "message": "run TaskRunner migrate"]],
                status: 503)
        } catch let error as PostgresError where error.isConnectionFailure || error.kind == .configuration {
            return .json(
                ["ok": false, "database": "unreachable", "error": ["code": "database_unavailable", "message": .string(error.message)]],
                status: 503)
        }
    }
}
