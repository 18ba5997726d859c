import Foundation
import HTTPClient
import TestSupport
import Testing

/// The shared SMTP sink, started on first use.
private func sink() async throws -> FakeNotifyServer {
    try await onThread { try FakeNotifyServer.shared() }
}

/// Sends `message` with a new sender for `server` on its own thread.
private func send(_ message: MailMessage, via server: MailServer) async -> Result<Void, MailError> {
    await onThread { () -> Result<Void, MailError> in
        Result { () throws(MailError) in try MailSender(server: server).send(message) }
    }
}

/// The mails the sink accepted for `address`, waiting until at least `count` arrived (the sink
/// records a message before it answers, so they are normally there already).
private func mails(_ server: FakeNotifyServer, to address: String, count: Int = 1) async throws -> [ReceivedMail] {
    try await onThread {
        var found: [ReceivedMail] = []
        try eventually("\(count) mail(s) for \(address)", seconds: 10) {
            found = try server.mails(to: address)
            return found.count >= count
        }
        return found
    }
}

@Suite("MailSender against a real SMTP server (aiosmtpd)")
struct MailSenderTests {
    @Test func messageArrivesWithHeadersBodyAndRecipients() async throws {
        let server = try await sink()
        let first = FakeNotifyServer.address("first")
        let second = FakeNotifyServer.address("second")
        let body = "Heat alert for Hottown, ES.\n.a line starting with a dot\n\nTemperature 38.0 C\n"
        let message = MailMessage(
            from: "alerts@weather.test", fromName: "Weather \"alerts\"", to: [first, second],
            subject: "[weather] heat in Hottown", body: body, date: Date(timeIntervalSince1970: 1_700_000_000),
            messageID: "alert-42@weather.test")
        try await send(message, via: MailServer(url: server.smtpURL)).get()

        let mail = try #require(try await mails(server, to: first).first)
        #expect(mail.mailFrom == "alerts@weather.test")
        #expect(Set(mail.rcptTos) == [first, second])
        #expect(mail.subject == "[weather] heat in Hottown")
        #expect(mail.body == body)
        #expect(mail.contentType == "text/plain")
        #expect(mail.authUser == nil)
        let headers = mail.headers
        #expect(headers["date"] == "Tue, 14 Nov 2023 22:13:20 +0000")
        #expect(headers["message-id"] == "<alert-42@weather.test>")
        #expect(headers["from"] == #""Weather \"alerts\"" <alerts@weather.test>"#)
        #expect(headers["to"]?.contains(first) == true)
        #expect(headers["to"]?.contains(second) == true)
        let counts = mail.headerCount
        for name in ["date", "from", "to", "subject", "message-id", "mime-version", "content-type"] {
            #expect(counts[name] == 1, "header \(name)")
        }
        let raw = mail.raw
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
    }

    @Test func nonASCIISubjectAndBodyAreEncoded() async throws {
        let server = try await sink()
        let to = FakeNotifyServer.address("utf8")
        let subject = "Alerte chaleur à São Paulo: 38 °C " + String(repeating: "très chaud ", count: 10)
        let body = "São Paulo, BR: 38 °C ☀️\nZweite Zeile: Größe\n"
        try await send(MailMessage(from: "alerts@weather.test", to: [to], subject: subject, body: body), via: MailServer(url: server.smtpURL)).get()
        let mail = try #require(try await mails(server, to: to).first)
        #expect(mail.subject == subject)
        #expect(mail.body == body)
        let raw = mail.raw
        #expect(raw.utf8.allSatisfy { $0 < 0x80 }, "the wire text is 7-bit")
        #expect(raw.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func headerValuesCannotInjectHeaders() async throws {
        let server = try await sink()
        let to = FakeNotifyServer.address("inject")
        let message = MailMessage(
            from: "alerts@weather.test", fromName: "Evil\r\nBcc: victim@example.test", to: [to],
            subject: "Hello\r\nBcc: victim@example.test\r\n\r\nfake body", body: "real body", messageID: "id\r\nX-Injected: 1@x")
        try await send(message, via: MailServer(url: server.smtpURL)).get()
        let mail = try #require(try await mails(server, to: to).first)
        let headers = mail.headers
        #expect(headers["bcc"] == nil)
        #expect(headers["x-injected"] == nil)
        #expect(mail.rcptTos == [to])
        #expect(mail.subject.hasPrefix("Hello  Bcc: victim@example.test"))
        #expect(mail.body == "real body\n")
        #expect(try await onThread { try server.mails(to: "victim@example.test") }.isEmpty)
    }

