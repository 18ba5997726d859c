/// Path parameters captured by a route pattern such as `/api/tasks/{id}`.
public struct RouteParameters: Sendable {
    var values: [String: String]
    /// The pattern of the route that matched (`/api/tasks/{id}`), for metrics and logs.
    public internal(set) var route: String = ""
    /// The pattern's index in the router's `patternNames`.
    var routeIndex = 0

    /// The captured value for `name`, if the pattern has it.
    public subscript(_ name: String) -> String? { values[name] }
}

/// A handler: builds a response or throws (an `HTTPResponseError` for a chosen status).
public typealias RouteHandler = @Sendable (WebRequest, RouteParameters, RequestContext) throws -> WebResponse

/// Maps method and path to a handler. Static paths are found by their length, then compared;
/// patterns with `{name}` segments are tried in order. `HEAD` is served by the `GET` route.
public struct Router: Sendable {
    private struct Route: Sendable {
        let method: String
        let pattern: String
        let index: Int
        let segments: [Substring]
        let handler: RouteHandler
    }

    /// A handler kept in a struct, so taking it out of a collection needs no conversion thunk
    /// (a closure stored directly as an array or dictionary value is re-wrapped on every read).
    private struct MethodHandler: Sendable {
        let method: String
        let handler: RouteHandler
    }

    private struct StaticRoute: Sendable {
        let path: String
        let index: Int
        var handlers: [MethodHandler]
    }

    /// Static routes by the UTF-8 length of their path: a request's path is compared with the
    /// few of its length only, with no hashing.
    private var staticByLength: [[StaticRoute]] = []
    private var patterns: [Route] = []
    /// Every path and pattern routed, once each, in the order they were added.
    private(set) var patternNames: [String] = []

    /// An empty router.
    public init() {}

    /// Adds a route. `pattern` is a path whose `{name}` segments capture one path segment.
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping RouteHandler) {
        let patternIndex = patternNames.firstIndex(of: pattern) ?? patternNames.count
        if patternIndex == patternNames.count { patternNames.append(pattern) }
        if pattern.contains("{") {
            patterns.append(
                Route(method: method, pattern: pattern, index: patternIndex, segments: pattern.split(separator: "/"), handler: handler))
            return
        }
        let length = pattern.utf8.count
        while staticByLength.count <= length { staticByLength.append([]) }
        let entry = MethodHandler(method: method, handler: handler)
        guard let position = staticByLength[length].firstIndex(where: { $0.path == pattern }) else {
            staticByLength[length].append(StaticRoute(path: pattern, index: patternIndex, handlers: [entry]))
            return
        }
        if let existing = staticByLength[length][position].handlers.firstIndex(where: { $0.method == method }) {
            staticByLength[length][position].handlers[existing] = entry
        } else {
            staticByLength[length][position].handlers.append(entry)
        }
    }

    private func staticRoute(_ path: String) -> StaticRoute? {
        let length = path.utf8.count
        guard length < staticByLength.count else { return nil }
        for route in staticByLength[length] where route.path == path { return route }
        return nil
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
        if let route = staticRoute(path) {
            for entry in route.handlers where entry.method == lookup {
                return .found(entry.handler, RouteParameters(values: [:], route: route.path, routeIndex: route.index))
            }
            return .methodNotAllowed(allowed: Router.allowHeader(route.handlers.map(\.method)))
        }
        let segments = path.split(separator: "/")
        var allowed: [String] = []
        for route in patterns where route.segments.count == segments.count {
            guard let values = Router.capture(route.segments, segments) else { continue }
            if route.method == lookup {
                return .found(route.handler, RouteParameters(values: values, route: route.pattern, routeIndex: route.index))
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: Router.allowHeader(allowed))
    }

    /// The pattern serving `path` with any method (the path itself for a static route), or nil
    /// when no route serves it: names a 405's route in metrics without the raw path.
    public func pattern(forPath path: String) -> String? {
        patternIndex(forPath: path).map { patternNames[$0] }
    }

    /// The index in `patternNames` of the pattern serving `path` with any method.
    func patternIndex(forPath path: String) -> Int? {
        if let route = staticRoute(path) { return route.index }
        let segments = path.split(separator: "/")
        for route in patterns where route.segments.count == segments.count && Router.capture(route.segments, segments) != nil {
            return route.index
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
