/// A bad or missing setting; its description is the one clear line a process prints before it
/// stops, naming the variable.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The environment variable at fault.
    public var variable: String
    /// What is wrong with it.
    public var problem: String

    /// Creates an error.
    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "configuration error: \(variable) \(problem)" }
}
