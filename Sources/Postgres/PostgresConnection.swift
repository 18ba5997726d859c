import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// One connection to Postgres, used by one thread at a time.
///
/// Every libpq call here blocks: run a connection on a thread of its own (an accept thread, a
/// worker thread), never on Swift's cooperative pool. The type is deliberately not `Sendable`.
///
/// - Every statement goes through the extended protocol with bound parameters, prepared once
///   per connection and reused.
/// - A broken connection is reopened on next use (and its LISTENs renewed). A statement that
///   fails because the connection was already gone is retried once on the new connection, but
///   never inside a transaction: there the error surfaces and the transaction is lost.
public final class PostgresConnection {
    private let conninfo: String
    private let applicationName: String
    var handle: OpaquePointer?
    private var statementNames: [StatementKey: String] = [:]
    var channels: [String] = []
    var transactionDepth = 0
    /// How many times this connection has been (re)opened.
    public private(set) var connectCount = 0

    /// The most prepared statements kept per connection; beyond it statements run unprepared.
    static let maxPreparedStatements = 256

    struct StatementKey: Hashable {
        var sql: String
        var types: [UInt32]
    }

    /// Creates a connection from a libpq connection string or URI and, unless `connectNow` is
    /// false, opens it. Throws a `.configuration` error for a string libpq cannot parse and a
    /// `.connection` error when the server cannot be reached.
    public init(conninfo: String, applicationName: String = "weather-service", connectNow: Bool = true) throws {
        try PostgresConnection.validate(conninfo: conninfo)
        self.conninfo = conninfo
        self.applicationName = applicationName
        if connectNow { try connect() }
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Checks that libpq can parse a connection string, without connecting.
    public static func validate(conninfo: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "cannot parse the connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(kind: .configuration, message: firstLine(message))
        }
        defer { PQconninfoFree(options) }
        // libpq only checks the port when connecting; a typo there deserves the same early error.
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "port", let value = option.pointee.val {
                let ports = String(cString: value).split(separator: ",", omittingEmptySubsequences: false)
                for port in ports where !(port.isEmpty || UInt16(port).map { $0 > 0 } == true) {
                    throw PostgresError(kind: .configuration, message: "invalid port number: \"\(port)\"")
                }
            }
            option += 1
        }
    }

    /// True when the connection is open and healthy as far as libpq knows.
    public var isConnected: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The server process id of this connection (for `pg_terminate_backend` and logs).
    public var serverProcessID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    /// True while inside `transaction`.
    public var inTransaction: Bool { transactionDepth > 0 }

    /// Opens the connection (closing a previous one), renewing its LISTENs.
    public func connect() throws {
        close()
        // Keywords before `dbname` are defaults that the connection string may override.
        let keywords = ["connect_timeout", "fallback_application_name", "options", "dbname"]
        let values = ["5", applicationName, "-c TimeZone=UTC -c DateStyle=ISO,MDY -c client_min_messages=warning", conninfo]
        let connection = withCStringArray(keywords) { keys in
            withCStringArray(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let connection else {
            throw PostgresError(kind: .connection, message: "out of memory opening a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(kind: .connection, message: PostgresConnection.firstLine(message))
        }
        // Server messages outside a statement (a FATAL before a disconnect, NOTICEs) would go to
        // standard error; they surface as typed errors instead.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        statementNames.removeAll()
        connectCount += 1
        for channel in channels {
            try simpleQuery("LISTEN " + PostgresQuery.quoteIdentifier(channel))
        }
    }

    /// Closes the connection; the next statement opens it again.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        statementNames.removeAll()
    }

    /// Runs a statement and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        let reopened = try ensureConnected()
        do {
            return try run(query)
        } catch let error as PostgresError where error.isConnectionFailure && !reopened && transactionDepth == 0 {
            // The connection died while idle (server restart, pg_terminate_backend): the
            // statement never reached a live session, so it is safe to send it again once.
            close()
            try ensureConnected()
            return try run(query)
        }
    }

    /// One round trip that runs nothing: proves the server process answers on this connection
    /// at the least cost to it. Sends an empty statement (`-- ping`, as pgx's `Ping` does), which
    /// the server answers without starting the executor. Reconnects once like `query`.
    public func ping() throws {
        let reopened = try ensureConnected()
        do {
            try checkCommand(PQexec(handle, "-- ping"))
        } catch let error as PostgresError where error.isConnectionFailure && !reopened && transactionDepth == 0 {
            close()
            try ensureConnected()
            try checkCommand(PQexec(handle, "-- ping"))
        }
    }

    /// Runs a statement and returns how many rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try self.query(query).affectedRows
    }

    /// Runs trusted SQL text with no parameters, possibly several statements (migrations,
    /// `BEGIN`, `LISTEN`). Uses the simple protocol; nothing is prepared.
    public func simpleQuery(_ sql: String) throws {
        try ensureConnected()
        try checkCommand(PQexec(handle, sql))
    }

    /// Opens the connection if it is closed or broken. Returns true when it had to.
    @discardableResult
    func ensureConnected() throws -> Bool {
        if let handle, PQstatus(handle) == CONNECTION_OK { return false }
        if transactionDepth > 0 {
            throw PostgresError(kind: .connection, message: "connection lost inside a transaction")
        }
        try connect()
        return true
    }

    private func run(_ query: PostgresQuery) throws -> PostgresRows {
        let types = query.binds.map(\.typeOID)
        let key = StatementKey(sql: query.sql, types: types)
        var name = statementNames[key]
        if name == nil, statementNames.count < PostgresConnection.maxPreparedStatements {
            let newName = "s\(statementNames.count + 1)"
            _ = try check(PQprepare(handle, newName, query.sql, Int32(types.count), types))
            statementNames[key] = newName
            name = newName
        }
        do {
            if query.binds.isEmpty {
                // Nothing to bind: no C array to build.
                if let name { return try check(PQexecPrepared(handle, name, 0, nil, nil, nil, 0)) }
                return try check(PQexecParams(handle, query.sql, 0, nil, nil, nil, nil, 0))
            }
            let texts = query.binds.map(\.text)
            return try withOptionalCStringArray(texts) { values in
                if let name {
                    return try check(PQexecPrepared(handle, name, Int32(texts.count), values, nil, nil, 0))
                }
                return try check(PQexecParams(handle, query.sql, Int32(texts.count), types, values, nil, nil, 0))
            }
        } catch let error as PostgresError where error.sqlState == "26000" && name != nil {
            // The session forgot its prepared statements (DISCARD ALL, a pooler): prepare again.
            statementNames.removeAll()
            return try run(query)
        }
    }

    /// The one place where a libpq result becomes rows or a typed error.
    func check(_ result: OpaquePointer?) throws -> PostgresRows {
        PostgresRows(result: try checked(result))
    }

    /// `check` for a result whose rows nobody reads: frees it at once.
    func checkCommand(_ result: OpaquePointer?) throws {
        PQclear(try checked(result))
    }

    /// The result when it succeeded; otherwise frees it and throws the typed error.
    private func checked(_ result: OpaquePointer?) throws -> OpaquePointer {
        guard let result else {
            throw connectionError()
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return result
        default:
            let error = resultError(result)
            PQclear(result)
            throw error
        }
    }

    private func resultError(_ result: OpaquePointer) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let pointer = PQresultErrorField(result, code) else { return nil }
            return String(cString: pointer)
        }
        let state = field(Int32(UInt8(ascii: "C")))
        let primary = field(Int32(UInt8(ascii: "M"))) ?? PostgresConnection.firstLine(String(cString: PQresultErrorMessage(result)))
        var error = PostgresError(
            kind: .query, sqlState: state, message: primary,
            detail: field(Int32(UInt8(ascii: "D"))), hint: field(Int32(UInt8(ascii: "H"))),
            constraint: field(Int32(UInt8(ascii: "n"))))
        if state == nil || error.isConnectionFailure || !isConnected {
            error.kind = .connection
            if error.message.isEmpty { error.message = connectionError().message }
        }
        return error
    }

    func connectionError() -> PostgresError {
        let message = handle.map { String(cString: PQerrorMessage($0)) } ?? ""
        return PostgresError(kind: .connection, message: message.isEmpty ? "connection lost" : PostgresConnection.firstLine(message))
    }

    static func firstLine(_ message: String) -> String {
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        return line.trimmingSpaces()
    }
}

