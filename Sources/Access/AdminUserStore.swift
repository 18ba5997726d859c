import FoundationEssentials
import Postgres

/// Why an admin user command was refused (the user's input, not the system).
public enum AdminUserError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A user already has this name (names are compared regardless of case).
    case nameTaken(String)
    /// No user has this name.
    case unknownUser(String)
    /// A name outside `[A-Za-z0-9][A-Za-z0-9._@-]{0,63}`.
    case invalidName(String)
    /// The password was refused (too short, empty, too long).
    case unacceptablePassword(PasswordHashError)

    public var description: String {
        switch self {
        case .nameTaken(let name): return "an admin user named \(name) already exists (names are compared regardless of case)"
        case .unknownUser(let name): return "no admin user is named \(name)"
        case .invalidName(let name):
            return "invalid user name \(name): use letters, digits, dots, dashes, underscores and @ (at most 64, starting with a letter or digit)"
        case .unacceptablePassword(let problem): return "\(problem)"
        }
    }
}

/// Creates, lists, changes and deletes web admin users, and checks their passwords. Passwords
/// are hashed with yescrypt (`PasswordHash`), which blocks: call from a thread of your own.
public enum AdminUserStore {
    /// Creates the user `username` with `password` (at least `PasswordHash.minimumLength` characters).
    public static func create(username: String, password: String, on connection: PostgresConnection) throws -> AdminUser {
        guard isValidName(username) else { throw AdminUserError.invalidName(username) }
        let hash = try hashing(password)
        do {
            guard let row = try connection.query(AdminUserQueries.insert(username: username, hash: hash)).first else {
                throw PostgresError(kind: .usage, message: "the user row was not returned")
            }
            return try AdminUser(row: row)
        } catch let error as PostgresError where error.sqlState == "23505" {
            throw AdminUserError.nameTaken(username)
        }
    }

    /// Every user, by name.
    public static func list(on connection: PostgresConnection) throws -> [AdminUser] {
        try connection.query(AdminUserQueries.list()).map(AdminUser.init(row:))
    }

    /// The user named `username` (regardless of case), or nil.
    public static func find(username: String, on connection: PostgresConnection) throws -> AdminUser? {
        try connection.query(AdminUserQueries.find(username: username)).first.map(AdminUser.init(row:))
    }

    /// Deletes the user and, with it, every session of theirs.
    public static func delete(username: String, on connection: PostgresConnection) throws {
        guard try !connection.query(AdminUserQueries.delete(username: username)).isEmpty else {
            throw AdminUserError.unknownUser(username)
        }
    }

    /// Sets a new password and ends every session of the user; returns how many were ended.
    @discardableResult
    public static func setPassword(username: String, password: String, on connection: PostgresConnection) throws -> Int {
        let hash = try hashing(password)
        return try changed(connection.query(AdminUserQueries.setPassword(username: username, hash: hash)), username)
    }

    /// Disables the user (ending every session of theirs) or enables it again; returns how many
    /// sessions were ended.
    @discardableResult
    public static func setDisabled(_ disabled: Bool, username: String, on connection: PostgresConnection) throws -> Int {
        try changed(connection.query(AdminUserQueries.setDisabled(username: username, disabled: disabled)), username)
    }

    /// The enabled user whose name (regardless of case) and password these are, or nil. An
    /// unknown or disabled user costs one hash too (against `PasswordHash.decoy`), so the time
    /// taken does not tell whether a name exists. Records the sign-in time on success.
    public static func authenticate(username: String, password: String, on connection: PostgresConnection) throws -> AdminUser? {
        guard isValidName(username), let row = try connection.query(AdminUserQueries.credentials(username: username)).first else {
            _ = PasswordHash.verify(password, against: PasswordHash.decoy)
            return nil
        }
        let stored = try row.decode(String.self, "password_hash")
        let matches = PasswordHash.verify(password, against: stored)
        guard matches, try !row.decode(Bool.self, "disabled") else { return nil }
        let id = try row.decode(Int.self, "id")
        _ = try connection.execute(AdminUserQueries.recordLogin(id: id))
        return try find(username: username, on: connection)
    }

    static func hashing(_ password: String) throws -> String {
        do {
            return try PasswordHash.hash(password)
        } catch .hashingFailed(let code) {
            throw PasswordHashError.hashingFailed(errno: code)
        } catch {
            throw AdminUserError.unacceptablePassword(error)
        }
    }

    private static func changed(_ rows: PostgresRows, _ username: String) throws -> Int {
        guard let row = rows.first, try !row.isNull("id") else { throw AdminUserError.unknownUser(username) }
        return try row.decode(Int.self, "ended")
    }

    /// `[A-Za-z0-9][A-Za-z0-9._@-]{0,63}`, as the table's check says.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64 else { return false }
        func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        return alphanumeric(first) && name.unicodeScalars.allSatisfy { alphanumeric($0) || ".-_@".unicodeScalars.contains($0) }
    }
}

extension AdminUser {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(Int.self, "id"), username: try row.decode(String.self, "username"),
            createdAt: try row.decode(Date.self, "created_at"), passwordChangedAt: try row.decode(Date.self, "password_changed_at"),
            lastLoginAt: try row.decode(Date?.self, "last_login_at"), disabledAt: try row.decode(Date?.self, "disabled_at"),
            openSessions: try row.decode(Int.self, "open_sessions"))
    }
}
