import AppSupport

/// What one detection pass did.
public struct AlertDetection: Sendable, Equatable {
    /// Searches looked at (those after the cursor, up to the settled horizon).
    public var searchesExamined: Int
    /// Alerts raised, by kind (every kind present, 0 when none).
    public var alertsByKind: [AlertKind: Int]
    /// Pending notifications queued for the new alerts.
    public var notificationsQueued: Int
    /// The cursor afterwards: the last search id looked at.
    public var cursor: Int
    /// True when searches still being written kept detection from moving past them this time.
    public var deferred: Bool

    /// An empty pass at `cursor`.
    public init(cursor: Int) {
        searchesExamined = 0
        alertsByKind = Dictionary(uniqueKeysWithValues: AlertKind.allCases.map { ($0, 0) })
        notificationsQueued = 0
        self.cursor = cursor
        deferred = false
    }

    /// All alerts raised.
    public var alertsCreated: Int { alertsByKind.values.reduce(0, +) }

    /// `{"heat": n, "cold": n, "wind": n, "thunderstorm": n}`.
    public var alertsJSON: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: AlertKind.allCases.map { ($0.rawValue, JSONValue.int(alertsByKind[$0] ?? 0)) }))
    }
}
