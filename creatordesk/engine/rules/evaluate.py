"""Measure the text rules against labelled phrases: the development part and the sealed part.

Run `python -m creatordesk.engine.rules.evaluate [--part dev|sealed|all] [--errors]`. Each row is
checked as a caption (one span, start 0) in its language with the default packs and EVAL_BRIEF; a row
is predicted as category X when at least one finding has category X. Rows with an empty expected
category are look-alikes that should produce no finding of any scored category. `disclosure_missing`
is not scored: it reports the absence of a label, which nearly every row has.

Two parts are measured the same way:

- development (`eval/phrases.csv`): the rows the rules are tuned on. `--errors` lists its misses.
- sealed (`eval/sealed.csv`): rows written independently of the rules and never looked at while
  tuning them. It measures how the rules generalise to wording nobody tuned for, so its rows are never
  listed, only counted.

Exits 1 when a part misses its threshold (THRESHOLDS), 2 when a part's file is missing.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from creatordesk.engine.rules import DEFAULT_PACKS, check_text, load_packs
from creatordesk.engine.types import CATEGORIES, Brief, TextSpan

EVAL_DIR = Path(__file__).with_name("eval")
PHRASES = EVAL_DIR / "phrases.csv"
SEALED = EVAL_DIR / "sealed.csv"
THRESHOLD = 0.9


@dataclass(frozen=True)
class Part:
    """One labelled set of phrases and the overall figures it must reach."""

    name: str
    path: Path
    min_precision: float
    min_recall: float
    # Only rows of a part that the rules are tuned on may be shown.
    listable: bool


# The sealed part's recall threshold is lower: it is wording nobody tuned for, and a miss there is
# the honest figure of how far the rules generalise.
PARTS = {
    "dev": Part("development", PHRASES, THRESHOLD, THRESHOLD, listable=True),
    "sealed": Part("sealed", SEALED, THRESHOLD, 0.85, listable=False),
}

# The brief-dependent rows of the set were written against this brand brief.
EVAL_BRIEF = Brief(
    product_name="Lumiva Hydra Serum",
    banned_terms=("billig", "budget", "Anti-Aging", "Schnäppchen", "bargain"),
    competitors=("CeraVe", "The Ordinary", "Nivea", "La Roche-Posay"),
    disclosure_required=True,
    language="de",
)
SCORED = tuple(c for c in CATEGORIES if c != "disclosure_missing")


@dataclass(frozen=True)
class Row:
    """One labelled phrase."""

    text: str
    lang: str
    expected: str
    source: str


@dataclass(frozen=True)
class Score:
    """Counts for one category, or for all of them together."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


def read_rows(path: Path = PHRASES) -> list[Row]:
    """Rows of a CSV with the columns text,lang,expected_category,source (text may span lines)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            Row(r["text"], r["lang"], r["expected_category"], r["source"]) for r in csv.DictReader(handle)
        ]
    for number, row in enumerate(rows, start=2):
        if row.expected and row.expected not in SCORED:
            raise ValueError(f"{path.name}: row {number}: unknown category {row.expected!r}")
        if row.lang not in ("de", "en"):
            raise ValueError(f"{path.name}: row {number}: language must be de or en, got {row.lang!r}")
    return rows


def predict(rows: Sequence[Row]) -> list[set[str]]:
    packs = load_packs(DEFAULT_PACKS)
    predictions = []
    for row in rows:
        span = TextSpan(start_s=0.0, end_s=0.0, text=row.text, source="caption", lang=row.lang)
        findings = check_text([span], packs=packs, brief=EVAL_BRIEF, duration_s=30.0)
        predictions.append({f.category for f in findings if f.category in SCORED})
    return predictions


def score(rows: Sequence[Row], predictions: Sequence[set[str]]) -> tuple[dict[str, Score], Score]:
    counts: dict[str, Counter[str]] = {category: Counter() for category in SCORED}
    for row, predicted in zip(rows, predictions, strict=True):
        for category in predicted | ({row.expected} if row.expected else set()):
            hit, wanted = category in predicted, category == row.expected
            counts[category]["tp" if hit and wanted else "fp" if hit else "fn"] += 1
    per_category = {c: Score(n["tp"], n["fp"], n["fn"]) for c, n in counts.items() if n}
    overall = Score(*(sum(getattr(s, f) for s in per_category.values()) for f in ("tp", "fp", "fn")))
    return per_category, overall


def render(per_category: dict[str, Score], overall: Score) -> str:
    lines = [f"{'category':<22}{'precision':>10}{'recall':>8}{'support':>9}"]
    for category in SCORED:
        if category in per_category:
            s = per_category[category]
            lines.append(f"{category:<22}{s.precision:>10.2f}{s.recall:>8.2f}{s.support:>9}")
    lines.append(
        f"{'overall (micro)':<22}{overall.precision:>10.2f}{overall.recall:>8.2f}{overall.support:>9}"
    )
    return "\n".join(lines)


def errors(rows: Sequence[Row], predictions: Sequence[set[str]]) -> list[str]:
    lines = []
    for row, predicted in zip(rows, predictions, strict=True):
        expected = {row.expected} if row.expected else set()
        if predicted != expected:
            got = ",".join(sorted(predicted)) or "-"
            text = row.text.replace("\n", " / ")
            lines.append(f"  expected {row.expected or '-':<20} got {got:<30} {text}")
    return lines


def run_part(part: Part, *, show_errors: bool) -> bool:
    """Print one part's table (and its misses when allowed); whether it meets its thresholds."""
    started = time.perf_counter()
    rows = read_rows(part.path)
    predictions = predict(rows)
    per_category, overall = score(rows, predictions)
    print(f"== {part.name} ({part.path.name}) ==")
    print(render(per_category, overall))
    print(f"{len(rows)} phrases, {time.perf_counter() - started:.1f} s")
    if show_errors and part.listable:
        print("\n".join(errors(rows, predictions)))
    ok = overall.precision >= part.min_precision and overall.recall >= part.min_recall
    if not ok:
        print(
            f"FAIL: {part.name} overall precision must be at least {part.min_precision:.2f} "
            f"and recall at least {part.min_recall:.2f}"
        )
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--part",
        choices=("dev", "sealed", "all"),
        default="all",
        help="which labelled set to measure (default: both)",
    )
    parser.add_argument(
        "--errors", action="store_true", help="also list the misclassified rows of the development part"
    )
    args = parser.parse_args(argv)

    chosen = [PARTS[name] for name in (("dev", "sealed") if args.part == "all" else (args.part,))]
    missing = [part for part in chosen if not part.path.is_file()]
    if missing:
        print(f"{missing[0].name} part not found: {missing[0].path}")
        return 2
    results = []
    for number, part in enumerate(chosen):
        if number:
            print()
        results.append(run_part(part, show_errors=args.errors))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
