import Testing
@testable import Web

/// The page cache's rules without a database: nothing is served or stored unless a listener is
/// live, and every change, reconnect or loss drops the pages and voids older tickets.
@Suite("SearchPageCache")
struct SearchPageCacheTests {
    let page: [UInt8] = Array(#"{"items":[],"next_before":null}"#.utf8)

    @Test("serves nothing until the listener is live")
    func notLive() {
        let cache = SearchPageCache()
        #expect(cache.ticket() == nil)
        #expect(cache.value("k") == nil)
        cache.listening(true)
        let ticket = try! #require(cache.ticket())
        cache.store(page, for: "k", ticket: ticket)
        #expect(cache.value("k") == page)
        #expect(cache.value("other") == nil)
        #expect(cache.counts.hits == 1 && cache.counts.misses == 2)
    }

    @Test("a change drops the pages and voids tickets taken before it")
    func changeVoidsTickets() throws {
        let cache = SearchPageCache()
        cache.listening(true)
        cache.store(page, for: "k", ticket: try #require(cache.ticket()))
        let early = try #require(cache.ticket())
        cache.changed()
        #expect(cache.value("k") == nil)
        cache.store(page, for: "k", ticket: early)
        #expect(cache.value("k") == nil, "a page read before the change must not be stored")
        cache.store(page, for: "k", ticket: try #require(cache.ticket()))
        #expect(cache.value("k") == page)
    }

    @Test("losing the listener drops the pages and stops serving; a reconnect voids older tickets")
    func listenerLoss() throws {
        let cache = SearchPageCache()
        cache.listening(true)
        cache.store(page, for: "k", ticket: try #require(cache.ticket()))
        let early = try #require(cache.ticket())
        cache.listening(false)
        #expect(cache.value("k") == nil)
        #expect(cache.ticket() == nil)
        cache.listening(true)
        cache.store(page, for: "k", ticket: early)
        #expect(cache.value("k") == nil)
    }

    @Test("at capacity, filling starts again; capacity 0 is off")
    func capacity() throws {
        let cache = SearchPageCache(capacity: 2)
        cache.listening(true)
        for key in ["a", "b"] { cache.store(page, for: key, ticket: try #require(cache.ticket())) }
        #expect(cache.value("a") != nil && cache.value("b") != nil)
        cache.store(page, for: "a", ticket: try #require(cache.ticket()))
        #expect(cache.value("b") != nil, "replacing a stored key does not empty the cache")
        cache.store(page, for: "c", ticket: try #require(cache.ticket()))
        #expect(cache.value("c") != nil && cache.value("a") == nil && cache.value("b") == nil)
        let off = SearchPageCache(capacity: 0)
        off.listening(true)
        #expect(off.ticket() == nil && off.value("a") == nil)
    }
}

@Suite("Query parameters and cursors")
struct QueryParameterRuleTests {
    @Test("left out is nil; given empty is a 400 naming the parameter")
    func emptyIsRefused() throws {
        let query = QueryParameters(["city": "Paris", "limit": ""])
        #expect(try query.optional("city") == "Paris")
        #expect(try query.optional("before") == nil)
        #expect(throws: APIError.self) { try query.optional("limit") }
        do {
            _ = try ListPaging(query)
            Issue.record("an empty limit was accepted")
        } catch let error as APIError {
            #expect(error.status == 400 && error.message.hasPrefix("limit:"))
        }
        let defaults = try ListPaging(QueryParameters([:]))
        #expect(defaults.limit == 20 && defaults.before == nil)
        let given = try ListPaging(QueryParameters(["limit": "100", "before": "7"]))
        #expect(given.limit == 100 && given.before == 7)
    }

    @Test("statistics cursors: CITY,COUNTRY split at the last comma")
    func statisticsCursor() {
        #expect(StatisticsCursor("Paris,FR") == StatisticsCursor(city: "Paris", country: "FR"))
        #expect(StatisticsCursor("Washington, D.C.,US") == StatisticsCursor(city: "Washington, D.C.", country: "US"))
        #expect(StatisticsCursor("Nowhere,") == StatisticsCursor(city: "Nowhere", country: ""))
        #expect(StatisticsCursor("Paris") == nil)
        #expect(StatisticsCursor("A,\u{1F3FB}x") == StatisticsCursor(city: "A", country: "\u{1F3FB}x"), "a modifier after the comma")
        #expect(StatisticsCursor(",FR") == nil)
        let cursor = StatisticsCursor(city: "A, B", country: "CC")
        #expect(StatisticsCursor(cursor.text) == cursor)
    }
}
