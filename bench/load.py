"""Do the pages stay fast under load while a pre-review runs?

Builds a throw-away instance (SQLite in a temp folder, migrated, the demo workspace, an API token for
the demo owner, one submission whose short clip is analysed before measuring, so the review page
shows real findings and the worker has its models loaded), starts it the way users do
(`creatordesk serve` with 2 web workers and 1 task worker, on a free port) and drives 20 concurrent
clients (threads with `http.client`; gunicorn's sync workers close the connection after each answer
and the client opens the next one) for `--seconds` per target against

* `/health/`, the baseline: one `SELECT 1` through the whole stack;
* the four pages a reviewer opens most: the dashboard `/`, the creators list, the review queue and
  a review page;
* the JSON API's submission list with the owner's bearer token;
* `mix`: every client cycles through the four pages and the API call, the way a team uses the app.

It measures every target twice: idle, then while a pre-review runs: a 60 s 1080x1920 talking-head
clip (the one `bench/review_speed.py` makes) is uploaded, and uploaded again whenever its review ends
before the measurement does. Each row prints req/s, p50, p95, errors and the p95 as a multiple of
`/health/`'s p95 in the same phase; then the pre-reviews' own durations.

Target on a 2-core machine: `mix` p95 under 200 ms while a pre-review runs, and no errors. Exits 1
when missed. `--priority off` starts the worker as it ran before the priority knobs existed
(CREATORDESK_ANALYSIS_NICE=0, CREATORDESK_ANALYSIS_THREADS = every core); `both` runs off, then on,
each on a fresh instance, and exits by the "on" run. Run it on an otherwise quiet machine: other work on the same cores moves
every figure, and the idle and busy phases are a minute or more apart.

    .venv/bin/python bench/load.py [--seconds 15] [--clients 20] [--priority on|off|both] [--keep]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _django import ROOT, percentile, setup_django

TARGET_P95_MS = 200.0
WEB_WORKERS = 2
CLIP_FOLDER = Path(tempfile.gettempdir()) / "creatordesk-bench"  # shared with bench/review_speed.py
CLIP_NAME = "bench-talking-head-60s-1080x1920.mp4"
SERVER_START_S = 180.0  # gunicorn's workers import Django; slow on a busy machine


@dataclass(frozen=True)
class Target:
    name: str
    requests: tuple[tuple[str, dict[str, str]], ...]  # (path, headers), cycled by every client


@dataclass
class Measured:
    """What one target's load run saw."""

    name: str
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def p(self, share: float) -> float:
        return percentile(self.latencies_ms, share) if self.latencies_ms else float("nan")


@dataclass
class Instance:
    """The throw-away installation: where it lives, how to reach it, who it belongs to."""

    var_dir: Path
    port: int
    session_cookie: str
    api_token: str
    submission_id: int
    owner_id: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build_instance(var_dir: Path, warmup_clip: Path) -> Instance:
    """Demo data, a signed-in session for the owner, an API token, and a submission with a short clip."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from creatordesk.accounts.middleware import SESSION_WORKSPACE_KEY
    from creatordesk.accounts.models import User
    from creatordesk.accounts.services import api_token_create
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.dashboard.demo import DEMO_USERS, load_demo
    from creatordesk.reviews.services import submission_create, submission_submit

    call_command("collectstatic", interactive=False, verbosity=0)  # as `make run` does
    workspace = load_demo()
    owner = User.objects.get(email=DEMO_USERS[0][0])
    _, token = api_token_create(workspace=workspace, user=owner, name="load benchmark")
    browser = Client()
    # The model backend, not django-axes in front of it: a session made here needs no password check.
    browser.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    session = browser.session
    session[SESSION_WORKSPACE_KEY] = workspace.pk
    session.save()
    collaboration = Collaboration.objects.for_workspace(workspace).order_by("pk").first()
    assert collaboration is not None, "the demo workspace has no collaboration"
    submission = submission_create(collaboration=collaboration, title="Serum first look", actor=owner)
    submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=warmup_clip,
        original_name=warmup_clip.name,
        by_user=owner,
    )
    return Instance(
        var_dir=var_dir,
        port=free_port(),
        session_cookie=f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        api_token=token,
        submission_id=submission.pk,
        owner_id=owner.pk,
    )


def targets(instance: Instance) -> list[Target]:
    page = {"Cookie": instance.session_cookie}
    api = {"Authorization": f"Bearer {instance.api_token}"}
    pages = [
        Target("dashboard", (("/", page),)),
        Target("creators", (("/creators/", page),)),
        Target("review queue", (("/reviews/", page),)),
        Target("review page", ((f"/reviews/{instance.submission_id}/", page),)),
        Target("api submissions", (("/api/submissions", api),)),
    ]
    mix = Target("mix", tuple(request for target in pages for request in target.requests))
    return [Target("/health/", (("/health/", {}),)), *pages, mix]


@contextmanager
def serving(instance: Instance, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """`creatordesk serve` on the instance's port; stopped (SIGTERM, as Ctrl-C would) on leaving."""
    log = (instance.var_dir / "serve.log").open("wb")
    command = [
        str(Path(sys.executable).with_name("creatordesk")), "serve",
        "--bind", f"127.0.0.1:{instance.port}", "--web-workers", str(WEB_WORKERS), "--task-workers", "1",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while status(instance.port, "/health/", {}) != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise SystemExit(f"the server did not start:\n{log_tail(instance.var_dir)}")
            time.sleep(0.2)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)  # `serve` gives a busy task worker its grace time, then stops it
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def log_tail(var_dir: Path) -> str:
    return (var_dir / "serve.log").read_text(errors="replace")[-3000:]


