import Foundation

/// A TCP port on 127.0.0.1 that was free a moment ago (bound, read, closed).
public func freeLocalPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    precondition(fd >= 0, "socket() failed")
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
        }
    }
    precondition(bound, "bind() or getsockname() failed")
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A TCP port on 127.0.0.1 with nothing listening.
public func closedLocalPort() -> Int { freeLocalPort() }
