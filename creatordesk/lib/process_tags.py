"""Names that say which process made them, so a clean-up can tell a dead process's leftovers.

Task workers started by `creatordesk worker` (and `creatordesk serve`) claim tasks under a worker id
`host:pid:random`; the pre-review's scratch folders and copies are named `creatordesk-<kind>-<pid>-…`.
When that process no longer runs on this machine, a RUNNING task row it claimed and a scratch entry
it made are left-overs: nobody will finish or remove them.
"""

from __future__ import annotations

import os
import re
import secrets
import socket

# db_worker allows worker ids of at most 64 characters.
HOST = socket.gethostname()[:40]
SCRATCH_NAME = re.compile(r"^creatordesk-[a-z]+-(?P<pid>\d+)-")


def worker_id() -> str:
    """A worker id that names this machine and process; the random part tells apart reused pids."""
    return f"{HOST}:{os.getpid()}:{secrets.token_hex(4)}"


def local_worker_pid(worker_id: str) -> int | None:
    """The pid in a worker id made on this machine by `worker_id()`; None for any other id."""
    host, _, rest = worker_id.partition(":")
    pid = rest.partition(":")[0]
    return int(pid) if host == HOST and pid.isdigit() else None


def scratch_prefix(kind: str) -> str:
    """The name prefix of a scratch folder or file this process makes (`kind`: review, copy, …)."""
    return f"creatordesk-{kind}-{os.getpid()}-"


def scratch_owner(name: str) -> int | None:
    """The pid that made a scratch entry called `name`; None when the name is not one of ours."""
    match = SCRATCH_NAME.match(name)
    return int(match["pid"]) if match else None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only checks that the process exists (kill(2))
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True
