internal import CCurl

/// A `curl_slist` of header lines, freed when the list is released.
final class CurlHeaderList {
    /// The first node, or `nil` for an empty list.
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    /// Creates an empty list.
    init() {}

    deinit {
        curl_slist_free_all(head)
    }

    /// Appends one header line such as `"Accept: application/json"`; curl copies the text.
    /// - Returns: `false` when curl could not allocate the node.
    func append(_ line: String) -> Bool {
        guard let newHead = curl_slist_append(head, line) else { return false }
        head = newHead
        return true
    }
}
