import Foundation

/// The notification sink (`tools/fake-notify/server.py`): a real SMTP server (aiosmtpd) and a
/// webhook receiver, started once for the whole test process on first use. It watches this
/// process (`--parent-pid`) and exits when it is gone; an `atexit` hook also sends it SIGTERM
/// when the tests end normally.
///
/// It runs on `/usr/bin/python3`, the interpreter Debian's `python3-aiosmtpd` installs for.
/// Tests share it: each uses its own mail addresses and webhook paths. What it received is read
/// over HTTP from `GET {httpURL}/__received?rcpt=ADDRESS` or `?path=PATH`; `POST {httpURL}/__fail`
/// makes a path or a recipient fail (see the script's documentation).
public struct FakeNotifyServer: Sendable {
    /// `smtp://127.0.0.1:PORT`.
    public let smtpURL: String
    /// `http://127.0.0.1:PORT`, for webhooks and the control routes.
    public let httpURL: String
    /// `smtp://127.0.0.1:PORT` of a second SMTP server that requires STARTTLS, with a
    /// self-signed certificate for 127.0.0.1 (nil when the `openssl` command was missing).
    public let startTLSURL: String?
    /// The PEM file of that certificate, to verify the server with.
    public let caFile: String?
    /// The server's process id.
    public let pid: Int32

    /// The user name and password its SMTP `AUTH` accepts.
    public static let smtpUser = "alerts"
    public static let smtpPassword = "s3cret"

    /// A webhook URL on the sink with a path of its own (`/hook/<label>-<random>`).
    public func webhookURL(_ label: String) -> String {
        httpURL + "/hook/\(label)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// A mail address of its own (`<label>-<random>@example.test`).
    public static func address(_ label: String) -> String {
        "\(label)-\(UInt32.random(in: 0...UInt32.max))@example.test"
    }

    /// The shared instance; starting it blocks, so call this off the cooperative pool (see `onThread`).
    public static func shared() throws -> FakeNotifyServer {
        try started.get()
    }

    private static let started: Result<FakeNotifyServer, any Error> = Result {
        let server = try launch()
        atexit {
            if case .success(let server) = FakeNotifyServer.started { kill(server.pid, SIGTERM) }
        }
        return server
    }

    private static func launch() throws -> FakeNotifyServer {
        let script = Repository.root + "/tools/fake-notify/server.py"
        let (text, process) = try LocalServerProcess.start("/usr/bin/python3", [script, "--smtp-port", "0", "--http-port", "0"])
        let words = text.split(separator: " ", maxSplits: 7).map(String.init)
        guard words.count == 8, words[0] == "SMTP", words[2] == "HTTP", words[4] == "STARTTLS", words[6] == "CA",
            let smtp = Int(words[1]), let http = Int(words[3]), let starttls = Int(words[5])
        else {
            process.terminate()
            throw HarnessError(
                "fake notify server did not print its ports (is python3-aiosmtpd installed for /usr/bin/python3?); got \(text.debugDescription)")
        }
        return FakeNotifyServer(
            smtpURL: "smtp://127.0.0.1:\(smtp)", httpURL: "http://127.0.0.1:\(http)",
            startTLSURL: starttls > 0 ? "smtp://127.0.0.1:\(starttls)" : nil, caFile: starttls > 0 ? words[7] : nil,
            pid: process.processIdentifier)
    }
}

/// One message the SMTP sink accepted.
public struct ReceivedMail: Sendable {
    /// The envelope sender.
    public var mailFrom: String
    /// The envelope recipients the server accepted.
    public var rcptTos: [String]
    /// The user that authenticated, or nil.
    public var authUser: String?
    /// Whether the session had been upgraded with STARTTLS.
    public var tls: Bool
    /// Header fields by lowercased name (decoded: RFC 2047 words become text).
    public var headers: [String: String]
    /// How many times each header field (lowercased) occurs.
    public var headerCount: [String: Int]
    /// The decoded subject.
    public var subject: String
    /// The body's MIME type, e.g. `text/plain`.
    public var contentType: String
    /// The decoded body, with LF line endings.
    public var body: String
    /// The message as received (after dot-unstuffing).
    public var raw: String

