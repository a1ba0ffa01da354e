"""Render a review as a plain-text report or as one self-contained HTML page.

Both renderers take the JSON document (`ReviewResult.as_dict()`), so a stored review renders the
same as a fresh one. The HTML page has inline CSS and JS only: it works opened from disk, offline,
with the video next to it.
"""

from __future__ import annotations

import html
import json
from typing import Any

from creatordesk.engine.wording import evidence_in, explanation_in

LANGUAGES = ("en", "de")
_TEXT_SOURCES = ("speech", "onscreen", "caption")
# The report's own words; rule categories, sources and severities stay codes a reader can search for.
_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Pre-review of {video}",
        "verdict": "Verdict",
        "block": "BLOCK",
        "needs_review": "NEEDS REVIEW",
        "clean": "CLEAN",
        "fit": "Fit score",
        "video": "Video",
        "with_audio": "with audio",
        "no_audio": "no audio",
        "packs": "Packs",
        "findings": "Findings",
        "none": "none",
        "no_findings": "No findings.",
        "evidence": "Evidence",
        "why": "Why",
        "source": "Source",
        "must_mention": "must-mention",
        "at": "at",
        "missing": "missing",
        "transcript": "Transcript",
        "no_speech": "no speech",
        "onscreen": "On-screen text",
        "caption": "Caption",
        "incomplete": "Incomplete: these checks failed and were skipped",
        "incomplete_title": "Incomplete review",
        "timings": "Timings",
        "full": "full match",
        "grammar": "grammar match",
        "possible": "possible match",
    },
    "de": {
        "title": "Vorprüfung von {video}",
        "verdict": "Ergebnis",
        "block": "BLOCKIERT",
        "needs_review": "PRÜFEN",
        "clean": "UNAUFFÄLLIG",
        "fit": "Fit-Score",
        "video": "Video",
        "with_audio": "mit Ton",
        "no_audio": "ohne Ton",
        "packs": "Regelpakete",
        "findings": "Befunde",
        "none": "keine",
        "no_findings": "Keine Befunde.",
        "evidence": "Beleg",
        "why": "Warum",
        "source": "Quelle",
        "must_mention": "Pflichterwähnung",
        "at": "bei",
        "missing": "fehlt",
        "transcript": "Transkript",
        "no_speech": "keine Sprache",
        "onscreen": "Text im Bild",
        "caption": "Caption",
        "incomplete": "Unvollständig: diese Prüfungen sind fehlgeschlagen und wurden übersprungen",
        "incomplete_title": "Unvollständige Prüfung",
        "timings": "Laufzeiten",
        "full": "genauer Treffer",
        "grammar": "grammatischer Treffer",
        "possible": "möglicher Treffer",
    },
}


def _words(lang: str) -> dict[str, str]:
    return _LABELS.get(lang, _LABELS["en"])


def _match_note(finding: dict[str, Any], separator: str = ", ", lang: str = "en") -> str:
    """How a text finding was matched; pictures and format have no words to match."""
    if finding["source"] not in _TEXT_SOURCES:
        return ""
    return separator + _words(lang)[finding.get("confidence", "full")]


def _explanation(finding: dict[str, Any], lang: str) -> str:
    """The finding's explanation in `lang` when the rule's text is known, else as stored."""
    known = explanation_in(
        finding["rule"],
        lang,
        citation=finding.get("citation", ""),
        confidence=finding.get("confidence", "full"),
    )
    return known or finding["explanation"]


def mmss(seconds: float | None) -> str:
    """Seconds as m:ss, the way video players show time."""
    if seconds is None:
        return "-"
    total = max(0, int(seconds + 0.5))
    return f"{total // 60:02d}:{total % 60:02d}"


def _time_range(start: float, end: float) -> str:
    return mmss(start) if mmss(start) == mmss(end) else f"{mmss(start)}-{mmss(end)}"


