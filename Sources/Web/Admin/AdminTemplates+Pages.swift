extension AdminTemplates {
    /// The pages' templates (and their partials: `pager`, `notice`, `job_rows`).
    static let pages: [String: [UInt8]] = [
        "dashboard": PackageResources.dashboard_mustache,
        "tasks": PackageResources.tasks_mustache,
        "task": PackageResources.task_mustache,
        "task_new": PackageResources.task_new_mustache,
        "schedules": PackageResources.schedules_mustache,
        "schedule": PackageResources.schedule_mustache,
        "workers": PackageResources.workers_mustache,
        "searches": PackageResources.searches_mustache,
        "statistics": PackageResources.statistics_mustache,
        "alerts": PackageResources.alerts_mustache,
        "exports": PackageResources.exports_mustache,
        "pager": PackageResources.pager_mustache,
        "notice": PackageResources.notice_mustache,
        "job_rows": PackageResources.job_rows_mustache,
    ]
}
