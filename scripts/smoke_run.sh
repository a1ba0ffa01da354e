#!/usr/bin/env bash
# Starts `make run` on a throw-away data folder, waits until the app answers (3 minutes at most),
# then drives the demo login and language switch in Chromium against it.
set -euo pipefail
cd "$(dirname "$0")/.."
var_dir=$(mktemp -d)
log="$var_dir/run.log"
start=$(date +%s)
CREATORDESK_VAR_DIR="$var_dir" setsid make run >"$log" 2>&1 &
pid=$!
cleanup() { kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$var_dir"; }
trap cleanup EXIT
until curl -fs -o /dev/null http://127.0.0.1:8000/health/; do
  if (( $(date +%s) - start > 180 )); then echo "make run did not answer within 3 minutes"; cat "$log"; exit 1; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "make run stopped"; cat "$log"; exit 1; fi
  sleep 1
done
echo "make run answered after $(( $(date +%s) - start )) s"
CREATORDESK_BASE_URL=http://127.0.0.1:8000 CREATORDESK_VAR_DIR="$var_dir/test" \
  .venv/bin/pytest -q -p no:cacheprovider tests/browser/test_login_and_language.py