    @Test func oneSenderSendsSeveralMessages() async throws {
        let server = try await sink()
        let to = FakeNotifyServer.address("reuse")
        let url = server.smtpURL
        try await onThread { () throws(MailError) in
            let sender = try MailSender(server: MailServer(url: url))
            for index in 1...3 {
                try sender.send(MailMessage(from: "alerts@weather.test", to: [to], subject: "message \(index)", body: "body \(index)"))
            }
        }
        let subjects = try await mails(server, to: to, count: 3).map(\.subject)
        #expect(subjects == ["message 1", "message 2", "message 3"])
    }

    @Test func credentialsAreUsedAndWrongOnesRefused() async throws {
        let server = try await sink()
        let to = FakeNotifyServer.address("auth")
        let good = MailServer(url: server.smtpURL, username: FakeNotifyServer.smtpUser, password: FakeNotifyServer.smtpPassword)
        try await send(MailMessage(from: "alerts@weather.test", to: [to], subject: "authenticated", body: "x"), via: good).get()
        let mail = try #require(try await mails(server, to: to).first)
        #expect(mail.authUser == FakeNotifyServer.smtpUser)

        let badTo = FakeNotifyServer.address("badauth")
        let bad = MailServer(url: server.smtpURL, username: FakeNotifyServer.smtpUser, password: "wrong")
        let outcome = await send(MailMessage(from: "alerts@weather.test", to: [badTo], subject: "no", body: "x"), via: bad)
        guard case .failure(let error) = outcome, case .rejected(let code, _) = error else {
            Issue.record("expected a refusal, got \(outcome)")
            return
        }
        #expect(code == 535)
        #expect(error.isPermanent)
        #expect(try await onThread { try server.mails(to: badTo) }.isEmpty)
    }

    @Test func refusedRecipientFailsTheMessage() async throws {
        let server = try await sink()
        let good = FakeNotifyServer.address("good")
        let outcome = await send(
            MailMessage(from: "alerts@weather.test", to: [good, "reject-me@example.test"], subject: "refused", body: "x"),
            via: MailServer(url: server.smtpURL))
        guard case .failure(let error) = outcome, case .rejected(let code, let message) = error else {
            Issue.record("expected a refusal, got \(outcome)")
            return
        }
        #expect(code == 550)
        #expect(error.isPermanent)
        #expect(message.contains("550") || message.contains("RCPT"), "\(message)")
        #expect(try await onThread { try server.mails(to: good) }.isEmpty, "nothing is delivered when a recipient is refused")
    }

    @Test func temporaryRefusalIsNotPermanent() async throws {
        let server = try await sink()
        let to = FakeNotifyServer.address("later")
        try await onThread { try server.failRecipient(to, times: 1) }
        let message = MailMessage(from: "alerts@weather.test", to: [to], subject: "later", body: "x")
        let first = await send(message, via: MailServer(url: server.smtpURL))
        guard case .failure(let error) = first, case .rejected(451, _) = error else {
            Issue.record("expected 451, got \(first)")
            return
        }
        #expect(!error.isPermanent)
        try await send(message, via: MailServer(url: server.smtpURL)).get()
        #expect(try await mails(server, to: to).count == 1)
    }

    @Test func refusedConnectionIsATransportError() async throws {
        let url = "smtp://127.0.0.1:\(closedLocalPort())"
        let outcome = await send(
            MailMessage(from: "alerts@weather.test", to: ["x@example.test"], subject: "s", body: "b"), via: MailServer(url: url))
        guard case .failure(.transport(.connectionRefused(let text))) = outcome else {
            Issue.record("expected connectionRefused, got \(outcome)")
            return
        }
        #expect(!text.isEmpty)
        if case .failure(let error) = outcome { #expect(!error.isPermanent) }
    }

    @Test func silentServerTimesOut() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let server = MailServer(url: "smtp://127.0.0.1:\(listener.port)", connectTimeout: .seconds(5), totalTimeout: .milliseconds(300))
        let outcome = await send(MailMessage(from: "alerts@weather.test", to: ["x@example.test"], subject: "s", body: "b"), via: server)
        guard case .failure(.transport(.timedOut)) = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
    }

    @Test func requiredStartTLSFailsWithoutIt() async throws {
        let server = try await sink()
        let to = FakeNotifyServer.address("tls")
        let outcome = await send(
            MailMessage(from: "alerts@weather.test", to: [to], subject: "s", body: "b"),
            via: MailServer(url: server.smtpURL, startTLS: .required))
        guard case .failure(.transport(.tls)) = outcome else {
            Issue.record("expected a TLS error, got \(outcome)")
            return
        }
        #expect(try await onThread { try server.mails(to: to) }.isEmpty)
    }

