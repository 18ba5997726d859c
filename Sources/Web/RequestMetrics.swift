import Synchronization
import Threads
#if canImport(Glibc)
import Glibc
#endif

/// Request counts and durations by route pattern, method and status, for `/metrics`.
///
/// Recording is cheap and barely contended: the figures are split into shards, each behind its
/// own `Mutex`, and a thread always records into the shard of its `ThreadSlot`, so responder
/// threads do not wait for one another. A scrape merges the shards. Each FCGIApp process
/// has its own figures (Prometheus sums them, or scrapes each process).
///
/// Route patterns are registered once as a `Route` (an index), so recording hashes no string:
/// a shard keeps its series in an array by route and method, each with the few statuses seen.
public final class RequestMetrics: Sendable {
    /// Upper bounds (seconds) of the duration histogram's buckets, from 0.5 ms to 10 s; `+Inf` is implied.
    public static let bucketBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// One time series key of `weather_http_requests_total`.
    public struct SeriesKey: Hashable, Sendable {
        /// The route pattern (`/api/tasks/{id}`), or `unmatched`.
        public var route: String
        /// The request method.
        public var method: String
        /// The answer's status.
        public var status: Int
    }

    /// Figures of one series: a count, and the durations as a histogram.
    public struct Series: Sendable {
        /// Requests answered.
        public var count: UInt64 = 0
        /// Sum of their durations in seconds.
        public var sum: Double = 0
        /// Requests per bucket (not cumulative): index `i` counts durations in
        /// `(bucketBounds[i-1], bucketBounds[i]]`; the last index counts those above every bound.
        public var buckets: [UInt64] = Array(repeating: 0, count: RequestMetrics.bucketBounds.count + 1)

        mutating func add(_ other: Series) {
            count += other.count
            sum += other.sum
            for index in buckets.indices { buckets[index] += other.buckets[index] }
        }
    }

    /// A route pattern registered with `route(_:)`: record by it to skip looking the name up.
    public struct Route: Sendable, Equatable {
        let index: Int
    }

    /// The series of one route and method, by status (a handful at most).
    private struct Cell: Sendable {
        var statuses: [Int] = []
        var series: [Series] = []
    }

    private final class Shard: Sendable {
        /// Cells by `route.index * methodLabels.count + method index`.
        let cells = Mutex<[Cell]>([])
    }

    private static let shardCount = 32
    private static let methodLabels = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"]
    private let shards: [Shard]
    private let routes = Mutex<(names: [String], indexes: [String: Int])>(([], [:]))

    /// Empty figures.
    public init() {
        shards = (0..<RequestMetrics.shardCount).map { _ in Shard() }
    }

    /// Registers a route pattern (or `unmatched`) once; the same name gives the same route.
    public func route(_ name: String) -> Route {
        routes.withLock { routes in
            if let index = routes.indexes[name] { return Route(index: index) }
            routes.names.append(name)
            routes.indexes[name] = routes.names.count - 1
            return Route(index: routes.names.count - 1)
        }
    }

    /// Records one answered request: `route` is the matched route's pattern (or `unmatched`),
    /// never the raw path, so the number of series stays bounded.
    public func record(route: String, method: String, status: Int, seconds: Double) {
        record(self.route(route), method: method, status: status, seconds: seconds)
    }

    /// Records one answered request of a registered route.
    public func record(_ route: Route, method: String, status: Int, seconds: Double) {
        let bucket = RequestMetrics.bucketIndex(seconds)
        let cell = route.index * RequestMetrics.methodLabels.count + RequestMetrics.methodIndex(method)
        shards[RequestMetrics.shardIndex()].cells.withLock { cells in
            if cell >= cells.count { cells.append(contentsOf: repeatElement(Cell(), count: cell + 1 - cells.count)) }
            if let index = cells[cell].statuses.firstIndex(of: status) {
                cells[cell].series[index].record(seconds: seconds, bucket: bucket)
            } else {
                var series = Series()
                series.record(seconds: seconds, bucket: bucket)
                cells[cell].statuses.append(status)
                cells[cell].series.append(series)
            }
        }
    }

    /// The figures so far, merged over every shard.
    public func snapshot() -> [SeriesKey: Series] {
        var found: [(cell: Int, status: Int, series: Series)] = []
        for shard in shards {
            shard.cells.withLock { cells in
                for (index, cell) in cells.enumerated() {
                    for (status, series) in zip(cell.statuses, cell.series) { found.append((index, status, series)) }
                }
            }
        }
        // Read after the shards: every route recorded so far was registered before.
        let names = routes.withLock { $0.names }
        let methods = RequestMetrics.methodLabels.count
        var merged: [SeriesKey: Series] = [:]
        for (cell, status, series) in found {
            let key = SeriesKey(route: names[cell / methods], method: RequestMetrics.methodLabels[cell % methods], status: status)
            merged[key, default: Series()].add(series)
        }
        return merged
    }

    /// The method's index in `methodLabels`: the usual ones as they are, anything else
    /// `other`, so a client cannot create series at will.
    private static func methodIndex(_ method: String) -> Int {
        switch method {
        case "GET": return 0
        case "HEAD": return 1
        case "POST": return 2
        case "PUT": return 3
        case "PATCH": return 4
        case "DELETE": return 5
        case "OPTIONS": return 6
        default: return 7
        }
    }

    static func bucketIndex(_ seconds: Double) -> Int {
        var index = 0
        while index < bucketBounds.count && seconds > bucketBounds[index] { index += 1 }
        return index
    }

    /// The shard of the calling thread: its `ThreadSlot`, so up to `shardCount` threads each
    /// record into a shard of their own (a hash of the thread id made some share one).
    private static func shardIndex() -> Int {
        ThreadSlot.current & (shardCount - 1)
    }
}

extension RequestMetrics.Series {
    fileprivate mutating func record(seconds: Double, bucket: Int) {
        count += 1
        sum += seconds
        buckets[bucket] += 1
    }
}
