// QueueBench: the in-process half of bench/queue. Sync, blocking calls on the main thread
// through the real `JobQueue` API (no Swift concurrency). See bench/queue.
//
//   QueueBench latency --count N --pause-ms P --out FILE   enqueue one by one, then write
//                                                        started_at - created_at (ms) per job
//     [--queue Q] [--url URL --token T]                  ... into queue Q; by POST URL (FCGIApp)
//   QueueBench wait --count N --timeout S --out FILE       `enqueue --wait` in-process: ms per job
//   QueueBench batch --count N [--chunk 5000]              enqueueBatch in one transaction
//   QueueBench watch --expect N [--timeout S] [--interval-ms 20]
//                                                        poll until N jobs succeeded
//
// DATABASE_URL names the database. Exit status: 0 ok, 1 a check failed, 2 usage.
#if canImport(Glibc)
import Glibc
#endif

exit(QueueBenchCommand.main(Array(CommandLine.arguments.dropFirst())))
