#!/usr/bin/env bash
# Sets everything up, then checks (ruff, import contracts, mypy) and runs the whole test suite
# (unit, adapters against a loopback sandbox, UI offscreen, end-to-end under Xvfb, slow checks).
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check pos_app tests bench
.venv/bin/lint-imports
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
