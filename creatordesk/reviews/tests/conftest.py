from __future__ import annotations

from pathlib import Path

import pytest

from creatordesk.reviews.tests.clips import CLAIM, CLEAN, make_clip


@pytest.fixture(scope="session")
def claim_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "claim.mp4", CLAIM)


@pytest.fixture(scope="session")
def clean_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "clean.mp4", CLEAN)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
