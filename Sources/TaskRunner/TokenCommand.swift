import Access
import AppSupport
import ArgumentParser
import Jobs
import Postgres

/// `TaskRunner token create|list|revoke`: API tokens for `Authorization: Bearer`.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke API tokens (only their hashes are stored).",
        subcommands: [TokenCreate.self, TokenList.self, TokenRevoke.self])
}

struct TokenCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a token and print it once, on standard output; keep it: it cannot be shown again.")

    @Argument(help: "A name for the token (letters, digits, dots, dashes, underscores).")
    var name: String

    func run() throws {
        try reportingFailures {
            try withDatabase(label: "token", refusing: TokenError.self) { connection in
                let (token, secret) = try TokenStore.create(name: name, on: connection)
                print(secret.text)
                printError("created token \(token.name) (\(secret.prefix)…); it is shown only this once")
            }
        }
    }
}

struct TokenList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens: name, prefix, created, last used.")

    @Flag(help: "Include revoked tokens.")
    var all = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingFailures {
            try withDatabase(label: "token", refusing: TokenError.self) { connection in
                let tokens = try TokenStore.list(includeRevoked: all, on: connection)
                if json {
                    print(JSONValue.array(tokens.map(\.json)).serialized)
                    return
                }
                let rows = tokens.map { token -> [JSONValue] in
                    [
                        .string(token.name), .string(token.prefix + "…"), .string(Timestamps.iso8601(token.createdAt)),
                        token.lastUsedAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
                        token.revokedAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
                    ]
                }
                print(Inspection.Table(columns: ["NAME", "PREFIX", "CREATED", "LAST USED", "REVOKED"], rows: rows).text)
            }
        }
    }
}

struct TokenRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke the live token with this name.")

    @Argument(help: "The token's name.")
    var name: String

    func run() throws {
        try reportingFailures {
            try withDatabase(label: "token", refusing: TokenError.self) { connection in
                try TokenStore.revoke(name: name, on: connection)
                print("revoked token \(name)")
            }
        }
    }
}
