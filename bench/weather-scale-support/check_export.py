#!/usr/bin/env python3
"""Checks an export of bench/weather-scale against the ceiling's file of the same rows.

    check_export.py csv OURS CEILING ROWS    RFC 4180: every line ends with CRLF (the generated
                                             data has no line break inside a field), the records
                                             parse strictly and equal the ceiling's (psql \\copy
                                             csv header), header + ROWS records.
    check_export.py json OURS CEILING ROWS   one JSON document: `[`, one object per line separated
                                             by `,`, `]`; each object equals the ceiling's line
                                             (row_to_json through psql \\copy), ROWS of them; the
                                             whole document parses when it is small, else every
                                             1000th object does.
Prints one line and exits 0 when all holds, else says what does not and exits 1.
"""
import csv
import itertools
import json
import os
import sys

FULL_PARSE_LIMIT = 256 << 20


def fail(message):
    print(f"check_export: {message}")
    sys.exit(1)


def check_csv(ours, ceiling, rows):
    with open(ours, "rb") as f:
        for number, line in enumerate(f, 1):
            if not line.endswith(b"\r\n"):
                fail(f"{ours}: line {number} does not end with CRLF")
    count = 0
    with open(ours, newline="", encoding="utf-8") as a, open(ceiling, newline="", encoding="utf-8") as b:
        for x, y in itertools.zip_longest(csv.reader(a, strict=True), csv.reader(b, strict=True)):
            if x != y:
                fail(f"record {count} differs from the ceiling's: {x!r} against {y!r}")
            count += 1
    if count != rows + 1:
        fail(f"{count} records (header included), expected {rows + 1}")
    print(f"csv ok: header + {rows} records, CRLF, equal to the ceiling's")


def check_json(ours, ceiling, rows):
    if os.path.getsize(ours) <= FULL_PARSE_LIMIT:
        with open(ours, encoding="utf-8") as f:
            document = json.load(f)
        if not isinstance(document, list) or len(document) != rows or not all(isinstance(o, dict) for o in document):
            fail(f"the document is not an array of {rows} objects")
    count = 0
    ended = False
    with open(ours, "rb") as a, open(ceiling, "rb") as b:
        if a.readline() != b"[\n":
            fail("the document does not start with '[' on a line of its own")
        for line in a:
            if line == b"]\n":
                ended = True
                break
            body = line.rstrip(b"\n")
            if body.endswith(b","):
                body = body[:-1]
            reference = b.readline().rstrip(b"\n")
            if body != reference:
                fail(f"object {count} differs from the ceiling's: {body[:200]!r} against {reference[:200]!r}")
            if count % 1000 == 0 and not isinstance(json.loads(body), dict):
                fail(f"object {count} is not a JSON object")
            count += 1
        if not ended or a.read() != b"" or b.readline() != b"":
            fail("the document does not end with ']' after the last object, or the ceiling has more rows")
    if count != rows:
        fail(f"{count} objects, expected {rows}")
    print(f"json ok: an array of {rows} objects, one per line, equal to the ceiling's")


def main():
    kind, ours, ceiling, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    {"csv": check_csv, "json": check_json}[kind](ours, ceiling, rows)


if __name__ == "__main__":
    main()
