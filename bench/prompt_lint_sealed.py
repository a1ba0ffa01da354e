"""The prompt linter (`creatordesk.engine.visuals.prompts.lint`) on a sealed set it was not tuned on.

`bench/data/prompt_lint_sealed.yaml` was written by an independent reviewer from the research notes
alone, without seeing the linter, its word lists or its tests. Its rows must never be copied into the
linter's data: the figures below only mean something while the set stays unseen by the rules.

Each prompt is linted as plain text (as a pasted prompt is) and the linter's codes are mapped onto
the reviewer's categories; the report gives, per category, how many flagged prompts were caught
(recall) and how many of the linter's flags were right (precision), and the prompts it got wrong.
It is a report, not a test: the exit code is 0 whatever the figures.

    .venv/bin/python bench/prompt_lint_sealed.py [--show-misses]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import yaml

from creatordesk.engine.visuals.prompts import lint

DATA = Path(__file__).parent / "data" / "prompt_lint_sealed.yaml"
CATEGORIES = (
    "subject_not_leading", "conflicting_terms", "real_person", "minor", "trademark", "photoreal_testimonial",
)  # fmt: skip
# The linter's codes that stand for a reviewer's category; parameter and syntax codes are not judged here.
CODE_TO_CATEGORY = {
    "subject_not_leading": "subject_not_leading",
    "conflicting_terms": "conflicting_terms",
    "real_person": "real_person",
    "minor": "minor",
    "trademark": "trademark",
    "rendered_text_or_logo": "trademark",
    "photoreal_testimonial": "photoreal_testimonial",
}


def _found(prompt: str) -> set[str]:
    return {CODE_TO_CATEGORY[i.code] for i in lint(prompt, "midjourney") if i.code in CODE_TO_CATEGORY}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="list every prompt with a wrong flag")
    args = parser.parse_args()
    items = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    hits: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    exact, wrong = 0, []
    for item in items:
        want = set(item["expect"]) - {"none"}
        got = _found(item["prompt"])
        for category in CATEGORIES:
            expected[category] += category in want
            flagged[category] += category in got
            hits[category] += category in want and category in got
        exact += want == got
        if want != got:
            wrong.append((item["id"], sorted(want), sorted(got), item["prompt"]))
    print(f"{len(items)} prompts, {exact} judged exactly as the reviewer did ({exact / len(items):.0%})\n")
    print(f"{'category':<24}{'expected':>9}{'flagged':>9}{'recall':>9}{'precision':>11}")
    for category in CATEGORIES:
        recall = hits[category] / expected[category] if expected[category] else float("nan")
        precision = hits[category] / flagged[category] if flagged[category] else float("nan")
        print(f"{category:<24}{expected[category]:>9}{flagged[category]:>9}{recall:>9.0%}{precision:>11.0%}")
    clean = [i for i in items if set(i["expect"]) == {"none"}]
    false_alarms = sum(1 for i in clean if _found(i["prompt"]))
    print(f"\nclean prompts flagged: {false_alarms} of {len(clean)}")
    if args.show_misses:
        print()
        for identifier, wanted, linted, prompt in wrong:
            print(f"{identifier}: expected {wanted or ['none']}, linter {linted or ['none']}: {prompt[:110]}")


if __name__ == "__main__":
    main()