STARTED = time.monotonic()


def note(text: str) -> None:
    """Progress on stderr, so the table on stdout stays clean."""
    print(f"[{time.monotonic() - STARTED:5.0f} s] {text}", file=sys.stderr, flush=True)


def status(port: int, path: str, headers: dict[str, str]) -> int:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status
    except OSError:
        return 0


def drive(port: int, target: Target, *, clients: int, seconds: float) -> Measured:
    """`clients` threads, each sending the target's requests back to back for `seconds`."""
    result = Measured(target.name, seconds)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies: list[float] = []
        errors: list[str] = []
        turn = number
        start.wait()
        while time.perf_counter() < stop_at[0]:
            path, headers = target.requests[turn % len(target.requests)]
            turn += 1
            began = time.perf_counter()
            try:
                # http.client opens the connection again by itself when the server closed it.
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                code = response.status
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                errors.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            if code == 200:
                latencies.append((time.perf_counter() - began) * 1000)
            else:
                errors.append(f"{path}: HTTP {code}")
        connection.close()
        with lock:
            result.latencies_ms.extend(latencies)
            result.errors += len(errors)
            result.first_error = result.first_error or (errors[0] if errors else "")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    start.wait()
    for thread in threads:
        thread.join()
    return result


class PreReviewKeeper:
    """Keeps one pre-review running: uploads the clip again whenever the previous review has ended."""

    def __init__(self, instance: Instance, clip: Path) -> None:
        self.instance = instance
        self.clip = clip
        self.version_ids: list[int] = []
        self.uploaded_at: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        """Upload the clip and return once the worker is reviewing it."""
        self._upload()
        while self._status(self.version_ids[-1]) != "running":
            time.sleep(0.2)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self._stop.wait(0.5):
                if self._status(self.version_ids[-1]) in ("done", "failed"):
                    self._upload()
        finally:
            connection.close()

    def _status(self, version_id: int) -> str:
        from creatordesk.reviews.models import Version

        return str(Version.objects.values_list("analysis_status", flat=True).get(pk=version_id))

    def _upload(self) -> None:
        from creatordesk.accounts.models import User
        from creatordesk.reviews.models import Submission
        from creatordesk.reviews.services import submission_submit

        version = submission_submit(
            collaboration=Submission.objects.get(pk=self.instance.submission_id).collaboration,
            submission=Submission.objects.get(pk=self.instance.submission_id),
            source=self.clip,
            original_name=self.clip.name,
            by_user=User.objects.get(pk=self.instance.owner_id),
        )
        self.version_ids.append(version.pk)
        self.uploaded_at.append(time.monotonic())

    def outcomes(self) -> list[str]:
        """How far each review this keeper started has come: its engine time, or its progress."""
        from creatordesk.reviews.models import Version

        outcomes = []
        for version_id, uploaded_at in zip(self.version_ids, self.uploaded_at, strict=True):
            version = Version.objects.get(pk=version_id)
            total = ((version.report or {}).get("timings") or {}).get("total")
            if version.analysis_status == "done" and total:
                outcomes.append(f"done in {total:.0f} s")
            else:
                elapsed = time.monotonic() - uploaded_at
                outcomes.append(
                    f"{version.analysis_status} at {version.analysis_progress} % after {elapsed:.0f} s"
                )
        return outcomes


def wait_for_analysis(instance: Instance, timeout_s: float = 600) -> float:
    """Wait until the submission's every version is analysed; returns the last one's engine time."""
    from creatordesk.reviews.models import AnalysisStatus, Version

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        versions = list(Version.objects.filter(submission_id=instance.submission_id).order_by("number"))
        if all(v.analysis_status == AnalysisStatus.DONE for v in versions):
            return float(((versions[-1].report or {}).get("timings") or {}).get("total", 0.0))
        if any(v.analysis_status == AnalysisStatus.FAILED for v in versions):
            raise SystemExit(f"a pre-review failed: {[v.analysis_error for v in versions]}")
        time.sleep(0.5)
    raise SystemExit(f"the pre-review did not finish within {timeout_s:.0f} s")


def print_table(title: str, rows: list[Measured], idle: list[Measured] | None = None) -> None:
    """One line per target; with `idle`, also each p95 as a multiple of the same target's idle p95."""
    base = rows[0].p(0.95)
    print(title)
    head = f"  {'target':<16} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'p95/health':>11}"
    print(head + (f" {'p95/idle':>9}" if idle else ""))
    for number, row in enumerate(rows):
        line = (
            f"  {row.name:<16} {row.rate:7.1f} {row.p(0.5):8.1f} {row.p(0.95):8.1f} {row.errors:7d} "
            f"{row.p(0.95) / base:10.1f}x"
        )
        print(line + (f" {row.p(0.95) / idle[number].p(0.95):8.2f}x" if idle else ""))
        if row.first_error:
            print(f"    first error: {row.first_error}")


