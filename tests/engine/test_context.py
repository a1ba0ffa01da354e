"""The review context is built from explicit values or CREATORDESK_* variables, never from settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatordesk.engine.context import ReviewContext
from creatordesk.lib.env import EnvError


def test_environment_variables_set_limits_and_models(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CREATORDESK_REVIEW_MAX_DURATION_S", "90")
    monkeypatch.setenv("CREATORDESK_WHISPER_MODEL", str(tmp_path))
    monkeypatch.setenv("CREATORDESK_CPU_THREADS", "1")
    ctx = ReviewContext.from_env()
    assert (ctx.max_duration_s, ctx.whisper_model, ctx.threads) == (90.0, str(tmp_path), 1)


def test_explicit_values_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATORDESK_REVIEW_MAX_DURATION_S", "90")
    assert ReviewContext.from_env(max_duration_s=30).max_duration_s == 30


def test_a_mistyped_number_stops_with_the_variable_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATORDESK_REVIEW_MAX_DURATION_S", "ten minutes")
    with pytest.raises(EnvError, match="CREATORDESK_REVIEW_MAX_DURATION_S"):
        ReviewContext.from_env()


def test_unknown_override_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="max_minutes"):
        ReviewContext.from_env(max_minutes=3)


def test_context_cannot_be_changed_after_it_is_built() -> None:
    ctx = ReviewContext()
    with pytest.raises(AttributeError):
        ctx.max_duration_s = 1  # type: ignore[misc]
