"""The shape of the code that tests can hold in place: no edge of the web app owns a transaction.

Views, API endpoints and the board call services; a service composes the steps and owns the
transaction, so every path (form, portal, API, task) writes the same way.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "creatordesk"


def _is_edge(path: Path) -> bool:
    name = path.name
    return (
        name in ("views.py", "api.py", "pipeline.py")
        or name.endswith("_views.py")
        or "views" in path.relative_to(PACKAGE).parts[:-1]
    )


def edge_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts and _is_edge(p))


def transaction_uses(source: str) -> list[int]:
    """Line numbers where `source` opens a transaction: `transaction.atomic` or an imported `atomic`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "atomic":
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.db"):
            lines += [node.lineno for alias in node.names if alias.name == "atomic"]
    return sorted(lines)


def test_the_scan_sees_every_kind_of_edge_module() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in edge_modules()}
    assert {"reviews/views.py", "reviews/portal_views.py", "campaigns/pipeline.py", "reviews/api.py"} <= names


def test_the_scan_finds_a_transaction_however_it_is_written() -> None:
    assert transaction_uses("from django.db import transaction\nwith transaction.atomic():\n    pass\n") == [
        2
    ]
    assert transaction_uses("from django.db.transaction import atomic\n@atomic\ndef f(): ...\n") == [1]
    assert transaction_uses("from django import db\nwith db.transaction.atomic(): ...\n") == [2]
    assert transaction_uses("from django.db import transaction\ntransaction.on_commit(print)\n") == []


def test_no_view_api_endpoint_or_board_action_owns_a_transaction() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in edge_modules()
        for line in transaction_uses(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "move these transactions into a service that composes the steps: " + ", ".join(found)
