"""How well the speech step hears what the rules need, with and without the brief's vocabulary.

Sentences are spoken offline (tests/engine/voices.py: a natural Piper voice for English, espeak-ng
for German) and transcribed by the default model twice: once with a brief that names the brand,
product, competitors and must-mentions (which steer the recogniser), once with a brief without
them; both briefs are in the sentence's language, as a creator's brief would be. Printed per voice and overall:

* word error rate (WER) of the transcript against the sentence;
* term recall: the share of brief terms in the sentences that the rules find in the transcript as
  written, and with the "possible" (sounds-like) matches added;
* on sentences without any brief term: the WER with and without hotwords (what the vocabulary costs
  when there is nothing to find) and the "possible" matches raised there, which should be none.

    python -m tests.engine.perception.speech [--model base|tiny.en|DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.rules.brief_terms import transcript_names
from creatordesk.engine.steps.speech import transcribe
from creatordesk.engine.tools.ffmpeg import read_audio
from creatordesk.engine.types import Brief
from tests.engine.voices import speak, write_wav

BRIEF = Brief(
    product_name="Lumiva Hydra Serum",
    brand_names=("Lumenhaut",),
    must_mentions=("Niacinamide", "Hyaluron"),
    competitors=("CeraVe", "The Ordinary", "La Roche-Posay", "Olaplex"),
    banned_terms=("Anti-Aging",),
    language="en",
)
TERMS = (
    BRIEF.product_name,
    *BRIEF.brand_names,
    *BRIEF.must_mentions,
    *BRIEF.competitors,
    *BRIEF.banned_terms,
)


@dataclass(frozen=True)
class Sentence:
    """One spoken test sentence."""

    text: str
    voice: str
    lang: str


SENTENCES = (
    Sentence("I switched from CeraVe to this serum last month.", "piper-en", "en"),
    Sentence("The Lumiva Hydra Serum has niacinamide and hyaluronic acid.", "piper-en", "en"),
    Sentence("Honestly it works better for me than La Roche-Posay.", "piper-en", "en"),
    Sentence("My sister swears by The Ordinary, but I prefer this one.", "piper-en", "en"),
    Sentence("Lumenhaut sent me this serum to try for two weeks.", "piper-en", "en"),
    Sentence("After Olaplex my hair felt dry, this mask is softer.", "piper-en", "en"),
    Sentence("It is not one of those anti-aging miracle creams.", "piper-en", "en"),
    Sentence("Three drops of Lumiva Hydra Serum every morning.", "piper-en", "en"),
    Sentence("The niacinamide makes my skin look more even.", "piper-en", "en"),
    Sentence("It has hyaluron, so my skin feels plump all day.", "piper-en", "en"),
    Sentence("Good morning, today I am showing you my evening routine.", "piper-en", "en"),
    Sentence("The texture is light and it sinks in really fast.", "piper-en", "en"),
    Sentence("I put it on after cleansing and before my moisturiser.", "piper-en", "en"),
    Sentence("Let me know in the comments what you think.", "piper-en", "en"),
    Sentence("The bottle lasts about two months if you use it daily.", "piper-en", "en"),
    Sentence("Hallo zusammen, das ist mein neues Serum.", "espeak-de", "de"),
    Sentence("Das ist ein Wundermittel.", "espeak-de", "de"),
    Sentence("Nie wieder Schmerzen.", "espeak-de", "de"),
    Sentence("Wirkt sofort gegen Schmerzen.", "espeak-de", "de"),
    Sentence("Das ist das beste Produkt der Welt.", "espeak-de", "de"),
    Sentence("Damit wirst du schnell gesund.", "espeak-de", "de"),
    Sentence("Garantiert gesund.", "espeak-de", "de"),
)


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower().replace("-", " "))


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def terms_in(text: str) -> list[str]:
    """The brief terms a sentence says, found the way the rules find them in a transcript."""
    return [term for term in TERMS if transcript_names(text, term)]


@dataclass
class Tally:
    """Counts for one group of sentences under one setting."""

    errors: int = 0
    reference_words: int = 0
    terms: int = 0
    terms_found: int = 0
    terms_found_or_possible: int = 0
    clean_errors: int = 0
    clean_words: int = 0
    possible_on_clean: int = 0

    @property
    def wer(self) -> float:
        return self.errors / max(self.reference_words, 1)

    @property
    def clean_wer(self) -> float:
        return self.clean_errors / max(self.clean_words, 1)

    def term_recall(self, *, possible: bool) -> float:
        found = self.terms_found_or_possible if possible else self.terms_found
        return found / self.terms if self.terms else 1.0


def _samples(sentence: Sentence, folder: Path) -> object:
    path = folder / "sentence.wav"
    write_wav(path, speak(sentence.text, sentence.voice))
    return read_audio(path, timeout_s=60).samples


def measure(ctx: ReviewContext) -> dict[tuple[str, bool], Tally]:
    """Tallies per (voice, with vocabulary) and per ("all", with vocabulary)."""
    tallies: dict[tuple[str, bool], Tally] = {}
    with tempfile.TemporaryDirectory() as folder:
        for sentence in SENTENCES:
            samples = _samples(sentence, Path(folder))
            expected_terms = terms_in(sentence.text)
            for vocabulary in (True, False):
                brief = (
                    replace(BRIEF, language=sentence.lang) if vocabulary else Brief(language=sentence.lang)
                )
                spans, _ = transcribe(ctx, samples, brief)
                heard = " ".join(span.text for span in spans)
                errors = edit_distance(words(sentence.text), words(heard))
                for key in ((sentence.voice, vocabulary), ("all", vocabulary)):
                    tally = tallies.setdefault(key, Tally())
                    tally.errors += errors
                    tally.reference_words += len(words(sentence.text))
                    tally.terms += len(expected_terms)
                    tally.terms_found += sum(transcript_names(heard, t) for t in expected_terms)
                    tally.terms_found_or_possible += sum(
                        transcript_names(heard, t, or_sounds_like=True) for t in expected_terms
                    )
                    if not expected_terms:
                        tally.clean_errors += errors
                        tally.clean_words += len(words(sentence.text))
                        tally.possible_on_clean += sum(
                            transcript_names(heard, t, or_sounds_like=True) for t in TERMS
                        )
    return tallies


def render(tallies: dict[tuple[str, bool], Tally]) -> str:
    lines = [
        f"{'voice':<11}{'vocabulary':<12}{'WER':>6}{'terms':>7}{'recall':>8}{'+possible':>10}"
        f"{'clean WER':>11}{'possible on clean':>19}"
    ]
    for (voice, vocabulary), t in sorted(tallies.items(), key=lambda item: (item[0][0] == "all", item[0])):
        lines.append(
            f"{voice:<11}{'with' if vocabulary else 'without':<12}{t.wer:>6.2f}{t.terms:>7}"
            f"{t.term_recall(possible=False):>8.2f}{t.term_recall(possible=True):>10.2f}"
            f"{t.clean_wer:>11.2f}{t.possible_on_clean:>19}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--model", default="base", help="speech model (default: base, the shipped default)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tallies = measure(ReviewContext.from_env(whisper_model=args.model))
    print(f"Speech perception ({len(SENTENCES)} sentences, model {args.model})")
    print(render(tallies))
    print(f"{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
