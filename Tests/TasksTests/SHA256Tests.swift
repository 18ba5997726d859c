import AppSupport
import Foundation
import Testing
import TestSupport

@Suite("SHA-256")
struct SHA256Tests {
    @Test("the FIPS 180-4 / NIST test vectors")
    func knownVectors() {
        #expect(SHA256.hash([UInt8]()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash("abc".utf8).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8).hex
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hash(
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8
            ).hex == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        var million = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { million.update(chunk) }
        #expect(million.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("lengths around the 55/56/64-byte padding edges match one another fed whole or byte by byte")
    func paddingEdges() {
        // Known digests of "a" repeated n times (n = 55, 56, 63, 64, 65).
        let expected = [
            55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
            64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
            65: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0",
        ]
        for (count, digest) in expected {
            let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: count)
            #expect(SHA256.hash(bytes).hex == digest, "\(count) bytes")
            var split = SHA256()
            for byte in bytes { split.update([byte]) }
            #expect(split.finalize().hex == digest, "\(count) bytes fed one at a time")
        }
    }

    @Test("any split of the input gives the digest sha256sum computes")
    func agreesWithSha256sum() async throws {
        try await onThread {
            var generator = SystemRandomNumberGenerator()
            let sizes = [0, 1, 63, 64, 65, 127, 128, 1000, 4096 + 7, (1 << 20) + 3]
            for size in sizes {
                let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let path = NSTemporaryDirectory() + "sha256-\(UUID().uuidString)"
                _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
                defer { try? FileManager.default.removeItem(atPath: path) }
                let reference = try DataFixture.sha256sum(path)
                #expect(reference.count == 64)
                #expect(SHA256.hash(bytes).hex == reference, "\(size) bytes in one piece")
                var pieces = SHA256()
                var start = 0
                while start < size {
                    let end = min(size, start + Int.random(in: 1...200, using: &generator))
                    bytes[start..<end].withUnsafeBytes { pieces.update($0) }
                    start = end
                }
                #expect(pieces.byteCount == UInt64(size))
                #expect(pieces.finalize().hex == reference, "\(size) bytes in random pieces")
            }
        }
    }
}
