#if canImport(Glibc)
import Glibc
#endif

/// Who a worker is: `host:pid:nonce`, written into `workers.id` and `jobs.worker`.
public struct WorkerIdentity: Sendable, Equatable {
    public let host: String
    public let pid: Int
    public let id: String

    /// This process's identity, with a random nonce (pids get reused).
    public static func current(prefix: String = "") -> WorkerIdentity {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        let host = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let pid = Int(getpid())
        let nonce = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return WorkerIdentity(host: host, pid: pid, id: "\(prefix)\(host):\(pid):\(nonce)")
    }
}
