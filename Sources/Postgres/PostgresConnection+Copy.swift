import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

extension PostgresConnection {
    /// Runs one `COPY (...) TO STDOUT` statement and hands its data to `body` as it arrives, one
    /// CopyData message at a time (the server sends one message per row, plus the header in
    /// binary format and CSV with `HEADER`), in constant memory whatever the size. Returns the
    /// rows copied (the server's `COPY n`).
    ///
    /// COPY takes no bind parameters: `statement` must carry none (a `.usage` error otherwise).
    /// Pass values some other way, never spliced into the text: for example
    /// `SELECT set_config('app.city', $1, true)` in the same transaction and
    /// `current_setting('app.city')` in the COPY's query.
    ///
    /// `body` gets a buffer valid only during the call. `whileWaiting` is called about every
    /// 100 ms while no data is arriving (the server is still planning, sorting, or slow), so a
    /// caller can check for cancellation even then.
    ///
    /// When `body` or `whileWaiting` throws, the copy is abandoned and the error rethrown, with the
    /// connection left usable: a cancel request is sent (`PQcancel`) and whatever is still in
    /// flight is read and discarded until the server reports the end of the statement (inside a
    /// transaction the transaction is then aborted, as after any failed statement, so the
    /// caller's `transaction` rolls it back). Should that not finish within 10 seconds, or the
    /// connection break meanwhile, the connection is closed instead, and the next statement
    /// reconnects.
    ///
    /// A connection that breaks during the copy surfaces as a `.connection` error (it is closed;
    /// the next statement reconnects). One that was already broken before anything was copied is
    /// reopened and the statement sent again once, outside transactions, as `query` does.
    @discardableResult
    public func copyOut(
        _ statement: PostgresQuery, whileWaiting: () throws -> Void = {},
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        guard statement.binds.isEmpty else {
            throw PostgresError(kind: .usage, message: "COPY takes no bind parameters; pass values with set_config/current_setting")
        }
        let reopened = try ensureConnected()
        var delivered = false
        do {
            return try runCopyOut(statement.sql, whileWaiting: whileWaiting, body, delivered: &delivered)
        } catch let error as PostgresError where error.isConnectionFailure && !reopened && transactionDepth == 0 && !delivered {
            close()
            try ensureConnected()
            return try runCopyOut(statement.sql, whileWaiting: whileWaiting, body, delivered: &delivered)
        }
    }

    /// How long an abandoned copy may take to wind down before the connection is closed instead.
    static let copyAbandonLimit = Duration.seconds(10)
    /// How often `whileWaiting` is called while no data arrives.
    static let copyWaitSlice: Int32 = 100

    private func runCopyOut(
        _ sql: String, whileWaiting: () throws -> Void, _ body: (UnsafeRawBufferPointer) throws -> Void,
        delivered: inout Bool
    ) throws -> Int {
        guard let handle else { throw connectionError() }
        guard PQsendQuery(handle, sql) == 1 else { throw brokenCopy(handle) }

        // The first result says whether the statement started a COPY TO STDOUT.
        while PQisBusy(handle) == 1 {
            try waitForInput(handle, whileWaiting: whileWaiting)
        }
        guard let first = PQgetResult(handle) else { throw brokenCopy(handle) }
        switch PQresultStatus(first) {
        case PGRES_COPY_OUT:
            PQclear(first)
        case PGRES_COPY_IN, PGRES_COPY_BOTH:
            PQclear(first)
            _ = PQputCopyEnd(handle, "copyOut runs COPY ... TO STDOUT only")
            _ = drainUntilIdle(handle)
            throw PostgresError(kind: .usage, message: "copyOut runs COPY ... TO STDOUT only, not COPY FROM")
        default:
            // An error (thrown through the choke point) or a statement that is no COPY.
            let failure: any Error
            do {
                _ = try check(first)
                failure = PostgresError(kind: .usage, message: "copyOut runs COPY ... TO STDOUT only")
            } catch {
                failure = error
            }
            if !drainUntilIdle(handle) { close() }
            throw failure
        }

        var buffer: UnsafeMutablePointer<CChar>?
        while true {
            let length = PQgetCopyData(handle, &buffer, 1)
            if length > 0 {
                let chunk = UnsafeRawBufferPointer(start: buffer, count: Int(length))
                do {
                    try body(chunk)
                } catch {
                    PQfreemem(buffer)
                    abandonCopy(handle)
                    throw error
                }
                PQfreemem(buffer)
                delivered = true
            } else if length == 0 {
                try waitForInput(handle, whileWaiting: whileWaiting)
            } else if length == -1 {
                break
            } else {
                throw brokenCopy(handle)
            }
        }

        // The statement's own result: `COPY n`, or the error that ended the copy early.
        var rows = 0
        var failure: (any Error)?
        while let result = PQgetResult(handle) {
            do {
                rows = try check(result).affectedRows
            } catch {
                if failure == nil { failure = error }
            }
        }
        if let failure { throw failure }
        return rows
    }

