"""The JSON Schema of the review document (`ReviewResult.as_dict()`, `creatordesk review --format json`)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("review.schema.json")


@cache
def review_schema() -> dict[str, Any]:
    """The schema as a dict, for validating stored or received review documents."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema
