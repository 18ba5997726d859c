import Foundation
import TestSupport
import Testing
import Weather

@Suite("BulkWeatherFetcher against the fake server")
struct BulkWeatherFetcherTests {
    /// Progress calls as (done, total, city).
    typealias ProgressCall = (done: Int, total: Int, city: String)

    @Test func europeanCapitalsAreTheTwentySevenMembers() {
        #expect(EuropeanCapitals.all.count == 27)
        #expect(Set(EuropeanCapitals.all.map { $0.country ?? "" }).count == 27)
        #expect(EuropeanCapitals.all.contains(CityQuery(city: "Nicosia", country: "CY")))
        #expect(EuropeanCapitals.all.allSatisfy { (try? $0.validated()) == $0 })
    }

    @Test func capitalsPlusFailuresComeBackInOrderWithProgress() async throws {
        let base = try await fakeServerURL()
        let queries = EuropeanCapitals.all + [
            CityQuery(city: "Atlantis", country: "XX"), CityQuery(city: "Broken", country: "BB"),
            CityQuery(city: "", country: "FR"),
        ]
        let brokenBefore = try await requestCount(q: "broken,bb")
        let progress = Recorder<ProgressCall>()
        let fetcher = BulkWeatherFetcher(configuration: fakeConfiguration(base, maxRetries: 2))
        let results = await onThread {
            fetcher.fetch(queries, progress: { progress.append(($0, $1, $2)) })
        }

        try #require(results.count == queries.count)
        for (query, result) in zip(EuropeanCapitals.all, results) {
            let weather = try result.get()
            #expect(weather.city == query.city)
            #expect(weather.country == query.country)
        }
        #expect(failure(results[27]) == .cityNotFound(city: "Atlantis", country: "XX"))
        #expect(failure(results[28]) == .server(status: 500))
        #expect({ if case .badInput? = failure(results[29]) { true } else { false } }())
        #expect(try await requestCount(q: "broken,bb") == brokenBefore + 3)

        let calls = progress.values
        #expect(calls.map { $0.done } == Array(1...queries.count))
        #expect(calls.allSatisfy { $0.total == queries.count })
        #expect(calls.map { $0.city }.sorted() == queries.map { $0.city }.sorted())
    }

    @Test func cancellationMidWayLeavesTheRestCancelled() async throws {
        let base = try await fakeServerURL()
        let progress = Recorder<ProgressCall>()
        let fetcher = BulkWeatherFetcher(configuration: fakeConfiguration(base, maxParallel: 1))
        let results = await onThread {
            fetcher.fetch(
                EuropeanCapitals.all, progress: { progress.append(($0, $1, $2)) },
                isCancelled: { progress.values.count >= 5 })
        }
        try #require(results.count == 27)
        for result in results[..<5] { #expect((try? result.get()) != nil) }
        for result in results[5...] { #expect(failure(result) == .cancelled) }
        #expect(progress.values.map { $0.done } == [1, 2, 3, 4, 5])
    }

    @Test func cancellationWithParallelWorkers() async throws {
        let base = try await fakeServerURL()
        let progress = Recorder<ProgressCall>()
        let fetcher = BulkWeatherFetcher(configuration: fakeConfiguration(base, maxParallel: 3))
        let results = await onThread {
            fetcher.fetch(
                EuropeanCapitals.all, progress: { progress.append(($0, $1, $2)) },
                isCancelled: { progress.values.count >= 5 })
        }
        let finished = results.filter { (try? $0.get()) != nil }.count
        let cancelled = results.filter { failure($0) == .cancelled }.count
        #expect(finished + cancelled == 27)
        #expect(finished >= 5 && finished <= 5 + 2, "finished \(finished)")
        #expect(progress.values.count == finished)
    }

    @Test func cancellationInterruptsARetryWait() async throws {
        let base = try await fakeServerURL()
        let configuration = fakeConfiguration(base, maxRetries: 3, retryBaseDelay: .seconds(20))
        let fetcher = BulkWeatherFetcher(configuration: configuration)
        // Timed on the fetching thread: the hop back to a (possibly busy) cooperative thread
        // afterwards is not the fetch's.
        let (results, elapsed) = await onThread {
            let start = ContinuousClock.now
            let results = fetcher.fetch(
                [CityQuery(city: "Broken", country: "BC"), CityQuery(city: "Paris", country: "FR")],
                isCancelled: { ContinuousClock.now - start > .milliseconds(300) })
            return (results, ContinuousClock.now - start)
        }
        #expect(failure(results[0]) == .cancelled)
        // Far below the 20 s backoff it cut short: the wait was interrupted, not sat out.
        #expect(elapsed < .seconds(15), "elapsed \(elapsed)")
    }

    @Test func theRequestBudgetSpansTheWholeFetch() async throws {
        let base = try await fakeServerURL()
        // 10 cities at 4 per 500 ms: the 9th and 10th requests wait for the second window to end.
        let limiter = RateLimiter(limit: 4, per: .milliseconds(500), pollInterval: .milliseconds(20))
        let fetcher = BulkWeatherFetcher(configuration: fakeConfiguration(base), rateLimiter: limiter)
        let start = ContinuousClock.now
        let results = await onThread { fetcher.fetch(Array(EuropeanCapitals.all.prefix(10))) }
        let elapsed = ContinuousClock.now - start
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        #expect(elapsed >= .milliseconds(1000), "elapsed \(elapsed)")
    }

    @Test func emptyInputGivesNoResults() {
        #expect(BulkWeatherFetcher(configuration: WeatherProviderConfiguration()).fetch([]).isEmpty)
    }
}