    /// Waits until the socket is readable (then reads what arrived) or `copyWaitSlice` passes
    /// (then calls `whileWaiting`). A throwing `whileWaiting` abandons the copy.
    private func waitForInput(_ handle: OpaquePointer, whileWaiting: () throws -> Void) throws {
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw brokenCopy(handle) }
        let ready = cpq_wait_readable(socket, PostgresConnection.copyWaitSlice)
        if ready < 0 {
            if errno == EINTR { return }
            throw brokenCopy(handle)
        }
        if ready == 0 {
            do {
                try whileWaiting()
            } catch {
                abandonCopy(handle)
                throw error
            }
            return
        }
        guard PQconsumeInput(handle) == 1 else { throw brokenCopy(handle) }
    }

    /// The error for a connection that broke during a copy (libpq's message: the server's FATAL,
    /// or "server closed the connection unexpectedly"); the connection is closed.
    private func brokenCopy(_ handle: OpaquePointer) -> PostgresError {
        var error = connectionError()
        error.kind = .connection
        close()
        return error
    }

    /// Stops a copy the caller no longer wants: a cancel request, then everything still in flight
    /// is read and dropped, so the connection is idle again. Closes the connection when that
    /// fails or takes longer than `copyAbandonLimit`.
    private func abandonCopy(_ handle: OpaquePointer) {
        if let cancel = PQgetCancel(handle) {
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel, &message, Int32(message.count))
            PQfreeCancel(cancel)
        }
        if !drainUntilIdle(handle) { close() }
    }

    /// Reads and discards copy data and results until the connection is idle. False when the
    /// connection broke or `copyAbandonLimit` passed first.
    private func drainUntilIdle(_ handle: OpaquePointer) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + PostgresConnection.copyAbandonLimit
        func waitReadable() -> Bool {
            let remaining = clock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + 1)
            let socket = PQsocket(handle)
            guard socket >= 0 else { return false }
            let ready = cpq_wait_readable(socket, min(milliseconds, 1000))
            if ready < 0 { return errno == EINTR }
            if ready == 0 { return clock.now < deadline }
            return PQconsumeInput(handle) == 1
        }
        while true {
            if PQisBusy(handle) == 1 {
                guard waitReadable() else { return false }
                continue
            }
            guard let result = PQgetResult(handle) else { return PQstatus(handle) == CONNECTION_OK }
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                var buffer: UnsafeMutablePointer<CChar>?
                copying: while true {
                    let length = PQgetCopyData(handle, &buffer, 1)
                    if length > 0 {
                        PQfreemem(buffer)
                    } else if length == 0 {
                        guard waitReadable() else { return false }
                    } else if length == -1 {
                        break copying
                    } else {
                        return false
                    }
                }
            } else if status == PGRES_COPY_IN {
                guard PQputCopyEnd(handle, "abandoned") == 1 else { return false }
            }
        }
    }
}
