import CCrypt
#if canImport(Glibc)
import Glibc
#endif

/// Why a password was refused or could not be hashed. Never carries the password.
public enum PasswordHashError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No password at all.
    case empty
    /// Fewer characters than `PasswordHash.minimumLength`.
    case tooShort(minimum: Int)
    /// More bytes than `PasswordHash.maximumBytes`.
    case tooLong(maximumBytes: Int)
    /// A NUL character, which C strings cannot carry.
    case containsNUL
    /// libxcrypt failed (errno), which means the system is broken, not the password.
    case hashingFailed(errno: Int32)

    public var description: String {
        switch self {
        case .empty: return "the password is empty"
        case .tooShort(let minimum): return "the password is too short: use at least \(minimum) characters"
        case .tooLong(let maximum): return "the password is too long: at most \(maximum) bytes"
        case .containsNUL: return "the password contains a NUL character"
        case .hashingFailed(let code): return "libxcrypt could not hash the password (errno \(code))"
        }
    }
}

/// Password hashing with libxcrypt's yescrypt (`$y$`): a fresh random salt per hash (from
/// libxcrypt's own source of randomness), the library's default cost, and verification by
/// hashing again with the stored setting and comparing in constant time. Each call blocks for
/// tens of milliseconds and allocates yescrypt's memory: call it from a thread of your own (the
/// responder's threads, a command's main thread), never from Swift's cooperative pool.
public enum PasswordHash {
    /// The fewest characters a new password may have.
    public static let minimumLength = 10
    /// The most bytes a password may have (libxcrypt's `CRYPT_MAX_PASSPHRASE_SIZE` less its NUL).
    public static let maximumBytes = Int(CRYPT_MAX_PASSPHRASE_SIZE) - 1

    /// Refuses a password a new hash may not be made of: empty, shorter than `minimumLength`
    /// characters, longer than `maximumBytes`, or holding a NUL.
    public static func validate(_ password: String) throws(PasswordHashError) {
        if password.isEmpty { throw .empty }
        if password.utf8.count > maximumBytes { throw .tooLong(maximumBytes: maximumBytes) }
        if password.utf8.contains(0) { throw .containsNUL }
        if password.count < minimumLength { throw .tooShort(minimum: minimumLength) }
    }

    /// A new yescrypt hash of `password` (`$y$...`), after `validate`.
    public static func hash(_ password: String) throws(PasswordHashError) -> String {
        try validate(password)
        return try crypt(password, setting: try newSetting())
    }

    /// True when `password` hashes to `stored` under the setting `stored` carries. False for a
    /// malformed or unsupported hash, and for a password no hash could have been made of.
    public static func verify(_ password: String, against stored: String) -> Bool {
        guard stored.hasPrefix("$"), password.utf8.count <= maximumBytes, !password.utf8.contains(0),
            let computed = try? crypt(password, setting: stored)
        else { return false }
        return constantTimeEquals(Array(computed.utf8), Array(stored.utf8))
    }

    /// A hash of a random password, made once: checked against when the user is unknown, so an
    /// unknown name takes as long as a wrong password.
    public static let decoy: String = {
        var generator = SystemRandomNumberGenerator()
        let text = (0..<24).map { _ in String(UInt8.random(in: 97...122, using: &generator)) }.joined()
        return (try? hash(text)) ?? "$y$j9T$decoydecoydecoydecoy$"
    }()

    /// Compares without stopping at the first difference (the lengths are not secret).
    public static func constantTimeEquals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<left.count { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    /// `crypt_gensalt_rn("$y$", 0, NULL, 0, ...)`: yescrypt at the default cost with a random salt.
    static func newSetting() throws(PasswordHashError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        let made = buffer.withUnsafeMutableBufferPointer { out in
            crypt_gensalt_rn("$y$", 0, nil, 0, out.baseAddress, Int32(out.count)) != nil
        }
        guard made else { throw .hashingFailed(errno: errno) }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `crypt_rn` with a zeroed, heap-allocated `struct crypt_data`, wiped afterwards.
    static func crypt(_ password: String, setting: String) throws(PasswordHashError) -> String {
        let size = MemoryLayout<crypt_data>.size
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<crypt_data>.alignment)
        data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        defer {
            memset(data, 0, size)
            data.deallocate()
        }
        guard let output = crypt_rn(password, setting, data, Int32(size)) else { throw .hashingFailed(errno: errno) }
        let text = String(cString: output)
        // Failure tokens ("*0", "*1") never start with "$".
        guard text.hasPrefix("$") else { throw .hashingFailed(errno: errno) }
        return text
    }
}
