from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.db import IntegrityError
from django.test import Client

from conftest import Side
from creatordesk.creators import imports
from creatordesk.creators.import_values import CellError, parse_count, parse_number, parse_percent
from creatordesk.creators.models import ActivityEvent, Creator, Platform, PlatformAccount
from creatordesk.djangolib import staged_files

pytestmark = pytest.mark.django_db

UPLOAD = "/creators/import/"

# Row 4 has two bad cells, row 8 no handle, row 9 an unknown platform. Rows 2 and 5 are the same
# TikTok account in different case; row 6 is the fixture creator "alpha_one", added by hand earlier.
MIXED_CSV = """\
Creator name,@handle,Platform,Followers,Avg. views,Engagement rate,Email,Country,Languages,Categories,Tags
Jana Glow,@Jana.Glow,TikTok,"12,3k","4,500",4.2%,jana@example.com,Germany,"German, English",Skincare,vip
Mehmet,skinbymehmet,tiktok,80000,,3.1%,mehmet@example.com,DE,de,"skincare, beauty",
Broken Row,brokenrow,tiktok,lots,,,not-an-email,DE,,,
Jana Glow Updated,JANA.GLOW,tiktok,15000,,5%,,,,,
Alpha One,ALPHA_ONE,tiktok,1000,,2%,,,,,
Jana on Instagram,jana.glow,Instagram,20000,,1.5%,,,,,
Nohandle,,tiktok,100,,,,,,,
Mystery,someone,myspace,100,,,,,,,
"""


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def upload(client: Client, path: Path) -> str:
    with path.open("rb") as handle:
        response = client.post(UPLOAD, {"file": handle})
    assert response.status_code == 302, response.content.decode()
    return response["Location"].split("/")[-3]


def confirm_columns(client: Client, token: str, **changes: str) -> None:
    """Accept the recognised columns, with `changes` applied, as a user submitting the form would."""
    url = f"{UPLOAD}{token}/columns/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields} | changes
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()


def start(client: Client, path: Path) -> str:
    token = upload(client, path)
    confirm_columns(client, token)
    return token


def commit(client: Client, token: str, skip_errors: bool = False):
    return client.post(f"{UPLOAD}{token}/commit/", {"skip_errors": "on"} if skip_errors else {})


def snapshot(side: Side) -> list[tuple]:
    creators = Creator.objects.filter(workspace=side.workspace).order_by("pk")
    accounts = PlatformAccount.objects.filter(workspace=side.workspace).order_by("pk")
    events = ActivityEvent.objects.filter(workspace=side.workspace).order_by("pk")
    return [
        *creators.values_list("pk", "display_name", "email", "followers", "engagement_rate", "tiktok_handle"),
        *accounts.values_list("pk", "platform", "handle", "followers", "engagement_rate"),
        *events.values_list("pk", "verb"),
    ]


def test_preview_recognises_the_columns_lists_each_bad_row_and_counts_what_would_happen(
    side_a, login_as, tmp_path
) -> None:
    client = login_as(side_a.manager)
    token = start(client, write(tmp_path, "creators.csv", MIXED_CSV))
    response = client.get(f"{UPLOAD}{token}/preview/")
    plan = response.context["plan"]
    page = response.content.decode()

    assert [(e.row, e.column) for e in plan.errors] == [
        (4, "Followers"), (4, "Email"), (8, "@handle"), (9, "Platform"),
    ]  # fmt: skip
    assert "“lots” is not a number." in page
    assert "The handle is missing." in page
    assert "Unknown platform “myspace”." in page
    assert (plan.new_count, plan.updated_count, plan.error_rows, plan.repeated_rows) == (3, 1, 3, 1)
    assert "1 row repeats a handle of an earlier row" in page
    preview = {(entry.platform, entry.handle): entry for entry in plan.preview}
    assert preview["tiktok", "jana.glow"].display_name == "Jana Glow Updated"
    assert preview["tiktok", "jana.glow"].account_fields["followers"] == 15000
    assert preview["tiktok", "alpha_one"].is_new is False


