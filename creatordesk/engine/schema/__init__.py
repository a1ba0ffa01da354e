"""The JSON Schemas of the review document (`creatordesk review --format json`) and of an image check
(`creatordesk visual-check --format json`)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("review.schema.json")
VISUAL_SCHEMA_PATH = Path(__file__).with_name("visual.schema.json")


@cache
def review_schema() -> dict[str, Any]:
    """The schema as a dict, for validating stored or received review documents."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def visual_schema() -> dict[str, Any]:
    """The schema of an image check (`creatordesk visual-check --format json`)."""
    schema: dict[str, Any] = json.loads(VISUAL_SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema
