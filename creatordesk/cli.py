"""The `creatordesk` command: `creatordesk review ...` runs a pre-review, `visual-check` checks an
image, anything else goes to Django.

`review` and `visual-check` are dispatched before Django is imported, so reviewing a file needs neither settings nor a
database.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "review":
        from creatordesk.engine.cli import main as review_main

        return review_main(argv[2:])
    if len(argv) > 1 and argv[1] == "visual-check":
        from creatordesk.engine.visuals.cli import main as visual_check_main

        return visual_check_main(argv[2:])
    if len(argv) > 1 and argv[1] == "viral-eval":
        from creatordesk.performance.viral.cli import main as viral_eval_main

        return viral_eval_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creatordesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
