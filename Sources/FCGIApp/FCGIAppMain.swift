import Access
import AppSupport
import FastCGI
import Logging
import Tasks
import Weather
import Web
#if canImport(Glibc)
import Glibc
#endif

/// Reads the configuration, opens the socket, serves until SIGTERM/SIGINT, exits 0.
enum FCGIAppMain {
    static func run() -> Never {
        let configuration: FCGIAppConfiguration
        do {
            configuration = try FCGIAppConfiguration(environment: Environment())
        } catch {
            printError("FCGIApp: \(error)")
            exit(2)
        }
        LogSetup.bootstrap(level: configuration.logLevel)
        let logger = Logger(label: "fcgiapp")
        let server: FastCGIServer
        do {
            server = try FastCGIServer(configuration: configuration.server) { logger.info("\($0)") }
        } catch {
            printError("FCGIApp: \(error)")
            exit(1)
        }
        let maxWaiters: Int
        let searchPages: Int
        do {
            maxWaiters = try Environment().integer("API_MAX_WAITERS", default: max(1, configuration.server.threads - 1), range: 1...256)
            searchPages = try Environment().integer("API_SEARCH_CACHE_PAGES", default: 64, range: 0...4096)
        } catch {
            printError("FCGIApp: \(error)")
            exit(2)
        }
        let waiter = JobWaiter(databaseURL: configuration.databaseURL, maxWaiters: maxWaiters, logger: logger)
        waiter.start()
        let application = WebApplication(
            services: makeServices(waiter: waiter, searchPages: SearchPageCache(capacity: searchPages), adminPolicy: configuration.adminPolicy), maxBodyBytes: configuration.server.maxBodyBytes, logger: logger)
        let databaseURL = configuration.databaseURL
        server.run { _ in
            let context = RequestContext(databaseURL: databaseURL)
            return { request in
                let response = application.respond(
                    to: WebRequest(cgiEnvironment: request.environment, body: request.body, bodyTooLarge: request.bodyTooLarge),
                    context: context)
                return FastCGIResponse(status: response.status, headers: response.headers, body: response.body)
            }
        }
        waiter.stop()
        exit(0)
    }

    /// The services every responder thread shares: the task registry, the weather provider's
    /// settings and budget. A bad provider setting does not stop the responder: only
    /// `GET /api/weather` answers that it is not configured, naming the variable. `waiter` serves
    /// `GET /api/tasks/{id}?wait=` and keeps `searchPages` exact; `adminPolicy` was read at start.
    static func makeServices(waiter: JobWaiter, searchPages: SearchPageCache, adminPolicy: AdminAuthPolicy) -> WebServices {
        let environment = Environment()
        do {
            let weather = try WeatherProviderConfiguration(environment: environment)
            return WebServices(
                registry: TaskCatalog.registry, weather: weather,
                rateLimiter: RateLimiter(requestsPerMinute: weather.requestsPerMinute), waiter: waiter, searchPages: searchPages,
                adminPolicy: adminPolicy)
        } catch {
            return WebServices(
                registry: TaskCatalog.registry, weatherProblem: "\(error)", waiter: waiter, searchPages: searchPages, adminPolicy: adminPolicy)
        }
    }
}
