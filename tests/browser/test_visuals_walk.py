"""A brand manager's walk through the AI-visuals area in German: a key visual made with AI uploaded for an
ad, its check run by the task worker while the page waits, the label each channel needs, and the
download that carries the IPTC source type for AI-generated media.

The manager has a workspace of their own, set up before the browser opens; the queued check runs on a
thread of its own, away from Playwright's event loop (see conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from creatordesk.engine.tools import exiftool

pytestmark = pytest.mark.browser

EMAIL = "mara@lichtwerk.example"
PASSWORD = "a-long-test-password-9"
TITLE = "Serum im Morgenlicht"
FILENAME = "serum_morgenlicht.png"
CHANNELS = {"tiktok": "TikTok", "meta": "Instagram, Facebook, Threads", "web": "Web und andere Kanäle"}
# IPTC NewsCodes, digital source type: https://cv.iptc.org/newscodes/digitalsourcetype/
TRAINED = exiftool.IPTC_SOURCE_TYPE + "trainedAlgorithmicMedia"
ASSET_PAGE = re.compile(r"/visuals/(\d+)/$")


def _outside_the_browser[T](work: Callable[[], T]) -> T:
    """Run database work on a thread of its own, away from Playwright's event loop."""
    from django.db import connections

    def run() -> T:
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def _key_visual(path: Path) -> Path:
    """A 4:5 feed image: a colour gradient with sensor-like noise, so it reads as a photo, not a flat fill."""
    height, width = 1350, 1080
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x * 255 // width, y * 255 // height, (x + y) * 127 // (width + height)], axis=-1)
    noise = np.random.default_rng(7).normal(0, 12, size=(height, width, 3))
    Image.fromarray(np.clip(base + noise, 0, 255).astype("uint8")).save(path, "PNG", compress_level=1)
    return path


@pytest.fixture
def base_url(transactional_db, live_server) -> str:
    """A live test server without the demo: the walk sets up its own workspace, in the test database."""
    from django.urls import reverse

    # The first request imports every app's URLs, which on a busy machine can outlast a page's timeout.
    reverse("visuals:library")
    return live_server.url


@pytest.fixture
def visuals_walk(base_url: str, settings, tmp_path: Path) -> dict[str, Any]:
    """A German brand manager in a workspace without images, and the key visual on their disk."""
    from creatordesk.accounts.models import Role
    from creatordesk.accounts.services import membership_set, user_create, user_set_language, workspace_create

    settings.MEDIA_ROOT = str(tmp_path / "media")
    owner = user_create(email="inhaber@lichtwerk.example", password=PASSWORD)
    workspace = workspace_create(name="Lichtwerk", owner=owner)
    manager = user_create(email=EMAIL, password=PASSWORD, first_name="Mara")
    membership_set(workspace=workspace, user=manager, role=Role.MANAGER)
    user_set_language(user=manager, language="de")
    return {"base": base_url, "image": _key_visual(tmp_path / FILENAME), "downloads": tmp_path / "downloads"}


def _queued_checks_run() -> list[tuple[str, Any]]:
    """The task worker, as `db_worker --batch` runs it: every queued task, then it stops."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from creatordesk.visuals.tasks import visuals_check_asset

    Worker(
        queue_names=["default"],
        interval=0.05,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="visuals-walk",
        excluded_queue_names=[],
    ).run()
    rows = DBTaskResult.objects.filter(task_path=visuals_check_asset.module_path)
    return [(str(row.status), row.return_value) for row in rows]


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.locator("html").get_attribute("lang") == "de"


def _upload(page, image: Path) -> int:
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="KI-Visuals").click()
    page.wait_for_url("**/visuals/")
    assert page.locator("h1").inner_text() == "Bildbibliothek"
    page.locator("summary", has_text="Bild hochladen").click()
    form = page.get_by_test_id("visual-upload")
    form.get_by_label("Bild (JPEG, PNG, WebP, TIFF oder HEIF)").set_input_files(str(image))
    form.get_by_label("Titel").fill(TITLE)
    form.get_by_label("Wurde KI für das Bild genutzt?").select_option(label="mit KI erstellt")
    assert form.get_by_label("Wurde KI für das Bild genutzt?").input_value() == "generated"
    form.get_by_label("In einer Anzeige verwendet").check()
    form.get_by_label("Zeigt das Produkt realistisch").check()
    form.get_by_role("button", name="Hochladen und prüfen").click()

    # A refused upload answers on /visuals/upload/ itself; only a stored image has a page of its own.
    page.wait_for_url(ASSET_PAGE)
    assert page.locator("h1").inner_text().startswith(TITLE)
    progress = page.get_by_test_id("check-progress")
    assert progress.get_attribute("data-status") == "queued"
    assert "Warte auf den Start der Prüfung" in progress.inner_text()
    found = ASSET_PAGE.search(page.url)
    assert found, page.url
    return int(found.group(1))


def _check(page, asset_id: int) -> None:
    ran = _outside_the_browser(_queued_checks_run)
    assert ran == [("SUCCESSFUL", "done")], ran
    # The page asks every second and reloads itself once the check is done.
    labels = page.get_by_role("region", name="Kennzeichnung je Kanal")
    labels.wait_for()
    assert page.url.endswith(f"/visuals/{asset_id}/"), page.url
    assert page.get_by_test_id("check-progress").get_attribute("data-status") == "done"
    assert page.get_by_test_id("check-progress").inner_text().startswith("Geprüft am")


def _labels(page) -> None:
    channels = page.get_by_test_id("label-channel")
    keys = channels.evaluate_all("cards => cards.map(card => card.dataset.channel)")
    assert sorted(keys) == sorted(CHANNELS), keys
    for key, name in CHANNELS.items():
        card = page.locator(f'[data-testid="label-channel"][data-channel="{key}"]')
        assert card.get_attribute("data-required") == "yes"
        assert card.get_by_role("heading", level=3).inner_text() == f"{name}: Kennzeichnung nötig"
        labels = set(card.locator("li strong").all_inner_texts())
        assert labels == {"KI-generiert"}, (key, labels)
        # An AI-made realistic product in an ad is a deep fake under the AI Act, on every channel.
        reason = card.locator('li[data-rule="eu_ai_act_art50_4"]').inner_text()
        assert "ein realistisches Produkt" in reason and "Deepfake" in reason, reason


def _download(page, downloads: Path, original: Path) -> None:
    with page.expect_download() as caught:
        page.get_by_role("link", name="Mit KI-Quellentyp herunterladen").click()
    download = caught.value
    assert download.suggested_filename == FILENAME
    saved = downloads / download.suggested_filename
    download.save_as(saved)
    assert exiftool.read_digital_source_type(saved) == TRAINED
    # Only the metadata changed: the picture is the one uploaded.
    with Image.open(saved) as written, Image.open(original) as uploaded:
        assert np.array_equal(np.asarray(written), np.asarray(uploaded))


def test_a_german_manager_uploads_an_ai_key_visual_reads_its_labels_and_downloads_it_marked(
    visuals_walk, page
) -> None:
    base = visuals_walk["base"]
    _log_in(page, base)
    asset_id = _upload(page, visuals_walk["image"])
    _check(page, asset_id)
    _labels(page)
    _download(page, visuals_walk["downloads"], visuals_walk["image"])
