import Foundation

/// The real FCGIApp binary behind a real nginx, configured by the repository's own
/// `scripts/nginx-config` and `nginx/` files, on a free port.
public final class ServiceStack: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String
    /// The responder's unix socket.
    public let socketPath: String
    /// The temporary folder holding sockets, configs and logs.
    public let directory: String
    /// The environment FCGIApp was started with.
    public let fcgiEnvironment: [String: String]
    private let nginx: ChildProcess
    private let lock = NSLock()
    private var fcgi: ChildProcess

    /// How FCGIApp gets its socket.
    public enum Launch: Sendable {
        /// FCGIApp opens `FCGI_SOCKET` itself.
        case direct
        /// spawn-fcgi opens the socket and execs FCGIApp with it on fd 0 (no `FCGI_SOCKET`).
        case spawnFCGI
    }

    private let launch: Launch

    /// Starts FCGIApp (with `DATABASE_URL` = `databaseURL`) and nginx, on `port` if given and
    /// free, else on another free port. Blocking.
    public init(databaseURL: String, extraEnvironment: [String: String] = [:], launch: Launch = .direct, port: Int? = nil) throws {
        self.launch = launch
        directory = try Repository.temporaryDirectory("stack")
        socketPath = directory + "/fcgiapp.sock"
        var config = try ServiceStack.renderNginxConfig(directory: directory, port: port ?? freeLocalPort(), socketPath: socketPath)
        let group = (try? String(contentsOfFile: config.path, encoding: .utf8))?.contains("user www-data") == true ? "www-data" : ""

        var env = environment(with: [
            "DATABASE_URL": databaseURL, "FCGI_SOCKET": socketPath, "FCGI_SOCKET_GROUP": group, "FCGI_THREADS": "4",
            "LOG_LEVEL": "info",
        ])
        for (key, value) in extraEnvironment { env[key] = value }
        if launch == .spawnFCGI { env["FCGI_SOCKET"] = nil }
        fcgiEnvironment = env
        fcgi = try ServiceStack.launchFCGIApp(environment: env, logPath: directory + "/fcgiapp.log", launch: launch, socketPath: socketPath, group: group)
        let socket = socketPath
        try ServiceStack.waitFor(what: "FCGIApp's socket") { ServiceStack.socketReady(socket) }

        // The port was free when picked, but another test's stack may take it before this nginx
        // binds it. Then this nginx cannot bind, while the port answers (the other nginx): a test
        // would talk to the wrong stack. So the port counts only once this nginx wrote its pid
        // file, which nginx does after binding; if it exits instead, try another port.
        var attempt = 1
        while true {
            let process = try ServiceStack.startNginx(directory: directory, config: config.path)
            if try ServiceStack.waitForNginx(process, pidFile: directory + "/nginx/run/nginx.pid", port: config.port) {
                nginx = process
                break
            }
            let log = (try? String(contentsOfFile: directory + "/nginx/log/nginx-error.log", encoding: .utf8)) ?? ""
            guard attempt < 5, log.contains("Address already in use") else {
                throw HarnessError("nginx did not start on port \(config.port): \(log.suffix(500))")
            }
            attempt += 1
            config = try ServiceStack.renderNginxConfig(directory: directory, port: freeLocalPort(), socketPath: socketPath)
        }
        baseURL = "http://127.0.0.1:\(config.port)"
    }

    /// Writes the nginx configuration for `port` with the repository's `scripts/nginx-config`.
    static func renderNginxConfig(directory: String, port: Int, socketPath: String) throws -> (path: String, port: Int) {
        let rendered = try runCommand(
            Repository.root + "/scripts/nginx-config",
            [directory + "/nginx", "127.0.0.1:\(port)", socketPath, directory + "/exports"],
            environment: environment(with: ["NGINX_WORKERS": "1"]))
        guard rendered.status == 0 else { throw HarnessError("nginx-config failed: \(rendered.stderr)") }
        return (rendered.stdout.trimmingCharacters(in: .whitespacesAndNewlines), port)
    }

    static func startNginx(directory: String, config: String) throws -> ChildProcess {
        try Spawning.locked {
            try ChildProcess(
                "/usr/sbin/nginx", ["-p", directory + "/nginx", "-c", config, "-g", "daemon off;"],
                environment: ProcessInfo.processInfo.environment)
        }
    }

    /// True once `process` has bound its port (its pid file names it) and the port answers;
    /// false if it exited first (it could not bind, or the configuration was refused).
    static func waitForNginx(_ process: ChildProcess, pidFile: String, port: Int) throws -> Bool {
        var started = false
        try waitFor(what: "nginx on port \(port)") {
            guard process.isRunning else { return true }
            let written = (try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            started = written == String(process.pid) && acceptsConnections(port: port)
            return started
        }
        if !started { process.wait() }
        return started
    }

    static func launchFCGIApp(
        environment: [String: String], logPath: String, launch: Launch, socketPath: String, group: String
    ) throws -> ChildProcess {
        let log = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw HarnessError("cannot open \(logPath)") }
        defer { close(log) }
        let binary = Repository.binDirectory + "/FCGIApp"
        return try Spawning.locked {
            switch launch {
            case .direct:
                return try ChildProcess(binary, [], environment: environment, stdout: log, stderr: log)
            case .spawnFCGI:
                let ownership = group.isEmpty ? [] : ["-G", group]
                return try ChildProcess(
                    "/usr/bin/spawn-fcgi", ["-n", "-s", socketPath, "-M", "0660"] + ownership + ["--", binary],
                    environment: environment, stdout: log, stderr: log)
            }
        }
    }

    /// The running FCGIApp's pid.
    public var fcgiProcessID: Int32 { lock.withLock { fcgi.pid } }

    /// Sends `signal` to FCGIApp and waits for it to exit; returns its exit status.
    public func stopFCGIApp(signal: Int32 = SIGTERM) -> Int32 {
        let process = lock.withLock { fcgi }
        process.signal(signal)
        return process.wait()
    }

    /// Starts FCGIApp again with the same environment (after `stopFCGIApp`).
    public func restartFCGIApp() throws {
        let group = (try? String(contentsOfFile: directory + "/nginx/nginx.conf", encoding: .utf8))?.contains("user www-data") == true ? "www-data" : ""
        let process = try ServiceStack.launchFCGIApp(
            environment: fcgiEnvironment, logPath: directory + "/fcgiapp.log", launch: launch, socketPath: socketPath, group: group)
        lock.withLock { fcgi = process }
        try ServiceStack.waitFor(what: "FCGIApp's socket") { ServiceStack.socketReady(self.socketPath) }
    }

    /// FCGIApp's log so far.
    public var fcgiLog: String {
        (try? String(contentsOfFile: directory + "/fcgiapp.log", encoding: .utf8)) ?? ""
    }

    /// Stops nginx and FCGIApp.
    public func shutdown() {
        if nginx.isRunning {
            nginx.signal(SIGTERM)
            nginx.wait()
        }
        let process = lock.withLock { fcgi }
        if process.isRunning {
            process.signal(SIGTERM)
            process.wait()
        }
    }

    deinit {
        shutdown()
        Repository.removeTemporaryDirectory(directory)
    }

    /// The socket exists and has its final mode (FCGIApp creates it private, then opens it to
    /// nginx's group: between the two, nginx would be refused).
    static func socketReady(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & 0o060) == 0o060
    }

    public static func waitFor(what: String, seconds: Double = 15, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return }
            usleep(20_000)
        }
        throw HarnessError("timed out waiting for \(what)")
    }

    static func acceptsConnections(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
