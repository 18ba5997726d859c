/// One bound parameter in the text wire format: its text (nil for NULL) and its type OID
/// (0 lets the server infer the type from context).
public struct PostgresBind: Sendable, Hashable {
    /// The value as Postgres parses it from text, or nil for NULL.
    public var text: String?
    /// The parameter's type OID, or 0 to let the server infer it.
    public var typeOID: UInt32

    /// Creates a bind.
    public init(text: String?, typeOID: UInt32) {
        self.text = text
        self.typeOID = typeOID
    }

    /// SQL NULL, type inferred by the server.
    public static let null = PostgresBind(text: nil, typeOID: 0)
}

/// Well-known type OIDs (from `pg_type`).
public enum PostgresTypeOID {
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let json: UInt32 = 114
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let timestamp: UInt32 = 1114
    public static let timestamptz: UInt32 = 1184
    public static let numeric: UInt32 = 1700
    public static let jsonb: UInt32 = 3802
    public static let textArray: UInt32 = 1009
    public static let int8Array: UInt32 = 1016
    /// Lets the server infer the type.
    public static let unknown: UInt32 = 0
}
