"""A recorded TikTok Shop on 127.0.0.1 for tests: the Affiliate Partner API as TikTok answers it.

The server checks every request as TikTok Shop would (HMAC-SHA256 signature computed here from the app
secret, access token header, app key, shop cipher) and refuses one that fails, so a signing bug fails
the test that made it. Answers are the recorded files in fixtures/affiliate/, chosen by method, path,
page token and, where one path answers differently per filter, a piece of the request body.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "affiliate"
APP_KEY, APP_SECRET, TOKEN, CIPHER = "6c1q9aff", "s3cr3t-app-secret", "shop-access-token", "ROW_cipher42"
ROOT = "/affiliate_seller"
BAD_SIGNATURE = b'{"code": 106001, "message": "Invalid credentials: signature mismatch", "request_id": "x"}'
SERUM_ID, MASK_ID = "1729384756000000001", "1729384756000000002"

Reply = tuple[int, str, dict[str, str]]


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float = 0.0

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class RecordedShop:
    """Answers each request with recorded files in turn; the last answer repeats."""

    url: str = ""
    routes: dict[tuple[str, str, str, str], list[Reply]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def on(
        self, method: str, path: str, *replies: str | Reply, page_token: str = "", body_has: str = ""
    ) -> None:
        """Answer `method path` (below /affiliate_seller, or the full path) at `page_token`; `body_has`
        narrows it by body."""
        full = path if path.startswith(ROOT) else ROOT + path
        self.routes[(method, full, page_token, body_has)] = [
            (200, reply, {}) if isinstance(reply, str) else reply for reply in replies
        ]

    def to(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == ROOT + path]

    def reply_for(self, request: Received) -> tuple[int, bytes, dict[str, str]]:
        problem = signature_problem(request)
        if problem:
            self.refused.append(problem)
            return 401, BAD_SIGNATURE, {}
        token = request.query.get("page_token", "")
        body = request.body.decode()
        candidates = [
            replies
            for (method, path, page, body_has), replies in self.routes.items()
            if (method, path, page) == (request.method, request.path, token) and body_has in body
        ]
        if not candidates:
            return 404, b'{"code": 40400, "message": "no recorded answer"}', {}
        replies = candidates[-1]
        status, name, headers = replies.pop(0) if len(replies) > 1 else replies[0]
        return status, (FIXTURES / name).read_bytes(), headers


def signature_problem(request: Received) -> str:
    params = {k: v for k, v in request.query.items() if k not in ("sign", "access_token")}
    pairs = "".join(f"{key}{params[key]}" for key in sorted(params))
    message = f"{APP_SECRET}{request.path}{pairs}{request.body.decode()}{APP_SECRET}"
    expected = hmac.new(APP_SECRET.encode(), message.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.query.get("sign", ""), expected):
        return f"{request.method} {request.path}: bad signature"
    headers = {key.lower(): value for key, value in request.headers.items()}
    if headers.get("x-tts-access-token") != TOKEN:
        return f"{request.method} {request.path}: no access token"
    if (params.get("app_key"), params.get("shop_cipher")) != (APP_KEY, CIPHER):
        return f"{request.method} {request.path}: wrong app key or shop"
    if not params.get("timestamp", "").isdigit():
        return f"{request.method} {request.path}: no timestamp"
    return ""


@contextlib.contextmanager
def serve() -> Iterator[RecordedShop]:
    """The recorded shop, listening on a free port of 127.0.0.1 until the block ends."""
    state = RecordedShop()

    class Handler(BaseHTTPRequestHandler):
        def handle_any(self) -> None:
            split = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(
                method=self.command,
                path=split.path,
                query={
                    k: v[0] for k, v in urllib.parse.parse_qs(split.query, keep_blank_values=True).items()
                },
                headers=dict(self.headers),
                body=self.rfile.read(length) if length else b"",
                at=time.monotonic(),
            )
            state.received.append(request)
            status, body, headers = state.reply_for(request)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = handle_any

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
