import Access
import Testing
import TestSupport

/// Passwords hashed by libxcrypt's yescrypt: salted, verified, refused when too weak.
@Suite("Admin password hashing")
struct PasswordHashTests {
    @Test("yescrypt ($y$), verified right and wrong, a new salt each time, the password nowhere in the hash")
    func hashAndVerify() async throws {
        try await onThread {
            let password = "correct horse battery"
            let first = try PasswordHash.hash(password)
            let second = try PasswordHash.hash(password)
            #expect(first.hasPrefix("$y$"), "\(first)")
            #expect(first != second)
            #expect(!first.contains(password))
            #expect(PasswordHash.verify(password, against: first))
            #expect(PasswordHash.verify(password, against: second))
            #expect(!PasswordHash.verify("correct horse batterY", against: first))
            #expect(!PasswordHash.verify("", against: first))
            #expect(!PasswordHash.verify(password, against: "not a hash"))
            #expect(!PasswordHash.verify(password, against: ""))
            #expect(!PasswordHash.verify(password, against: String(first.dropLast(3))))
        }
    }

    @Test("empty, short, overlong and NUL passwords are refused, saying why")
    func refusals() async throws {
        try await onThread {
            #expect(throws: PasswordHashError.empty) { try PasswordHash.hash("") }
            #expect(throws: PasswordHashError.tooShort(minimum: 10)) { try PasswordHash.hash("123456789") }
            #expect("\(PasswordHashError.tooShort(minimum: 10))".contains("at least 10 characters"))
            #expect(throws: PasswordHashError.tooLong(maximumBytes: PasswordHash.maximumBytes)) {
                try PasswordHash.hash(String(repeating: "x", count: PasswordHash.maximumBytes + 1))
            }
            #expect(throws: PasswordHashError.containsNUL) { try PasswordHash.hash("0123456789\u{0}abc") }
            // Characters, not bytes: ten letters with accents are enough.
            let accented = String(repeating: "é", count: 10)
            let accentedHash = try PasswordHash.hash(accented)
            #expect(PasswordHash.verify(accented, against: accentedHash))
            let longest = String(repeating: "y", count: PasswordHash.maximumBytes)
            let longestHash = try PasswordHash.hash(longest)
            #expect(PasswordHash.verify(longest, against: longestHash))
        }
    }

    @Test("constant-time comparison still compares")
    func comparison() {
        #expect(PasswordHash.constantTimeEquals(Array("abc".utf8), Array("abc".utf8)))
        #expect(!PasswordHash.constantTimeEquals(Array("abc".utf8), Array("abd".utf8)))
        #expect(!PasswordHash.constantTimeEquals(Array("abc".utf8), Array("abcd".utf8)))
        #expect(PasswordHash.decoy.hasPrefix("$y$"))
    }
}
