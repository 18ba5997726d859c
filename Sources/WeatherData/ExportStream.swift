import FoundationEssentials
import Postgres

/// Streams the searches an export takes, as the bytes of the finished document, in constant
/// memory whatever their number.
///
/// The rows come from `COPY ... TO STDOUT` in chunks of `chunkRows`, in (`searched_at`, `id`)
/// order, each chunk a short transaction of its own that continues after the last row of the
/// one before (so progress can be recorded between chunks, outside any transaction). Each chunk
/// sees the rows committed when it starts; the period ends at the export's start at the latest,
/// so searches made meanwhile are left out, but a search deleted meanwhile may or may not be in.
///
/// - CSV (RFC 4180): a header line, then one line per search; fields quoted when they hold a
///   comma, a double quote (doubled inside) or a line break; NULL is an empty field; lines end
///   with CRLF (line breaks inside quoted fields are kept as they are); UTF-8. Postgres does the
///   quoting; the stream only turns each row's final LF into CRLF (one row per COPY message).
/// - JSON: one document, an array of flat objects (the same keys as the CSV header, nulls
///   included), one object per line: `[`, the objects separated by `,` and a line break, `]`.
///   Postgres builds each object (`row_to_json`); binary COPY carries it without escaping.
public struct ExportStream {
    /// The document's format.
    public var format: ExportFormat
    /// Only this city (case-insensitively), or all.
    public var city: String?
    /// The period, as exact Postgres text (`ExportStore.Started`).
    public var lowerBound: String
    public var upperBound: String
    /// Rows per COPY (and per progress report).
    public var chunkRows: Int

    /// Rows between two calls of `checkpoint` inside a chunk.
    static let checkpointEvery = 1024

    /// Creates a stream.
    public init(format: ExportFormat, city: String?, lowerBound: String, upperBound: String, chunkRows: Int) {
        self.format = format
        self.city = city
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.chunkRows = max(1, chunkRows)
    }

    /// Writes the whole document through `write` (pieces valid only during the call) and returns
    /// the rows written. `checkpoint` is called every `checkpointEvery` rows and while the server
    /// is busy (throw to stop: the COPY is cancelled and the connection stays usable); `chunkDone`
    /// after each chunk with the rows so far, outside any transaction.
    public func run(
        on connection: PostgresConnection, checkpoint: () throws -> Void, chunkDone: (Int) throws -> Void,
        write: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        var position = Position(at: "-infinity", id: 0)
        var total = 0
        var firstChunk = true
        switch format {
        case .csv: break
        case .json: try ExportStream.write("[", write)
        }
        while true {
            let (rows, last) = try connection.transaction { tx -> (Int, Position?) in
                try tx.execute(
                    ExportQueries.setFilter(
                        city: city, lower: lowerBound, upper: upperBound, afterAt: position.at, afterID: position.id))
                switch format {
                case .csv:
                    return try csvChunk(tx, header: firstChunk, checkpoint: checkpoint, write: write)
                case .json:
                    return try jsonChunk(tx, first: total == 0, checkpoint: checkpoint, write: write)
                }
            }
            firstChunk = false
            total += rows
            try chunkDone(total)
            guard rows == chunkRows, let last else { break }
            position = last
            try checkpoint()
        }
        if format == .json { try ExportStream.write("\n]\n", write) }
        return total
    }

    /// Where a chunk stopped: its last row's `searched_at` (exact Postgres text) and `id`.
    struct Position {
        var at: String
        var id: Int
    }

    private func csvChunk(
        _ connection: PostgresConnection, header: Bool, checkpoint: () throws -> Void, write: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (Int, Position?) {
        var rows = 0
        var skipHeader = header
        // The start of the last row, enough for its `id,searched_at,` key.
        var lastStart: [UInt8] = []
        lastStart.reserveCapacity(64)
        let crlf: StaticString = "\r\n"
        let copied = try connection.copyOut(
            ExportQueries.copyCSV(city: city != nil, limit: chunkRows, header: header), whileWaiting: checkpoint
        ) { message in
            // One row (or the header) per message, ending with its LF: write it with CRLF instead.
            let body = message.last == UInt8(ascii: "\n") ? UnsafeRawBufferPointer(rebasing: message.dropLast()) : message
            try write(body)
            try write(UnsafeRawBufferPointer(start: crlf.utf8Start, count: crlf.utf8CodeUnitCount))
            if skipHeader {
                skipHeader = false
                return
            }
            rows += 1
            lastStart.removeAll(keepingCapacity: true)
            lastStart.append(contentsOf: message.prefix(64))
            if rows % ExportStream.checkpointEvery == 0 { try checkpoint() }
        }
        guard copied == rows else {
            throw PostgresError(kind: .decoding, message: "COPY reported \(copied) rows but \(rows) arrived")
        }
        guard rows > 0 else { return (0, nil) }
        return (rows, try ExportStream.csvKey(lastStart))
    }

    /// The `id,searched_at,` at the start of a CSV row (neither is ever quoted: digits, and a
    /// timestamp without comma, quote or line break).
    static func csvKey(_ start: [UInt8]) throws -> Position {
        let fields = start.split(separator: UInt8(ascii: ","), maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, let id = Int(String(decoding: fields[0], as: UTF8.self)), !fields[1].isEmpty else {
            throw PostgresError(kind: .decoding, message: "cannot read the key at the start of a CSV row")
        }
        return Position(at: String(decoding: fields[1], as: UTF8.self), id: id)
    }

    private func jsonChunk(
        _ connection: PostgresConnection, first: Bool, checkpoint: () throws -> Void, write: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (Int, Position?) {
        var reader = PostgresBinaryCopyReader()
        var rows = 0
        var lastID = 0
        var lastMicroseconds: Int64 = 0
        var separator: StaticString = first ? "\n" : ",\n"
        let copied = try connection.copyOut(ExportQueries.copyJSON(city: city != nil, limit: chunkRows), whileWaiting: checkpoint) { message in
            try reader.feed(message) { fields in
                guard fields.count == 3, let object = fields[2] else {
                    throw PostgresError(kind: .decoding, message: "unexpected export tuple of \(fields.count) fields")
                }
                lastID = try PostgresBinary.integer(fields[0])
                lastMicroseconds = try PostgresBinary.timestampMicroseconds(fields[1])
                try write(UnsafeRawBufferPointer(start: separator.utf8Start, count: separator.utf8CodeUnitCount))
                try write(object)
                separator = ",\n"
                rows += 1
                if rows % ExportStream.checkpointEvery == 0 { try checkpoint() }
            }
        }
        try reader.finish()
        guard copied == rows else {
            throw PostgresError(kind: .decoding, message: "COPY reported \(copied) rows but \(rows) arrived")
        }
        guard rows > 0 else { return (0, nil) }
        return (rows, Position(at: PostgresBinary.timestampText(microseconds: lastMicroseconds), id: lastID))
    }

    private static func write(_ text: StaticString, _ write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
