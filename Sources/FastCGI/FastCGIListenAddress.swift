/// Where the responder accepts connections from the web server.
public enum FastCGIListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// A unix socket at this path (fastest; the default in this project's nginx site).
    case unixSocket(path: String)
    /// A TCP socket, `HOST:PORT` (`:PORT` for every interface).
    case tcp(host: String, port: Int)
    /// A listening socket already open on file descriptor 0 (spawn-fcgi, systemd).
    case inherited

    /// Parses `FCGI_SOCKET`: a path (it contains a `/`) or `HOST:PORT`.
    public init(parsing text: String) throws(FastCGIError) {
        if text.contains("/") {
            self = .unixSocket(path: text)
            return
        }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { throw .invalidAddress(text) }
        self = .tcp(host: String(text[..<colon]), port: port)
    }

    public var description: String {
        switch self {
        case .unixSocket(let path): return "unix:\(path)"
        case .tcp(let host, let port): return "\(host):\(port)"
        case .inherited: return "fd 0"
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension FastCGIListenAddress {
    /// True when file descriptor 0 is a listening socket (started by spawn-fcgi or systemd).
    public static var inheritedSocketAvailable: Bool {
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 && accepting == 1
    }
}
