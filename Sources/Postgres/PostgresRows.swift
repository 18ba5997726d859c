import CLibPQ

/// The rows a statement returned. Owns the libpq result and frees it when released; immutable,
/// so it may be read from any thread.
public final class PostgresRows: @unchecked Sendable, RandomAccessCollection {
    private let result: OpaquePointer
    /// Column names, in order.
    public let columns: [String]
    private let typeOIDs: [UInt32]

    /// Rows affected by an INSERT/UPDATE/DELETE (or returned by a SELECT).
    public var affectedRows: Int {
        Int(String(cString: PQcmdTuples(result))) ?? Int(PQntuples(result))
    }

    init(result: OpaquePointer) {
        self.result = result
        let count = Int(PQnfields(result))
        var names: [String] = []
        var types: [UInt32] = []
        names.reserveCapacity(count)
        for index in 0..<count {
            names.append(String(cString: PQfname(result, Int32(index))))
            types.append(UInt32(PQftype(result, Int32(index))))
        }
        columns = names
        typeOIDs = types
    }

    deinit { PQclear(result) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(PQntuples(result)) }
    public subscript(position: Int) -> PostgresRow { PostgresRow(rows: self, index: position) }

    /// The column's position, or a decoding error naming it.
    func position(of column: String) throws -> Int {
        // Results have few columns: a scan beats building a dictionary for every result.
        guard let index = columns.firstIndex(of: column) else {
            throw PostgresError(kind: .decoding, message: "no column named \(column) in the result")
        }
        return index
    }

    func cell(row: Int, column: Int) -> PostgresCell {
        let name = columns[column]
        if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
            return PostgresCell(bytes: nil, column: name, typeOID: typeOIDs[column])
        }
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        let pointer = UnsafeRawPointer(PQgetvalue(result, Int32(row), Int32(column))!)
        return PostgresCell(bytes: UnsafeRawBufferPointer(start: pointer, count: length), column: name, typeOID: typeOIDs[column])
    }
}

/// One row of a result.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let index: Int

    /// Decodes the named column as `type`; use an Optional type for nullable columns.
    public func decode<Value: PostgresDecodable>(_ type: Value.Type = Value.self, _ column: String) throws -> Value {
        let position = try rows.position(of: column)
        return try withExtendedLifetime(rows) { try Value.decode(from: rows.cell(row: index, column: position)) }
    }

    /// Decodes the column at `position` (0-based) as `type`.
    public func decode<Value: PostgresDecodable>(_ type: Value.Type = Value.self, at position: Int) throws -> Value {
        guard position >= 0, position < rows.columns.count else {
            throw PostgresError(kind: .decoding, message: "no column at position \(position)")
        }
        return try withExtendedLifetime(rows) { try Value.decode(from: rows.cell(row: index, column: position)) }
    }

    /// True when the named column is NULL.
    public func isNull(_ column: String) throws -> Bool {
        try rows.cell(row: index, column: rows.position(of: column)).isNull
    }
}
