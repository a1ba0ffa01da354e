"""The import contracts `make lint` checks (pyproject.toml, [tool.importlinter]) hold and catch a breach.

A breach is planted in a copy of the package, so the checked-out tree is never touched: the engine
importing Django, and accounts reaching up into the dashboard.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH puts the tree's own creatordesk ahead of the installed one.
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), str(tree / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _all_but_python(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if not (n.endswith(".py") or Path(folder, n).is_dir())]


def _copy_of_the_package(target: Path) -> Path:
    shutil.copytree(ROOT / "creatordesk", target / "creatordesk", ignore=_all_but_python)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_shipped_tree_keeps_every_import_contract() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "complaint"),
    [
        ("engine/_probe.py", "import django\n", "creatordesk.engine._probe -> django (l.1)"),
        ("lib/_probe.py", "from django.db import models\n", "creatordesk.lib._probe -> django (l.1)"),
        (
            "performance/viral/_probe.py",
            "from django.conf import settings\n",
            "creatordesk.performance.viral._probe -> django (l.1)",
        ),
        (
            "accounts/_probe.py",
            "from creatordesk.dashboard import selectors\n",
            "creatordesk.accounts._probe -> creatordesk.dashboard.selectors",
        ),
    ],
)
def test_a_planted_forbidden_import_breaks_the_lint(
    tmp_path: Path, module: str, source: str, complaint: str
) -> None:
    tree = _copy_of_the_package(tmp_path)
    (tree / "creatordesk" / module).write_text(source)
    result = _lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert complaint in result.stdout
    assert "1 broken" in result.stdout
