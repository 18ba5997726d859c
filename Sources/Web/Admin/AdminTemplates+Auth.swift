extension AdminTemplates {
    /// The sign-in templates.
    static let auth: [String: [UInt8]] = [
        "login": PackageResources.login_mustache
    ]
}
