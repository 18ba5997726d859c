import AppSupport
import Foundation

extension Job {
    /// `json`'s bytes, written straight from the fields: the same bytes `json.bytes` gives
    /// (keys in sorted order), without building the dictionary (the enqueue answer and every
    /// item of a task list go through here).
    public func writeJSON(into out: inout [UInt8]) {
        func key(_ text: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        func string(_ value: String?) {
            if let value { JSONValue.writeString(value, into: &out) } else { key("null") }
        }
        func integer(_ value: Int?) {
            if let value { JSONValue.writeInteger(value, into: &out) } else { key("null") }
        }
        func time(_ value: Date?) { string(value.map(Timestamps.iso8601)) }
        key(#"{"args":"#)
        args.write(into: &out)
        key(#","attempts":"#)
        integer(attempts)
        key(#","created_at":"#)
        time(createdAt)
        key(#","error":"#)
        string(error)
        key(#","finished_at":"#)
        time(finishedAt)
        key(#","id":"#)
        integer(id)
        key(#","max_attempts":"#)
        integer(maxAttempts)
        key(#","priority":"#)
        integer(priority)
        key(#","progress":{"current":"#)
        integer(progressCurrent)
        if let progressMessage {
            key(#","message":"#)
            string(progressMessage)
        }
        key(#","total":"#)
        integer(progressTotal)
        key(#"},"queue":"#)
        string(queue)
        key(#","result":"#)
        if let result { result.write(into: &out) } else { key("null") }
        key(#","run_at":"#)
        time(runAt)
        key(#","started_at":"#)
        time(startedAt)
        key(#","state":"#)
        string(state.rawValue)
        key(#","task":"#)
        string(task)
        key(#","unique_key":"#)
        string(uniqueKey)
        key(#","worker":"#)
        string(worker)
        key("}")
    }

    /// `json`'s bytes (see `writeJSON(into:)`).
    public var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        writeJSON(into: &out)
        return out
    }
}
