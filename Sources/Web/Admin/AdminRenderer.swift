import Mustache

/// Renders the admin pages from the Mustache templates compiled into the binary
/// (`Sources/Web/Admin/Templates`). `{{name}}` escapes HTML; `{{{name}}}` is used only for HTML the
/// server itself built (the page body inside the layout, SVG charts).
public struct AdminRenderer: Sendable {
    /// Every template, parsed once at start.
    public static let shared = AdminRenderer()

    private let library: MustacheLibrary

    /// Parses every template of `AdminTemplates.sources`; a template that does not parse stops
    /// the program at start (a build defect, caught by the tests).
    init() {
        var library = MustacheLibrary()
        for (name, bytes) in AdminTemplates.sources {
            do {
                try library.register(String(decoding: bytes, as: UTF8.self), named: name)
            } catch {
                fatalError("admin template \(name) does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// The names of the templates.
    public var templateNames: [String] { AdminTemplates.sources.keys.sorted() }

    /// `template` rendered with `context` (dictionaries, arrays, strings, numbers, booleans).
    public func render(_ template: String, _ context: [String: Any]) -> String {
        guard let text = library.render(context, withTemplate: template) else {
            fatalError("no admin template named \(template)")
        }
        return text
    }

    /// A whole page: `template` rendered with `context`, inside the layout (title, navigation with
    /// `section` marked, the user's name and the logout form with `csrfToken` when signed in).
    public func page(
        _ template: String, title: String, section: String = "", context: [String: Any] = [:], user: String? = nil,
        csrfToken: String? = nil, status: Int = 200
    ) -> WebResponse {
        let body = render(template, context.merging(["csrf_token": csrfToken ?? ""]) { mine, _ in mine })
        var layout: [String: Any] = [
            "title": title,
            "body": body,
            "nav": user == nil ? [] : AdminRenderer.sections.map { ["path": $0.path, "label": $0.label, "current": $0.name == section] },
        ]
        if let user { layout["user"] = user }
        if let csrfToken { layout["csrf_token"] = csrfToken }
        return .html(render("layout", layout), status: status)
    }

    /// The navigation: name, path, label.
    static let sections: [(name: String, path: String, label: String)] = [
        ("dashboard", "/admin/", "Dashboard"),
        ("tasks", "/admin/tasks", "Tasks"),
        ("schedules", "/admin/schedules", "Schedules"),
        ("workers", "/admin/workers", "Workers"),
        ("searches", "/admin/searches", "Searches"),
        ("statistics", "/admin/statistics", "Statistics"),
        ("alerts", "/admin/alerts", "Alerts"),
        ("exports", "/admin/exports", "Exports"),
    ]
}
