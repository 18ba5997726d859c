extension CronExpression {
    /// The schedule in English words for the admin: "at 02:00 every day", "every 15 minutes", "at minute 0 past every 2nd hour", "at 03:00 on Sunday", "at 07:00 on Monday"...
    ///
    /// Times are on the wall clock, 24-hour. Two day fields that are both restricted read
    /// "on day 13 of the month or on Friday", as Vixie cron runs them.
    public var words: String {
        let (time, isFixedTime) = timeWords
        var sentence = time
        if let days = dayWords {
            sentence += " " + days
        } else if isFixedTime {
            sentence += " every day"
        }
        if let months = monthWords {
            sentence += " " + months
        }
        return sentence
    }
}

// MARK: - Phrases

extension CronExpression {
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
    private static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// "at 02:00", "every 15 minutes", "at minute 0 past every 2nd hour"...; `isFixed` when it is
    /// a list of times of day.
    private var timeWords: (text: String, isFixed: Bool) {
        if let minuteValues = minutes.singleValues, let hourValues = hours.singleValues,
           Set(minuteValues).count * Set(hourValues).count <= 6 {
            let times = Set(hourValues).sorted().flatMap { hour in
                Set(minuteValues).sorted().map { minute in Self.twoDigits(hour) + ":" + Self.twoDigits(minute) }
            }
            return ("at " + Self.list(times), true)
        }
        let minutePart: String
        if minutes.matchesEverything {
            minutePart = "every minute"
        } else if minutes.items.count == 1, case .star = minutes.items[0].base, let step = minutes.items[0].step, step > 1 {
            // "every 7 minutes" would be wrong across the hour (56, then 0): say "every 7th minute".
            minutePart = 60 % step == 0 ? "every \(step) minutes" : "every \(Self.ordinal(step)) minute"
        } else if let values = minutes.singleValues {
            minutePart = "at minute " + Self.list(Set(values).sorted().map(String.init))
        } else {
            let phrases = minutes.items.map { Self.itemWords($0, unit: "minute", last: 59) }
            minutePart = (phrases[0].hasPrefix("minute") ? "at " : "") + Self.list(phrases)
        }
        let hourPart: String
        if hours.matchesEverything {
            hourPart = minutePart.hasPrefix("every") ? "" : " past every hour"
        } else if let values = hours.singleValues {
            hourPart = " past hour " + Self.list(Set(values).sorted().map(String.init))
        } else {
            hourPart = " past " + Self.list(hours.items.map { Self.itemWords($0, unit: "hour", last: 23) })
        }
        return (minutePart + hourPart, false)
    }

    /// "on Sunday", "on day 13 of the month or on Friday", "on 1 January"...; nil for every day.
    private var dayWords: String? {
        let dayOfMonthRestricted = !daysOfMonth.matchesEverything
        let dayOfWeekRestricted = !daysOfWeek.matchesEverything
        if usesEitherDayRule {
            guard dayOfMonthRestricted && dayOfWeekRestricted else { return nil }
            return dayOfMonthWords + " or on " + Self.list(dayOfWeekNames)
        }
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (false, false): return nil
        case (true, false):
            if let date = singleDateOfYear {
                return "on \(date.day) \(Self.monthNames[date.month - 1])"
            }
            return dayOfMonthWords
        case (false, true): return "on " + Self.list(dayOfWeekNames)
        case (true, true): return dayOfMonthWords + " when that is a " + Self.list(dayOfWeekNames, conjunction: "or")
        }
    }

    /// "in January", "in March through May"; nil for every month or when `dayWords` names the month.
    private var monthWords: String? {
        guard !months.matchesEverything, singleDateOfYear == nil else { return nil }
        return "in " + Self.list(Self.names(of: months, Self.monthNames, offset: 1))
    }

    /// The one date a year the entry runs on (one day of the month, one month, any day of the
    /// week), which `dayWords` says as "on 1 January".
    private var singleDateOfYear: (day: Int, month: Int)? {
        guard !usesEitherDayRule, daysOfWeek.matchesEverything,
              let days = daysOfMonth.singleValues, Set(days).count == 1,
              let months = months.singleValues, Set(months).count == 1
        else { return nil }
        return (days[0], months[0])
    }

    private var dayOfMonthWords: String {
        if let days = daysOfMonth.singleValues {
            return "on day " + Self.list(Set(days).sorted().map(String.init)) + " of the month"
        }
        return "on " + Self.list(daysOfMonth.items.map { Self.itemWords($0, unit: "day", last: 31) }) + " of the month"
    }

    private var dayOfWeekNames: [String] {
        Self.names(of: daysOfWeek, Self.dayNames, offset: 0)
    }

    /// Named values of a month or day-of-week field: ranges without a step as "Monday through
    /// Friday", anything with a step spelled out value by value.
    private static func names(of field: CronField, _ names: [String], offset: Int) -> [String] {
        if field.items.contains(where: { $0.step != nil }) {
            return field.sortedValues.map { names[$0 - offset] }
        }
        var seen = Set<String>()
        return field.items.compactMap { item -> String? in
            let phrase: String
            switch item.base {
            case .star: return nil
            case .value(let value): phrase = names[value - offset]
            case .range(let start, let end):
                phrase = start == end ? names[start - offset] : names[start - offset] + " through " + names[end - offset]
            }
            return seen.insert(phrase).inserted ? phrase : nil
        }
    }

    /// One numeric list item: "minute 5", "every minute from 10 through 20", "every 2nd hour",
    /// "every 3rd day from 1 through 31".
    private static func itemWords(_ item: CronField.Item, unit: String, last: Int) -> String {
        // A step of 1 changes nothing, except after a single value: `5/1` is 5 to the end.
        let step: Int?
        switch item.base {
        case .value: step = item.step
        case .star, .range: step = item.step == 1 ? nil : item.step
        }
        return switch (item.base, step) {
        case (.star, nil): "every \(unit)"
        case (.star, let step?): "every \(ordinal(step)) \(unit)"
        case (.value(let value), nil): "\(unit) \(value)"
        case (.value(let value), 1): "every \(unit) from \(value) through \(last)"
        case (.value(let value), let step?): "every \(ordinal(step)) \(unit) from \(value) through \(last)"
        case (.range(let start, let end), nil): "every \(unit) from \(start) through \(end)"
        case (.range(let start, let end), let step?): "every \(ordinal(step)) \(unit) from \(start) through \(end)"
        }
    }

    /// "a", "a and b", "a, b and c".
    private static func list(_ parts: [String], conjunction: String = "and") -> String {
        guard let last = parts.last else { return "" }
        return parts.count == 1 ? last : parts.dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }

    /// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st...
    private static func ordinal(_ number: Int) -> String {
        let suffix = switch (number % 100, number % 10) {
        case (11...13, _): "th"
        case (_, 1): "st"
        case (_, 2): "nd"
        case (_, 3): "rd"
        default: "th"
        }
        return "\(number)\(suffix)"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
