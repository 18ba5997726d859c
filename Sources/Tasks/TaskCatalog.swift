import Jobs

/// Every task this build registers.
public enum TaskCatalog {
    /// The registry both executables use.
    public static let registry = TaskRegistry([TestTask.definition])
}
