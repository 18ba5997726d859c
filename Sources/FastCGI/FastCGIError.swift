#if canImport(Glibc)
import Glibc
#endif

/// Failures of the FastCGI server, each with the OS error where there is one.
public enum FastCGIError: Error, Sendable, CustomStringConvertible, Equatable {
    /// `FCGI_SOCKET` is neither a path nor `HOST:PORT`.
    case invalidAddress(String)
    /// Another live process is serving on this unix socket.
    case socketInUse(String)
    /// The path exists and is not a socket.
    case notASocket(String)
    /// An OS call failed.
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidAddress(let address):
            return "FCGI_SOCKET \(address) is not a unix socket path or HOST:PORT"
        case .socketInUse(let path):
            return "FCGI_SOCKET \(path) is in use by another running responder; stop it first"
        case .notASocket(let path):
            return "FCGI_SOCKET \(path) exists and is not a socket"
        case .system(let call, let code):
            return "\(call) failed: \(String(cString: strerror(code)))"
        }
    }

    /// The one place where a C return code becomes an error: negative results throw.
    @discardableResult
    static func check(_ call: String, _ result: Int32) throws(FastCGIError) -> Int32 {
        if result < 0 { throw .system(call: call, errno: errno) }
        return result
    }
}
