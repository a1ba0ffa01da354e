"""`creatordesk visual-check`: check one campaign image from the command line.

    creatordesk visual-check IMAGE [--brief BRIEF.yaml] [--channel tiktok,meta,web]
                                   [--format json|text|html] [--output FILE] [--report-language de|en]

Exit status 0 when the check ran (whatever it found), 2 with one line on stderr when the input cannot
be used (not an image, truncated, a decompression bomb, empty, over the size limit, a bad brief).
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from creatordesk.engine.visuals.types import CHANNELS, VisualInputError
from creatordesk.lib.env import EnvError

PROG = "creatordesk visual-check"
EXIT_BAD_INPUT = 2


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog=PROG,
        description="Check a campaign image for provenance, labelling duty per channel, quality and brand fit.",
    )
    parser.add_argument("image", type=Path, help="the image file to check")
    parser.add_argument(
        "--brief", metavar="BRIEF.yaml", type=Path, help="what the brand says about the image"
    )
    parser.add_argument(
        "--channel",
        metavar="tiktok,meta,web",
        default=",".join(CHANNELS),
        help="channels to decide labels for",
    )
    parser.add_argument(
        "--format", choices=("text", "json", "html"), default="text", metavar="json|text|html"
    )
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    parser.add_argument("--report-language", choices=("de", "en"), default="en", metavar="de|en")
    return parser


def render_text(report: dict[str, Any], lang: str = "en") -> str:
    file = report["file"]
    lines = [f"{file['name']}: {file['format']} {file['width']} x {file['height']}"]
    provenance = report["provenance"]
    c2pa = provenance["c2pa"]
    lines.append(
        f"Provenance: C2PA {'present' if c2pa['present'] else 'none'}"
        f"{' (valid)' if c2pa['valid'] else ''}{' (trusted)' if c2pa['trusted'] else ''}; "
        f"IPTC {provenance['iptc_digital_source_type'] or '-'}; AI signal: {provenance['ai_signal'] or 'none'}"
    )
    if provenance["stripped"]:
        lines.append(f"  stripped since the earlier version: {', '.join(provenance['stripped'])}")
    lines.append("Labels:")
    for decision in report["label_decisions"]:
        label = f' -> "{decision["label"][lang]}"' if decision["label"] else ""
        need = "required" if decision["required"] else "not required"
        lines.append(f"  {decision['channel']:<7} {decision['rule']}: {need}{label}")
    lines.append(f"Findings ({len(report['findings'])}):")
    for finding in report["findings"]:
        lines.append(f"  [{finding['severity']}] {finding['rule']}: {finding['evidence']}")
    for item in report["review_items"]:
        lines.append(f"  [review] {item['text'][lang]}")
    failed = [s for s in report["steps"] if s["status"] == "failed"]
    for step in failed:
        lines.append(f"  (check {step['name']} failed: {step['error']})")
    return "\n".join(lines) + "\n"


def render_html(report: dict[str, Any], lang: str = "en") -> str:
    body = html.escape(render_text(report, lang))
    return f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{html.escape(report["file"]["name"])}</title><pre>{body}</pre></html>\n'


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        output = _run(args)
    except (VisualInputError, EnvError) as exc:
        message = " ".join(str(exc).split())
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.output:
        args.output.write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    return 0


def _run(args: argparse.Namespace) -> str:
    from creatordesk.engine.visuals.brief import load_visual_brief
    from creatordesk.engine.visuals.check import check_image
    from creatordesk.engine.visuals.context import VisualContext

    brief = load_visual_brief(args.brief) if args.brief else None
    channels = [c.strip() for c in args.channel.split(",") if c.strip()]
    report = check_image(args.image, ctx=VisualContext.from_env(), brief=brief, channels=channels).as_dict()
    if args.format == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if args.format == "html":
        return render_html(report, args.report_language)
    return render_text(report, args.report_language)
