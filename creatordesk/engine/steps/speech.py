"""Speech: transcribe the audio with faster-whisper, offline, into time-coded sentences.

The model loads once per process and is reused by every later review. The language is the one the
context names, or detected: German and English are the languages the rules speak, so the detector's
choice among them wins unless another language is clearly spoken, and the brief's language breaks a
near tie (robotic or accented voices often score close). Each sentence then keeps the language its
words are in, so a German video with an English quote is checked in both.

The brief's own words (product, must-mentions, competitors, banned terms, brand names) steer the
recogniser where it needs them: brand and ingredient names are exactly what a general model
mishears ("CeraVe" as "CERA V"). Handing them over as hotwords for the whole video would also pull
ordinary speech towards them ("nie wieder Schmerzen" heard as "Nivea Schmerzen", a claim lost), so
the video is first transcribed plainly, and only a sentence that sounds like a brief term, or holds a
word no dictionary knows ("0V", "Susamen": where a name was likely misheard), is decoded again with
the terms as hotwords. The new reading is kept when it says a term and still sounds like the plain
one, so the hotwords fixed a name rather than made up a sentence.

Whisper's segments can run over several sentences; they are split again at sentence ends and pauses
using the word timestamps, so a finding points at the sentence that said it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any, ClassVar

from creatordesk.engine.rules.brief_terms import times_said, transcript_names, written_where_heard
from creatordesk.engine.rules.phonetic import cologne
from creatordesk.engine.rules.text import is_known_word
from creatordesk.engine.speech_models import resolve_model
from creatordesk.engine.steps.base import ReviewState
from creatordesk.engine.steps.onscreen import guess_language
from creatordesk.engine.types import Brief, TextSpan

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext

_models: dict[tuple[str, str, int], Any] = {}
_models_lock = threading.Lock()

# A pause this long between two words ends a sentence even without punctuation.
_PAUSE_S = 0.7
_SENTENCE_END = (".", "!", "?", "…")
# Languages the policy packs are written in; detection chooses among them unless the detector is
# this sure of another language.
RULE_LANGUAGES = ("de", "en")
_OTHER_LANGUAGE_SURE = 0.8
# The brief's language wins when the detector gives it at least this share of its top candidate.
_HINT_SHARE = 0.5
# One fallback temperature re-decodes a segment stuck in a repetition loop; the full ladder of six
# would re-decode every unclear stretch of a long talking-head video several times.
_TEMPERATURES = (0.0, 0.6)
# Whisper's own test for a decoding stuck in a loop ("Die, Die, Die, ..."): text that compresses
# this well is repetition, not speech.
_MAX_COMPRESSION = 2.4
_RATE = 16000
# A steered reading must keep this much of the plain reading's sound (Kölner Phonetik codes).
_SAME_SOUND = 0.6
_MIXED_TOKEN = re.compile(r"\b(?:\d+[^\W\d_]+|[^\W\d_]+\d+)\w*")


def load_model(name: str, *, compute_type: str, threads: int) -> Any:
    """The faster-whisper model for these settings, loaded from local files on first use only."""
    key = (name, compute_type, threads)
    with _models_lock:
        model = _models.get(key)
        if model is None:
            from faster_whisper import WhisperModel

            model = WhisperModel(
                name,
                device="cpu",
                compute_type=compute_type,
                cpu_threads=threads,
                local_files_only=True,
            )
            _models[key] = model
        return model


def choose_language(probabilities: Sequence[tuple[str, float]], *, hint: str | None) -> str:
    """The language to transcribe in, from the detector's probabilities and the brief's language."""
    scores = dict(probabilities)
    top, top_score = max(scores.items(), key=lambda item: item[1], default=("en", 0.0))
    if top not in RULE_LANGUAGES and top_score >= _OTHER_LANGUAGE_SURE:
        return top
    best = max(RULE_LANGUAGES, key=lambda lang: scores.get(lang, 0.0))
    if hint in RULE_LANGUAGES and scores.get(hint, 0.0) >= _HINT_SHARE * scores.get(best, 0.0):
        return hint
    return best


def vocabulary(brief: Brief) -> list[str]:
    """The brief's names and terms, each once, in the order a reviewer reads them."""
    words: list[str] = []
    products = [name.strip() for name in brief.product_name.split(",")]
    for term in (
        *products,
        *brief.brand_names,
        *brief.must_mentions,
        *brief.competitors,
        *brief.banned_terms,
    ):
        if term and term not in words:
            words.append(term)
    return words


