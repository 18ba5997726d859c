import Testing

@testable import Scheduling

/// `words`: the schedule in English for the admin.
@Suite("Cron expression words")
struct CronWordsTests {
    @Test(arguments: [
        // The product's seven schedules.
        ("0 2 * * *", "at 02:00 every day"),
        ("0 6 * * *", "at 06:00 every day"),
        ("0 */2 * * *", "at minute 0 past every 2nd hour"),
        ("0 3 * * 0", "at 03:00 on Sunday"),
        ("0 7 * * 1", "at 07:00 on Monday"),
        ("*/15 * * * *", "every 15 minutes"),
        ("0 8 * * *", "at 08:00 every day"),
    ])
    func productSchedules(expression: String, words: String) throws {
        #expect(try CronExpression(expression).words == words)
    }

    @Test(arguments: [
        ("* * * * *", "every minute"),
        ("*/1 * * * *", "every minute"),
        ("*/5 * * * *", "every 5 minutes"),
        ("*/7 * * * *", "every 7th minute"),
        ("*/30 * * * *", "every 30 minutes"),
        ("5 * * * *", "at minute 5 past every hour"),
        ("0,30 * * * *", "at minute 0 and 30 past every hour"),
        ("0 9,17 * * *", "at 09:00 and 17:00 every day"),
        ("15 3 * * 7", "at 03:15 on Sunday"),
        ("0 0 * * 0,7", "at 00:00 on Sunday"),
        ("30 9 * * mon-fri", "at 09:30 on Monday through Friday"),
        ("15 3 * * 5-7", "at 03:15 on Friday through Sunday"),
        ("0 22 * * 1,3,5", "at 22:00 on Monday, Wednesday and Friday"),
        ("0 0 13 * fri", "at 00:00 on day 13 of the month or on Friday"),
        ("0 0 1,15 * *", "at 00:00 on day 1 and 15 of the month"),
        ("0 0 1-31 * mon", "at 00:00 every day"),
        ("0 0 */2 * mon", "at 00:00 on every 2nd day of the month when that is a Monday"),
        ("0 12 * jan,jul *", "at 12:00 every day in January and July"),
        ("0 12 1 */3 *", "at 12:00 on day 1 of the month in January, April, July and October"),
        ("0 0 29 2 *", "at 00:00 on 29 February"),
        ("0 9-17 * * *", "at minute 0 past every hour from 9 through 17"),
        ("0 9-17/4 * * *", "at minute 0 past every 4th hour from 9 through 17"),
        ("*/10 9 * * *", "every 10 minutes past hour 9"),
        ("*/10 9,21 * * *", "every 10 minutes past hour 9 and 21"),
        ("0 20/1 * * *", "at minute 0 past every hour from 20 through 23"),
        ("10-20 * * * *", "every minute from 10 through 20"),
        ("0,10-20/5 3 * * *", "at minute 0 and every 5th minute from 10 through 20 past hour 3"),
        ("0 0 * mar-may sat", "at 00:00 on Saturday in March through May"),
        ("0 1,2,3,4,5,6,7 * * *", "at minute 0 past hour 1, 2, 3, 4, 5, 6 and 7"),
        ("@yearly", "at 00:00 on 1 January"),
        ("@annually", "at 00:00 on 1 January"),
        ("@monthly", "at 00:00 on day 1 of the month"),
        ("@weekly", "at 00:00 on Sunday"),
        ("@daily", "at 00:00 every day"),
        ("@midnight", "at 00:00 every day"),
        ("@hourly", "at minute 0 past every hour"),
    ])
    func otherSchedules(expression: String, words: String) throws {
        #expect(try CronExpression(expression).words == words)
    }
}
