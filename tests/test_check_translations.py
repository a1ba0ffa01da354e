"""The untranslated-string check `make lint` runs: it finds raw words, and the shipped tree has none."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _check() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_translations", ROOT / "scripts" / "check_translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_template_word_outside_translate_is_reported_with_its_line(tmp_path: Path) -> None:
    page = tmp_path / "templates" / "page.html"
    page.parent.mkdir()
    page.write_text(
        '{% load i18n %}<h1>{% translate "Fine" %}</h1>\n'
        "<p>{{ creator.name }} · {% blocktranslate %}Also {{ fine }}{% endblocktranslate %}</p>\n"
        '<button title="Play from here">{% translate "Play" %}</button>\n'
        "<p>Select an option</p>\n"
        "<script>const words = 'not read by anyone';</script>\n",
        encoding="utf-8",
    )
    found = _check().untranslated_in_template(page)
    assert found == [(3, 'title="Play from here"'), (4, "Select an option")]


def test_the_check_fails_on_a_raw_word_and_passes_on_wrapped_text(tmp_path: Path, capsys) -> None:
    check = _check()
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "a.html").write_text('{% load i18n %}<p>{% translate "Saved" %} 3/5 · v2</p>', encoding="utf-8")
    assert check.main(["--skip-po", str(tmp_path)]) == 0
    (folder / "b.html").write_text("<p>Saved</p>", encoding="utf-8")
    assert check.main(["--skip-po", str(tmp_path)]) == 1
    assert "b.html:1: Saved" in capsys.readouterr().out


def test_a_catalogue_entry_without_german_or_marked_fuzzy_is_reported(tmp_path: Path) -> None:
    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        'msgid "Done"\nmsgstr "Erledigt"\n\n'
        'msgid "Open"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Close"\nmsgstr "Schließen"\n\n'
        'msgid "one file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "eine Datei"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    assert _check().po_problems(catalogue) == [
        "django.po: untranslated: 'Open'",
        "django.po: fuzzy: 'Close'",
        "django.po: untranslated: 'one file'",
    ]


def test_every_shipped_template_passes_the_check() -> None:
    assert _check().main(["--skip-po"]) == 0
