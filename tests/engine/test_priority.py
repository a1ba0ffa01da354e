"""A background review runs at a lower priority and with bounded thread pools, both set in its context."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.priority import lower_priority
from creatordesk.engine.steps import visual
from creatordesk.lib.env import EnvError


def _in_own_thread(work: Callable[[], Any]) -> Any:
    """Run `work` in a fresh thread: on Linux the nice value is per thread, so the suite keeps its own."""
    results = []
    thread = threading.Thread(target=lambda: results.append(work()))
    thread.start()
    thread.join()
    return results[0]


def test_the_priority_is_lowered_once_however_often_a_review_asks_for_it() -> None:
    start = os.getpriority(os.PRIO_PROCESS, 0)
    target = max(start, 15)

    def three_reviews() -> tuple[int, int, int]:
        return lower_priority(15), lower_priority(15), lower_priority(5)

    assert _in_own_thread(three_reviews) == (target, target, target)
    assert os.getpriority(os.PRIO_PROCESS, 0) == start


def test_a_nice_value_of_zero_leaves_the_priority_alone() -> None:
    start = os.getpriority(os.PRIO_PROCESS, 0)
    assert _in_own_thread(lambda: lower_priority(0)) == start


def test_background_reviews_run_at_nice_ten_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CREATORDESK_ANALYSIS_NICE", raising=False)
    assert ReviewContext.from_env().analysis_nice == 10
    monkeypatch.setenv("CREATORDESK_ANALYSIS_NICE", "0")
    assert ReviewContext.from_env().analysis_nice == 0


def test_a_nice_value_linux_does_not_know_stops_with_the_variable_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CREATORDESK_ANALYSIS_NICE", "20")
    with pytest.raises(EnvError, match="CREATORDESK_ANALYSIS_NICE"):
        ReviewContext.from_env()


def test_a_background_review_uses_half_the_cores_and_a_foreground_one_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CREATORDESK_CPU_THREADS", raising=False)
    monkeypatch.delenv("CREATORDESK_ANALYSIS_THREADS", raising=False)
    cores = len(os.sched_getaffinity(0))
    ctx = ReviewContext.from_env()
    assert (ctx.threads, ctx.for_background().threads) == (cores, max(1, cores // 2))
    monkeypatch.setenv("CREATORDESK_ANALYSIS_THREADS", "3")
    assert ReviewContext.from_env().for_background().threads == 3


def test_the_nudity_model_runs_on_the_contexts_threads_not_on_every_core() -> None:
    model = visual.detector(1)
    options = model.onnx_session.get_session_options()
    assert (options.intra_op_num_threads, options.inter_op_num_threads) == (1, 1)
    assert visual.detector(1) is model  # loaded once per process
