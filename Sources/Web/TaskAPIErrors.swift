import Jobs

extension APIError {
    /// 404 for a job id that does not exist.
    static func jobNotFound(_ id: Int) -> APIError {
        APIError(status: 404, code: "not_found", message: "no job with id \(id)")
    }

    /// 409 when the job's state forbids the action (cancelling a finished job).
    static func jobConflict(_ id: Int, state: JobState) -> APIError {
        APIError(status: 409, code: "conflict", message: "job \(id) is already \(state.rawValue); only unfinished jobs can be cancelled")
    }

    /// 415 when the body is not `application/json`.
    static func unsupportedMediaType(_ received: String?) -> APIError {
        APIError(
            status: 415, code: "unsupported_media_type",
            message: "the body must be JSON with Content-Type: application/json (received \(received ?? "no Content-Type"))")
    }

    /// 422 for a task name no task is registered under, listing the known ones.
    static func unknownTask(_ name: String, known: [String]) -> APIError {
        APIError(
            status: 422, code: "unknown_task",
            message: "task: no task is registered as \"\(name)\"; known tasks: \(known.joined(separator: ", "))")
    }
}
