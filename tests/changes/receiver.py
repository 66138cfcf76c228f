"""A webhook receiver on 127.0.0.1 (a real HTTP server in a thread) for the webhook tests."""

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Records every POST (path, delivery id, signature, body); ``answer(n, path)`` gives the
    status of the n-th request (0-based); ``delay`` seconds are spent before answering."""

    def __init__(self, answer: Callable[[int, str], int] = lambda n, path: 200, delay=0.0):
        self.answer = answer
        self.delay = delay
        self.requests: list[dict] = []
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    n = len(receiver.requests)
                    receiver.in_flight[self.path] = receiver.in_flight.get(self.path, 0) + 1
                    receiver.max_in_flight[self.path] = max(
                        receiver.max_in_flight.get(self.path, 0), receiver.in_flight[self.path]
                    )
                time.sleep(receiver.delay)
                status = receiver.answer(n, self.path)
                with receiver.lock:
                    receiver.in_flight[self.path] -= 1
                    receiver.requests.append(
                        {
                            "path": self.path,
                            "delivery": self.headers["X-Registry-Delivery"],
                            "signature": self.headers["X-Registry-Signature"],
                            "body": body,
                            "status": status,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                        }
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def accepted_items(self, path: str | None = None) -> list[dict]:
        """Items of acknowledged deliveries, in the order they were acknowledged."""
        with self.lock:
            done = [r for r in self.requests if 200 <= r["status"] < 300]
        return [
            item
            for r in done
            if path is None or r["path"] == path
            for item in json.loads(r["body"])["items"]
        ]


def verify(secret: str, request: dict) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request["signature"])
