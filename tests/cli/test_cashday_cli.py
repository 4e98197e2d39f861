"""The cashier's day from the command line, against a sandbox on loopback: shifts, refunds,
voids and reports; every refusal exits 2 with its reason and records nothing."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import mm

from tests.adapters.receipt_pdf.receipt_helpers import page_sizes, pdf_text
from tests.cli.run import pos_app
from tests.fixtures.carts import FORMAT_EXAMPLE


def till(tmp_path: Path, sandbox, *args: str, stdin: str | None = None):
    return pos_app(
        tmp_path, "--api-url", sandbox.url, *args, stdin=stdin, env={"POS_API_TOKEN": sandbox.token}
    )


def ok(tmp_path: Path, sandbox, *args: str, stdin: str | None = None) -> dict:
    result = till(tmp_path, sandbox, *args, "--json", stdin=stdin)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(tmp_path: Path, sandbox, *args: str, stdin: str | None = None) -> str:
    result = till(tmp_path, sandbox, *args, stdin=stdin)
    assert result.returncode == 2, (result.stdout, result.stderr)
    return result.stderr


def rows(tmp_path: Path, table: str) -> int:
    with sqlite3.connect(tmp_path / "pos.db") as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def sell(tmp_path: Path, sandbox) -> dict:
    result = till(tmp_path, sandbox, "sale", "-", "--no-print", stdin=json.dumps(FORMAT_EXAMPLE))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_shift_with_a_refund_a_void_and_paid_out_closes_on_its_count(tmp_path, sandbox):
    cart = json.dumps(FORMAT_EXAMPLE)
    assert "no shift is open" in refused(tmp_path, sandbox, "sale", "-", stdin=cart)
    assert rows(tmp_path, "sales") == 0
    assert "negative" in refused(tmp_path, sandbox, "shift", "open", "--float", "-5")
    assert ok(tmp_path, sandbox, "shift", "open", "--float", "100")["float"] == "100.00"
    assert "already open" in refused(tmp_path, sandbox, "shift", "open", "--float", "100")

    first, second = sell(tmp_path, sandbox), sell(tmp_path, sandbox)
    refund = ok(tmp_path, sandbox, "refund", first["orderNumber"], "--all", "--no-print")
    assert refund["original"] == first["orderNumber"] and refund["kind"] == "refund"
    before = rows(tmp_path, "sales")
    assert "already returned" in refused(tmp_path, sandbox, "refund", first["orderNumber"], "--all")
    assert "was refunded" in refused(
        tmp_path, sandbox, "void", first["orderNumber"], "--reason", "oops"
    )
    void = ok(tmp_path, sandbox, "void", second["orderNumber"], "--reason", "wrong card")
    assert void["reason"] == "wrong card"
    assert "was voided" in refused(
        tmp_path, sandbox, "refund", second["orderNumber"], "--line", "1:1"
    )
    assert rows(tmp_path, "sales") == before + 1  # only the void was recorded
    assert ok(tmp_path, sandbox, "shift", "cash-out", "12.50", "--reason", "milk")["amount"] == (
        "12.50"
    )
    x = ok(tmp_path, sandbox, "report", "x")
    assert (x["sales"]["count"], x["refunds"]["count"], x["voids"]["count"]) == (2, 1, 1)
    assert x["cash"]["expected"] == "87.50"  # both sales given back in full, 12.50 out

    assert "0.01" in refused(tmp_path, sandbox, "shift", "close", "--count", "0.01x3")
    z = ok(tmp_path, sandbox, "shift", "close", "--count", "50x1,20x1,10x1,5x1,2x1,0.25x2")
    assert z["kind"] == "Z" and z["cash"]["counted"] == "87.50"
    assert z["cash"]["overShort"] == "0.00"
    assert ok(tmp_path, sandbox, "report", "z") == z
    roll, letter = tmp_path / "z80.pdf", tmp_path / "z-letter.pdf"
    assert ok(tmp_path, sandbox, "report", "z", "-o", str(roll)) == z  # the till's 80 mm
    assert ok(tmp_path, sandbox, "report", "z", "-o", str(letter), "--paper", "letter") == z
    assert [round(w / mm) for w, _ in page_sizes(roll.read_bytes())] == [80]
    assert page_sizes(letter.read_bytes()) == [LETTER]
    assert "87.50" in pdf_text(letter.read_bytes())
    assert ".pdf" in refused(tmp_path, sandbox, "report", "z", "-o", str(tmp_path / "z.txt"))
    assert "no shift is open" in refused(tmp_path, sandbox, "report", "x")

    # The refund and the void reach the server after their originals.
    assert till(tmp_path, sandbox, "sync", "--once").returncode == 0
    sent = sandbox.state.store.all_receipts()
    ids = [r.receipt_id for r in sent]
    assert ids.index(refund["receiptId"]) > ids.index(first["receiptId"])
    assert ids.index(void["receiptId"]) > ids.index(second["receiptId"])


def test_an_over_refund_records_nothing(tmp_path, sandbox):
    ok(tmp_path, sandbox, "shift", "open", "--float", "0")
    sale = sell(tmp_path, sandbox)
    count = rows(tmp_path, "sales")
    problem = refused(tmp_path, sandbox, "refund", sale["orderNumber"], "--line", "1:99")
    assert problem.startswith("line 1:") and "left to return" in problem
    assert "N:QTY" in refused(tmp_path, sandbox, "refund", sale["orderNumber"], "--line", "x")
    assert "reason" in refused(tmp_path, sandbox, "shift", "cash-in", "5", "--reason", " ")
    assert rows(tmp_path, "sales") == count
    assert rows(tmp_path, "cash_movements") == 0
    assert (
        Decimal(
            json.loads(till(tmp_path, sandbox, "report", "x", "--json").stdout)["refunds"]["total"]
        )
        == 0
    )
