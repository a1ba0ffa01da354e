"""The supervisor of `creatordesk serve` restarts a child that keeps dying later and later."""

from __future__ import annotations

import sys

import pytest

from creatordesk.dashboard.management.commands.serve import STABLE_AFTER_S, Child


def _exit_soon(child: Child) -> None:
    assert child.process is not None
    child.process.wait(timeout=30)


def test_a_child_that_keeps_exiting_is_restarted_after_1_2_4_s_and_at_most_a_minute(caplog) -> None:
    child = Child("worker-1", [sys.executable, "-c", "raise SystemExit(3)"])
    delays = []
    now = 0.0
    for _ in range(8):
        child.check(now)  # due: starts it
        child.started_at = now  # the clock of this test, not the machine's
        _exit_soon(child)
        child.check(now + 0.5)  # it has exited: the restart is planned
        delays.append(child.restart_at - (now + 0.5))
        now = child.restart_at
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60]
    assert "worker-1 (pid" in caplog.text and "exited with code 3; restarting in 1 s" in caplog.text


def test_a_child_that_ran_for_a_while_is_restarted_after_1_s_again() -> None:
    child = Child("web", [sys.executable, "-c", "pass"])
    child.quick_exits = 5  # it had been failing
    child.check(0.0)
    child.started_at = 0.0
    _exit_soon(child)
    child.check(STABLE_AFTER_S + 1)
    assert child.restart_at == pytest.approx(STABLE_AFTER_S + 2)
