"""The `creatordesk` command: `creatordesk review …` runs the engine alone, anything else is manage.py."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "review":
        # The engine never imports Django: a review starts fast and works without a database.
        from creatordesk.engine.cli import main as review_main

        return review_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creatordesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