def test_the_dry_run_changes_nothing(side_a, login_as, tmp_path) -> None:
    client = login_as(side_a.manager)
    before = snapshot(side_a)
    token = start(client, write(tmp_path, "creators.csv", MIXED_CSV))
    assert client.get(f"{UPLOAD}{token}/preview/").status_code == 200
    stored = imports.import_load(workspace=side_a.workspace, token=token)
    plan = imports.import_dry_run(workspace=side_a.workspace, stored=stored)
    assert plan.new_count == 3
    assert snapshot(side_a) == before


def test_an_import_with_errors_writes_nothing_and_shows_the_errors(side_a, login_as, tmp_path) -> None:
    client = login_as(side_a.manager)
    before = snapshot(side_a)
    token = start(client, write(tmp_path, "creators.csv", MIXED_CSV))
    response = commit(client, token)
    assert response.status_code == 400
    assert "Nothing was imported: 3 rows have errors." in response.content.decode()
    assert snapshot(side_a) == before
    assert client.get(f"{UPLOAD}{token}/preview/").status_code == 200  # the file is kept for a retry


def test_skipping_rows_with_errors_imports_exactly_the_valid_rows(side_a, login_as, tmp_path) -> None:
    client = login_as(side_a.manager)
    token = start(client, write(tmp_path, "creators.csv", MIXED_CSV))
    response = commit(client, token, skip_errors=True)
    assert response.status_code == 302

    creators = Creator.objects.filter(workspace=side_a.workspace)
    assert sorted(creators.values_list("display_name", flat=True)) == [
        "Alpha One", "Jana Glow Updated", "Jana on Instagram", "Mehmet", "Second alpha",
    ]  # fmt: skip
    jana = creators.get(display_name="Jana Glow Updated")
    assert (jana.followers, jana.engagement_rate, jana.email, jana.country) == (
        15000,
        5.0,
        "jana@example.com",
        "DE",
    )
    assert (jana.languages, jana.categories, jana.tags, jana.tiktok_handle) == (
        "de, en",
        "skincare",  # the file's "Skincare" under its category key
        "vip",
        "jana.glow",
    )
    account = jana.accounts.get()
    assert (account.platform, account.handle, account.avg_views) == (Platform.TIKTOK, "jana.glow", 4500)
    # The creator added by hand with only a TikTok handle is updated, not duplicated.
    alpha = creators.get(pk=side_a.creator.pk)
    assert (alpha.display_name, alpha.followers, alpha.engagement_rate) == ("Alpha One", 1000, 2.0)
    assert alpha.accounts.get().handle == "alpha_one"
    assert not creators.filter(display_name__in=["Broken Row", "Nohandle", "Mystery"]).exists()
    assert creators.get(display_name="Mehmet").activity.get().text == "Imported from creators.csv"
    assert alpha.activity.filter(verb="import_updated", actor=str(side_a.manager)).exists()
    assert not staged_files.folder(token).exists()


def test_importing_again_updates_the_same_creators_instead_of_adding_duplicates(
    side_a, login_as, tmp_path
) -> None:
    client = login_as(side_a.manager)
    first = "Name,Handle,Followers\nJana,@jana,1000\nMehmet,mehmet,2000\n"
    commit(client, start(client, write(tmp_path, "a.csv", first)))
    ids = set(Creator.objects.filter(workspace=side_a.workspace).values_list("pk", flat=True))

    token = start(client, write(tmp_path, "b.csv", "Name,Handle,Followers\nJana G.,JANA,3000\n"))
    plan = client.get(f"{UPLOAD}{token}/preview/").context["plan"]
    assert (plan.new_count, plan.updated_count) == (0, 1)
    commit(client, token)
    assert set(Creator.objects.filter(workspace=side_a.workspace).values_list("pk", flat=True)) == ids
    jana = Creator.objects.get(workspace=side_a.workspace, accounts__handle="jana")
    assert (jana.display_name, jana.followers) == ("Jana G.", 3000)


