/// `GET /api/openapi.json` (no token): the OpenAPI document of the whole API.
enum OpenAPIRoutes {
    /// The document's bytes, built once.
    static let body: [UInt8] = Array(OpenAPIDocument.json.utf8)

    static func register(in router: inout Router, services: WebServices) {
        router.add("GET", "/api/openapi.json") { _, _, _ in
            var response = WebResponse.json(bytes: body)
            response.headers.append(("Cache-Control", "public, max-age=300"))
            return response
        }
    }
}
