import Access
import AppSupport
import Foundation
import HTTPClient
import Postgres
import TestSupport

/// A database of its own, FCGIApp behind nginx, and a live token: what the task API tests call.
final class TaskAPIFixture: @unchecked Sendable {
    let url: String
    let stack: ServiceStack
    let secret: String
    let tokenName = "task-api-tests"

    /// One answer, with its body parsed when it is JSON.
    struct Answer {
        var status: Int
        var json: JSONValue
        var response: HTTPResponse
        var text: String { response.bodyText }
        func header(_ name: String) -> String? { response.header(name) }
    }

    init(extraEnvironment: [String: String] = [:]) throws {
        url = try TestDatabase.fresh()
        let connection = try PostgresConnection(conninfo: url)
        defer { connection.close() }
        secret = try TokenStore.create(name: tokenName, on: connection).secret.text
        stack = try ServiceStack(databaseURL: url, extraEnvironment: extraEnvironment)
    }

    /// A request to the API; `token` nil sends no Authorization header.
    func call(
        _ method: HTTPMethod, _ path: String, body: String? = nil, contentType: String? = "application/json",
        token: String? = "default"
    ) throws -> Answer {
        var headers: [(name: String, value: String)] = []
        if let token { headers.append(("Authorization", "Bearer " + (token == "default" ? secret : token))) }
        if body != nil, let contentType { headers.append(("Content-Type", contentType)) }
        let response = try HTTPClient().perform(
            HTTPRequest(method: method, url: stack.baseURL + path, headers: headers, body: body.map { Array($0.utf8) },
                        totalTimeout: .seconds(120)))
        let json = (try? JSONValue.parse(response.body)) ?? .null
        return Answer(status: response.status, json: json, response: response)
    }

    /// Enqueues `body` and returns the new job's id.
    func enqueue(_ body: String) throws -> Int {
        let answer = try call(.post, "/api/tasks", body: body)
        guard answer.status == 202, case .int(let id)? = answer.json["id"] else {
            throw HarnessError("enqueue failed: \(answer.status) \(answer.text)")
        }
        return id
    }

    /// A connection to the fixture's database.
    func database() throws -> PostgresConnection {
        try PostgresConnection(conninfo: url, applicationName: "task-api-tests")
    }

    /// Finishes job `id` by SQL as a worker would: final state, then the done notification.
    func finish(_ id: Int, state: String = "succeeded") throws {
        let connection = try database()
        defer { connection.close() }
        try connection.transaction { connection in
            _ = try connection.execute(
                "UPDATE jobs SET state = \(state), result = '{\"by\":\"sql\"}'::jsonb, finished_at = now() WHERE id = \(id)")
            try connection.notify("weather_job_done", payload: String(id))
        }
    }
}

extension JSONValue {
    var taskInt: Int? { if case .int(let value) = self { return value } else { return nil } }
    var taskString: String? { if case .string(let value) = self { return value } else { return nil } }
    var taskArray: [JSONValue]? { if case .array(let value) = self { return value } else { return nil } }
}
