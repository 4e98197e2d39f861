"""A settings file edited by hand into one no sale could use (an unknown currency, a register
prefix that breaks order numbers, a value that is not a setting) is said in one line naming the
file and the setting, with a non-zero exit, by the window and by every command alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.run import pos_app


def _hand_edit(data_dir: Path, **changes: object) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "settings.json"
    path.write_text(json.dumps({"currency": "CAD", **changes}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"currency": "ZZZ"}, "currency: is not an ISO 4217 currency code"),
        ({"register_prefix": "A-1"}, "register_prefix: 1 to 16 letters"),
        ({"policy": {"taxRounding": "sideways"}}, "not readable as settings"),
    ],
)
@pytest.mark.parametrize("command", [["queue"], ["catalog", "search", "café"], []])
def test_a_broken_settings_file_is_named_not_a_traceback(
    tmp_path: Path, changes: dict[str, object], said: str, command: list[str]
) -> None:
    path = _hand_edit(tmp_path, **changes)
    result = pos_app(tmp_path, *command, env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"pos-app: {path}: ") and said in line


def test_a_logo_removed_since_does_not_stop_the_till(tmp_path: Path) -> None:
    # Only the rules every sale needs are checked on reading; the rest are the save's.
    _hand_edit(tmp_path, receipt_logo=str(tmp_path / "gone.png"))
    result = pos_app(tmp_path, "queue")
    assert result.returncode == 0, result.stderr
