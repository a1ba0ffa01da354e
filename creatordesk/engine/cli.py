"""`creatordesk review`: pre-review one video from the command line.

    creatordesk review VIDEO [--caption TEXT] [--brief BRIEF.yaml] [--packs tiktok-shop,de-law]
                             [--language auto|de|en] [--format json|text|html] [--output FILE]
                             [--report-language de|en]

Exit status 0 when the review ran (whatever it found), 2 with one line on stderr when the input
cannot be used (missing or broken video, bad brief, unknown pack, bad option).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from creatordesk.engine.types import InputError
from creatordesk.lib.env import EnvError

PROG = "creatordesk review"
FORMATS = ("text", "json", "html")
EXIT_BAD_INPUT = 2


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints the whole usage before an error; a bad option should cost one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog=PROG,
        description="Pre-review a creator video against TikTok Shop rules, German ad law and a brand brief.",
    )
    parser.add_argument("video", type=Path, help="the video file to review")
    parser.add_argument("--caption", metavar="TEXT", help="the post caption (default: the brief's caption)")
    parser.add_argument("--brief", metavar="BRIEF.yaml", type=Path, help="campaign brief YAML file")
    parser.add_argument(
        "--packs", metavar="PACK,PACK", help="comma-separated policy packs (default: tiktok-shop,de-law)"
    )
    parser.add_argument(
        "--language",
        choices=("auto", "de", "en"),
        metavar="auto|de|en",
        help="spoken language (default: auto, detected; the brief's language breaks a near tie)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        metavar="text|json|html",
        help="report format (default: text)",
    )
    parser.add_argument(
        "--report-language",
        choices=("de", "en"),
        metavar="de|en",
        help="language of the text and HTML report (default: from LC_ALL, LC_MESSAGES or LANG, else English)",
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", type=Path, help="write the report to FILE, not stdout"
    )
    return parser


def report_language(environ: dict[str, str] | None = None) -> str:
    """The reader's language as the terminal's locale names it: "de" for de_DE.UTF-8, else English."""
    environ = dict(os.environ) if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "de" if value.lower().startswith("de") else "en"
    return "en"


def _progress_printer() -> object:
    """Live progress on an interactive terminal; nothing when stderr is a file or a pipe."""
    if not sys.stderr.isatty():
        return None

    def show(step: str, fraction: float) -> None:
        end = "\n" if fraction >= 1 else ""
        print(f"\r{PROG}: {fraction:4.0%} {step:<16}", end=end, file=sys.stderr, flush=True)

    return show


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _review(args)
    except (InputError, EnvError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _review(args: argparse.Namespace) -> int:
    # Imported here so that option errors and --help answer without loading the media stack.
    from creatordesk.engine.context import ReviewContext
    from creatordesk.engine.pipeline import review_video
    from creatordesk.engine.report import render_html, render_text

    if not args.video.exists():
        raise InputError(f"{args.video}: no such file")
    brief = None
    if args.brief is not None:
        from creatordesk.engine.brief import load_brief

        brief = load_brief(args.brief)
    packs = None
    if args.packs is not None:
        packs = [name.strip() for name in args.packs.split(",") if name.strip()]
        if not packs:
            raise InputError("--packs needs at least one pack name")

    result = review_video(
        args.video,
        ctx=ReviewContext.from_env(**({"language": args.language} if args.language else {})),
        brief=brief,
        caption=args.caption,
        packs=packs,
        progress=_progress_printer(),  # type: ignore[arg-type]
    )
    review = result.as_dict()
    lang = args.report_language or report_language()
    if args.format == "json":
        output = json.dumps(review, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        page_dir = args.output.resolve().parent if args.output else Path.cwd()
        output = render_html(review, video_src=os.path.relpath(args.video.resolve(), page_dir), lang=lang)
    else:
        output = render_text(review, lang=lang)

    if args.output is None:
        try:
            sys.stdout.write(output)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader (`| head`) left early; not an error of the review
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (keeps the interpreter's final flush quiet)
        return 0
    try:
        args.output.write_text(output, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {args.output}: {exc.strerror}") from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
