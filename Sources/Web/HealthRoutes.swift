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

    static func health(_ context: RequestContext) throws -> WebResponse {
        do {
            guard let row = try context.database().query(StorageQueries.health).first else {
                throw PostgresError(kind: .usage, message: "health query returned no row")
            }
            let version = try row.decode(Int.self, "schema_version")
            let depth = try row.decode(Int.self, "queue_depth")
            let workers = try row.decode(Int.self, "live_workers")
            // Written directly: this answers load balancers many times a second.
            let capped = depth > StorageQueries.queueDepthCap
            let body = #"{"database":"ok","live_workers":\#(workers),"ok":true,"queue_depth":\#(capped ? StorageQueries.queueDepthCap : depth),"queue_depth_capped":\#(capped),"schema_version":\#(version)}"#
            return .json(bytes: Array(body.utf8))
        } catch let error as PostgresError where error.sqlState == "42P01" {
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