def test_updating_one_account_recomputes_followers_over_all_accounts_and_er_of_the_biggest(
    side_a, login_as, tmp_path
) -> None:
    creator = side_a.other_creator
    for platform, followers, rate in ((Platform.TIKTOK, 1000, 9.0), (Platform.INSTAGRAM, 5000, 2.0)):
        PlatformAccount.objects.create(
            workspace=side_a.workspace, creator=creator, platform=platform, handle="multi",
            followers=followers, engagement_rate=rate,
        )  # fmt: skip
    client = login_as(side_a.manager)
    commit(
        client,
        start(client, write(tmp_path, "u.csv", "handle,platform,followers,ER\nmulti,tiktok,10000,4\n")),
    )
    creator.refresh_from_db()
    assert (creator.followers, creator.engagement_rate) == (15000, 4.0)
    assert creator.display_name == "Second alpha"  # no name column: the name stays


def test_a_failure_while_writing_leaves_the_database_unchanged(
    side_a, login_as, tmp_path, monkeypatch
) -> None:
    client = login_as(side_a.manager)
    before = snapshot(side_a)
    token = start(client, write(tmp_path, "creators.csv", MIXED_CSV))

    def collide(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: another import added the same handle")

    # The creators are written before their accounts, so this fails half-way through the import.
    monkeypatch.setattr(imports, "_insert_rows", collide)
    response = commit(client, token, skip_errors=True)
    assert response.status_code == 302
    assert snapshot(side_a) == before
    assert "Nothing was imported" in client.get(response["Location"]).content.decode()


def test_an_excel_workbook_with_a_title_row_and_percent_cells_imports(side_a, login_as, tmp_path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Creator export, November"])
    sheet.append(
        ["Creator", "Creator username", "Follower count", "Engagement rate", "Video views (avg)", "GMV (€)"]
    )
    sheet.append(["Emma in Berlin", "@Emma.In.Berlin", 54000, 0.061, 12000, 1234.5])
    sheet.append(["Tom", "tomtestet", "1.2M", "3.5%", "20k", "€99.90"])
    sheet["D3"].number_format = "0.0%"
    path = tmp_path / "export.xlsx"
    workbook.save(path)

    client = login_as(side_a.manager)
    commit(client, start(client, path))
    emma = PlatformAccount.objects.get(workspace=side_a.workspace, handle="emma.in.berlin")
    assert (emma.followers, emma.engagement_rate, emma.avg_views, emma.gmv_eur) == (
        54000, 6.1, 12000, Decimal("1234.50"),
    )  # fmt: skip
    assert emma.creator.display_name == "Emma in Berlin"
    tom = PlatformAccount.objects.get(workspace=side_a.workspace, handle="tomtestet")
    assert (tom.followers, tom.engagement_rate, tom.avg_views, tom.gmv_eur) == (
        1_200_000,
        3.5,
        20000,
        Decimal("99.90"),
    )


def test_a_german_export_with_semicolons_and_windows_encoding_reads_german_numbers(
    side_a, login_as, tmp_path
) -> None:
    text = (
        "Name;Nutzername;Follower;Durchschnittliche Aufrufe;Interaktionsrate;E-Mail;Land;Sprache;Kategorie\n"
        "Lisa Liebt Pflege;@LisaLiebtPflege;1.234;12,3 Tsd.;12,5 %;lisa@example.de;Österreich;Deutsch;Hautpflege\n"
        'Tom testet;tomtestet;2,5 Mio.;"1.234.567";3,75%;tom@example.de;DE;de, en;Männerpflege\n'
    )
    client = login_as(side_a.manager)
    token = upload(client, write(tmp_path, "liste.csv", text, encoding="cp1252"))
    form = client.get(f"{UPLOAD}{token}/columns/").context["form"]
    assert [form[f"column_{i}"].value() for i in range(9)] == [
        "display_name", "handle", "followers", "avg_views", "engagement_rate", "email", "country",
        "languages", "categories",
    ]  # fmt: skip
    assert form["number_format"].value() == "de"
    confirm_columns(client, token)
    commit(client, token)

    lisa = Creator.objects.get(workspace=side_a.workspace, accounts__handle="lisaliebtpflege")
    account = lisa.accounts.get()
    assert (account.followers, account.avg_views, account.engagement_rate) == (1234, 12300, 12.5)
    # "Hautpflege" is stored under its category key, so it matches a campaign looking for "skincare".
    assert (lisa.country, lisa.languages, lisa.categories) == ("AT", "de", "skincare")
    tom = Creator.objects.get(workspace=side_a.workspace, accounts__handle="tomtestet")
    assert (tom.followers, tom.accounts.get().avg_views, tom.engagement_rate) == (2_500_000, 1_234_567, 3.75)
    assert (tom.languages, tom.categories) == ("de, en", "Männerpflege")


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-16", "\t"), ("utf-8", "|"), ("latin-1", ";")]
)
def test_csv_files_in_other_encodings_and_delimiters_are_read(
    side_a, login_as, tmp_path, encoding, delimiter
) -> None:
    text = (
        delimiter.join(["Name", "Handle", "Country"])
        + "\n"
        + delimiter.join(["Zoë Müller", "zoe", "Österreich"])
        + "\n"
    )
    client = login_as(side_a.manager)
    commit(client, start(client, write(tmp_path, "list.txt", text, encoding=encoding)))
    zoe = Creator.objects.get(workspace=side_a.workspace, accounts__handle="zoe")
    assert (zoe.display_name, zoe.country) == ("Zoë Müller", "AT")


def test_the_user_can_map_an_unrecognised_column_and_must_map_the_handle_once(
    side_a, login_as, tmp_path
) -> None:
    client = login_as(side_a.manager)
    token = upload(client, write(tmp_path, "own.csv", "Who,Account,Reichweite\nJana,jana,5000\n"))
    url = f"{UPLOAD}{token}/columns/"
    base = {"default_platform": "instagram", "number_format": "en", "column_0": "display_name"}
    twice = client.post(url, base | {"column_1": "handle", "column_2": "handle"})
    assert twice.status_code == 400
    assert "“Handle” is chosen for more than one column." in twice.content.decode()
    none = client.post(url, base | {"column_1": "", "column_2": "followers"})
    assert "Choose the column that holds the handle." in none.content.decode()

    assert client.post(url, base | {"column_1": "handle", "column_2": "followers"}).status_code == 302
    commit(client, token)
    account = PlatformAccount.objects.get(workspace=side_a.workspace, handle="jana")
    assert (account.platform, account.followers) == (Platform.INSTAGRAM, 5000)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("creators.pdf", b"%PDF-1.4", "Upload a CSV file or an Excel workbook (.xlsx)."),
        ("creators.xls", b"\xd0\xcf\x11\xe0", "Old Excel files (.xls) cannot be read."),
        ("creators.csv", b"", "The submitted file is empty."),
        ("creators.csv", b"\n\n", "The file has no rows."),
        ("creators.csv", b"@jana,12000\n@tom,500\n", "The first row must name the columns"),
        ("creators.csv", b"Name,Handle\n", "The file has column names but no rows of creators."),
        ("creators.xlsx", b"Name,Handle\nJana,jana\n", "This file is not an Excel workbook (.xlsx)."),
        ("creators.csv", b"PK\x03\x04\x00\x00binary", "This file is not a CSV file."),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(
    side_a, login_as, tmp_path, name, content, message
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with path.open("rb") as handle:
        response = login_as(side_a.manager).post(UPLOAD, {"file": handle})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not any((tmp_path / "var" / "imports").glob("*/source.*"))


def test_a_file_over_the_size_limit_is_refused(side_a, login_as, tmp_path, settings) -> None:
    settings.IMPORT_MAX_BYTES = 100
    response = login_as(side_a.manager).post(
        UPLOAD, {"file": write(tmp_path, "big.csv", "Handle\n" + "x\n" * 60).open("rb")}
    )
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()


def test_a_member_of_another_workspace_cannot_see_or_continue_an_import(
    side_a, side_b, login_as, tmp_path
) -> None:
    token = start(login_as(side_a.manager), write(tmp_path, "creators.csv", MIXED_CSV))
    outsider = login_as(side_b.manager)
    before = snapshot(side_b)
    for step in ("columns", "preview"):
        assert outsider.get(f"{UPLOAD}{token}/{step}/").status_code == 404
    for step in ("columns", "commit", "discard"):
        assert outsider.post(f"{UPLOAD}{token}/{step}/", {"skip_errors": "on"}).status_code == 404
    assert snapshot(side_b) == before
    assert login_as(side_a.manager).get(f"{UPLOAD}{token}/preview/").status_code == 200


def test_a_viewer_cannot_import(side_a, login_as, tmp_path) -> None:
    token = start(login_as(side_a.manager), write(tmp_path, "creators.csv", MIXED_CSV))
    viewer = login_as(side_a.viewer)
    assert viewer.get(UPLOAD).status_code == 403
    with write(tmp_path, "v.csv", "Handle\njana\n").open("rb") as handle:
        assert viewer.post(UPLOAD, {"file": handle}).status_code == 403
    assert viewer.get(f"{UPLOAD}{token}/preview/").status_code == 403
    assert viewer.post(f"{UPLOAD}{token}/commit/", {"skip_errors": "on"}).status_code == 403
    assert not Creator.objects.filter(workspace=side_a.workspace, display_name="Mehmet").exists()


def test_cancelling_deletes_the_uploaded_file(side_a, login_as, tmp_path) -> None:
    client = login_as(side_a.manager)
    token = start(client, write(tmp_path, "creators.csv", MIXED_CSV))
    assert client.post(f"{UPLOAD}{token}/discard/").status_code == 302
    assert client.get(f"{UPLOAD}{token}/preview/").status_code == 404
    assert not any((tmp_path / "var" / "imports").iterdir())


@pytest.mark.parametrize(
    ("text", "german", "expected"),
    [
        ("12,3k", False, 12300),
        ("12,3k", True, 12300),
        ("1.234", True, 1234),
        ("1,234", False, 1234),
        ("1.234.567", True, 1234567),
        ("1,234,567", False, 1234567),
        ("2,5 Mio.", True, 2500000),
        ("3 Tsd.", True, 3000),
        ("1.5M", False, 1500000),
        ("12 000", True, 12000),
    ],
)
def test_counts_read_suffixes_and_the_files_thousands_separator(text, german, expected) -> None:
    assert parse_count(text, decimal_comma=german) == expected


@pytest.mark.parametrize(
    ("text", "german", "expected"), [("12,5 %", True, 12.5), ("4.2%", False, 4.2), ("0,8", False, 0.8)]
)
def test_rates_read_decimal_commas_and_percent_signs(text, german, expected) -> None:
    assert parse_percent(text, decimal_comma=german) == expected


@pytest.mark.parametrize("text", ["lots", "1.2.3", "12x", "1.5", "-5", "1,23,4"])
def test_counts_that_are_not_whole_numbers_are_errors(text) -> None:
    with pytest.raises(CellError):
        parse_count(text, decimal_comma=False)


def test_a_number_in_an_english_file_can_have_three_decimals() -> None:
    assert parse_number("1.234", decimal_comma=False) == (Decimal("1.234"), False)
