/// Something that follows a Postgres notification channel through the responder's one shared
/// listener connection (`JobWaiter`), instead of opening a connection of its own.
public protocol ChannelFollower: AnyObject, Sendable {
    /// The channel to LISTEN on.
    var channel: String { get }
    /// A notification arrived on `channel`.
    func changed()
    /// The listener is (again) listening on `channel` (`true`: after every connect or reconnect,
    /// when notifications may have been missed) or has lost its connection (`false`: from now
    /// on notifications may be missed until the next `true`).
    func listening(_ live: Bool)
}
