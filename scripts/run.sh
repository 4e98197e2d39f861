#!/usr/bin/env bash
# Sets everything up, then starts pos-app (demo mode on the embedded defaults: local SQLite and
# the local sandbox API). Extra arguments go to pos-app.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/pos-app "$@"
