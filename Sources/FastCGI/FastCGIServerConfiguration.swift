/// How the FastCGI server listens and runs.
public struct FastCGIServerConfiguration: Sendable {
    /// Where to accept connections.
    public var address: FastCGIListenAddress
    /// Accept threads; each handles one request at a time.
    public var threads: Int
    /// Permission bits of a unix socket (nginx's workers must be able to connect).
    public var socketMode: UInt32
    /// Group to give a unix socket (for example nginx's `www-data`), or nil to keep ours.
    public var socketGroup: String?
    /// Largest request body read; larger ones are flagged `bodyTooLarge`, never read.
    public var maxBodyBytes: Int
    /// Listen backlog.
    public var backlog: Int32
    /// How long in-flight requests may run after SIGTERM before the server returns anyway.
    public var shutdownGrace: Duration

    /// Creates a configuration.
    public init(
        address: FastCGIListenAddress, threads: Int = 4, socketMode: UInt32 = 0o660, socketGroup: String? = nil,
        maxBodyBytes: Int = 1 << 20, backlog: Int32 = 1024, shutdownGrace: Duration = .seconds(30)
    ) {
        self.address = address
        self.threads = threads
        self.socketMode = socketMode
        self.socketGroup = socketGroup
        self.maxBodyBytes = maxBodyBytes
        self.backlog = backlog
        self.shutdownGrace = shutdownGrace
    }
}
