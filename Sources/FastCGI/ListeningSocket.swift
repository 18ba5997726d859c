import CFastCGI
#if canImport(Glibc)
import Glibc
#endif

/// The socket the responder accepts on, opened through libfcgi, and what is needed to close it
/// cleanly (the unix socket file we created, identified by its inode).
struct ListeningSocket: Sendable {
    let descriptor: Int32
    let ownedPath: String?
    let ownedInode: UInt64

    /// Opens the socket for `configuration.address`.
    static func open(_ configuration: FastCGIServerConfiguration) throws(FastCGIError) -> ListeningSocket {
        try FastCGIError.check("FCGX_Init", FCGX_Init() == 0 ? 0 : -1)
        switch configuration.address {
        case .inherited:
            var accepting: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            try FastCGIError.check("getsockopt(fd 0)", getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length))
            guard accepting == 1 else { throw .invalidAddress("fd 0 (not a listening socket)") }
            return ListeningSocket(descriptor: 0, ownedPath: nil, ownedInode: 0)
        case .tcp(let host, let port):
            let descriptor = try FastCGIError.check("FCGX_OpenSocket(\(host):\(port))", FCGX_OpenSocket("\(host):\(port)", configuration.backlog))
            return ListeningSocket(descriptor: descriptor, ownedPath: nil, ownedInode: 0)
        case .unixSocket(let path):
            guard path.utf8.count < 108 else { throw .invalidAddress("\(path) (longer than 107 bytes)") }
            try removeStaleSocket(at: path)
            // libfcgi creates the file with the process umask: keep it private until chmod.
            let previous = umask(0o177)
            let descriptor = FCGX_OpenSocket(path, configuration.backlog)
            umask(previous)
            try FastCGIError.check("FCGX_OpenSocket(\(path))", descriptor)
            if let group = configuration.socketGroup {
                guard let entry = getgrnam(group) else { throw .system(call: "getgrnam(\(group))", errno: ENOENT) }
                try FastCGIError.check("chown(\(path))", chown(path, uid_t.max, entry.pointee.gr_gid))
            }
            try FastCGIError.check("chmod(\(path))", chmod(path, mode_t(configuration.socketMode)))
            var info = stat()
            try FastCGIError.check("stat(\(path))", stat(path, &info))
            return ListeningSocket(descriptor: descriptor, ownedPath: path, ownedInode: UInt64(info.st_ino))
        }
    }

    /// libfcgi unlinks whatever is at the path before binding, which would silently steal the
    /// socket from a live responder. Refuse when something answers there; clear a stale file.
    private static func removeStaleSocket(at path: String) throws(FastCGIError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else { throw .notASocket(path) }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try FastCGIError.check("socket", probe)
        defer { _ = Glibc.close(probe) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected == 0 { throw .socketInUse(path) }
        try FastCGIError.check("unlink(\(path))", unlink(path))
    }

    /// Wakes every thread blocked in accept (they get an error and leave their loops).
    func stopAccepting() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Closes the socket and removes the socket file if it is still the one we created.
    func close() {
        _ = Glibc.close(descriptor)
        guard let ownedPath else { return }
        var info = stat()
        if stat(ownedPath, &info) == 0, UInt64(info.st_ino) == ownedInode { unlink(ownedPath) }
    }
}
