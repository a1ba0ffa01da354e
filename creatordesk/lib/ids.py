"""Object ids read from query strings and forms, where anything at all may arrive."""

from __future__ import annotations

# The largest BigAutoField value; SQLite raises OverflowError and PostgreSQL refuses a bigint past it.
MAX_ID = 2**63 - 1


def parse_id(value: str | None) -> int | None:
    """A positive id, or None for anything that cannot be one (so it matches nothing, never fails).

    `str.isdigit()` alone also accepts digits such as "²" that int() refuses, and a 23-digit number
    overflows the database driver; neither may turn a link into a server error.
    """
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
