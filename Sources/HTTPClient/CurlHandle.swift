internal import CCurl

/// Initializes libcurl once per process; Swift runs a `static let` initializer exactly once, thread-safely.
enum CurlGlobal {
    /// The result of `curl_global_init`, run on first access.
    static let initResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
}

/// Owns one curl easy handle and its error buffer. Every libcurl return code passes through
/// ``check(_:transfer:message:)``, the one place where a `CURLcode` becomes an ``HTTPClientError``.
///
/// Not thread-safe: use a handle on one thread at a time.
final class CurlHandle {
    private let easy: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Initializes libcurl if needed and creates an easy handle.
    init() throws(HTTPClientError) {
        try Self.check(CurlGlobal.initResult, message: "curl_global_init failed", errorBuffer: nil, transfer: nil)
        let easy = curl_easy_init()
        try Self.check(
            easy == nil ? CURLE_FAILED_INIT : CURLE_OK, message: "curl_easy_init failed",
            errorBuffer: nil, transfer: nil)
        self.easy = easy.unsafelyUnwrapped  // checked just above
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(easy)
        errorBuffer.deallocate()
    }

    /// Resets every option to its default, keeping the connection cache, then points curl at the
    /// error buffer again.
    func reset() throws(HTTPClientError) {
        curl_easy_reset(easy)
        errorBuffer[0] = 0
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    // MARK: Options

    /// Sets a `long` option.
    func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(ccurl_setopt_long(easy, option, value))
    }

    /// Sets a string option; curl copies the string.
    func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        try check(value.withCString { ccurl_setopt_string(easy, option, $0) })
    }

    /// Sets a pointer option; the caller keeps the memory alive as long as curl may use it.
    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(HTTPClientError) {
        try check(ccurl_setopt_pointer(easy, option, pointer))
    }

    /// Sets a `curl_off_t` option.
    func set(_ option: CURLoption, offset: Int64) throws(HTTPClientError) {
        try check(ccurl_setopt_off_t(easy, option, curl_off_t(offset)))
    }

    /// Sets a header-list option; the caller keeps the list alive as long as curl may use it.
    func set(_ option: CURLoption, list: CurlHeaderList) throws(HTTPClientError) {
        try check(ccurl_setopt_slist(easy, option, list.head))
    }

    /// Sets a data callback (`CURLOPT_WRITEFUNCTION`, `CURLOPT_HEADERFUNCTION`).
    func set(_ option: CURLoption, callback: ccurl_data_callback) throws(HTTPClientError) {
        try check(ccurl_setopt_callback(easy, option, callback))
    }

    // MARK: Transfer

    /// Runs the transfer; blocks the calling thread until it ends.
    func perform(_ transfer: TransferState) throws(HTTPClientError) {
        errorBuffer[0] = 0
        try check(curl_easy_perform(easy), transfer: transfer)
    }

    /// The status code of the last response (`CURLINFO_RESPONSE_CODE`).
    func responseCode() throws(HTTPClientError) -> Int {
        var code = 0
        try check(ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code))
        return code
    }

    // MARK: The choke point

    /// Throws the ``HTTPClientError`` for `code`, or returns if it is `CURLE_OK`.
    /// - Parameters:
    ///   - code: A libcurl return code.
    ///   - transfer: The transfer that `code` ended, if any; tells a size-limit abort from other write errors.
    ///   - message: Text to use instead of curl's error buffer.
    func check(
        _ code: CURLcode, transfer: TransferState? = nil, message: String? = nil
    ) throws(HTTPClientError) {
        try Self.check(code, message: message, errorBuffer: errorBuffer, transfer: transfer)
    }

    private static func check(
        _ code: CURLcode, message: String?, errorBuffer: UnsafeMutablePointer<CChar>?, transfer: TransferState?
    ) throws(HTTPClientError) {
        if code == CURLE_OK { return }
        let text: String
        if let message {
            text = message
        } else if let errorBuffer, errorBuffer[0] != 0 {
            text = String(cString: errorBuffer)
        } else {
            text = String(cString: curl_easy_strerror(code))
        }
        switch code {
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            throw .invalidURL(transfer?.url ?? text)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            throw .couldNotResolveHost(text)
        case CURLE_COULDNT_CONNECT:
            throw .connectionRefused(text)
        case CURLE_OPERATION_TIMEDOUT:
            throw .timedOut(text)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            throw .tls(text)
        case CURLE_WRITE_ERROR where transfer?.limitExceeded == true:
            throw .responseTooLarge(limit: transfer?.limit ?? 0)
        case CURLE_FILESIZE_EXCEEDED where transfer != nil:
            throw .responseTooLarge(limit: transfer?.limit ?? 0)
        default:
            throw .transport(code: Int(code.rawValue), message: text)
        }
    }
}
