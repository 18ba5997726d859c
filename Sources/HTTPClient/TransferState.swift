/// What one transfer collects. ``HTTPClient`` hands a pointer to it to curl's write and header
/// callbacks (`CURLOPT_WRITEDATA`, `CURLOPT_HEADERDATA`), which run on the thread that called
/// `curl_easy_perform`, inside that call.
final class TransferState {
    /// The requested URL, for error messages.
    let url: String
    /// The most body bytes to accept.
    let limit: Int
    /// Set when the body went past ``limit`` and the transfer was aborted.
    private(set) var limitExceeded = false
    /// The body received so far.
    private(set) var body: [UInt8] = []
    /// The headers of the response being received; emptied when a new status line arrives.
    private(set) var headers: [(name: String, value: String)] = []

    /// Creates the state for one transfer of `url`, accepting up to `limit` body bytes.
    init(url: String, limit: Int) {
        self.url = url
        self.limit = limit
    }

    /// Appends body bytes. Returns `false` (abort the transfer) when they would exceed ``limit``.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count <= limit - body.count else {
            limitExceeded = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Takes one header line as curl delivers it (one line per call, CRLF included).
    ///
    /// A status line (`HTTP/...`) starts a new response, so interim `1xx` and redirect headers are
    /// dropped; folded continuation lines extend the previous value; the blank end line is ignored.
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        // Work on bytes: in Swift "\r\n" is a single Character.
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\r") || bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        guard end > 0 else { return }
        let line = UnsafeRawBufferPointer(rebasing: bytes[..<end])
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll(keepingCapacity: true)
            return
        }
        if isSpace(line[0]) {
            if !headers.isEmpty { headers[headers.count - 1].value += " " + trimmedText(line[...]) }
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        headers.append((name: trimmedText(line[..<colon]), value: trimmedText(line[(colon + 1)...])))
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// The bytes without surrounding spaces and tabs, decoded as UTF-8.
    private func trimmedText(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        guard let start = bytes.firstIndex(where: { !isSpace($0) }),
            let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[start...last], as: UTF8.self)
    }
}
