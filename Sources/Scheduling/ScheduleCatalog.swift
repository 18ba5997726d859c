/// The built-in schedules: the contract's seven, mirrored by `crontab/weather-service.crontab`.
/// `TaskRunner migrate` writes them into the schedules table (cron, task, args; an operator's
/// pause and the run history are kept).
public enum ScheduleCatalog {
    /// The seven schedules of the contract, in crontab order.
    public static let builtIn: [ScheduleDefinition] = [
        ScheduleDefinition(
            name: "cleanup-old-searches", cron: "0 2 * * *", task: "cleanup_old_searches", args: ["days": 30],
            description: "Delete weather searches older than 30 days."),
        ScheduleDefinition(
            name: "generate-weather-statistics", cron: "0 6 * * *", task: "generate_weather_statistics",
            description: "Compute today's statistics per city."),
        ScheduleDefinition(
            name: "check-weather-alerts", cron: "0 */2 * * *", task: "send_weather_alerts",
            description: "Look for extreme weather in recent searches and notify."),
        ScheduleDefinition(
            name: "database-maintenance", cron: "0 3 * * 0", task: "database_maintenance",
            description: "VACUUM (ANALYZE), purge old finished jobs, report table sizes."),
        ScheduleDefinition(
            name: "export-weather-data-json", cron: "0 7 * * 1", task: "export_weather_data", args: ["format": "json"],
            description: "Export every search as JSON into EXPORT_DIR."),
        ScheduleDefinition(
            name: "health-check", cron: "*/15 * * * *", task: "health_check",
            description: "Check the database, queue, workers, schedules and disk."),
        ScheduleDefinition(
            name: "bulk-update-european-capitals", cron: "0 8 * * *", task: "bulk_weather_update",
            args: ["cities": "european_capitals"], description: "Fetch the current weather of the European capitals."),
    ]
}
