#!/usr/bin/env python3
"""The concurrent inserter of bench/weather-scale: writes `\\timing on`, then every INTERVAL
seconds `\\echo sent <unix time>` and one INSERT of a new search to standard output, piped into
psql, which runs each as it arrives and prints the mark and the INSERT's round trip
(`Time: ... ms`), until the file STOP exists. `samples` turns psql's output into
`<unix time> <ms>` lines.

    inserter.py STOP INTERVAL | psql -X -q -At "$DATABASE_URL" >OUT
    inserter.py samples OUT >>SAMPLES
"""
import os
import random
import sys
import time


def samples(path):
    sent = None
    for line in open(path):
        if line.startswith("sent "):
            sent = line.split()[1]
        elif line.startswith("Time: ") and sent is not None:
            print(sent, line.split()[1])
            sent = None


def main():
    if sys.argv[1] == "samples":
        samples(sys.argv[2])
        return
    stop, interval = sys.argv[1], float(sys.argv[2])
    rng = random.Random(7)
    out = sys.stdout
    out.write("\\timing on\n")
    out.flush()
    deadline = time.monotonic()
    n = 0
    while not os.path.exists(stop):
        temperature = rng.uniform(-10, 35)
        out.write(f"\\echo sent {time.time():.6f}\n")
        out.write(
            "INSERT INTO weather_searches (city, country, latitude, longitude, temperature, feels_like, temp_min, "
            "temp_max, humidity, pressure, wind_speed, wind_direction, cloudiness, condition_code, condition_main, "
            "condition_description, observed_at) VALUES ("
            f"'Bench {n % 50}', 'ZZ', 48.85, 2.35, {temperature:.2f}, {temperature - 1:.2f}, {temperature - 2:.2f}, "
            f"{temperature + 2:.2f}, {rng.randint(20, 100)}, {rng.randint(990, 1030)}, {rng.uniform(0, 15):.1f}, "
            f"{rng.randint(0, 359)}, {rng.randint(0, 100)}, 800, 'Clear', 'clear sky', now());\n")
        out.flush()
        n += 1
        deadline += interval
        pause = deadline - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        else:
            deadline = time.monotonic()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