    init(_ object: [String: Any]) {
        mailFrom = object["mail_from"] as? String ?? ""
        rcptTos = object["rcpt_tos"] as? [String] ?? []
        authUser = object["auth_user"] as? String
        tls = object["tls"] as? Bool ?? false
        headers = object["headers"] as? [String: String] ?? [:]
        headerCount = object["header_count"] as? [String: Int] ?? [:]
        subject = object["subject"] as? String ?? ""
        contentType = object["content_type"] as? String ?? ""
        body = object["body"] as? String ?? ""
        raw = object["raw"] as? String ?? ""
    }
}

/// One request the webhook receiver got.
public struct ReceivedWebhook: Sendable {
    /// The method, e.g. `POST`.
    public var method: String
    /// The path.
    public var path: String
    /// Header fields by lowercased name.
    public var headers: [String: String]
    /// The body text.
    public var body: String
    /// The status the sink answered.
    public var status: Int

    init(_ object: [String: Any]) {
        method = object["method"] as? String ?? ""
        path = object["path"] as? String ?? ""
        headers = object["headers"] as? [String: String] ?? [:]
        body = object["body"] as? String ?? ""
        status = object["status"] as? Int ?? 0
    }
}

extension FakeNotifyServer {
    /// The mails the sink accepted with `address` among their recipients, oldest first.
    public func mails(to address: String) throws -> [ReceivedMail] {
        let answer = try control("GET", "/__received?rcpt=" + address)
        return try Self.objects(answer, key: "mails").map(ReceivedMail.init)
    }

    /// The requests the sink received on `url`'s path, oldest first.
    public func webhooks(at url: String) throws -> [ReceivedWebhook] {
        let answer = try control("GET", "/__received?path=" + Self.path(of: url))
        return try Self.objects(answer, key: "webhooks").map(ReceivedWebhook.init)
    }

    /// Makes the next `times` requests to `url`'s path answer `status`.
    public func failWebhook(_ url: String, times: Int, status: Int = 500) throws {
        _ = try control("POST", "/__fail", body: #"{"path": "\#(Self.path(of: url))", "times": \#(times), "status": \#(status)}"#)
    }

    /// Makes the next `times` RCPT commands for `address` get `451`.
    public func failRecipient(_ address: String, times: Int) throws {
        _ = try control("POST", "/__fail", body: #"{"rcpt": "\#(address)", "times": \#(times)}"#)
    }

    private static func path(of url: String) -> String {
        guard let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") else { return "/" }
        return String(url[slash...])
    }

    private static func objects(_ data: [UInt8], key: String) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any]
        guard let list = object?[key] as? [[String: Any]] else {
            throw HarnessError("fake notify server answered \(String(decoding: data, as: UTF8.self))")
        }
        return list
    }

    /// One HTTP/1.0 request to the control routes over a plain socket (TestSupport has no HTTP
    /// client); returns the body of a 200 answer.
    private func control(_ method: String, _ target: String, body: String = "") throws -> [UInt8] {
        guard let port = Int(httpURL.split(separator: ":").last ?? "") else { throw HarnessError("bad URL \(httpURL)") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { throw HarnessError("cannot connect to the fake notify server at \(httpURL)") }
        let request = Array(
            "\(method) \(target) HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw HarnessError("write to the fake notify server failed") }
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            answer.append(contentsOf: buffer[..<n])
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, answer.count - 3)).first(where: { Array(answer[$0..<$0 + 4]) == separator }) else {
            throw HarnessError("no HTTP answer from the fake notify server")
        }
        let head = String(decoding: answer[..<end], as: UTF8.self)
        guard head.hasPrefix("HTTP/1.0 200") || head.hasPrefix("HTTP/1.1 200") else {
            throw HarnessError("fake notify server: \(head.split(separator: "\r\n").first ?? "")")
        }
        return Array(answer[(end + 4)...])
    }
}
