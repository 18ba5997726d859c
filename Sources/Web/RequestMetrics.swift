import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Request counts and durations by route pattern, method and status, for `/metrics`.
///
/// Recording is cheap and barely contended: the figures are split into shards, each behind its
/// own `Mutex`, and a thread always records into the shard its thread id picks, so responder
/// threads almost never wait for one another. A scrape merges the shards. Each FCGIApp process
/// has its own figures (Prometheus sums them, or scrapes each process).
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

    private final class Shard: Sendable {
        let series = Mutex<[SeriesKey: Series]>([:])
    }

    private static let shardCount = 32
    private let shards: [Shard]

    /// Empty figures.
    public init() {
        shards = (0..<RequestMetrics.shardCount).map { _ in Shard() }
    }

    /// Records one answered request: `route` is the matched route's pattern (or `unmatched`),
    /// never the raw path, so the number of series stays bounded.
    public func record(route: String, method: String, status: Int, seconds: Double) {
        let bucket = RequestMetrics.bucketIndex(seconds)
        let key = SeriesKey(route: route, method: RequestMetrics.methodLabel(method), status: status)
        shards[RequestMetrics.shardIndex()].series.withLock { series in
            series[key, default: Series()].record(seconds: seconds, bucket: bucket)
        }
    }

    /// The figures so far, merged over every shard.
    public func snapshot() -> [SeriesKey: Series] {
        var merged: [SeriesKey: Series] = [:]
        for shard in shards {
            shard.series.withLock { series in
                for (key, value) in series { merged[key, default: Series()].add(value) }
            }
        }
        return merged
    }

    /// The method as a label: the usual ones as they are, anything else `other`, so a client
    /// cannot create series at will.
    static func methodLabel(_ method: String) -> String {
        switch method {
        case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS": return method
        default: return "other"
        }
    }

    static func bucketIndex(_ seconds: Double) -> Int {
        var index = 0
        while index < bucketBounds.count && seconds > bucketBounds[index] { index += 1 }
        return index
    }

    /// The shard of the calling thread: its pthread id, hashed (ids are aligned addresses).
    private static func shardIndex() -> Int {
        #if os(Linux)
        let id = UInt64(pthread_self())
        #else
        let id = UInt64(UInt(bitPattern: pthread_self()))
        #endif
        return Int(truncatingIfNeeded: (id &* 0x9E37_79B9_7F4A_7C15) >> 59) & (shardCount - 1)
    }
}

extension RequestMetrics.Series {
    fileprivate mutating func record(seconds: Double, bucket: Int) {
        count += 1
        sum += seconds
        buckets[bucket] += 1
    }
}
