"""`creatordesk viral-eval`: the early viral detection model against two published baselines.

    creatordesk viral-eval [--train TRAIN.csv --test TEST.csv] [--format text|json]

Without --train/--test it reads the shared YouTube dataset (`CREATORDESK_VIRAL_DATA`, or
`../shared/data/youtube-active-daily-views.csv` next to the repository) and splits it 70/30 by a
hash of the video id. Exit status 0 when the evaluation ran, 2 with one line on stderr when the data
cannot be used.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from creatordesk.performance.viral.data import DataError, read_daily_views
from creatordesk.performance.viral.evaluation import Evaluation, evaluate, split_by_id

PROG = "creatordesk viral-eval"
EXIT_BAD_INPUT = 2
DATA_ENV = "CREATORDESK_VIRAL_DATA"
REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "youtube-active-daily-views.csv"
COLUMNS = {"model": "model", "szabo_huberman": "Szabo-Huberman", "pinto": "Pinto et al."}


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints the whole usage before an error; a bad option should cost one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog=PROG,
        description="Evaluate early viral detection against Szabo-Huberman (2010) and Pinto et al. (2013).",
    )
    parser.add_argument("--train", type=Path, metavar="TRAIN.csv", help="training videos (daily views)")
    parser.add_argument("--test", type=Path, metavar="TEST.csv", help="test videos (daily views)")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        if (args.train is None) != (args.test is None):
            raise DataError("give both --train and --test, or neither for the default split")
        if args.train is not None:
            train, test = read_daily_views(args.train), read_daily_views(args.test)
            source = f"train {args.train}, test {args.test}"
        else:
            path = Path(os.environ.get(DATA_ENV) or DEFAULT_DATA)
            train, test = split_by_id(read_daily_views(path))
            source = f"{path}, split 70/30 by video id"
        result = evaluate(train, test)
    except DataError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(render_json(result) if args.format == "json" else render_text(result, source))
    return 0


def render_json(result: Evaluation) -> str:
    rows = [
        {"metric": row.metric, "model": row.model, "szabo_huberman": row.szabo_huberman, "pinto": row.pinto}
        for row in result.rows
    ]
    return json.dumps({"rows": rows}, indent=2)


def render_text(result: Evaluation, source: str) -> str:
    header = f"{'metric':<26} {COLUMNS['model']:>8} {COLUMNS['szabo_huberman']:>15} {COLUMNS['pinto']:>13}  better?"
    lines = [
        f"Early viral detection: {source}",
        f"{result.n_train} training videos, {result.n_test} test videos"
        + (f", {result.n_too_short} left out (under 30 days or no views)" if result.n_too_short else ""),
        "",
        header,
        "-" * len(header),
    ]
    for row in result.rows:
        verdict = "yes" if row.model_is_better else "NO"
        lines.append(
            f"{row.metric:<26} {row.model:>8.4f} {row.szabo_huberman:>15.4f} {row.pinto:>13.4f}  {verdict}"
        )
    wins = sum(row.model_is_better for row in result.rows)
    lines += [
        "",
        "mrse: mean relative squared error of day-30 views (lower is better); auc and p5: ROC AUC and",
        "precision among the top-scored 5 % for flagging the top 5 % of test videos (higher is better).",
        f"The model beats both baselines on {wins} of {len(result.rows)} metrics ({result.seconds:.1f} s).",
    ]
    return "\n".join(lines)