def _split_words(words: list[Any]) -> list[list[Any]]:
    """Group words into sentences at end punctuation or a long pause."""
    groups: list[list[Any]] = []
    current: list[Any] = []
    for word in words:
        if current and word.start - current[-1].end >= _PAUSE_S:
            groups.append(current)
            current = []
        current.append(word)
        if word.word.strip().endswith(_SENTENCE_END):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def transcribe(ctx: ReviewContext, samples: Any, brief: Brief | None = None) -> tuple[list[TextSpan], str]:
    """Transcribe 16 kHz mono samples; returns sentence spans and the video's main language."""
    brief = brief or Brief()
    model = load_model(
        resolve_model(ctx.whisper_model, ctx.model_dir),
        compute_type=ctx.whisper_compute_type,
        threads=ctx.threads,
    )
    multilingual = model.model.is_multilingual
    if not multilingual:
        language = "en"
    elif ctx.language != "auto":
        language = ctx.language
    else:
        _, _, probabilities = model.detect_language(samples, vad_filter=True)
        language = choose_language(probabilities, hint=brief.language)
    segments, _ = model.transcribe(
        samples,
        language=language,
        beam_size=ctx.whisper_beam_size,
        temperature=list(_TEMPERATURES),
        word_timestamps=True,
        # The voice activity filter skips music and silence, which is where Whisper invents text.
        vad_filter=True,
        condition_on_previous_text=False,
    )
    spans: list[TextSpan] = []
    for segment in segments:
        if segment.no_speech_prob > 0.6 and segment.avg_logprob < -1.0:
            continue
        if segment.compression_ratio > _MAX_COMPRESSION:
            continue
        words = [w for w in (segment.words or []) if w.word.strip()]
        groups = _split_words(words) if words else []
        pieces = [("".join(w.word for w in g).strip(), g[0].start, g[-1].end) for g in groups]
        if not words and segment.text.strip():
            pieces = [(segment.text.strip(), segment.start, segment.end)]
        for text, start, end in pieces:
            # A quote in the other language keeps its own language (auto only: a fixed language is
            # the user's word for the whole video).
            lang = guess_language(text, language) if multilingual and ctx.language == "auto" else language
            spans.append(TextSpan(start, end, text, "speech", lang))
    terms = vocabulary(brief)
    if terms:
        spans = [_steered(model, ctx, samples, span, terms) for span in spans]
    return spans, language


def _unknown_word(text: str) -> bool:
    """Whether the text holds a word no dictionary knows, or letters run into digits ("0V")."""
    if _MIXED_TOKEN.search(text):
        return True
    return any(len(word) >= 3 and not is_known_word(word) for word in re.findall(r"[^\W\d_]+", text))


def _steered(model: Any, ctx: ReviewContext, samples: Any, span: TextSpan, terms: Sequence[str]) -> TextSpan:
    """The span read again with brief terms as hotwords, when that names one of them."""
    unsaid = [term for term in terms if not transcript_names(span.text, term)]
    candidates = [term for term in unsaid if transcript_names(span.text, term, or_sounds_like=True)]
    if not candidates and _unknown_word(span.text):
        candidates = unsaid
    if not candidates:
        return span
    # A little context either side: word timestamps can clip the first and last sound.
    piece = samples[max(0, int((span.start_s - 0.3) * _RATE)) : int((span.end_s + 0.3) * _RATE)]
    segments, _ = model.transcribe(
        piece,
        language=span.lang,
        beam_size=ctx.whisper_beam_size,
        temperature=list(_TEMPERATURES),
        condition_on_previous_text=False,
        hotwords=", ".join(candidates),
    )
    steered = " ".join(segment.text.strip() for segment in segments).strip()
    named = [term for term in candidates if transcript_names(steered, term)]
    if not named:
        return span
    if any(times_said(steered, term) > 1 for term in named):
        # Hotwords can send the decoder into a loop ("CeraVe to the CeraVe to the CeraVe"); the
        # loop still confirms the name, so it is written where the plain reading heard it.
        steered = span.text
        for term in named:
            steered = written_where_heard(steered, term)
    if SequenceMatcher(None, cologne(steered), cologne(span.text)).ratio() < _SAME_SOUND:
        return span
    return TextSpan(span.start_s, span.end_s, steered, "speech", span.lang)


class SpeechStep:
    name: ClassVar[str] = "speech"
    needs: ClassVar[tuple[str, ...]] = ("audio",)

    def applies_to(self, state: ReviewState) -> bool:
        return state.audio is not None and len(state.audio.samples) > 0

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        state.transcript, state.language = transcribe(ctx, state.audio.samples, state.brief)
