"""Speech: transcribe the audio with faster-whisper, offline, into time-coded sentences.

The model loads once per process and is reused by every later review. Whisper's segments can run
over several sentences; they are split again at sentence ends and pauses using the word timestamps,
so a finding points at the sentence that said it rather than at the start of a long segment.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar

from creatordesk.engine.steps.base import ReviewState
from creatordesk.engine.types import TextSpan

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext

_models: dict[tuple[str, str, int], Any] = {}
_models_lock = threading.Lock()

# A pause this long between two words ends a sentence even without punctuation.
_PAUSE_S = 0.7
_SENTENCE_END = (".", "!", "?", "…")


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


def transcribe(ctx: ReviewContext, samples: Any) -> tuple[list[TextSpan], str]:
    """Transcribe 16 kHz mono samples; returns sentence spans and the language they are in."""
    model = load_model(ctx.whisper_model, compute_type=ctx.whisper_compute_type, threads=ctx.threads)
    segments, info = model.transcribe(
        samples,
        language=None if model.model.is_multilingual else "en",
        beam_size=ctx.whisper_beam_size,
        word_timestamps=True,
        # The voice activity filter skips music and silence, which is where Whisper invents text.
        vad_filter=True,
        condition_on_previous_text=False,
    )
    language = info.language or "en"
    spans: list[TextSpan] = []
    for segment in segments:
        if segment.no_speech_prob > 0.6 and segment.avg_logprob < -1.0:
            continue
        words = [w for w in (segment.words or []) if w.word.strip()]
        if not words:
            text = segment.text.strip()
            if text:
                spans.append(TextSpan(segment.start, segment.end, text, "speech", language))
            continue
        for group in _split_words(words):
            text = "".join(w.word for w in group).strip()
            spans.append(TextSpan(group[0].start, group[-1].end, text, "speech", language))
    return spans, language


class SpeechStep:
    name: ClassVar[str] = "speech"
    needs: ClassVar[tuple[str, ...]] = ("audio",)

    def applies_to(self, state: ReviewState) -> bool:
        return state.audio is not None and len(state.audio.samples) > 0

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        state.transcript, state.language = transcribe(ctx, state.audio.samples)
