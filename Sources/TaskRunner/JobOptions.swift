import AppSupport
import ArgumentParser
import Jobs

/// Parses `--args`: a JSON object, or one clear error.
func parseArgs(_ text: String?) throws -> JSONValue {
    guard let text else { return [:] }
    let value: JSONValue
    do {
        value = try JSONValue.parse(text)
    } catch {
        throw CommandFailure("--args: \(error)", code: 2)
    }
    guard case .object = value else { throw CommandFailure("--args must be a JSON object, like '{\"message\": \"hi\"}'", code: 2) }
    return value
}

extension EnqueueError {
    /// The failure to report for this error.
    var commandFailure: CommandFailure { CommandFailure(description, code: 2) }
}
