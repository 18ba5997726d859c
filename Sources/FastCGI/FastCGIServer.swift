import CFastCGI
import Synchronization
import Threads
#if canImport(Glibc)
import Glibc
#endif

/// A FastCGI responder on libfcgi: N threads blocked in `FCGX_Accept_r` on one socket, each
/// handling one request at a time with a handler of its own (so a handler can keep per-thread
/// state such as a database connection).
///
/// libfcgi swallows SIGTERM; this server blocks SIGTERM and SIGINT in its threads and waits for
/// them itself. On either it stops accepting, lets in-flight requests finish (up to
/// `shutdownGrace`), closes and removes its socket, and `run` returns.
public final class FastCGIServer: Sendable {
    /// The configuration it was opened with.
    public let configuration: FastCGIServerConfiguration
    private let socket: ListeningSocket
    private let stopping = Atomic<Bool>(false)
    private let liveThreads = Atomic<Int>(0)
    private let log: @Sendable (String) -> Void

    /// Opens the listening socket. Throws when the address is unusable or a live responder
    /// already serves on that unix socket.
    public init(configuration: FastCGIServerConfiguration, log: @escaping @Sendable (String) -> Void = { _ in }) throws(FastCGIError) {
        self.configuration = configuration
        self.log = log
        // Blocked before any thread exists, so every thread inherits the mask and libfcgi's own
        // handlers never see these signals.
        ShutdownSignals.block()
        self.socket = try ListeningSocket.open(configuration)
    }

    /// Serves until SIGTERM/SIGINT (or `stop()`), then drains and returns. `makeHandler` is
    /// called once on each accept thread, with the thread's index. A handler may read the
    /// request's parameters only while it runs (see `FastCGIRequest`).
    public func run(_ makeHandler: @escaping @Sendable (Int) -> (FastCGIRequest) -> FastCGIResponse) {
        let count = max(1, configuration.threads)
        liveThreads.store(count, ordering: .sequentiallyConsistent)
        var threads: [PosixThread] = []
        for index in 0..<count {
            threads.append(PosixThread(name: "fcgi-\(index)") { [self] in
                self.acceptLoop(handler: makeHandler(index))
                self.liveThreads.subtract(1, ordering: .sequentiallyConsistent)
            })
        }
        log("listening on \(configuration.address) with \(count) threads")
        waitForShutdownSignal()
        stopping.store(true, ordering: .sequentiallyConsistent)
        socket.stopAccepting()
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.shutdownGrace
        while liveThreads.load(ordering: .sequentiallyConsistent) > 0 && clock.now < deadline {
            blockingSleep(.milliseconds(5))
        }
        let unfinished = liveThreads.load(ordering: .sequentiallyConsistent)
        if unfinished == 0 {
            for thread in threads { thread.join() }
        } else {
            log("\(unfinished) requests still running after the shutdown grace period; leaving them")
        }
        socket.close()
        log("stopped")
    }

    private func waitForShutdownSignal() {
        while true {
            if let signal = ShutdownSignals.wait(timeout: .seconds(1)) {
                log("received \(signal): finishing in-flight requests")
                return
            }
            if liveThreads.load(ordering: .sequentiallyConsistent) == 0 {
                log("every accept thread stopped; shutting down")
                return
            }
        }
    }

    private func acceptLoop(handler: (FastCGIRequest) -> FastCGIResponse) {
        let raw = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        defer { raw.deallocate() }
        guard FCGX_InitRequest(raw, socket.descriptor, 0) == 0 else {
            log("FCGX_InitRequest failed")
            return
        }
        while !stopping.load(ordering: .relaxed) {
            let accepted = FCGX_Accept_r(raw)
            if accepted < 0 {
                if !stopping.load(ordering: .relaxed) {
                    log("FCGX_Accept_r failed: \(String(cString: strerror(-accepted)))")
                }
                break
            }
            let response = FastCGIRequest.withRequest(from: raw, maxBodyBytes: configuration.maxBodyBytes, handler)
            _ = response.write(to: raw)
            FCGX_Finish_r(raw)
        }
        FCGX_Free(raw, 1)
    }
}
