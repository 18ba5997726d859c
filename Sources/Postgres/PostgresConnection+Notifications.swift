import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// A message received on a LISTENed channel.
public struct PostgresNotification: Sendable, Hashable {
    /// The channel it was sent on.
    public var channel: String
    /// The payload (may be empty).
    public var payload: String
    /// The server process id of the sender.
    public var senderProcessID: Int32
}

extension PostgresConnection {
    /// Starts listening on `channel`; renewed automatically whenever the connection is reopened.
    public func listen(_ channel: String) throws {
        try simpleQuery("LISTEN " + PostgresQuery.quoteIdentifier(channel))
        if !channels.contains(channel) { channels.append(channel) }
    }

    /// Stops listening on `channel`.
    public func unlisten(_ channel: String) throws {
        channels.removeAll { $0 == channel }
        try simpleQuery("UNLISTEN " + PostgresQuery.quoteIdentifier(channel))
    }

    /// Sends a notification; delivered when the current transaction commits.
    public func notify(_ channel: String, payload: String = "") throws {
        try execute("SELECT pg_notify(\(channel), \(payload))")
    }

    /// Waits on the connection's socket until at least one notification arrives or `timeout`
    /// passes, and returns what arrived (empty on timeout). Blocks the calling thread.
    ///
    /// Throws a `.connection` error when the connection breaks while waiting: notifications
    /// may have been missed, so the caller should catch up (re-read its state) before waiting
    /// again; the next call reconnects and renews the LISTENs.
    ///
    /// When `wakeDescriptor` is given, the wait also ends (returning what arrived, possibly
    /// nothing) as soon as that descriptor is readable; the caller drains it.
    public func waitForNotifications(timeout: Duration, wakeDescriptor: Int32? = nil) throws -> [PostgresNotification] {
        try ensureConnected()
        guard let handle else { throw connectionError() }
        var received = drainNotifications(handle)
        if !received.isEmpty { return received }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero { return [] }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            let socket = PQsocket(handle)
            guard socket >= 0 else { throw brokenWhileWaiting() }
            let ready = cpq_wait_readable2(socket, wakeDescriptor ?? -1, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw PostgresError(kind: .connection, message: "poll failed: errno \(errno)")
            }
            if ready == 0 { continue }
            if ready == 2 { return drainNotifications(handle) }
            if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK {
                throw brokenWhileWaiting()
            }
            received = drainNotifications(handle)
            if !received.isEmpty { return received }
        }
    }

    private func brokenWhileWaiting() -> PostgresError {
        let error = connectionError()
        close()
        return error
    }

    private func drainNotifications(_ handle: OpaquePointer) -> [PostgresNotification] {
        var out: [PostgresNotification] = []
        PQconsumeInput(handle)
        while let notify = PQnotifies(handle) {
            let message = notify.pointee
            out.append(
                PostgresNotification(
                    channel: String(cString: message.relname), payload: String(cString: message.extra),
                    senderProcessID: message.be_pid))
            PQfreemem(notify)
        }
        return out
    }
}
