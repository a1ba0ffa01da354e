"""A recorded Meta Graph API on 127.0.0.1 for tests: the Marketing API as Meta answers it.

The server checks the access token (and the appsecret_proof when one is sent, computed here from the
app secret) the way Graph API does, and answers a failed check with Meta's own error envelope, so a
client that sends a wrong token or proof fails the test that made it. Answers are the recorded files
in fixtures/insights/, chosen by method, path below the version and the `after` cursor; a route
answers its replies in turn and repeats the last, which is how a test asks for a job still running,
a throttled first attempt or a failing second page.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "insights"
VERSION = "v25.0"
ACCOUNT = "1234567890"
TOKEN, APP_SECRET = "EAAmeta-system-user-token", "meta-app-secret"
REPORT_RUN = "6100000000001"
# Graph API answers an unknown or expired token with code 190 and a wrong proof with code 100.
EXPIRED = "error_token_expired.json"
BAD_PROOF = "error_bad_proof.json"

Reply = tuple[int, str, dict[str, str]]


@dataclass
class Received:
    """One request as the server saw it; `params` joins the query string and a form body."""

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class RecordedMeta:
    """Answers each request with recorded files in turn; the last answer repeats."""

    url: str = ""
    routes: dict[tuple[str, str, str], list[Reply]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def on(self, method: str, path: str, *replies: str | Reply, after: str = "") -> None:
        """Answer `method /v25.0/<path>` at cursor `after` with `replies` (a file name or status, file, headers)."""
        self.routes[(method, f"/{VERSION}/{path}", after)] = [
            (200, reply, {}) if isinstance(reply, str) else reply for reply in replies
        ]

    def to(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == f"/{VERSION}/{path}"]

    def reply_for(self, request: Received) -> Reply:
        problem = auth_problem(request)
        if problem:
            self.refused.append(f"{request.method} {request.path}: {problem}")
            return 400, EXPIRED if problem == "token" else BAD_PROOF, {}
        replies = self.routes.get((request.method, request.path, request.params.get("after", "")))
        if replies is None:
            return 400, "error_unknown_path.json", {}
        return replies.pop(0) if len(replies) > 1 else replies[0]


def auth_problem(request: Received) -> str:
    if request.params.get("access_token") != TOKEN:
        return "token"
    proof = request.params.get("appsecret_proof")
    expected = hmac.new(APP_SECRET.encode(), TOKEN.encode(), hashlib.sha256).hexdigest()
    if proof is not None and not hmac.compare_digest(proof, expected):
        return "proof"
    return ""


@contextlib.contextmanager
def serve() -> Iterator[RecordedMeta]:
    """The recorded Graph API, listening on a free port of 127.0.0.1 until the block ends."""
    state = RecordedMeta()

    class Handler(BaseHTTPRequestHandler):
        def handle_any(self) -> None:
            split = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = self.rfile.read(length).decode() if length else ""
            params = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
            params.update(urllib.parse.parse_qsl(form, keep_blank_values=True))
            request = Received(self.command, split.path, params, dict(self.headers))
            state.received.append(request)
            status, name, headers = state.reply_for(request)
            body = (FIXTURES / name).read_bytes()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = handle_any

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
