"""Measure the text rules against the labelled phrases in eval/phrases.csv.

Run `python -m creatordesk.engine.rules.evaluate`. Each row is checked as a caption (one span, start
0) in its language with the default packs and EVAL_BRIEF; a row is predicted as category X when at
least one finding has category X. Rows with an empty expected category are look-alikes that should
produce no finding of any scored category. `disclosure_missing` is not scored: it reports the absence
of a label, which nearly every row has. Prints precision, recall and support per category and
overall (micro), and exits 1 when either overall figure is below 0.9.
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

PHRASES = Path(__file__).with_name("eval") / "phrases.csv"
THRESHOLD = 0.9

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
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            Row(r["text"], r["lang"], r["expected_category"], r["source"]) for r in csv.DictReader(handle)
        ]
    for number, row in enumerate(rows, start=2):
        if row.expected and row.expected not in SCORED:
            raise ValueError(f"{path}:{number}: unknown category {row.expected!r}")
        if row.lang not in ("de", "en"):
            raise ValueError(f"{path}:{number}: language must be de or en, got {row.lang!r}")
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--errors", action="store_true", help="also list every misclassified row")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    rows = read_rows()
    predictions = predict(rows)
    per_category, overall = score(rows, predictions)
    print(render(per_category, overall))
    print(f"{len(rows)} phrases, {time.perf_counter() - started:.1f} s")
    if args.errors:
        for row, predicted in zip(rows, predictions, strict=True):
            expected = {row.expected} if row.expected else set()
            if predicted != expected:
                got = ",".join(sorted(predicted)) or "-"
                print(f"  expected {row.expected or '-':<20} got {got:<30} {row.text}")
    ok = overall.precision >= THRESHOLD and overall.recall >= THRESHOLD
    if not ok:
        print(f"FAIL: overall precision and recall must both be at least {THRESHOLD}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
