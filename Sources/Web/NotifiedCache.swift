import Threads

/// Values derived from the database, shared by the responder threads and kept exact by following
/// a notification channel through the responder's shared listener (`JobWaiter.follow`): any
/// notification drops every value.
///
/// Nothing is served unless the listener is live, so a lost connection can never leave a stale
/// value behind: values are stored under a generation number that every notification, every
/// (re)connect and every loss of the listener moves on, and a value read under an older
/// generation is never stored. A change is seen once its notification is heard (well under a
/// millisecond after its commit on a local server). `maxAge`, when set, also retires values that
/// are older, for what must be re-read now and then anyway.
public final class NotifiedCache<Value: Sendable>: ChannelFollower {
    /// Proof of which generation a value was read under (taken before reading the database).
    public struct Ticket: Sendable {
        fileprivate let generation: UInt64
    }

    private struct Entry {
        var value: Value
        var stored: ContinuousClock.Instant
    }

    private struct State {
        var generation: UInt64 = 0
        var live = false
        var entries: [String: Entry] = [:]
        var hits = 0
        var misses = 0
    }

    public let channel: String
    /// The most values kept; when full, they are dropped and filling starts again. 0 turns the
    /// cache off.
    public let capacity: Int
    /// How long a value may be served, whatever the notifications say; nil: until a change.
    public let maxAge: Duration?
    private let state = ConditionLock(State())

    /// A cache following `channel`, of at most `capacity` values (0: off). It serves nothing until
    /// a listener reports itself live.
    public init(channel: String, capacity: Int, maxAge: Duration? = nil) {
        self.channel = channel
        self.capacity = max(0, capacity)
        self.maxAge = maxAge
    }

    /// The value stored under `key`, counting a hit or a miss; nil when absent, too old, or the
    /// cache is not live.
    public func value(_ key: String) -> Value? {
        guard capacity > 0 else { return nil }
        let now: ContinuousClock.Instant? = maxAge == nil ? nil : .now
        return state.withLock { state in
            guard state.live, let entry = state.entries[key] else {
                state.misses += 1
                return nil
            }
            if let maxAge, let now, entry.stored.duration(to: now) > maxAge {
                state.entries[key] = nil
                state.misses += 1
                return nil
            }
            state.hits += 1
            return entry.value
        }
    }

    /// Take before reading the database; nil when values cannot be stored now (not live, or off).
    public func ticket() -> Ticket? {
        guard capacity > 0 else { return nil }
        return state.withLock { $0.live ? Ticket(generation: $0.generation) : nil }
    }

    /// Stores `value` under `key` unless something changed since `ticket` was taken.
    public func store(_ value: Value, for key: String, ticket: Ticket) {
        let now = ContinuousClock.now
        state.withLock { state in
            guard state.live, state.generation == ticket.generation else { return }
            if state.entries.count >= capacity && state.entries[key] == nil { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(value: value, stored: now)
        }
    }

    /// Drops every value (a change was announced, or made by this process).
    public func changed() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    public func listening(_ live: Bool) {
        state.withLock { state in
            state.live = live
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// Values served from the cache and looked up in vain so far (for `/metrics`).
    public var counts: (hits: Int, misses: Int) {
        state.withLock { ($0.hits, $0.misses) }
    }
}

/// Rendered `GET /api/searches` pages, dropped on every change to `weather_searches`
/// (migration 0005 announces them on `weather_searches_changed`).
public typealias SearchPageCache = NotifiedCache<[UInt8]>

extension NotifiedCache where Value == [UInt8] {
    /// The channel migration 0005 announces search changes on.
    public static var searchChangesChannel: String { "weather_searches_changed" }

    /// A search page cache of at most `capacity` pages (0: off).
    public convenience init(capacity: Int = 64) {
        self.init(channel: Self.searchChangesChannel, capacity: capacity)
    }
}
