"""Helpers for the tests that run real servers and task workers as processes and kill them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection


def database_url() -> str:
    """The test database, for a process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def creatordesk(*args: str) -> list[str]:
    """The command line of `creatordesk <args>` with this interpreter."""
    return [sys.executable, "-m", "creatordesk.cli", *args]


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A real `creatordesk worker` that checks for tasks five times a second, its output in `log`."""
    with log.open("ab") as output:
        return subprocess.Popen(
            creatordesk("worker", "--no-startup-delay", "--interval", "0.2"),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_until[T](check: Callable[[], T], *, timeout: float, what: str, every: float = 0.1) -> T:
    """Call `check` until it returns something true; fail the test naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, exited but not yet collected by its parent, does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def children(pid: int) -> set[int]:
    """Pids of the running child processes of `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended while we looked
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def env_for_processes(**extra: str) -> dict[str, str]:
    """This test run's environment for a child process, plus `extra`."""
    return os.environ | {"DJANGO_SETTINGS_MODULE": "creatordesk.settings"} | extra
