internal import CCurl

/// How ``MailSender`` uses TLS on an `smtp://` connection (`smtps://` is TLS from the start).
public enum MailStartTLS: String, Sendable, CaseIterable {
    /// Never upgrade: the conversation, credentials included, stays in clear text.
    case off
    /// Upgrade with `STARTTLS` when the server offers it, else go on in clear text.
    case opportunistic = "try"
    /// Upgrade with `STARTTLS` or fail with ``MailError/transport(_:)`` (`.tls`).
    case required = "require"
}

/// Where and how ``MailSender`` submits mail.
public struct MailServer: Sendable, Equatable {
    /// `smtp://host[:port]` or `smtps://host[:port]`, without user information. A path becomes
    /// the name curl gives in `EHLO` (`smtp://mail.example.com/client.example.com`).
    public var url: String
    /// The user name for `AUTH`, if the server wants one.
    public var username: String?
    /// The password for `AUTH`.
    public var password: String?
    /// `STARTTLS` on `smtp://` URLs.
    public var startTLS: MailStartTLS
    /// A PEM file of certificate authorities to verify the server with, instead of the system's.
    public var caFile: String?
    /// The longest wait for the connection (DNS, TCP and TLS).
    public var connectTimeout: Duration
    /// The longest time one message may take, connection included.
    public var totalTimeout: Duration

    /// Creates the settings.
    /// - Parameters:
    ///   - url: `smtp://host[:port]` or `smtps://host[:port]`.
    ///   - username: The `AUTH` user name, if any.
    ///   - password: The `AUTH` password.
    ///   - startTLS: `STARTTLS` use on `smtp://`; opportunistic by default.
    ///   - caFile: A PEM bundle of trusted authorities, or nil for the system's.
    ///   - connectTimeout: 10 seconds by default.
    ///   - totalTimeout: 30 seconds by default.
    public init(
        url: String, username: String? = nil, password: String? = nil, startTLS: MailStartTLS = .opportunistic,
        caFile: String? = nil, connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(30)
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.startTLS = startTLS
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }

    /// Whether `url` is an `smtp://` or `smtps://` URL with a host and no user information.
    public static func isValidURL(_ url: String) -> Bool {
        let lowered = url.lowercased()
        guard let scheme = ["smtp://", "smtps://"].first(where: { lowered.hasPrefix($0) }) else { return false }
        let rest = url.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !authority.isEmpty && !authority.contains("@")
            && !url.utf8.contains { $0 <= 0x20 || $0 == 0x7F }
    }
}

/// Sends e-mail over SMTP (or SMTPS) with libcurl, one message at a time, blocking the calling
/// thread.
///
/// One sender owns one curl easy handle, so consecutive messages to the same server reuse the
/// connection. Like ``HTTPClient`` it is not `Sendable`: use it on one thread, never on Swift's
/// cooperative pool. curl escapes lines starting with a dot; ``MailMessage`` makes the CRLF
/// text and keeps header values to one line.
public final class MailSender {
    /// The server settings.
    public let server: MailServer

    private let handle: CurlHandle

    /// Creates a sender for `server`, initializing libcurl on first use.
    /// - Throws: ``MailError/invalidMessage(_:)`` when the URL is not `smtp://` or `smtps://`
    ///   with a host and without user information; ``MailError/transport(_:)`` when libcurl
    ///   cannot be initialized.
    public init(server: MailServer) throws(MailError) {
        guard MailServer.isValidURL(server.url) else {
            throw .invalidMessage("the SMTP URL must be smtp://host[:port] or smtps://host[:port] without user information")
        }
        do throws(HTTPClientError) {
            handle = try CurlHandle()
        } catch {
            throw .transport(error)
        }
        self.server = server
    }