extension String {
    func trimmingSpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}

/// Calls `body` with a C array of C strings that live for the call.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R) rethrows -> R {
    try withOptionalCStringArray(strings.map { Optional($0) }, body)
}

/// Calls `body` with a NULL-terminated C array of C strings (nil entries stay NULL). The
/// strings are copied once into one scratch buffer (on the stack when small), not one
/// allocation each.
func withOptionalCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R) rethrows -> R {
    var total = 0
    for string in strings { if let string { total += string.utf8.count + 1 } }
    return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(total, 1)) { bytes in
        try withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: strings.count + 1) { pointers in
            var offset = 0
            for (index, string) in strings.enumerated() {
                guard let string else {
                    pointers[index] = nil
                    continue
                }
                let start = bytes.baseAddress! + offset
                let copied = string.utf8.withContiguousStorageIfAvailable { utf8 in
                    if let source = utf8.baseAddress { start.update(from: source, count: utf8.count) }
                    return utf8.count
                } ?? {
                    var count = 0
                    for byte in string.utf8 {
                        start[count] = byte
                        count += 1
                    }
                    return count
                }()
                start[copied] = 0
                pointers[index] = UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self)
                offset += copied + 1
            }
            pointers[strings.count] = nil
            return try body(UnsafePointer(pointers.baseAddress!))
        }
    }
}
