from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from creatordesk.lib.env import EnvError, env_bool, env_int

ROOT = Path(__file__).resolve().parents[3]


def test_env_readers_reject_bad_values(monkeypatch) -> None:
    monkeypatch.setenv("X_BOOL", "maybe")
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(EnvError, match="X_BOOL"):
        env_bool("X_BOOL")
    with pytest.raises(EnvError, match="X_INT"):
        env_int("X_INT", 1)


def _manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    full_env |= {"CREATORDESK_VAR_DIR": str(tmp_path)} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings(tmp_path) -> None:
    env = {
        "SECRET_KEY": "x" * 64 + "-production-secret-with-enough-entropy",
        "CREATORDESK_HTTPS": "true",
        "ALLOWED_HOSTS": "creatordesk.example.com",
        "EMAIL_HOST": "smtp.example.com",
        "DATABASE_URL": "postgres://creatordesk@db.example.com/creatordesk",
        "SITE_URL": "https://creatordesk.example.com",
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout

    without_site_url = {k: v for k, v in env.items() if k != "SITE_URL"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=without_site_url, tmp_path=tmp_path)
    assert result.returncode != 0 and "SITE_URL" in result.stderr + result.stdout


def test_a_misspelt_setting_stops_start_up_with_its_name(tmp_path) -> None:
    result = _manage("check", env={"CREATORDESK_DEBUG": "yes please"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "CREATORDESK_DEBUG" in result.stderr


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    assert mode == "wal"
    assert connection.settings_dict["OPTIONS"]["timeout"] == 20


def test_a_bad_connector_retry_delay_stops_start_up_with_its_name(tmp_path) -> None:
    # It used to fall back to the default without a word, so a typo went unnoticed.
    result = _manage("check", env={"CONNECTOR_RETRY_DELAY_S": "2s"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "CONNECTOR_RETRY_DELAY_S='2s' is not a number" in result.stderr
