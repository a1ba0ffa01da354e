"""`creatordesk serve` hands its bound address to its processes as SITE_URL when none is set.

Emails are written by those processes; without it their links would start with a default address
instead of the one the app is served at. A SITE_URL that is set is left alone.
"""

from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path

import pytest

from tests.faults.processes import creatordesk, env_for_processes, free_port, wait_until


def _site_url_of_web_server(tmp_path: Path, **extra: str) -> tuple[int, str]:
    port = free_port()
    env = env_for_processes(CREATORDESK_VAR_DIR=str(tmp_path / "var"), **extra)
    for name in ("DATABASE_URL", "S3_BUCKET", "MEDIA_ROOT", *(() if extra else ("SITE_URL",))):
        env.pop(name, None)
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        serve = subprocess.Popen(
            creatordesk("serve", "--bind", f"127.0.0.1:{port}", "--web-workers", "1", "--task-workers", "0"),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        [web] = wait_until(
            lambda: re.findall(r"Started web \(pid (\d+)\)", log.read_text(errors="replace")),
            timeout=60,
            what="the web server",
        )
        environ = Path(f"/proc/{web}/environ").read_bytes().split(b"\0")
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
    values = [v.decode().split("=", 1)[1] for v in environ if v.startswith(b"SITE_URL=")]
    return port, values[0] if values else ""


@pytest.mark.parametrize("given", ["", "https://desk.example.com"])
def test_serve_sets_site_url_to_its_bound_address_only_when_none_is_given(tmp_path: Path, given: str) -> None:
    port, site_url = _site_url_of_web_server(tmp_path, **({"SITE_URL": given} if given else {}))
    assert site_url == (given or f"http://127.0.0.1:{port}")