    @Test(arguments: [MailStartTLS.required, .opportunistic])
    func startTLSUpgradesAndVerifiesTheServer(mode: MailStartTLS) async throws {
        let server = try await sink()
        let url = try #require(server.startTLSURL, "the sink has no STARTTLS server: is the openssl command installed?")
        let to = FakeNotifyServer.address("tls-\(mode.rawValue)")
        let settings = MailServer(
            url: url, username: FakeNotifyServer.smtpUser, password: FakeNotifyServer.smtpPassword, startTLS: mode, caFile: server.caFile)
        try await send(MailMessage(from: "alerts@weather.test", to: [to], subject: "over TLS", body: "secret"), via: settings).get()
        let mail = try #require(try await mails(server, to: to).first)
        #expect(mail.tls)
        #expect(mail.authUser == FakeNotifyServer.smtpUser)
        #expect(mail.subject == "over TLS")
    }

    @Test func anUntrustedCertificateIsATLSError() async throws {
        let server = try await sink()
        let url = try #require(server.startTLSURL, "the sink has no STARTTLS server: is the openssl command installed?")
        let to = FakeNotifyServer.address("untrusted")
        let outcome = await send(
            MailMessage(from: "alerts@weather.test", to: [to], subject: "s", body: "b"), via: MailServer(url: url, startTLS: .required))
        guard case .failure(.transport(.tls)) = outcome else {
            Issue.record("expected a TLS error, got \(outcome)")
            return
        }
        #expect(try await onThread { try server.mails(to: to) }.isEmpty)
    }

    @Test func aServerRequiringSTARTTLSRefusesPlainMail() async throws {
        let server = try await sink()
        let url = try #require(server.startTLSURL, "the sink has no STARTTLS server: is the openssl command installed?")
        let outcome = await send(
            MailMessage(from: "alerts@weather.test", to: [FakeNotifyServer.address("plain")], subject: "s", body: "b"),
            via: MailServer(url: url, startTLS: .off))
        guard case .failure(let error) = outcome, case .rejected(530, _) = error else {
            Issue.record("expected 530, got \(outcome)")
            return
        }
    }

    @Test(arguments: ["", "no-at-sign", "two@@example.test", "a b@example.test", "<x@example.test>", "x@example.test\r\nRCPT TO:<y@z>", "ü@example.test"])
    func invalidAddressesAreRefusedBeforeConnecting(address: String) async {
        let url = "smtp://127.0.0.1:\(closedLocalPort())"
        let asRecipient = await send(MailMessage(from: "alerts@weather.test", to: [address], subject: "s", body: "b"), via: MailServer(url: url))
        guard case .failure(.invalidMessage) = asRecipient else {
            Issue.record("expected invalidMessage for recipient \(address.debugDescription), got \(asRecipient)")
            return
        }
        let asSender = await send(MailMessage(from: address, to: ["x@example.test"], subject: "s", body: "b"), via: MailServer(url: url))
        guard case .failure(.invalidMessage) = asSender else {
            Issue.record("expected invalidMessage for sender \(address.debugDescription), got \(asSender)")
            return
        }
    }

    @Test func noRecipientIsInvalid() async {
        let outcome = await send(MailMessage(from: "alerts@weather.test", to: [], subject: "s", body: "b"), via: MailServer(url: "smtp://127.0.0.1:1"))
        guard case .failure(.invalidMessage) = outcome else {
            Issue.record("expected invalidMessage, got \(outcome)")
            return
        }
    }

    @Test(arguments: ["http://127.0.0.1:25", "smtp://", "smtp://user:pass@127.0.0.1:25", "smtp://127.0.0.1 :25", "127.0.0.1:25"])
    func invalidURLsAreRefused(url: String) {
        #expect(!MailServer.isValidURL(url))
        #expect(throws: MailError.self) { try MailSender(server: MailServer(url: url)) }
    }

    @Test(arguments: ["smtp://127.0.0.1:2525", "smtps://mail.example.com", "SMTP://mail.example.com:587/client.example.com"])
    func validURLsAreAccepted(url: String) {
        #expect(MailServer.isValidURL(url))
    }
}

/// A TCP socket on 127.0.0.1 that listens but never accepts or answers: connections complete
/// in the kernel, then nothing is ever said.
private final class SilentListener: Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            _ = Glibc.close(fd)
            throw HarnessError("bind/listen failed")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}
