import AppSupport

/// A token's secret: `wst_` and 43 characters of base64url (32 random bytes from the kernel's
/// generator). Tokens carry 256 bits of entropy, so a single SHA-256 is the right hash for
/// storing them: nothing to slow down, since nothing can be guessed.
public struct TokenSecret: Sendable, Equatable, CustomStringConvertible {
    /// The text a client sends as `Authorization: Bearer <text>`.
    public let text: String

    /// The prefix every token starts with.
    public static let marker = "wst_"

    /// A new random secret.
    public static func generate() -> TokenSecret {
        TokenSecret(text: marker + base64URL(randomBytes(32)))
    }

    /// `count` bytes from the kernel's generator, drawn eight at a time (`UInt8.random` would
    /// make one `getrandom` call per byte).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<(count + 7) / 8).map { _ in generator.next() as UInt64 }
        return words.withUnsafeBytes { Array($0.prefix(count)) }
    }

    /// Wraps a secret a client sent.
    public init(text: String) {
        self.text = text
    }

    /// The SHA-256 of the text, in hex: what the database keeps.
    public var hash: String { SHA256.hash(Array(text.utf8)).hex }

    /// The first 8 characters after the marker, for listings.
    public var prefix: String { String(text.prefix(TokenSecret.marker.count + 8)) }

    /// Never the secret itself, so it cannot leak into a log.
    public var description: String { "\(prefix)…" }

    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var output = ""
        var index = 0
        while index + 2 < bytes.count {
            let value = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[(value >> shift) & 63]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let value = Int(bytes[index]) << 16
            for shift in [18, 12] { output.append(alphabet[(value >> shift) & 63]) }
        } else if rest == 2 {
            let value = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8
            for shift in [18, 12, 6] { output.append(alphabet[(value >> shift) & 63]) }
        }
        return output
    }
}
