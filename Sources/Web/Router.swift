/// Path parameters captured by a route pattern such as `/api/tasks/{id}`.
public struct RouteParameters: Sendable {
    var values: [String: String]
    /// The pattern of the route that matched (`/api/tasks/{id}`), for metrics and logs.
    public internal(set) var route: String = ""

    /// The captured value for `name`, if the pattern has it.
    public subscript(_ name: String) -> String? { values[name] }
}

/// A handler: builds a response or throws (an `HTTPResponseError` for a chosen status).
public typealias RouteHandler = @Sendable (WebRequest, RouteParameters, RequestContext) throws -> WebResponse

/// Maps method and path to a handler. Static paths are a dictionary lookup; patterns with
/// `{name}` segments are tried in order. `HEAD` is served by the `GET` route.
public struct Router: Sendable {
    private struct Route: Sendable {
        let method: String
        let pattern: String
        let segments: [Substring]
        let handler: RouteHandler
    }

    private var exact: [String: [String: RouteHandler]] = [:]
    private var patterns: [Route] = []

    /// An empty router.
    public init() {}

    /// Adds a route. `pattern` is a path whose `{name}` segments capture one path segment.
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping RouteHandler) {
        if pattern.contains("{") {
            patterns.append(Route(method: method, pattern: pattern, segments: pattern.split(separator: "/"), handler: handler))
        } else {
            exact[pattern, default: [:]][method] = handler
        }
    }

    /// The outcome of matching a request.
    public enum Match {
        case found(RouteHandler, RouteParameters)
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// Finds the handler for `method` and `path`.
    public func match(method: String, path: String) -> Match {
        let lookup = method == "HEAD" ? "GET" : method
        if let handlers = exact[path] {
            if let handler = handlers[lookup] { return .found(handler, RouteParameters(values: [:], route: path)) }
            return .methodNotAllowed(allowed: Router.allowHeader(Array(handlers.keys)))
        }
        let segments = path.split(separator: "/")
        var allowed: [String] = []
        for route in patterns where route.segments.count == segments.count {
            guard let values = Router.capture(route.segments, segments) else { continue }
            if route.method == lookup { return .found(route.handler, RouteParameters(values: values, route: route.pattern)) }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: Router.allowHeader(allowed))
    }

    /// The pattern serving `path` with any method (the path itself for a static route), or nil
    /// when no route serves it: names a 405's route in metrics without the raw path.
    public func pattern(forPath path: String) -> String? {
        if exact[path] != nil { return path }
        let segments = path.split(separator: "/")
        for route in patterns where route.segments.count == segments.count && Router.capture(route.segments, segments) != nil {
            return route.pattern
        }
        return nil
    }

    private static func capture(_ pattern: [Substring], _ segments: [Substring]) -> [String: String]? {
        var values: [String: String] = [:]
        for (expected, actual) in zip(pattern, segments) {
            if expected.first == "{" && expected.last == "}" {
                values[String(expected.dropFirst().dropLast())] = String(actual)
            } else if expected != actual {
                return nil
            }
        }
        return values
    }

    private static func allowHeader(_ methods: [String]) -> [String] {
        var set = Set(methods)
        if set.contains("GET") { set.insert("HEAD") }
        return set.sorted()
    }
}
