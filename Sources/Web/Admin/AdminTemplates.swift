/// The admin templates by name: the shared ones here, the sign-in pages' in
/// `AdminTemplates+Auth.swift`, the other pages' in `AdminTemplates+Pages.swift`. Each file in
/// `Templates/` is compiled in as `PackageResources.<file_name>`.
enum AdminTemplates {
    static let sources: [String: [UInt8]] = common.merging(auth) { mine, _ in mine }.merging(pages) { mine, _ in mine }

    static let common: [String: [UInt8]] = [
        "layout": PackageResources.layout_mustache,
        "error": PackageResources.error_mustache,
    ]
}
