#!/usr/bin/env python3
"""Local fake HTTP server for tests: generic test routes plus a fake of
OpenWeather's current-weather API (GET /data/2.5/weather).

Python 3.11 standard library only.

Usage:
    python3 tools/fake-openweather/server.py --port 0 [--parent-pid PID] [--verbose]

Binds 127.0.0.1, prints exactly one line "PORT <n>" on stdout once listening,
then serves until killed (SIGTERM exits 0) or, with --parent-pid, until that
process is gone.

Test routes (any method; HEAD answers the same headers without a body):
    /status/<code>  that status, body "status <code>"
    /delay/<ms>     sleeps <ms> milliseconds (capped at 60 s), then 200 "slow"
    /echo           200, JSON {"method", "path", "query", "headers", "body",
                    "remote_port"}; header names lowercased, body as text
    /headers        200 with "X-Test: yes", "Retry-After: 7" and two
                    "X-Multi" headers ("first", then "last")
    /large/<bytes>  200 with that many bytes of "x" (capped at 256 MiB);
                    with ?chunked=1 sent chunked, without Content-Length

OpenWeather route:
    GET /data/2.5/weather?q=City[,CC]&appid=KEY[&units=metric|imperial|standard]
    appid missing or "bad" -> 401; unknown city -> 404; "Ratelimited" -> 429
    with Retry-After: 2; "Broken" -> 500; "Slow" -> answers after 10 s;
    "Garbage" -> 200 with a non-JSON body; known cities -> 200 with the
    current-weather JSON shape. City names match case-insensitively; the
    country code, if given, is ignored.

Request counting (for tests that check retries):
    GET  /__stats   200, JSON {"paths": {path: count}, "queries": {q: count}}:
                    requests per path, and weather requests per lowercased
                    "q" parameter (so parallel tests can use distinct keys)
    POST /__reset   zeroes the counts; 200 {"reset": true}
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_DELAY_MS = 60_000
MAX_LARGE_BYTES = 256 << 20
SLOW_CITY_SECONDS = 10

# name: (id, country, lon, lat, timezone offset s, temp C, feels_like C,
#        pressure hPa, humidity %, wind m/s, wind deg, clouds %, visibility m,
#        weather id, sunrise UTC s-of-day, sunset UTC s-of-day)
CITIES = {
    "Paris": (2988507, "FR", 2.3488, 48.8534, 3600, 18.4, 17.9, 1016, 62, 4.1, 240, 40, 10000, 802, 20400, 70200),
    "Berlin": (2950159, "DE", 13.4105, 52.5244, 3600, 16.2, 15.6, 1014, 67, 5.1, 270, 75, 10000, 803, 16800, 68400),
    "London": (2643743, "GB", -0.1257, 51.5085, 0, 14.8, 14.3, 1012, 78, 6.2, 220, 90, 9000, 804, 19800, 71400),
    "Madrid": (3117735, "ES", -3.7026, 40.4165, 3600, 24.6, 24.1, 1019, 35, 2.6, 200, 0, 10000, 800, 22200, 72600),
    "Rome": (3169070, "IT", 12.4839, 41.8947, 3600, 22.3, 22.1, 1018, 55, 3.1, 180, 20, 10000, 801, 18600, 68400),
    "Lisbon": (2267057, "PT", -9.1333, 38.7167, 0, 21.1, 20.9, 1020, 60, 5.7, 330, 10, 10000, 800, 23400, 74400),
    "Amsterdam": (2759794, "NL", 4.8897, 52.374, 3600, 15.3, 14.9, 1013, 80, 6.7, 250, 75, 9000, 500, 18600, 70200),
    "Brussels": (2800866, "BE", 4.3488, 50.8504, 3600, 15.9, 15.4, 1014, 75, 4.6, 240, 75, 10000, 803, 19200, 70200),
    "Vienna": (2761369, "AT", 16.3721, 48.2085, 3600, 19.2, 18.8, 1015, 58, 3.6, 300, 20, 10000, 801, 16200, 66600),
    "Bern": (2661552, "CH", 7.4474, 46.9481, 3600, 17.0, 16.5, 1017, 64, 2.1, 90, 40, 10000, 802, 18600, 68400),
    "Dublin": (2964574, "IE", -6.2489, 53.344, 0, 13.2, 12.6, 1009, 82, 7.2, 230, 90, 8000, 520, 21000, 73800),
    "Copenhagen": (2618425, "DK", 12.5655, 55.6759, 3600, 14.1, 13.5, 1011, 76, 6.1, 260, 75, 10000, 803, 15600, 70200),
    "Stockholm": (2673730, "SE", 18.0649, 59.3326, 3600, 13.4, 12.6, 1010, 70, 4.1, 280, 40, 10000, 802, 12600, 70800),
    "Oslo": (3143244, "NO", 10.7461, 59.9127, 3600, 12.1, 11.2, 1008, 72, 3.6, 190, 75, 10000, 803, 13800, 72000),
    "Helsinki": (658225, "FI", 24.9355, 60.1695, 7200, 11.8, 10.9, 1009, 74, 4.6, 210, 90, 10000, 804, 10200, 68400),
    "Warsaw": (756135, "PL", 21.0118, 52.2298, 3600, 17.5, 17.0, 1016, 60, 3.1, 270, 20, 10000, 801, 14400, 66000),
    "Prague": (3067696, "CZ", 14.4208, 50.088, 3600, 16.8, 16.3, 1015, 63, 2.6, 250, 40, 10000, 802, 16200, 67200),
    "Budapest": (3054643, "HU", 19.0399, 47.498, 3600, 20.4, 20.1, 1017, 52, 2.1, 320, 0, 10000, 800, 15000, 65400),
    "Athens": (264371, "GR", 23.7162, 37.9795, 7200, 27.9, 27.6, 1013, 40, 4.6, 20, 0, 10000, 800, 14400, 63600),
    "Bucharest": (683506, "RO", 26.1063, 44.4323, 7200, 22.0, 21.7, 1016, 50, 2.6, 90, 10, 10000, 800, 12600, 63000),
    "Sofia": (727011, "BG", 23.3242, 42.6975, 7200, 19.6, 19.1, 1018, 55, 1.5, 110, 20, 10000, 801, 13800, 63600),
    "Zagreb": (3186886, "HR", 15.978, 45.8144, 3600, 20.9, 20.6, 1016, 57, 1.0, 45, 20, 10000, 801, 16200, 66000),
    "Ljubljana": (3196359, "SI", 14.5051, 46.0511, 3600, 18.7, 18.3, 1017, 65, 1.5, 60, 40, 10000, 802, 16800, 66600),
    "Bratislava": (3060972, "SK", 17.1067, 48.1482, 3600, 19.8, 19.4, 1016, 56, 3.1, 300, 20, 10000, 801, 15600, 66600),
    "Tallinn": (588409, "EE", 24.7535, 59.437, 7200, 11.3, 10.2, 1010, 79, 5.1, 240, 75, 10000, 803, 10800, 69000),
    "Riga": (456172, "LV", 24.1059, 56.946, 7200, 12.6, 11.8, 1011, 77, 4.1, 230, 75, 10000, 803, 11400, 68400),
    "Vilnius": (593116, "LT", 25.2798, 54.6892, 7200, 13.5, 12.8, 1012, 71, 3.6, 250, 40, 10000, 802, 11400, 67200),
    "Luxembourg": (2960316, "LU", 6.13, 49.6117, 3600, 15.6, 15.1, 1014, 72, 3.1, 230, 75, 10000, 803, 18600, 69600),
    "Reykjavik": (3413829, "IS", -21.8954, 64.1355, 0, 8.2, 5.9, 1004, 81, 8.7, 160, 90, 10000, 804, 18000, 84600),
    "Valletta": (2562305, "MT", 14.5147, 35.8997, 3600, 25.8, 26.1, 1015, 65, 5.7, 300, 0, 10000, 800, 16800, 66000),
    "Nicosia": (146268, "CY", 33.3667, 35.1667, 7200, 29.4, 28.9, 1012, 38, 3.6, 280, 0, 10000, 800, 12600, 61200),
    "São Paulo": (3448439, "BR", -46.6361, -23.5475, -10800, 23.7, 23.9, 1017, 73, 3.1, 140, 40, 10000, 802, 33600, 75600),
    "Hottown": (9900001, "ES", -5.9845, 37.3891, 3600, 38.0, 39.6, 1010, 18, 2.1, 150, 0, 10000, 800, 21600, 72000),
    "Coldville": (9900002, "FI", 25.7482, 66.5039, 7200, -15.0, -21.3, 1028, 85, 3.1, 10, 20, 10000, 600, 32400, 48600),
    "Windy": (9900003, "GB", -3.1883, 55.9533, 0, 11.0, 7.4, 998, 76, 22.0, 250, 90, 10000, 804, 20400, 73800),
    "Stormy": (9900004, "DE", 8.6821, 50.1109, 3600, 19.0, 19.2, 1002, 88, 9.3, 210, 100, 4000, 211, 18600, 70200),
    "Slow": (9900005, "FR", 4.8357, 45.764, 3600, 17.0, 16.7, 1015, 60, 2.6, 180, 40, 10000, 802, 19200, 69000),
}
_CITY_INDEX = {name.lower(): name for name in CITIES}

_STATS_LOCK = threading.Lock()
_PATH_COUNTS = {}
_QUERY_COUNTS = {}

WEATHER = {
    211: ("Thunderstorm", "thunderstorm", "11"),
    500: ("Rain", "light rain", "10"),
    520: ("Rain", "light intensity shower rain", "09"),
    600: ("Snow", "light snow", "13"),
    800: ("Clear", "clear sky", "01"),
    801: ("Clouds", "few clouds", "02"),
    802: ("Clouds", "scattered clouds", "03"),
    803: ("Clouds", "broken clouds", "04"),
    804: ("Clouds", "overcast clouds", "04"),
}

INVALID_KEY = {
    "cod": 401,
    "message": "Invalid API key. Please see https://openweathermap.org/faq#error401 for more info.",
}
RATE_LIMITED = {
    "cod": 429,
    "message": "Your account is temporary blocked due to exceeding of requests limitation of your "
    "subscription type. Please choose the proper subscription https://openweathermap.org/price",
}


def convert_temperature(celsius, units):
    if units == "metric":
        return round(celsius, 2)
    if units == "imperial":
        return round(celsius * 9 / 5 + 32, 2)
    return round(celsius + 273.15, 2)


def convert_speed(meters_per_second, units):
    if units == "imperial":
        return round(meters_per_second * 2.23694, 2)
    return meters_per_second


def current_weather(name, units):
    (city_id, country, lon, lat, tz, temp, feels, pressure, humidity, wind, deg,
     clouds, visibility, weather_id, sunrise, sunset) = CITIES[name]
    now = int(time.time())
    midnight = now - now % 86400
    main, description, icon = WEATHER[weather_id]
    icon += "d" if sunrise <= (now % 86400) < sunset else "n"
    return {
        "coord": {"lon": lon, "lat": lat},
        "weather": [{"id": weather_id, "main": main, "description": description, "icon": icon}],
        "base": "stations",
        "main": {
            "temp": convert_temperature(temp, units),
            "feels_like": convert_temperature(feels, units),
            "temp_min": convert_temperature(temp - 1.2, units),
            "temp_max": convert_temperature(temp + 1.1, units),
            "pressure": pressure,
            "humidity": humidity,
            "sea_level": pressure,
            "grnd_level": pressure - 6,
        },
        "visibility": visibility,
        "wind": {"speed": convert_speed(wind, units), "deg": deg},
        "clouds": {"all": clouds},
        "dt": now,
        "sys": {"country": country, "sunrise": midnight + sunrise, "sunset": midnight + sunset},
        "timezone": tz,
        "id": city_id,
        "name": name,
        "cod": 200,
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every answer carries Content-Length
    server_version = "fake-openweather/1.0"
    verbose = False

    # Quiet unless --verbose.
    def log_message(self, format, *args):
        if self.verbose:
            super().log_message(format, *args)

    # Answer "Expect: 100-continue" with an interim response that carries a
    # header, so clients can check they ignore interim headers.
    def handle_expect_100(self):
        self.send_response_only(100)
        self.send_header("X-Interim", "yes")
        self.end_headers()
        return True

    def do_GET(self):
        self.dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    # Request handling.

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def dispatch(self):
        body = self.read_body()
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        if url.path == "/__stats":
            with _STATS_LOCK:
                payload = {"paths": dict(_PATH_COUNTS), "queries": dict(_QUERY_COUNTS)}
            return self.reply_json(200, payload)
        if url.path == "/__reset" and self.command == "POST":
            with _STATS_LOCK:
                _PATH_COUNTS.clear()
                _QUERY_COUNTS.clear()
            return self.reply_json(200, {"reset": True})
        with _STATS_LOCK:
            _PATH_COUNTS[url.path] = _PATH_COUNTS.get(url.path, 0) + 1
            if url.path == "/data/2.5/weather":
                q = parse_qs(url.query, keep_blank_values=True).get("q", [""])[-1].strip().lower()
                _QUERY_COUNTS[q] = _QUERY_COUNTS.get(q, 0) + 1
        try:
            if url.path == "/data/2.5/weather":
                return self.openweather(url.query)
            if len(parts) == 2 and parts[0] == "status":
                return self.route_status(parts[1])
            if len(parts) == 2 and parts[0] == "delay":
                time.sleep(min(max(int(parts[1]), 0), MAX_DELAY_MS) / 1000)
                return self.reply(200, b"slow")
            if url.path == "/echo":
                return self.route_echo(url, body)
            if url.path == "/headers":
                return self.reply(200, b"headers", extra=[
                    ("X-Test", "yes"), ("Retry-After", "7"), ("X-Multi", "first"), ("X-Multi", "last"),
                ])
            if len(parts) == 2 and parts[0] == "large":
                chunked = parse_qs(url.query).get("chunked", ["0"])[-1] == "1"
                return self.route_large(int(parts[1]), chunked)
        except ValueError:
            return self.reply(400, b"bad request")
        return self.reply(404, b"not found")

    def route_status(self, text):
        code = int(text)
        if not 200 <= code <= 599:
            return self.reply(400, b"status must be 200...599")
        return self.reply(code, f"status {code}".encode())

    def route_echo(self, url, body):
        payload = {
            "method": self.command,
            "path": url.path,
            "query": url.query,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": body.decode("utf-8", errors="replace"),
            "remote_port": self.client_address[1],
        }
        return self.reply_json(200, payload)

    def route_large(self, count, chunked):
        count = min(max(count, 0), MAX_LARGE_BYTES)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(count))
        self.end_headers()
        if self.command == "HEAD":
            return
        chunk = b"x" * 65536
        remaining = count
        while remaining > 0:
            piece = chunk if remaining >= len(chunk) else chunk[:remaining]
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            remaining -= len(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def openweather(self, query):
        if self.command not in ("GET", "HEAD"):
            return self.reply_json(405, {"cod": "405", "message": "method not allowed"})
        params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        appid = params.get("appid", "")
        if appid in ("", "bad"):
            return self.reply_json(401, INVALID_KEY)
        q = params.get("q", "").strip()
        if not q:
            return self.reply_json(400, {"cod": "400", "message": "Nothing to geocode"})
        city = q.split(",")[0].strip().lower()
        units = params.get("units", "standard")
        if city == "ratelimited":
            return self.reply_json(429, RATE_LIMITED, extra=[("Retry-After", "2")])
        if city == "broken":
            return self.reply_json(500, {"cod": 500, "message": "Internal server error"})
        if city == "garbage":
            return self.reply(200, b"<html><body>upstream hiccup</body></html>",
                              content_type="text/html; charset=utf-8")
        name = _CITY_INDEX.get(city)
        if name is None:
            return self.reply_json(404, {"cod": "404", "message": "city not found"})
        if name == "Slow":
            time.sleep(SLOW_CITY_SECONDS)
        return self.reply_json(200, current_weather(name, units))

    # Responses.

    def reply_json(self, status, payload, extra=()):
        data = json.dumps(payload).encode()
        self.reply(status, data, extra=extra, content_type="application/json; charset=utf-8")

    def reply(self, status, data, extra=(), content_type="text/plain; charset=utf-8"):
        no_body = status in (204, 304)
        self.send_response(status)
        for name, value in extra:
            self.send_header(name, value)
        if not no_body:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD" and not no_body:
            self.wfile.write(data)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # Parallel test suites connect in bursts; the default backlog of 5 drops connections, which a
    # client with a short timeout then never gets through.
    request_queue_size = 512
    allow_reuse_address = True
    verbose = False

    def handle_error(self, request, client_address):
        # Clients that time out close their end mid-answer; stay quiet.
        if self.verbose:
            super().handle_error(request, client_address)


def watch_parent(parent_pid):
    """Exit when the process that started us is gone (no orphans)."""
    original_ppid = os.getppid()
    while True:
        time.sleep(0.5)
        if os.getppid() != original_ppid:
            os._exit(0)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--parent-pid", type=int, default=None,
                        help="exit when this process (normally the caller) is gone")
    parser.add_argument("--verbose", action="store_true", help="log requests and errors to stderr")
    args = parser.parse_args(argv)

    Handler.verbose = args.verbose
    Server.verbose = args.verbose
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    server = Server(("127.0.0.1", args.port), Handler)
    if args.parent_pid is not None:
        threading.Thread(target=watch_parent, args=(args.parent_pid,), daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
