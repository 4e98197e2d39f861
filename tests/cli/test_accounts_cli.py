"""`pos-app accounts ...` as a real process, Invoiced given by POS_INVOICED_URL and
POS_INVOICED_KEY (the sandbox's Invoiced side, started by the test)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from pos_app.sandbox import SandboxServer
from pos_app.sandbox.invoiced_app import seed_demo
from tests.cli.test_customers_cli import closed_port_url
from tests.fixtures.sandbox import SANDBOX_TOKEN
from tests.fixtures.shift import open_shift

ROOT = Path(__file__).resolve().parents[2]


def pos_app(
    data_dir: Path, sandbox: SandboxServer, *args: str, url: str | None = None, stdin: str = ""
) -> Any:
    """`pos-app ARGS` with Smartbills and Invoiced given by the environment only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    env |= {
        "PYTHONPATH": str(ROOT),
        "POS_API_URL": sandbox.url,
        "POS_API_TOKEN": SANDBOX_TOKEN,
        "POS_INVOICED_URL": url or sandbox.invoiced_url,
        "POS_INVOICED_KEY": sandbox.invoiced.api_key,
    }
    return subprocess.run(
        [sys.executable, "-m", "pos_app", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def accounts(data_dir: Path, sandbox: SandboxServer, *args: str, url: str | None = None) -> Any:
    return pos_app(data_dir, sandbox, "accounts", *args, url=url)


def test_list_reads_every_page_and_show_reads_the_balance_live(tmp_path, sandbox):
    sandbox.invoiced.store.create_many(
        ({"name": f"Business {i:03d}", "number": f"B-{i:03d}"}, Decimal(i)) for i in range(230)
    )
    listed = accounts(tmp_path, sandbox, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 230
    searched = accounts(tmp_path, sandbox, "list", "--search", "business 042")
    assert searched.stdout.split()[0] == "B-042"
    shown = accounts(tmp_path, sandbox, "show", "B-042", "--json")
    document = json.loads(shown.stdout)
    assert document["balanceOutstanding"] == "42.00" and document["live"] is True
    assert sandbox.invoiced.api_key not in listed.stdout + listed.stderr + shown.stderr


def test_create_checks_fields_first_then_offline_keeps_the_account(tmp_path, sandbox):
    bad = accounts(tmp_path, sandbox, "create", "--name", "X", "--credit-limit", "ten")
    assert bad.returncode == 2 and bad.stderr.strip() == "credit_limit: not an amount"
    offline = accounts(
        tmp_path,
        sandbox,
        "create",
        "--name",
        "Fromagerie",
        "--phone",
        "514 555-0199",
        url=closed_port_url(),
    )
    assert offline.returncode == 4 and "POS-A1-0001" in offline.stderr
    listed = accounts(tmp_path, sandbox, "list")  # online again: sent first, then listed
    assert listed.returncode == 0 and "POS-A1-0001  Fromagerie" in listed.stdout
    assert [c.doc["number"] for c in sandbox.invoiced.store.all()] == ["POS-A1-0001"]


def test_statement_is_sent_online_and_refused_offline(tmp_path, sandbox):
    sandbox.invoiced.store.create({"name": "Chez Louis", "number": "CL-1", "email": "a@b.example"})
    assert accounts(tmp_path, sandbox, "list").returncode == 0
    sent = accounts(tmp_path, sandbox, "statement", "CL-1")
    assert sent.returncode == 0 and "e-mailed" in sent.stdout
    offline = accounts(tmp_path, sandbox, "statement", "CL-1", url=closed_port_url())
    assert offline.returncode == 4 and offline.stderr.startswith("API unreachable")
    unknown = accounts(tmp_path, sandbox, "show", "NOPE")
    assert unknown.returncode == 1 and "no account with number NOPE" in unknown.stderr


def _sale(data_dir: Path, sandbox: SandboxServer, number: str, amount: str) -> Any:
    cart = {
        "currency": "CAD",
        "items": [{"name": "Caisse de bière", "unitPrice": amount, "quantity": "1"}],
        "payments": [{"type": "ACCOUNT", "amount": amount, "account": number}],
    }
    open_shift(data_dir)  # a sale needs an open shift
    return pos_app(data_dir, sandbox, "sale", "--no-print", "-", stdin=json.dumps(cart))


def _sales_recorded(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "pos.db") as db:
        return int(db.execute("SELECT COUNT(*) FROM sales").fetchone()[0])


def test_sale_refuses_a_held_or_over_limit_account_with_exit_2_recording_nothing(tmp_path, sandbox):
    seed_demo(sandbox.invoiced.store)
    assert accounts(tmp_path, sandbox, "list").returncode == 0
    held = _sale(tmp_path, sandbox, "CUST-0003", "10.00")
    assert held.returncode == 2
    assert held.stderr.strip() == "account CUST-0003: account CUST-0003 is on credit hold"
    over = _sale(tmp_path, sandbox, "CUST-0002", "20.01")  # 480.00 of 500.00 outstanding
    assert over.returncode == 2 and "over the credit limit of account CUST-0002" in over.stderr
    assert _sales_recorded(tmp_path) == 0
    good = _sale(tmp_path, sandbox, "CUST-0002", "20.00")
    assert good.returncode == 0, good.stderr
    assert _sales_recorded(tmp_path) == 1
