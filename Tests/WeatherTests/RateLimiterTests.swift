import Foundation
import TestSupport
import Testing
import Weather

/// A clock whose sleeps only move time forward, and record themselves.
final class FakeClock: MonotonicClock, @unchecked Sendable {
    private let lock = NSLock()
    private var time: Duration = .zero
    private var recorded: [Duration] = []

    func now() -> Duration { lock.withLock { time } }
    func sleep(for duration: Duration) {
        lock.withLock {
            recorded.append(duration)
            if duration > .zero { time += duration }
        }
    }
    func advance(_ duration: Duration) { lock.withLock { time += duration } }
    var sleeps: [Duration] { lock.withLock { recorded } }
}

@Suite("RateLimiter")
struct RateLimiterTests {
    @Test func budgetIsRespectedAndTheNextRequestWaits() {
        let clock = FakeClock()
        let limiter = RateLimiter(limit: 3, per: .seconds(60), clock: clock, pollInterval: .seconds(3600))
        for _ in 0..<3 { #expect(limiter.acquire()) }
        #expect(clock.sleeps.isEmpty)
        #expect(clock.now() == .zero)
        #expect(limiter.acquire())  // the 4th waits for the first grant to leave the window
        #expect(clock.sleeps == [.seconds(60)])
        #expect(clock.now() == .seconds(60))
    }

    @Test func windowSlides() {
        let clock = FakeClock()
        let limiter = RateLimiter(limit: 3, per: .seconds(60), clock: clock, pollInterval: .seconds(3600))
        #expect(limiter.tryAcquire() == .zero)  // t = 0
        clock.advance(.seconds(10))
        #expect(limiter.tryAcquire() == .zero)  // t = 10
        clock.advance(.seconds(10))
        #expect(limiter.tryAcquire() == .zero)  // t = 20
        clock.advance(.seconds(5))
        #expect(limiter.tryAcquire() == .seconds(35))  // full until t = 60
        #expect(limiter.acquire())
        #expect(clock.now() == .seconds(60))
        #expect(limiter.tryAcquire() == .seconds(10))  // next slot at t = 70
    }

    @Test func waitingIsSlicedAndCancellable() {
        let clock = FakeClock()
        let limiter = RateLimiter(limit: 1, per: .seconds(60), clock: clock, pollInterval: .seconds(1))
        #expect(limiter.acquire())
        #expect(limiter.acquire())  // waited in 1 s slices
        #expect(clock.sleeps.count == 60)
        #expect(clock.now() == .seconds(60))

        #expect(!limiter.acquire(isCancelled: { clock.now() >= .seconds(65) }))  // gave up, no grant
        #expect(clock.now() == .seconds(65))
        #expect(limiter.tryAcquire() == .seconds(55))
    }

    @Test func parallelThreadsShareTheBudget() async {
        // 20 grants from 4 threads at 5 per 300 ms: the last 5 cannot come before 900 ms.
        let times = await onThread { () -> [Duration] in
            let limiter = RateLimiter(limit: 5, per: .milliseconds(300), pollInterval: .milliseconds(20))
            let clock = SystemClock()
            let start = clock.now()
            let grants = Recorder<Duration>()
            let done = DispatchGroup()
            for _ in 0..<4 {
                done.enter()
                Thread {
                    for _ in 0..<5 {
                        limiter.acquire()
                        grants.append(clock.now() - start)
                    }
                    done.leave()
                }.start()
            }
            done.wait()
            return grants.values.sorted()
        }
        #expect(times.count == 20)
        // Real clock: only the lower bound is a fact about the limiter; how soon after it the
        // grants come depends on the machine's load (the fake-clock tests pin exact times).
        #expect(times[19] >= .milliseconds(900), "\(times)")
    }
}