    /// Sends `message` to every recipient and waits until the server has taken it.
    ///
    /// Every recipient must be accepted: one refused recipient fails the whole message and
    /// nothing is delivered.
    /// - Throws: ``MailError/invalidMessage(_:)`` for a bad address or no recipient,
    ///   ``MailError/rejected(code:message:)`` when the server answers with an error (refused
    ///   recipient or sender, failed `AUTH`, message refused), ``MailError/transport(_:)`` when
    ///   there is no conversation (refused connection, timeout, TLS).
    public func send(_ message: MailMessage) throws(MailError) {
        let text = try message.rendered()
        let upload = MailUpload(bytes: Array(text.utf8))
        let recipients = CurlHeaderList()
        for address in message.to where !recipients.append("<\(address)>") {
            throw .transport(.transport(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed"))
        }
        do throws(HTTPClientError) {
            try configure(message: message, upload: upload, recipients: recipients)
            try withExtendedLifetime((upload, recipients)) { () throws(HTTPClientError) in
                try handle.perform(TransferState(url: server.url, limit: 0))
            }
        } catch {
            let code = (try? handle.responseCode()) ?? 0
            if code >= 400 {
                throw .rejected(code: code, message: error.detail)
            }
            throw .transport(error)
        }
    }

    private func configure(message: MailMessage, upload: MailUpload, recipients: CurlHeaderList) throws(HTTPClientError) {
        try handle.reset()
        try handle.set(CURLOPT_NOSIGNAL, 1)
        try handle.set(CURLOPT_URL, server.url)
        try handle.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        try handle.set(CURLOPT_CONNECTTIMEOUT_MS, server.connectTimeout.curlMilliseconds)
        try handle.set(CURLOPT_TIMEOUT_MS, server.totalTimeout.curlMilliseconds)
        let tls: curl_usessl =
            switch server.startTLS {
            case .off: CURLUSESSL_NONE
            case .opportunistic: CURLUSESSL_TRY
            case .required: CURLUSESSL_ALL
            }
        try handle.set(CURLOPT_USE_SSL, Int(tls.rawValue))
        if let caFile = server.caFile { try handle.set(CURLOPT_CAINFO, caFile) }
        if let username = server.username {
            try handle.set(CURLOPT_USERNAME, username)
            try handle.set(CURLOPT_PASSWORD, server.password ?? "")
        }
        try handle.set(CURLOPT_MAIL_FROM, "<\(message.from)>")
        try handle.set(CURLOPT_MAIL_RCPT, list: recipients)
        try handle.set(CURLOPT_UPLOAD, 1)
        try handle.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(upload.bytes.count))
        try handle.set(CURLOPT_READFUNCTION, callback: { buffer, size, count, source in
            guard let buffer, let source else { return 0 }
            return Unmanaged<MailUpload>.fromOpaque(source).takeUnretainedValue().read(into: buffer, capacity: size * count)
        })
        try handle.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(upload).toOpaque())
        // Nothing should arrive, but curl's default would write it to standard output.
        try handle.set(CURLOPT_WRITEFUNCTION, callback: { _, size, count, _ in size * count })
    }
}

@available(*, unavailable, message: "MailSender blocks its thread; use one sender per thread")
extension MailSender: Sendable {}

/// The bytes curl reads for `DATA`, through `CURLOPT_READFUNCTION` (called on the thread that
/// runs the transfer).
final class MailUpload {
    let bytes: [UInt8]
    private var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Copies up to `capacity` bytes into `buffer`; 0 at the end.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress.unsafelyUnwrapped + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

extension HTTPClientError {
    /// The message without the case's prefix.
    var detail: String {
        switch self {
        case .invalidURL(let text), .couldNotResolveHost(let text), .connectionRefused(let text), .timedOut(let text),
            .tls(let text), .transport(_, let text):
            text
        case .responseTooLarge: description
        }
    }
}

extension Duration {
    /// Whole milliseconds for curl's `*_MS` options, rounded up, at least 1 (curl reads 0 as "no
    /// limit").
    var curlMilliseconds: Int {
        guard self > .zero else { return 1 }
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return Int.max }
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        let (total, sumOverflow) = whole.addingReportingOverflow(fraction)
        return sumOverflow ? Int.max : Int(clamping: max(1, total))
    }
}