def server_env(priority: bool) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PYTHONUNBUFFERED"] = "1"
    if not priority:
        # How the worker ran before: normal priority, every library sized for every core.
        env["CREATORDESK_ANALYSIS_NICE"] = "0"
        env["CREATORDESK_ANALYSIS_THREADS"] = str(len(os.sched_getaffinity(0)))
    return env


def run(priority: bool, *, clients: int, seconds: float, clip: Path, warmup_clip: Path) -> bool:
    """One instance, idle then busy; True when the target is met."""
    from django.db import connection

    from creatordesk.engine.context import ReviewContext

    var_dir = Path(os.environ["CREATORDESK_VAR_DIR"])
    note(f"building the instance in {var_dir}")
    instance = build_instance(var_dir, warmup_clip)
    connection.close()
    env = server_env(priority)
    nice = env.get("CREATORDESK_ANALYSIS_NICE") or ReviewContext.analysis_nice
    threads = (
        ReviewContext(analysis_threads=int(env.get("CREATORDESK_ANALYSIS_THREADS") or 0))
        .for_background()
        .threads
    )
    print(
        f"priority knobs  {'on' if priority else 'off'}: the worker reviews at nice {nice}, {threads} thread(s)"
    )
    print(f"load            {clients} clients, {seconds:g} s per target, {WEB_WORKERS} web workers, SQLite")
    note(f"starting `creatordesk serve` on port {instance.port}")
    with serving(instance, env):
        note("waiting for the warm-up pre-review (the worker loads its models)")
        warmup_s = wait_for_analysis(instance)
        note(f"warm-up pre-review took {warmup_s:.1f} s; measuring idle")
        plan = targets(instance)
        for target in plan:  # every path answers, and templates and caches are warm
            for path, headers in target.requests:
                code = status(instance.port, path, headers)
                if code != 200:
                    raise SystemExit(f"GET {path} answered {code}:\n{log_tail(var_dir)}")
        idle = [drive(instance.port, t, clients=clients, seconds=seconds) for t in plan]
        print_table("idle", idle)
        note("starting a pre-review")
        keeper = PreReviewKeeper(instance, clip)
        keeper.start()
        note("measuring during the pre-review")
        busy = [drive(instance.port, t, clients=clients, seconds=seconds) for t in plan]
        keeper.stop()
        print_table("during a pre-review", busy, idle)
        reviews = keeper.outcomes()
    print(f"warm-up review  done in {warmup_s:.0f} s (7 s clip, loading the models included)")
    print(f"busy reviews    {'; '.join(reviews)} (60 s 1080x1920 clip)")
    mix_idle, mix_busy = idle[-1], busy[-1]
    ratio = mix_busy.p(0.95) / mix_idle.p(0.95)
    print(f"mix p95         idle {mix_idle.p(0.95):.0f} ms, busy {mix_busy.p(0.95):.0f} ms ({ratio:.2f}x)")
    print(f"target          mix p95 during a pre-review < {TARGET_P95_MS:.0f} ms, no errors")
    print()
    errors = sum(row.errors for row in idle + busy)
    return mix_busy.p(0.95) < TARGET_P95_MS and errors == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="load time per target and phase")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--priority", choices=("on", "off", "both"), default="on")
    parser.add_argument("--keep", action="store_true", help="keep the generated clip for next time")
    args = parser.parse_args()

    if args.priority == "both":
        # Each run on a fresh instance in its own process: settings are read once per process.
        codes = [
            subprocess.run(
                [sys.executable, __file__, *_same_load(args), "--priority", mode, "--keep"]
            ).returncode
            for mode in ("off", "on")
        ]
        if not args.keep:
            (CLIP_FOLDER / CLIP_NAME).unlink(missing_ok=True)
        return codes[-1]  # the target is the current settings'; "off" is the baseline beside them

    sys.path.insert(0, str(ROOT))
    from review_speed import make_clip as make_talking_head  # a sibling script of this one

    from creatordesk.reviews.tests.clips import CLAIM, make_clip

    CLIP_FOLDER.mkdir(exist_ok=True)
    clip = make_talking_head(CLIP_FOLDER, "talking-head")
    assert clip.name == CLIP_NAME
    work = Path(tempfile.mkdtemp(prefix="creatordesk-load-"))
    try:
        warmup_clip = make_clip(work / "warm-up.mp4", CLAIM)
        setup_django()
        met = run(
            args.priority == "on",
            clients=args.clients,
            seconds=args.seconds,
            clip=clip,
            warmup_clip=warmup_clip,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not args.keep:
            clip.unlink(missing_ok=True)
    print("OK" if met else "MISSED")
    return 0 if met else 1


def _same_load(args: Any) -> list[str]:
    return ["--seconds", str(args.seconds), "--clients", str(args.clients)]


if __name__ == "__main__":
    sys.exit(main())
