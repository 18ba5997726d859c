import Threads

/// Rendered `GET /api/searches` pages, shared by the responder threads and kept exact by
/// following the channel `weather_searches_changed` (migration 0005 announces every change to
/// the table there): any change drops every page.
///
/// The cache serves nothing unless the shared listener is live, so a lost connection can never
/// leave a stale page behind: pages are stored under a generation number that every change,
/// every (re)connect and every loss of the listener moves on, and a page rendered under an older
/// generation is never stored. A change made by another process is seen once its notification is
/// heard (well under a millisecond after its commit on a local server); the responder drops the
/// pages itself after storing a search (`GET /api/weather`), so its own clients read their writes.
public final class SearchPageCache: ChannelFollower {
    /// The channel migration 0005 announces changes on.
    public static let changesChannel = "weather_searches_changed"

    /// Proof of which generation a page was rendered under (taken before reading the database).
    public struct Ticket: Sendable {
        fileprivate let generation: UInt64
    }

    private struct State {
        var generation: UInt64 = 0
        var live = false
        var pages: [String: [UInt8]] = [:]
        var hits = 0
        var misses = 0
    }

    /// The most pages kept; when full, the pages are dropped and filling starts again. 0 turns the
    /// cache off.
    public let capacity: Int
    private let state = ConditionLock(State())

    /// A cache of at most `capacity` pages (0: off). It serves nothing until a listener reports
    /// itself live.
    public init(capacity: Int = 64) {
        self.capacity = max(0, capacity)
    }

    public var channel: String { SearchPageCache.changesChannel }

    /// The page stored under `key`, counting a hit or a miss; nil when absent or the cache is not live.
    public func page(_ key: String) -> [UInt8]? {
        guard capacity > 0 else { return nil }
        return state.withLock { state in
            guard state.live, let page = state.pages[key] else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            return page
        }
    }

    /// Take before reading the database; nil when pages cannot be stored now (not live, or off).
    public func ticket() -> Ticket? {
        guard capacity > 0 else { return nil }
        return state.withLock { $0.live ? Ticket(generation: $0.generation) : nil }
    }

    /// Stores `page` under `key` unless something changed since `ticket` was taken.
    public func store(_ page: [UInt8], for key: String, ticket: Ticket) {
        state.withLock { state in
            guard state.live, state.generation == ticket.generation else { return }
            if state.pages.count >= capacity && state.pages[key] == nil { state.pages.removeAll(keepingCapacity: true) }
            state.pages[key] = page
        }
    }

    /// Drops every page (a change was announced, or made by this process).
    public func changed() {
        state.withLock { state in
            state.generation &+= 1
            state.pages.removeAll(keepingCapacity: true)
        }
    }

    public func listening(_ live: Bool) {
        state.withLock { state in
            state.live = live
            state.generation &+= 1
            state.pages.removeAll(keepingCapacity: true)
        }
    }

    /// Pages served from the cache and looked up in vain so far (for `/metrics`).
    public var counts: (hits: Int, misses: Int) {
        state.withLock { ($0.hits, $0.misses) }
    }
}
