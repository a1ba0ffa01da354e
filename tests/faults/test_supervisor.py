"""`creatordesk serve` keeps the app up when one of its processes dies.

The reliability review: on SQLite a task worker failed ("database is locked") and `serve` stopped
gunicorn within a second; nothing restarted either. Now `serve` supervises both: a dead worker or a
dead web server is started again after a back-off and the exit is logged, and the death of a worker
never touches the web server. Runs `serve` on a SQLite database of its own (migrated first) on a
free port; about a minute, most of it migrating and starting processes.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.faults.processes import alive, children, creatordesk, env_for_processes, free_port, wait_until


def _health(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=10) as response:
            return int(response.status)
    except OSError:
        return 0


def _started(log: Path, name: str) -> list[int]:
    """Pids of every start of child `name`, in order, from serve's log."""
    return [int(pid) for pid in re.findall(rf"Started {name} \(pid (\d+)\)", log.read_text(errors="replace"))]


@pytest.fixture(scope="module")
def own_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of an installation with a migrated SQLite database in a folder of its own."""
    var = tmp_path_factory.mktemp("served")
    env = env_for_processes(CREATORDESK_VAR_DIR=str(var))
    for name in ("DATABASE_URL", "S3_BUCKET", "MEDIA_ROOT"):
        env.pop(name, None)
    subprocess.run(creatordesk("migrate", "--no-input", "-v0"), env=env, check=True, timeout=300)
    return env


def test_killed_worker_and_killed_web_server_are_restarted_each_without_the_other(
    own_site: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        serve = subprocess.Popen(
            creatordesk("serve", "--bind", f"127.0.0.1:{port}", "--web-workers", "1", "--task-workers", "1"),
            env=own_site,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: _health(port) == 200, timeout=120, what="the web server", every=0.5)
        [web] = _started(log, "web")
        [worker] = wait_until(lambda: _started(log, "worker-1"), timeout=10, what="the worker")
        assert {web, worker} <= children(serve.pid)

        os.kill(worker, signal.SIGKILL)
        answers = [_health(port)]  # while the worker is dead and until its successor starts
        while len(_started(log, "worker-1")) < 2 and len(answers) < 100:
            answers.append(_health(port))
            time.sleep(0.1)
        assert set(answers) == {200}, "the web server stopped answering when the worker died"
        new_worker = wait_until(lambda: _started(log, "worker-1")[1:], timeout=15, what="a new worker")[0]
        text = log.read_text(errors="replace")
        assert f"worker-1 (pid {worker}) exited with signal SIGKILL; restarting in 1 s" in text
        assert new_worker != worker and new_worker in children(serve.pid)
        assert _started(log, "web") == [web] and alive(web)  # the web server was never touched

        os.kill(web, signal.SIGKILL)
        wait_until(lambda: len(_started(log, "web")) == 2, timeout=15, what="a new web server", every=0.2)
        wait_until(lambda: _health(port) == 200, timeout=120, what="the new web server", every=0.5)
        assert f"web (pid {web}) exited with signal SIGKILL; restarting in 1 s" in log.read_text(
            errors="replace"
        )
        assert _started(log, "worker-1") == [worker, new_worker] and alive(new_worker)
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
    assert serve.returncode == 0
    running = [pid for pid in [*_started(log, "web"), *_started(log, "worker-1")] if alive(pid)]
    assert running == [], "serve left processes running after SIGTERM"
