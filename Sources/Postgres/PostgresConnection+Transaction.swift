extension PostgresConnection {
    /// Runs `body` inside a transaction: committed when it returns, rolled back when it throws.
    /// Nested calls use savepoints. A connection lost inside the transaction surfaces as an
    /// error (never retried: the work may have been half done); the next statement reconnects.
    @discardableResult
    public func transaction<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        let depth = transactionDepth
        let savepoint = "sp\(depth)"
        if depth == 0 {
            try simpleQuery("BEGIN")
        } else {
            try simpleQuery("SAVEPOINT " + savepoint)
        }
        transactionDepth += 1
        do {
            let result = try body(self)
            if depth == 0 {
                // Keep depth > 0 while committing: a lost connection here must not reconnect.
                try simpleQuery("COMMIT")
            } else {
                try simpleQuery("RELEASE SAVEPOINT " + savepoint)
            }
            transactionDepth = depth
            return result
        } catch {
            if isConnected {
                if depth == 0 {
                    try? simpleQuery("ROLLBACK")
                } else {
                    try? simpleQuery("ROLLBACK TO SAVEPOINT " + savepoint)
                }
            }
            transactionDepth = depth
            throw error
        }
    }
}
