"""The domain and the services never need Qt (architecture.md): their tests pass with Qt not
importable.

Their test files run again in a fresh interpreter where `import PySide6` and
`import qasync` fail (a None entry in sys.modules makes the import raise ImportError). That
run leaves pytest-qt out (`-p no:pytest-qt`: the plugin imports PySide6 when it starts),
deselects this file's tests (`-k "not subprocess"`), so it does not recurse, and asks Hypothesis
for a handful of examples per property to keep the whole suite quick.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

BLOCK_QT_AND_RUN = (
    "import sys; sys.modules['PySide6'] = None; sys.modules['qasync'] = None; "
    "import pytest; raise SystemExit(pytest.main(['-q', '-p', 'no:pytest-qt', "
    "'-p', 'no:cacheprovider', sys.argv[1], '-k', 'not subprocess']))"
)


@pytest.mark.parametrize("floor", ["tests/domain", "tests/services"])
def test_floor_tests_pass_in_a_subprocess_without_pyside6(floor: str) -> None:
    env = {**os.environ, "POS_DOMAIN_EXAMPLES": "10"}
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_QT_AND_RUN, floor],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert " passed" in done.stdout
    assert " failed" not in done.stdout and " error" not in done.stdout


def test_subprocess_trick_really_blocks_qt() -> None:
    """The trick itself: with the None entries, importing PySide6 or qasync fails, while the
    whole domain and services packages still import."""
    code = (
        "import sys; sys.modules['PySide6'] = None; sys.modules['qasync'] = None\n"
        "import pkgutil, importlib, pos_app.domain, pos_app.services\n"
        "for pkg in (pos_app.domain, pos_app.services):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(f'{pkg.__name__}.{m.name}')\n"
        "for name in ('PySide6', 'PySide6.QtCore', 'qasync'):\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError:\n"
        "        pass\n"
        "    else:\n"
        "        raise SystemExit(name + ' imported')\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
