#!/usr/bin/env python3
"""Fail when a template shows words that do not go through translation, or the German catalogue lags.

Templates: every HTML text node and every human-facing attribute (title, placeholder, alt,
aria-label) must be empty once template tags, variables and comments are taken out; whatever letters
remain were written straight into the page and would reach a German reader in English.

Catalogue: `creatordesk/locale/de/LC_MESSAGES/django.po` must have no empty or fuzzy entry
(`--skip-po` leaves this part out, e.g. right after new strings were wrapped and before the
catalogue was translated).

Usage: scripts/check_translations.py [--skip-po] [template files or folders ...]
"""

from __future__ import annotations

import argparse
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_ROOT = ROOT / "creatordesk"
PO_FILE = ROOT / "creatordesk" / "locale" / "de" / "LC_MESSAGES" / "django.po"

# Words that read the same in German and English, or are names rather than text.
ALLOW = {
    "CreatorDesk",
    "HTMX",
    "TikTok",
    "API",
    "CSV",
    "GMV",
    "ID",
    "URL",
    "OK",
    "UTC",
    "LUFS",
    "px",
    "s",
    "h",
    "x",
    "×",
    "€",
    "%",
    "@",
    "#",
    # A version number ("v2") is written alike in both languages.
    "v",
    # The language picker names each language in itself, as readers look for their own.
    "Deutsch",
    "English",
}
HUMAN_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label"}
# Text of these elements is not read as words on the page.
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "svg"}

_COMMENT_BLOCK = re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.DOTALL)
_BLOCKTRANSLATE = re.compile(r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.DOTALL)
# Blocks that fill in a CSS class name (`{% block main_class %}wide{% endblock %}`), not text.
_CLASS_BLOCK = re.compile(r"{%\s*block\s+\w*class\s*%}.*?{%\s*endblock\b.*?%}", re.DOTALL)
_TEMPLATE_CONSTRUCT = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def leftover_words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text) if word not in ALLOW]


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        for name, value in attrs:
            if name in HUMAN_ATTRIBUTES and value and leftover_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping and leftover_words(data):
            self.found.append((self.getpos()[0], " ".join(data.split())))


def untranslated_in_template(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    # Line numbers stay right because every removed construct keeps its newlines.
    stripped = _COMMENT_BLOCK.sub(_keep_newlines, source)
    stripped = _BLOCKTRANSLATE.sub(_keep_newlines, stripped)
    stripped = _CLASS_BLOCK.sub(_keep_newlines, stripped)
    stripped = _TEMPLATE_CONSTRUCT.sub(_keep_newlines, stripped)
    finder = _TextFinder()
    finder.feed(stripped)
    finder.close()
    return finder.found


def _keep_newlines(found: re.Match[str]) -> str:
    return " " + "\n" * found.group(0).count("\n")


def templates(paths: list[Path]) -> list[Path]:
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            for suffix in ("html", "txt"):
                result += path.rglob(f"templates/**/*.{suffix}")
                if path.name == "templates":
                    result += path.rglob(f"*.{suffix}")
        else:
            result.append(path)
    return sorted(set(result))


def po_problems(path: Path) -> list[str]:
    """Entries of the catalogue that are fuzzy or have no translation."""
    problems = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        msgid = _joined(lines, "msgid")
        if not msgid:
            continue  # the header
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            problems.append(f"{path.name}: fuzzy: {msgid!r}")
            continue
        translations = [_joined(lines, key) for key in _msgstr_keys(lines)]
        if not any(translations) or any(not text for text in translations):
            problems.append(f"{path.name}: untranslated: {msgid!r}")
    return problems


def _msgstr_keys(lines: list[str]) -> list[str]:
    keys = [line.split(" ", 1)[0] for line in lines if line.startswith("msgstr")]
    return keys or ["msgstr"]


def _joined(lines: list[str], key: str) -> str:
    """The text of one field of a .po entry, its continuation lines included."""
    text, inside = [], False
    for line in lines:
        if line.startswith("#~"):
            return ""  # an obsolete entry
        if line.startswith(key + " "):
            inside = True
            text.append(line[len(key) + 1 :].strip())
        elif inside and line.startswith('"'):
            text.append(line.strip())
        elif inside:
            break
    return "".join(part[1:-1] for part in text if len(part) >= 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[TEMPLATE_ROOT])
    parser.add_argument("--skip-po", action="store_true", help="do not check the German catalogue")
    args = parser.parse_args(argv)
    problems = []
    for path in templates(args.paths):
        for line, text in untranslated_in_template(path):
            problems.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{line}: {text}")
    if not args.skip_po:
        problems += po_problems(PO_FILE)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} untranslated string(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
