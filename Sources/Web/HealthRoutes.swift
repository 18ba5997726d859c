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
    /// when this thread's copy is older than `figuresMaxAge`, else an empty statement
    /// (`PostgresConnection.ping`), so a load balancer polling many times a second costs the
    /// database next to nothing.
    static func health(_ context: RequestContext) throws -> WebResponse {
        do {
            let database = try context.database()
            let now = ContinuousClock.now
            if let figures = context.healthFigures, figures.readAt.duration(to: now) < figuresMaxAge {
                try database.ping()
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
            // Written byte by byte: this answers load balancers many times a second.
            return .json(bytes: healthBody(liveWorkers: figures.liveWorkers, queueDepth: depth, capped: capped, schemaVersion: figures.schemaVersion))
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

    /// `{"database":"ok","live_workers":N,"ok":true,"queue_depth":N,"queue_depth_capped":B,"schema_version":N}`
    static func healthBody(liveWorkers: Int, queueDepth: Int, capped: Bool, schemaVersion: Int) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(192)
        body.append(contentsOf: #"{"database":"ok","live_workers":"#.utf8)
        JSONValue.writeInteger(liveWorkers, into: &body)
        body.append(contentsOf: #","ok":true,"queue_depth":"#.utf8)
        JSONValue.writeInteger(queueDepth, into: &body)
        body.append(contentsOf: (capped ? #","queue_depth_capped":true,"schema_version":"# : #","queue_depth_capped":false,"schema_version":"#).utf8)
        JSONValue.writeInteger(schemaVersion, into: &body)
        body.append(UInt8(ascii: "}"))
        return body
    }
}
