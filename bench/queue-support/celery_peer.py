"""bench/queue's Celery client. Prints one line of results per command; exits non-zero when a
check fails.

  celery_peer.py warmup                      one task end to end (creates the result tables)
  celery_peer.py clear                       empty the result table and the broker queue
  celery_peer.py send N                      N apply_async calls, no worker needed; prints "N seconds"
  celery_peer.py watch N [INTERVAL_MS]       print "ready", poll the backend until N results are
                                             in, print "done EPOCH first_start last_done"
  celery_peer.py latency N PAUSE_MS OUT      sequential sends with pauses; start - send (ms) per task
  celery_peer.py get N INTERVAL_S OUT        sequential delay().get(interval=INTERVAL_S) (ms) per task
"""
import calendar
import json
import os
import sys
import time

import psycopg2

from celery_app import app, noop

PG_DSN = os.environ["PEER_DATABASE_URL"]


def write(path, samples):
    with open(path, "w") as f:
        f.write("".join(f"{s}\n" for s in samples))


def result_rows(cursor):
    cursor.execute("SELECT status, result, date_done FROM celery_taskmeta")
    return cursor.fetchall()


def main(argv):
    cmd = argv[1]
    if cmd == "warmup":
        value = noop.delay().get(timeout=60)
        if not isinstance(value, float):
            sys.exit(f"warm-up task returned {value!r}")
        print("ok")
    elif cmd == "clear":
        with psycopg2.connect(PG_DSN) as conn, conn.cursor() as cur:
            cur.execute("TRUNCATE celery_taskmeta")
        app.control.purge()
        print("ok")
    elif cmd == "send":
        n = int(argv[2])
        start = time.perf_counter()
        for _ in range(n):
            noop.apply_async()
        elapsed = time.perf_counter() - start
        print(f"{n} {elapsed}")
    elif cmd == "watch":
        n = int(argv[2])
        interval = int(argv[3]) / 1000 if len(argv) > 3 else 0.02
        conn = psycopg2.connect(PG_DSN)
        conn.autocommit = True
        cur = conn.cursor()
        print("ready", flush=True)
        deadline = time.time() + 600
        while True:
            cur.execute("SELECT count(*) FROM celery_taskmeta WHERE status = 'SUCCESS'")
            done = cur.fetchone()[0]
            if done >= n:
                break
            if time.time() > deadline:
                sys.exit(f"only {done} of {n} results after 600 s")
            time.sleep(interval)
        seen = time.time()
        rows = result_rows(cur)
        starts = [json.loads(bytes(r[1])) for r in rows if r[0] == "SUCCESS"]
        # date_done is naive UTC.
        last = max(calendar.timegm(r[2].utctimetuple()) + r[2].microsecond / 1e6 for r in rows)
        if len(starts) != n:
            sys.exit(f"{len(starts)} results, expected {n}")
        print(f"done {seen} {min(starts)} {last}")
    elif cmd == "latency":
        n, pause, out = int(argv[2]), int(argv[3]) / 1000, argv[4]
        sent = []
        for _ in range(n):
            t = time.time()
            sent.append((t, noop.apply_async()))
            time.sleep(pause)
        write(out, [(r.get(timeout=60, interval=0.05) - t) * 1000 for t, r in sent])
    elif cmd == "get":
        n, interval, out = int(argv[2]), float(argv[3]), argv[4]
        samples = []
        for _ in range(n):
            t = time.perf_counter()
            value = noop.delay().get(timeout=10, interval=interval)
            samples.append((time.perf_counter() - t) * 1000)
            if not isinstance(value, float):
                sys.exit(f"task returned {value!r}")
        write(out, samples)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