def render_text(review: dict[str, Any], *, lang: str = "en") -> str:
    """A readable report for a terminal: verdict, findings with times, fit score, what was heard and seen."""
    w = _words(lang)
    media = review["media"]
    fit = review.get("fit") or {}
    lines = [
        w["title"].format(video=review.get("video", "video")),
        f"{w['verdict']}: {w[review['verdict']]}"
        + (f"    {w['fit']}: {fit['score']}/100" if "score" in fit else ""),
        f"{w['video']}: {mmss(media['duration_s'])}, {media['width']}x{media['height']}, {media['fps']:g} fps, "
        f"{w['with_audio'] if media['has_audio'] else w['no_audio']}",
        f"{w['packs']}: {', '.join(review.get('packs') or []) or '-'}",
        "",
    ]
    findings = review["findings"]
    lines.append(f"{w['findings']} ({len(findings)})" if findings else f"{w['findings']}: {w['none']}")
    for f in findings:
        lines.append(
            f"  [{f['severity'].upper():5}] {_time_range(f['start_s'], f['end_s']):11} "
            f"{f['category']} ({f['source']}{_match_note(f, lang=lang)})"
        )
        if f["evidence"]:
            lines.append(f"          {w['evidence']}: {evidence_in(f['rule'], f['evidence'], lang)}")
        lines.append(f"          {w['why']}: {_explanation(f, lang)}")
        if f["citation"]:
            lines.append(f"          {w['source']}: {f['citation']}")
    if fit.get("parts"):
        lines += ["", f"{w['fit']} {fit['score']}/100"]
        for part in fit["parts"]:
            detail = evidence_in(f"fit.{part['name']}", part["detail"], lang)
            lines.append(f"  {part['name']:14} {part['points']:3}/{part['max']:<3} {detail}")
        for hit in fit.get("must_mentions") or []:
            where = f"{w['at']} {mmss(hit['start_s'])} ({hit['source']})" if hit["found"] else w["missing"]
            lines.append(f'  {w["must_mention"]} "{hit["mention"]}": {where}')
    lines += ["", w["transcript"] if review["transcript"] else f"{w['transcript']}: {w['no_speech']}"]
    lines += [f"  {mmss(s['start_s'])}  {s['text']}" for s in review["transcript"]]
    lines += ["", w["onscreen"] if review["onscreen_text"] else f"{w['onscreen']}: {w['none']}"]
    lines += [f"  {_time_range(s['start_s'], s['end_s']):11} {s['text']}" for s in review["onscreen_text"]]
    if review.get("caption"):
        lines += ["", f"{w['caption']}: {review['caption']}"]
    if review.get("errors"):
        lines += ["", w["incomplete"]]
        lines += [f"  {e['step']}: {e['error']}" for e in review["errors"]]
    timings = review.get("timings") or {}
    if timings:
        lines += ["", f"{w['timings']}: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())]
    return "\n".join(lines) + "\n"


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f6f6f4;color:#1d1d1b}
main{max-width:1100px;margin:0 auto;padding:24px;display:grid;grid-template-columns:340px 1fr;gap:24px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 8px}
video{width:100%;background:#000;border-radius:8px;max-height:600px}
.verdict{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;color:#fff}
.v-block{background:#b3261e}.v-needs_review{background:#b26a00}.v-clean{background:#2e7d32}
.timeline{position:relative;height:34px;background:#e4e4e0;border-radius:6px;margin:8px 0 4px;cursor:pointer}
.mark{position:absolute;height:8px;min-width:4px;border-radius:3px;opacity:.9;cursor:pointer}
.s-block{background:#b3261e;top:4px}.s-warn{background:#e09b00;top:13px}.s-info{background:#5b7fa6;top:22px}
.playhead{position:absolute;top:0;bottom:0;width:2px;background:#000}
.finding{background:#fff;border-radius:8px;padding:10px 12px;margin:8px 0;cursor:pointer;
  border-left:5px solid #999}
.finding.block{border-color:#b3261e}.finding.warn{border-color:#e09b00}.finding.info{border-color:#5b7fa6}
.finding.active{outline:2px solid #1d1d1b}
.meta{color:#5f5f5a;font-size:13px}.ev{font-style:italic}
table{border-collapse:collapse;width:100%}td{padding:3px 6px;vertical-align:top;border-top:1px solid #ddd}
td.t{white-space:nowrap;color:#5f5f5a;width:60px}
"""

_JS = """
const review = JSON.parse(document.getElementById('review-data').textContent);
const video = document.getElementById('video');
const duration = review.media.duration_s || 1;
const timeline = document.getElementById('timeline');
// One lane per severity (block on top), so a finding over the whole clip hides no other.
function seek(t){ if(video){ video.currentTime = t; video.play && video.play().catch(()=>{}); } }
review.findings.forEach((f, i) => {
  const mark = document.createElement('div');
  mark.className = 'mark s-' + f.severity;
  mark.style.left = (100 * f.start_s / duration) + '%';
  mark.style.width = Math.max(0.6, 100 * (f.end_s - f.start_s) / duration) + '%';
  mark.title = f.category + ' ' + f.evidence;
  mark.addEventListener('click', e => { e.stopPropagation(); seek(f.start_s); });
  timeline.appendChild(mark);
});
timeline.addEventListener('click', e => {
  const box = timeline.getBoundingClientRect();
  seek(duration * (e.clientX - box.left) / box.width);
});
document.querySelectorAll('[data-t]').forEach(el =>
  el.addEventListener('click', () => seek(parseFloat(el.dataset.t))));
const head = document.getElementById('playhead');
if (video) video.addEventListener('timeupdate', () => {
  head.style.left = (100 * video.currentTime / duration) + '%';
  document.querySelectorAll('.finding').forEach(el => {
    const now = video.currentTime;
    const on = now >= parseFloat(el.dataset.t) && now <= parseFloat(el.dataset.end);
    el.classList.toggle('active', on);
  });
});
"""


def render_html(review: dict[str, Any], *, video_src: str | None = None, lang: str = "en") -> str:
    """One HTML page: the video with the findings on a timeline, then findings, fit and text.

    `video_src` is the video's address as seen from the page (a relative path next to the report
    works offline); without it the page shows the timeline only.
    """
    esc = html.escape
    w = _words(lang)
    media = review["media"]
    fit = review.get("fit") or {}
    findings_html = (
        "".join(
            f'<div class="finding {esc(f["severity"])}" data-t="{f["start_s"]}" data-end="{f["end_s"]}">'
            f'<div class="meta">{_time_range(f["start_s"], f["end_s"])} · {esc(f["severity"].upper())} · '
            f"{esc(f['category'])} · {esc(f['source'])}{esc(_match_note(f, ' · ', lang))}</div>"
            f'<div class="ev">{esc(evidence_in(f["rule"], f["evidence"], lang))}</div>'
            f"<div>{esc(_explanation(f, lang))}</div>"
            f'<div class="meta">{esc(f["citation"])}</div></div>'
            for f in review["findings"]
        )
        or f"<p>{w['no_findings']}</p>"
    )
    parts_html = "".join(
        f"<tr><td>{esc(p['name'])}</td><td>{p['points']}/{p['max']}</td>"
        f"<td>{esc(evidence_in('fit.' + p['name'], p['detail'], lang))}</td></tr>"
        for p in fit.get("parts") or []
    )

    def text_rows(spans: list[dict[str, Any]]) -> str:
        rows = "".join(
            f'<tr data-t="{s["start_s"]}"><td class="t">{mmss(s["start_s"])}</td>'
            f"<td>{esc(s['text'])}</td></tr>"
            for s in spans
        )
        return f"<table>{rows}</table>" if rows else f"<p>{w['none'].capitalize()}.</p>"

    video_html = (
        f'<video id="video" controls preload="metadata" src="{esc(video_src)}"></video>' if video_src else ""
    )
    # The data block must not be able to close its own <script> element.
    data = json.dumps(review, ensure_ascii=False).replace("</", "<\\/")
    errors = "".join(f"<li>{esc(e['step'])}: {esc(e['error'])}</li>" for e in review.get("errors") or [])
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(w["title"].format(video=review.get("video", "video")))}</title><style>{_CSS}</style></head>
<body><main>
<section>{video_html}
<div class="timeline" id="timeline"><div class="playhead" id="playhead"></div></div>
<div class="meta">{mmss(0)} – {mmss(media["duration_s"])} · {media["width"]}x{media["height"]}
· {media["fps"]:g} fps · {w["with_audio"] if media["has_audio"] else w["no_audio"]}</div>
<h2>{w["fit"]} {fit.get("score", "-")}/100</h2><table>{parts_html}</table></section>
<section>
<h1>{esc(review.get("video", "video"))}</h1>
<span class="verdict v-{esc(review["verdict"])}">{w[review["verdict"]]}</span>
<span class="meta">{w["packs"]}: {esc(", ".join(review.get("packs") or []))}</span>
{f"<h2>{w['incomplete_title']}</h2><ul>{errors}</ul>" if errors else ""}
<h2>{w["findings"]} ({len(review["findings"])})</h2>{findings_html}
<h2>{w["transcript"]}</h2>{text_rows(review["transcript"])}
<h2>{w["onscreen"]}</h2>{text_rows(review["onscreen_text"])}
<h2>{w["caption"]}</h2><p>{esc(review.get("caption") or "—")}</p>
</section></main>
<script type="application/json" id="review-data">{data}</script>
<script>{_JS}</script>
</body></html>
"""
