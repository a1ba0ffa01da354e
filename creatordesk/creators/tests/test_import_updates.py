"""Counts reported after an import, before → after in the preview, and list fields added or replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from conftest import Side
from creatordesk.creators.models import Creator, ImportJob
from creatordesk.creators.tests.test_import import UPLOAD, commit, confirm_columns, upload, write
from creatordesk.creators.tests.test_import_jobs import run_worker

# The background tests run the real task worker, which needs committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def four_new_and_one_existing(tmp_path: Path, side: Side) -> Path:
    handle = side.creator.tiktok_handle
    return write(
        tmp_path,
        "creators.csv",
        "Name,Handle,Followers,Categories\n"
        "Jana,jana,1000,skincare\n"
        "Mehmet,mehmet,2000,\n"
        "Lea,lea,3000,\n"
        "Tom,tom,4000,\n"
        f'Alpha New,{handle},5000,"skincare, Food"\n',
    )


def creator_rows(side: Side) -> dict[int, tuple]:
    creators = Creator.objects.filter(workspace=side.workspace)
    return {row[0]: row[1:] for row in creators.values_list("pk", "display_name", "followers", "categories")}


def database_changes(before: dict[int, tuple], after: dict[int, tuple]) -> tuple[int, int]:
    created = set(after) - set(before)
    changed = {pk for pk in before if pk in after and before[pk] != after[pk]}
    return len(created), len(changed)


def with_categories(side: Side, categories: str) -> None:
    Creator.objects.filter(pk=side.creator.pk).update(categories=categories)


def start(client: Client, path: Path, **changes: str) -> str:
    token = upload(client, path)
    confirm_columns(client, token, **changes)
    return token


def test_the_counts_reported_after_an_inline_import_equal_the_rows_created_and_changed(
    side_a, login_as, tmp_path
) -> None:
    client = login_as(side_a.manager)
    before = creator_rows(side_a)
    token = start(client, four_new_and_one_existing(tmp_path, side_a))
    response = commit(client, token)
    page = client.get(response["Location"]).content.decode()

    assert database_changes(before, creator_rows(side_a)) == (4, 1)
    assert "New creators: 4. Updated creators: 1. Unchanged creators: 0. Rows skipped: 0." in page


def test_the_counts_reported_after_a_background_import_equal_the_rows_created_and_changed(
    side_a, login_as, tmp_path, settings
) -> None:
    settings.IMPORT_INLINE_ROWS = 3  # the five rows go to the worker
    settings.IMPORT_CHUNK_ROWS = 2  # in three chunks
    client = login_as(side_a.manager)
    before = creator_rows(side_a)
    token = start(client, four_new_and_one_existing(tmp_path, side_a))
    response = client.post(f"{UPLOAD}{token}/commit/")
    run_worker()
    page = client.get(response["Location"], follow=True).content.decode()

    assert ImportJob.objects.get(token=token, commit=True).status == ImportJob.Status.DONE
    assert database_changes(before, creator_rows(side_a)) == (4, 1)
    assert "New creators: 4. Updated creators: 1. Unchanged creators: 0. Rows skipped: 0." in page


def test_the_preview_shows_each_changed_value_of_an_existing_creator_as_before_and_after(
    side_a, login_as, tmp_path
) -> None:
    with_categories(side_a, "beauty, Skincare")
    client = login_as(side_a.manager)
    token = start(client, four_new_and_one_existing(tmp_path, side_a))
    response = client.get(f"{UPLOAD}{token}/preview/")
    page = response.content.decode()

    updated = [entry for entry in response.context["plan"].preview if not entry.is_new]
    assert {change["after"] for change in updated[0].changes} >= {"Alpha New", "5000"}
    assert "Categories: beauty, Skincare → beauty, Skincare, food" in page
    assert page.count('data-testid="import-changes"') == 1  # new creators have nothing to compare


def test_the_preview_of_a_background_check_shows_before_and_after_too(
    side_a, login_as, tmp_path, settings
) -> None:
    settings.IMPORT_INLINE_ROWS = 3
    with_categories(side_a, "beauty")
    client = login_as(side_a.manager)
    token = start(client, four_new_and_one_existing(tmp_path, side_a))
    client.get(f"{UPLOAD}{token}/preview/")
    run_worker()
    page = client.get(f"{UPLOAD}{token}/preview/").content.decode()

    assert "Categories: beauty → beauty, skincare, food" in page


def test_list_fields_of_an_existing_creator_are_added_to_without_duplicates_by_default(
    side_a, login_as, tmp_path
) -> None:
    with_categories(side_a, "beauty, Skincare")
    client = login_as(side_a.manager)
    commit(client, start(client, four_new_and_one_existing(tmp_path, side_a)))

    assert Creator.objects.get(pk=side_a.creator.pk).categories == "beauty, Skincare, food"


def test_a_list_field_set_to_replace_keeps_only_the_files_entries(side_a, login_as, tmp_path) -> None:
    with_categories(side_a, "beauty, Skincare")
    client = login_as(side_a.manager)
    token = start(client, four_new_and_one_existing(tmp_path, side_a), list_mode_categories="replace")
    page = client.get(f"{UPLOAD}{token}/preview/").content.decode()
    commit(client, token)

    assert "Categories: beauty, Skincare → skincare, food" in page
    assert Creator.objects.get(pk=side_a.creator.pk).categories == "skincare, food"


def test_adding_to_a_list_stops_at_the_last_whole_entry_that_fits_the_column() -> None:
    from creatordesk.creators.import_values import merge_items

    assert merge_items("de, en", "EN, fr", 60) == "de, en, fr"
    assert merge_items("aaaa, bbbb", "cccc, dd", 14) == "aaaa, bbbb"
    assert merge_items("", "x, y", 10) == "x, y"
