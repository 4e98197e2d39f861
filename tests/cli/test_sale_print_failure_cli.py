"""Issue 14 item 3: a sale recorded then not printed is a finished sale with a print problem:
the order number, the problem in one line, exit 0, never a traceback."""

from __future__ import annotations

import json

from tests.cli.test_till_cli import till
from tests.fixtures.carts import FORMAT_EXAMPLE


def _sale(tmp_path, sandbox):
    return till(tmp_path, sandbox, "sale", "-", stdin=json.dumps(FORMAT_EXAMPLE))


def _queued(tmp_path, sandbox) -> int:
    return json.loads(till(tmp_path, sandbox, "queue", "--json").stdout)["counts"]["pending"]


def test_a_file_where_the_receipts_folder_should_be(tmp_path, sandbox):
    (tmp_path / "receipts").write_text("not a folder")
    result = _sale(tmp_path, sandbox)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    sale = json.loads(result.stdout)
    assert sale["orderNumber"] == "A1-000001"
    assert "receipts" in sale["printError"]
    [line] = result.stderr.splitlines()
    assert line.startswith("A1-000001 recorded and queued; receipt not printed: ")
    assert _queued(tmp_path, sandbox) == 1


def test_a_printer_folder_that_is_a_file(tmp_path, sandbox):
    target = tmp_path / "printer-is-a-file"
    target.write_text("")
    (tmp_path / "settings.json").write_text(
        json.dumps({"printer": "folder", "printer_target": str(target)})
    )
    result = _sale(tmp_path, sandbox)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["printError"]
    assert (tmp_path / "receipts" / "A1-000001.pdf").is_file()  # archived all the same
    assert _queued(tmp_path, sandbox) == 1
