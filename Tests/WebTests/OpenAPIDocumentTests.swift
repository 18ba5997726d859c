import AppSupport
import Testing
import TestSupport
@testable import Web

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// The contract's HTTP API table: method, path, whether it needs a token.
    static let contract: [(String, String, Bool)] = [
        ("GET", "/api/ping", false), ("GET", "/api/health", false), ("GET", "/api/weather", true), ("GET", "/api/searches", false),
        ("GET", "/api/statistics", false), ("GET", "/api/alerts", false), ("POST", "/api/tasks", true), ("GET", "/api/tasks", true),
        ("GET", "/api/tasks/{id}", true), ("POST", "/api/tasks/{id}/cancel", true), ("GET", "/api/schedules", true),
        ("POST", "/api/schedules/{name}/run", true), ("POST", "/api/schedules/{name}/pause", true),
        ("POST", "/api/schedules/{name}/resume", true), ("GET", "/api/openapi.json", false), ("GET", "/metrics", false),
    ]

    func document() throws -> JSONValue { try JSONValue.parse(Array(OpenAPIDocument.json.utf8)) }

    @Test("served at /api/openapi.json as JSON, OpenAPI 3.0.3, with the bearer scheme")
    func served() throws {
        let response = WebApplication().respond(to: WebRequest(method: "GET", path: "/api/openapi.json"), context: RequestContext(databaseURL: nil))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let document = try JSONValue.parse(response.body)
        #expect(document["openapi"] == "3.0.3")
        #expect(document["components"]?["securitySchemes"]?["bearerAuth"]?["scheme"] == "bearer")
    }

    @Test("every contract route is described, with its auth and the error schema on every error status")
    func everyRoute() throws {
        let document = try document()
        guard case .object(let paths)? = document["paths"] else { Issue.record("no paths"); return }
        var described = 0
        for item in paths.values {
            guard case .object(let operations) = item else { continue }
            described += operations.count
        }
        #expect(described == Self.contract.count, "the document describes \(described) operations; the contract has \(Self.contract.count)")
        for (method, path, token) in Self.contract {
            guard let operation = paths[path]?[method.lowercased()] else {
                Issue.record("\(method) \(path) is not in the document")
                continue
            }
            let security = operation["security"]
            #expect((security == [["bearerAuth": []]]) == token, "\(method) \(path): security \(String(describing: security))")
            if token { #expect(operation["responses"]?["401"] != nil, "\(method) \(path) lacks 401") }
            guard case .object(let responses)? = operation["responses"] else { continue }
            for (status, _) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                guard path != "/api/health" || status != "503", path != "/metrics" || status != "403" else { continue }
                let response = try resolve(responses[status]!, in: document)
                #expect(
                    response["content"]?["application/json"]?["schema"] == ["$ref": "#/components/schemas/Error"],
                    "\(method) \(path) \(status) does not use the error schema")
            }
        }
    }

    @Test("every described operation is routed (no 404 'no resource' and no 405 from the router)")
    func everyOperationRouted() throws {
        let app = WebApplication()
        let context = RequestContext(databaseURL: nil)
        for (method, path, _) in Self.contract {
            let concrete = path.replacing("{id}", with: "1").replacing("{name}", with: "health-check")
            let response = app.respond(to: WebRequest(method: method, path: concrete), context: context)
            #expect(response.status != 405, "\(method) \(concrete) answered 405")
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(!(response.status == 404 && body.contains("no resource at")), "\(method) \(concrete) is not routed")
        }
    }

    func resolve(_ value: JSONValue, in document: JSONValue) throws -> JSONValue {
        guard case .string(let reference)? = value["$ref"] else { return value }
        var node = document
        for part in reference.dropFirst(2).split(separator: "/") { node = try #require(node[String(part)]) }
        return node
    }
}
