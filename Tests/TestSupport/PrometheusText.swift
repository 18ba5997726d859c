/// A strict reader of the Prometheus text format (0.0.4), for tests of `/metrics`: every line
/// must be a comment, a `# HELP`/`# TYPE` line, or a valid sample; `HELP` and `TYPE` come once
/// per family, before its samples.
public struct PrometheusText {
    /// One sample line.
    public struct Sample: Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    /// Families' types by name.
    public private(set) var types: [String: String] = [:]
    /// Families' help by name.
    public private(set) var help: [String: String] = [:]
    /// The samples in order.
    public private(set) var samples: [Sample] = []

    /// Parses `text`; throws on the first invalid line, naming it.
    public init(_ text: String) throws {
        var seenSamplesOf: Set<String> = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { continue }
            func fail(_ why: String) -> HarnessError { HarnessError("line \(number + 1): \(why): \(line)") }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, parts[1] == "HELP" || parts[1] == "TYPE" else { continue }
                let name = String(parts[2])
                guard PrometheusText.isMetricName(name) else { throw fail("bad metric name") }
                guard !seenSamplesOf.contains(name) else { throw fail("HELP/TYPE after the family's samples") }
                if parts[1] == "HELP" {
                    guard help[name] == nil else { throw fail("second HELP") }
                    help[name] = parts.count > 3 ? String(parts[3]) : ""
                } else {
                    guard types[name] == nil else { throw fail("second TYPE") }
                    let type = parts.count > 3 ? String(parts[3]) : ""
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(type) else { throw fail("bad type") }
                    types[name] = type
                }
                continue
            }
            let sample = try PrometheusText.sample(line).orThrow(fail("bad sample"))
            seenSamplesOf.insert(family(of: sample.name))
            samples.append(sample)
        }
    }

    /// The family a sample belongs to (`x_bucket` of histogram `x` belongs to `x`).
    public func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let type = types[base], type == "histogram" || type == "summary" { return base }
        }
        return name
    }

    /// The value of the sample named `name` whose labels include `labels`, if exactly one matches.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matches = samples.filter { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }
        return matches.count == 1 ? matches[0].value : nil
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first == ":" || ("a"..."z").contains(first) || ("A"..."Z").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0 == ":" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func sample(_ line: Substring) -> Sample? {
        var index = line.startIndex
        while index < line.endIndex, line[index] != "{", line[index] != " " { index = line.index(after: index) }
        let name = String(line[line.startIndex..<index])
        guard isMetricName(name), index < line.endIndex else { return nil }
        var labels: [String: String] = [:]
        if line[index] == "{" {
            index = line.index(after: index)
            while true {
                guard index < line.endIndex else { return nil }
                if line[index] == "}" { index = line.index(after: index); break }
                var labelEnd = index
                while labelEnd < line.endIndex, line[labelEnd] != "=" { labelEnd = line.index(after: labelEnd) }
                let label = String(line[index..<labelEnd])
                guard isMetricName(label), !label.contains(":"), labelEnd < line.endIndex else { return nil }
                index = line.index(after: labelEnd)
                guard index < line.endIndex, line[index] == "\"" else { return nil }
                index = line.index(after: index)
                var value = ""
                while true {
                    guard index < line.endIndex else { return nil }
                    let character = line[index]
                    if character == "\"" { index = line.index(after: index); break }
                    if character == "\\" {
                        index = line.index(after: index)
                        guard index < line.endIndex else { return nil }
                        switch line[index] {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: return nil
                        }
                    } else {
                        value.append(character)
                    }
                    index = line.index(after: index)
                }
                guard labels[label] == nil else { return nil }
                labels[label] = value
                guard index < line.endIndex else { return nil }
                if line[index] == "," { index = line.index(after: index) }
            }
        }
        guard index < line.endIndex, line[index] == " " else { return nil }
        let rest = line[line.index(after: index)...].split(separator: " ")
        guard rest.count == 1 || rest.count == 2 else { return nil }
        let text = String(rest[0])
        let value: Double
        switch text {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default:
            guard let parsed = Double(text) else { return nil }
            value = parsed
        }
        return Sample(name: name, labels: labels, value: value)
    }
}

extension Optional {
    fileprivate func orThrow(_ error: @autoclosure () -> Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}
