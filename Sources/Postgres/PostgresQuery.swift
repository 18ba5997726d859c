/// A SQL statement with its parameters. Written with string interpolation, every interpolated
/// value becomes a `$n` placeholder and a bind, never text spliced into the SQL:
///
/// ```swift
/// let q: PostgresQuery = "SELECT id FROM jobs WHERE state = \(state) AND queue = \(queue)"
/// // sql: "SELECT id FROM jobs WHERE state = $1 AND queue = $2", two binds
/// ```
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    /// The SQL text with `$1`, `$2`... placeholders.
    public var sql: String
    /// The parameters, in placeholder order.
    public var binds: [PostgresBind]

    /// A statement from trusted SQL text (migration files, fixed statements) and explicit binds.
    public init(unsafeSQL sql: String, binds: [PostgresBind] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// Builds the SQL text and binds of a `PostgresQuery` literal.
    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [PostgresBind] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        /// Appends SQL text as written.
        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Appends a `$n` placeholder bound to `value`.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
        }

        /// Appends a `$n` placeholder bound to `value`, or to NULL.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value?.postgresBind ?? .null)
            sql += "$\(binds.count)"
        }

        /// Appends trusted SQL text as it is (a fixed column list kept in one place). Never pass
        /// anything that came from a user.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            sql += text
        }

        /// Appends a quoted SQL identifier (a table, column or channel name), escaped so it can
        /// never end the identifier early.
        public mutating func appendInterpolation(identifier: String) {
            sql += PostgresQuery.quoteIdentifier(identifier)
        }
    }

    /// Quotes an identifier: `my"name` becomes `"my""name"`.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    /// `replacingOccurrences` without Foundation.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
