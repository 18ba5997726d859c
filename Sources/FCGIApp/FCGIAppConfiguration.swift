import Access
import AppSupport
import FastCGI
import Postgres

/// FCGIApp's settings, read from the environment and validated at start.
struct FCGIAppConfiguration {
    var databaseURL: String
    var server: FastCGIServerConfiguration
    var logLevel: LogLevel
    /// The admin pages' session lengths and sign-in throttling (`ADMIN_*`).
    var adminPolicy: AdminAuthPolicy

    init(environment: Environment) throws {
        logLevel = try environment.logLevel()
        databaseURL = try environment.required("DATABASE_URL", hint: "a libpq connection string or URI")
        do {
            try PostgresConnection.validate(conninfo: databaseURL)
        } catch let error as PostgresError {
            throw ConfigurationError(variable: "DATABASE_URL", problem: "is not a valid connection string: \(error.message)")
        }
        let address: FastCGIListenAddress
        if let text = environment.string("FCGI_SOCKET") {
            do {
                address = try FastCGIListenAddress(parsing: text)
            } catch {
                throw ConfigurationError(variable: "FCGI_SOCKET", problem: "must be a unix socket path or HOST:PORT, got \"\(text)\"")
            }
        } else if FastCGIListenAddress.inheritedSocketAvailable {
            address = .inherited
        } else {
            address = .tcp(host: "127.0.0.1", port: 9000)
        }
        server = FastCGIServerConfiguration(
            address: address,
            // Most requests wait on Postgres, so more threads than cores keep the CPU busy: on 2
            // cores, 8 threads answered /api/health ~20 % faster than 4 (16 was slower again).
            threads: try environment.integer("FCGI_THREADS", default: 8, range: 1...256),
            socketMode: try environment.octalMode("FCGI_SOCKET_MODE", default: 0o660),
            socketGroup: environment.string("FCGI_SOCKET_GROUP"),
            maxBodyBytes: try environment.integer("FCGI_MAX_BODY_BYTES", default: 1 << 20, range: 1024...(1 << 30)),
            shutdownGrace: .seconds(try environment.integer("FCGI_SHUTDOWN_GRACE", default: 30, range: 0...3600)))
        adminPolicy = try AdminAuthPolicy(environment: environment)
    }
}
