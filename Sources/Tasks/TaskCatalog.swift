import AppSupport
import Jobs

/// Every task this build registers.
///
/// Tasks that read configuration (provider key, EXPORT_DIR, thresholds...) are built by a
/// `definition(environment:)` factory and read it from the `Environment` given here, never from
/// the process directly, so tests can pass their own values side by side. A configuration error
/// surfaces when the task runs (a `PermanentFailure` naming the variable), so one missing
/// setting never stops the other tasks.
public enum TaskCatalog {
    /// The registry both executables use: every task, configured from the process environment.
    public static let registry = registry(environment: Environment())

    /// Every task, configured from `environment`.
    public static func registry(environment: Environment) -> TaskRegistry {
        TaskRegistry([
            TestTask.definition,
            AsyncWeatherProcessingTask.definition,
            BulkWeatherUpdateTask.definition(environment: environment),
            DatabaseMaintenanceTask.definition(environment: environment),
            BackupDatabaseTask.definition(environment: environment),
            HealthCheckTask.definition(environment: environment),
            SendWeatherAlertsTask.definition(environment: environment),
            CleanupOldSearchesTask.definition,
            GenerateWeatherStatisticsTask.definition,
            ExportWeatherDataTask.definition(environment: environment),
        ])
    }
}
