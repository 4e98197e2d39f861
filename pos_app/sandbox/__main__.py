"""`python -m pos_app.sandbox`: the same as `pos-app sandbox`."""

import sys

from pos_app.sandbox.cli import run_from_args

raise SystemExit(run_from_args(sys.argv[1:]))
