#!/usr/bin/python3
"""Local notification sink for tests: a real SMTP server (aiosmtpd) and a
webhook receiver (HTTP), both recording everything they receive.

Needs aiosmtpd (Debian: python3-aiosmtpd, for /usr/bin/python3).

Usage:
    /usr/bin/python3 tools/fake-notify/server.py [--smtp-port 0] [--http-port 0]
        [--parent-pid PID] [--verbose]

Binds 127.0.0.1, prints exactly one line
"SMTP <port> HTTP <port> STARTTLS <port> CA <path>" on stdout once all
listen, then serves until killed (SIGTERM exits 0) or, with --parent-pid,
until that process is gone. STARTTLS is a second SMTP server that requires
STARTTLS, with a self-signed certificate for 127.0.0.1 made at start with the
openssl command (CA is that certificate, to verify it with); without openssl
it prints "STARTTLS 0 CA -".

SMTP (EHLO, AUTH PLAIN/LOGIN without TLS, SMTPUTF8, 8BITMIME):
    - AUTH succeeds for user "alerts" with password "s3cret"; any other
      credentials get 535. AUTH is optional: mail without it is accepted.
    - RCPT for a mailbox whose local part starts with "reject" gets
      "550 5.1.1 Mailbox unavailable".
    - RCPT for a mailbox made to fail (see /__fail) gets
      "451 4.3.0 Try again later" while its count lasts.
    - Every accepted message is recorded with its envelope (mail_from,
      rcpt_tos), the authenticated user, whether the session was upgraded
      to TLS, the raw text, and its parsed
      headers (subject decoded from RFC 2047) and text body.

HTTP (webhook receiver and control):
    any method on a path not starting with /__: recorded (method, path,
        query, headers lowercased, body text, JSON body when it parses);
        answers 200 {"ok": true}, or the failure set for that path.
    GET  /__received?path=P     {"webhooks": [requests to path P]}
    GET  /__received?rcpt=A     {"mails": [messages with A among rcpt_tos]}
    GET  /__received            {"webhooks": [...], "mails": [...]}: all
    POST /__fail  JSON {"path": P, "times": N, "status": S}: the next N
                  requests to P answer S (default 500); or
                  {"rcpt": A, "times": N}: the next N RCPTs of A get 451.
    POST /__reset               forgets everything recorded and all failures.

Tests share one instance: each uses its own webhook path and addresses.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

try:
    from aiosmtpd.smtp import SMTP, AuthResult
except ImportError:  # pragma: no cover - reported to the caller
    sys.stderr.write("fake-notify: aiosmtpd is missing (apt-get install python3-aiosmtpd)\n")
    sys.exit(3)

USER = "alerts"
PASSWORD = "s3cret"

_LOCK = threading.Lock()
_MAILS = []
_WEBHOOKS = []
_PATH_FAILURES = {}  # path -> [times left, status]
_RCPT_FAILURES = {}  # lowercased address -> times left


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, (bytes, bytearray)) else value


class Authenticator:
    def __call__(self, server, session, envelope, mechanism, auth_data):
        login = _text(getattr(auth_data, "login", b"") or b"")
        password = _text(getattr(auth_data, "password", b"") or b"")
        if login == USER and password == PASSWORD:
            return AuthResult(success=True, auth_data=login)
        return AuthResult(success=False, handled=False)


class MailHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        lowered = address.lower()
        if lowered.split("@", 1)[0].startswith("reject"):
            return "550 5.1.1 Mailbox unavailable"
        with _LOCK:
            left = _RCPT_FAILURES.get(lowered, 0)
            if left > 0:
                _RCPT_FAILURES[lowered] = left - 1
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body_part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
        try:
            body = body_part.get_content() if body_part is not None else ""
        except Exception as error:  # keep the record even when the body does not decode
            body = f"<undecodable body: {error}>"
        auth = session.auth_data
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "auth_user": _text(auth) if isinstance(auth, (str, bytes)) else None,
            "tls": bool(getattr(session, "ssl", None)),
            "headers": {name.lower(): str(value) for name, value in message.items()},
            "header_count": {name.lower(): len(message.get_all(name, [])) for name in message.keys()},
            "subject": str(message.get("Subject", "")),
            "content_type": message.get_content_type(),
            "body": body.replace("\r\n", "\n"),
            "raw": raw.decode("utf-8", "replace"),
        }
        with _LOCK:
            _MAILS.append(record)
        return "250 Message accepted for delivery"


def make_certificate():
    """A self-signed certificate for 127.0.0.1 in a temporary folder: (cert, key), or None."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    folder = tempfile.mkdtemp(prefix="fake-notify-", dir=os.environ.get("TEST_TMP_ROOT"))
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    result = subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (cert, key) if result.returncode == 0 else None


