// The FastCGI responder. All wiring lives in FCGIAppMain (a nonisolated context: threads
// started from top-level code here would be inferred @MainActor).
FCGIAppMain.run()
