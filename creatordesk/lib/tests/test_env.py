"""The typed environment readers: a bad number stops start-up with the variable's name."""

from __future__ import annotations

import pytest

from creatordesk.lib.env import EnvError, env_float


def test_a_float_setting_reads_numbers_and_falls_back_when_unset_or_empty(monkeypatch) -> None:
    monkeypatch.delenv("X_FLOAT", raising=False)
    assert env_float("X_FLOAT", 1.5) == 1.5
    monkeypatch.setenv("X_FLOAT", " ")
    assert env_float("X_FLOAT", 1.5) == 1.5
    monkeypatch.setenv("X_FLOAT", "0.25")
    assert env_float("X_FLOAT", 1.5, minimum=0) == 0.25


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [("soon", "is not a number"), ("1,5", "is not a number"), ("nan", "not a finite"), ("-1", "below")],
)
def test_a_float_setting_refuses_what_no_interval_means(monkeypatch, raw: str, complaint: str) -> None:
    monkeypatch.setenv("X_FLOAT", raw)
    with pytest.raises(EnvError, match=f"X_FLOAT.*{complaint}"):
        env_float("X_FLOAT", 1.0, minimum=0)