def start_smtp(port, verbose, tls_context=None):
    """Runs an SMTP server on its own event loop thread; returns its port. With a TLS
    context, the server offers STARTTLS and refuses mail before it."""
    loop = asyncio.new_event_loop()
    handler = MailHandler()
    ready = threading.Event()
    bound = {}

    def factory():
        return SMTP(
            handler,
            hostname="fake-notify.test",
            enable_SMTPUTF8=True,
            decode_data=False,
            authenticator=Authenticator(),
            auth_required=False,
            auth_require_tls=False,
            tls_context=tls_context,
            require_starttls=tls_context is not None,
            loop=loop,
        )

    def run():
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=port))
        bound["port"] = server.sockets[0].getsockname()[1]
        ready.set()
        loop.run_forever()

    if not verbose:
        import logging
        logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    threading.Thread(target=run, name="smtp", daemon=True).start()
    ready.wait(10)
    return bound["port"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-notify/1.0"
    verbose = False

    def log_message(self, format, *args):
        if self.verbose:
            super().log_message(format, *args)

    def do_GET(self):
        self.dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def dispatch(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if url.path == "/__received":
            return self.received(query)
        if url.path == "/__fail" and self.command == "POST":
            return self.fail(body)
        if url.path == "/__reset" and self.command == "POST":
            with _LOCK:
                _MAILS.clear()
                _WEBHOOKS.clear()
                _PATH_FAILURES.clear()
                _RCPT_FAILURES.clear()
            return self.reply(200, {"reset": True})
        if url.path.startswith("/__"):
            return self.reply(404, {"error": "unknown control path"})
        return self.webhook(url, body)

    def webhook(self, url, body):
        text = body.decode("utf-8", "replace")
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        with _LOCK:
            failure = _PATH_FAILURES.get(url.path)
            status = 200
            if failure and failure[0] > 0:
                failure[0] -= 1
                status = failure[1]
            _WEBHOOKS.append({
                "method": self.command,
                "path": url.path,
                "query": url.query,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "body": text,
                "json": parsed,
                "status": status,
            })
        if status >= 300:
            return self.reply(status, {"error": "failing on purpose"})
        return self.reply(200, {"ok": True})

    def received(self, query):
        with _LOCK:
            if "path" in query:
                return self.reply(200, {"webhooks": [w for w in _WEBHOOKS if w["path"] == query["path"]]})
            if "rcpt" in query:
                wanted = query["rcpt"].lower()
                return self.reply(200, {"mails": [m for m in _MAILS if wanted in (r.lower() for r in m["rcpt_tos"])]})
            return self.reply(200, {"webhooks": list(_WEBHOOKS), "mails": list(_MAILS)})

    def fail(self, body):
        try:
            request = json.loads(body or b"{}")
            times = int(request.get("times", 1))
            with _LOCK:
                if "path" in request:
                    _PATH_FAILURES[request["path"]] = [times, int(request.get("status", 500))]
                elif "rcpt" in request:
                    _RCPT_FAILURES[request["rcpt"].lower()] = times
                else:
                    return self.reply(400, {"error": "give path or rcpt"})
        except (ValueError, TypeError, AttributeError) as error:
            return self.reply(400, {"error": str(error)})
        return self.reply(200, {"ok": True})

    def reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # Parallel test suites connect in bursts; the default backlog of 5 drops connections, which a
    # client with a short timeout then never gets through.
    request_queue_size = 512
    allow_reuse_address = True


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
    parser.add_argument("--smtp-port", type=int, default=0, help="SMTP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--http-port", type=int, default=0, help="HTTP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--parent-pid", type=int, default=None, help="exit when this process is gone")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(argv)

    Handler.verbose = args.verbose
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))

    smtp_port = start_smtp(args.smtp_port, args.verbose)
    certificate = make_certificate()
    starttls_port, ca = 0, "-"
    if certificate is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*certificate)
        os.unlink(certificate[1])  # loaded; only the certificate stays, for clients to trust
        starttls_port, ca = start_smtp(0, args.verbose, tls_context=context), certificate[0]
    http = Server(("127.0.0.1", args.http_port), Handler)
    if args.parent_pid is not None:
        threading.Thread(target=watch_parent, args=(args.parent_pid,), daemon=True).start()
    print(f"SMTP {smtp_port} HTTP {http.server_address[1]} STARTTLS {starttls_port} CA {ca}", flush=True)
    try:
        http.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        http.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
