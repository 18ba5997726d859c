import Access
import AppSupport
import ArgumentParser
import Jobs
import Postgres
#if canImport(Glibc)
import Glibc
#endif

/// `TaskRunner user create|list|delete|password|disable|enable`: the web admin's users.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create, list, change and delete web admin users (passwords hashed with yescrypt; no user exists by default).",
        discussion: """
            Passwords are read from standard input: at a terminal, asked twice without echo; otherwise the first line \
            (without its line break). At least \(PasswordHash.minimumLength) characters.
            """,
        subcommands: [UserCreate.self, UserList.self, UserDelete.self, UserPassword.self, UserDisable.self, UserEnable.self])
}

struct UserCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an admin user; the password comes from standard input.")

    @Argument(help: "The user name (letters, digits, dots, dashes, underscores, @; unique regardless of case).")
    var name: String

    func run() throws {
        try reportingFailures {
            guard AdminUserStore.isValidName(name) else { throw CommandFailure("\(AdminUserError.invalidName(name))", code: 2) }
            let password = try PasswordInput.read(confirm: true)
            try withDatabase(label: "user", refusing: AdminUserError.self) { connection in
                let user = try AdminUserStore.create(username: name, password: password, on: connection)
                print("created admin user \(user.username)")
            }
        }
    }
}

struct UserList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List admin users: name, created, last sign-in, disabled, open sessions.")

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingFailures {
            try withDatabase(label: "user", refusing: AdminUserError.self) { connection in
                let users = try AdminUserStore.list(on: connection)
                if json {
                    print(JSONValue.array(users.map(\.json)).serialized)
                    return
                }
                let rows = users.map { user -> [JSONValue] in
                    [
                        .string(user.username), .string(Timestamps.iso8601(user.createdAt)),
                        user.lastLoginAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
                        user.disabledAt.map { .string(Timestamps.iso8601($0)) } ?? .null, .int(user.openSessions),
                    ]
                }
                print(Inspection.Table(columns: ["NAME", "CREATED", "LAST SIGN-IN", "DISABLED", "SESSIONS"], rows: rows).text)
            }
        }
    }
}

struct UserDelete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete an admin user and end its sessions.")

    @Argument(help: "The user name (any case).")
    var name: String

    func run() throws {
        try reportingFailures {
            try withDatabase(label: "user", refusing: AdminUserError.self) { connection in
                try AdminUserStore.delete(username: name, on: connection)
                print("deleted admin user \(name) and its sessions")
            }
        }
    }
}

struct UserPassword: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password", abstract: "Set an admin user's password (from standard input) and end its sessions.")

    @Argument(help: "The user name (any case).")
    var name: String

    func run() throws {
        try reportingFailures {
            let password = try PasswordInput.read(confirm: true)
            try withDatabase(label: "user", refusing: AdminUserError.self) { connection in
                let ended = try AdminUserStore.setPassword(username: name, password: password, on: connection)
                print("changed the password of admin user \(name); ended \(ended) session\(ended == 1 ? "" : "s")")
            }
        }
    }
}

struct UserDisable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Stop an admin user from signing in and end its sessions (enable undoes it).")

    @Argument(help: "The user name (any case).")
    var name: String

    func run() throws {
        try reportingFailures {
            try withDatabase(label: "user", refusing: AdminUserError.self) { connection in
                let ended = try AdminUserStore.setDisabled(true, username: name, on: connection)
                print("disabled admin user \(name); ended \(ended) session\(ended == 1 ? "" : "s")")
            }
        }
    }
}

struct UserEnable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enable", abstract: "Let a disabled admin user sign in again.")

    @Argument(help: "The user name (any case).")
    var name: String

    func run() throws {
        try reportingFailures {
            try withDatabase(label: "user", refusing: AdminUserError.self) { connection in
                try AdminUserStore.setDisabled(false, username: name, on: connection)
                print("enabled admin user \(name)")
            }
        }
    }
}

/// A new password from standard input: asked twice without echo at a terminal, else the first
/// line. Checked (`PasswordHash.validate`) before anything touches the database; never printed.
enum PasswordInput {
    static func read(confirm: Bool) throws -> String {
        let password: String
        if isatty(0) == 1 {
            password = try hidden("Password: ")
            if confirm, try hidden("Password again: ") != password {
                throw CommandFailure("the two passwords differ; nothing was changed", code: 2)
            }
        } else {
            guard let line = readLine(strippingNewline: true) else {
                throw CommandFailure("no password on standard input (give it as one line)", code: 2)
            }
            password = line
        }
        do {
            try PasswordHash.validate(password)
        } catch {
            throw CommandFailure("\(error)", code: 2)
        }
        return password
    }

    /// Like getpass(3): echo off on the terminal while one line is read, the prompt and the
    /// line break on standard error.
    private static func hidden(_ prompt: String) throws -> String {
        var saved = termios()
        guard tcgetattr(0, &saved) == 0 else { throw CommandFailure("cannot read the terminal's settings (errno \(errno))") }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(0, TCSAFLUSH, &quiet) == 0 else { throw CommandFailure("cannot turn the terminal's echo off (errno \(errno))") }
        defer {
            _ = tcsetattr(0, TCSAFLUSH, &saved)
            writeError("\n")
        }
        writeError(prompt)
        guard let line = readLine(strippingNewline: true) else { throw CommandFailure("no password was given", code: 2) }
        return line
    }

    private static func writeError(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = write(2, $0.baseAddress!, $0.count) }
    }
}
