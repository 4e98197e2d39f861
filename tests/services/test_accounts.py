"""AccountService against the sandbox's Invoiced side on loopback and a real SQLite store:
the till's copy (full and incremental), offline search, the credit check live and on the copy,
and accounts created at the counter reaching Invoiced exactly once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.adapters.invoiced import InvoicedClient, InvoicedConfig
from pos_app.adapters.store.accounts_repo import AccountsRepo
from pos_app.adapters.store.database import Database
from pos_app.domain.invalid_input import InvalidInput
from pos_app.domain.remote import RemoteUnavailable
from pos_app.sandbox import SandboxServer
from pos_app.sandbox.faults import FaultUpdate
from pos_app.sandbox.invoiced_app import seed_demo
from pos_app.services.accounts import AccountDraft, AccountService
from pos_app.services.settings import Settings


async def _no_sleep(seconds: float) -> None:
    return None


@dataclass
class Till:
    service: AccountService
    repo: AccountsRepo
    sandbox: SandboxServer
    settings: Settings

    def invoiced_numbers(self) -> list[str]:
        return [c.doc["number"] for c in self.sandbox.invoiced.store.all()]


@pytest.fixture
async def till(tmp_path: Path, sandbox: SandboxServer) -> AsyncIterator[Till]:
    seed_demo(sandbox.invoiced.store)
    db = Database.open(tmp_path / "pos.db")
    client = InvoicedClient(
        InvoicedConfig(sandbox.invoiced_url, sandbox.invoiced.api_key, connect_timeout_s=1),
        sleep=_no_sleep,
    )
    repo = AccountsRepo(db)
    holder = Till(
        AccountService(client, repo, settings=lambda: holder.settings), repo, sandbox, Settings()
    )
    try:
        yield holder
    finally:
        await client.aclose()
        await db.aclose()


async def test_the_copy_is_searched_offline_by_name_number_email_or_phone(till):
    listing = await till.service.list_accounts()
    assert not listing.from_cache and len(listing.accounts) == 6
    till.sandbox.set_down(True)
    for text in ("chez louis", "CUST-0002", "cafefabrique", "5145550104", "514 555-0104"):
        found = await till.service.search(text)
        assert len(found) == 1, text
    offline = await till.service.list_accounts("plateau")
    assert offline.from_cache and [a.account.name for a in offline.accounts] == [
        "Bistro Le Plateau"
    ]


async def test_refresh_reads_only_what_changed_since_the_last_one(till):
    await till.service.list_accounts()
    stored = till.sandbox.invoiced.store
    louis = next(c for c in stored.all() if c.doc["number"] == "CUST-0001")
    stored.update(louis.id, {"credit_hold": True})
    before = till.sandbox.invoiced.counters["requests"]
    read = await till.service.refresh()
    assert read >= 1  # the changed one (and any sharing its second), not all six
    assert till.sandbox.invoiced.counters["requests"] - before == 1
    cached = await till.service.get("CUST-0001")
    assert cached is not None and cached.account.credit_hold


async def test_live_check_refuses_a_held_account_and_one_over_its_limit(till):
    await till.service.list_accounts()
    held = await till.service.check("CUST-0003", Decimal("1.00"), "CAD")
    assert not held.allowed and held.code == "held" and "credit hold" in held.reason
    # Bistro Le Plateau: 480.00 outstanding of a 500.00 limit.
    within = await till.service.check("CUST-0002", Decimal("20.00"), "CAD")
    over = await till.service.check("CUST-0002", Decimal("20.01"), "CAD")
    assert within.allowed and within.reason == ""
    assert not over.allowed and over.code == "over_limit"
    assert "480.00 outstanding" in over.reason and "> 500.00" in over.reason


async def test_offline_the_copy_decides_and_says_how_old_it_is(till):
    await till.service.list_accounts()
    await till.service.show("CUST-0002")  # reads the balance: 480.00
    till.sandbox.set_down(True)
    within = await till.service.check("CUST-0002", Decimal("15.00"), "CAD")
    over = await till.service.check("CUST-0002", Decimal("25.00"), "CAD")
    assert within.allowed and within.code == "cached" and "read" in within.reason
    assert not over.allowed and "till's copy read" in over.reason
    till.settings = replace(till.settings, accounts_offline=False)
    refused = await till.service.check("CUST-0002", Decimal("1.00"), "CAD")
    assert not refused.allowed and refused.code == "offline"


async def test_an_account_created_offline_reaches_invoiced_once_under_lost_answers(till):
    till.sandbox.set_down(True)
    created = await till.service.create(
        AccountDraft("Épicerie Fine", email="compta@epicerie.example", credit_limit="250")
    )
    assert created.pending and created.number == "POS-A1-0001"
    assert (await till.service.search("epicerie"))[0].number == "POS-A1-0001"
    till.sandbox.set_down(False)
    # Every create's answer is lost, twice over: the till must look before it posts again.
    till.sandbox.invoiced.faults.update(FaultUpdate(drop_next=2))
    await _send_until_done(till)
    assert till.invoiced_numbers().count("POS-A1-0001") == 1
    sent = await till.service.get("POS-A1-0001")
    assert sent is not None and not sent.pending and sent.account.invoiced_id is not None
    assert sent.account.credit_limit == Decimal("250")


async def _send_until_done(till: Till) -> None:
    for _ in range(10):
        await till.repo.db.run(
            lambda conn: conn.execute("UPDATE invoiced_accounts SET next_attempt_at = ''")
        )
        report = await till.service.send_pending()
        if not report.stopped and not await till.repo.unsent():
            return
    raise AssertionError("the account was never sent")


async def test_bad_fields_store_nothing(till):
    with pytest.raises(InvalidInput) as error:
        await till.service.create(AccountDraft(" ", email="nope", phone="12", credit_limit="1.234"))
    assert [p.split(":")[0] for p in error.value.problems] == [
        "name",
        "email",
        "phone",
        "credit_limit",
    ]
    assert await till.service.search("") == []


async def test_statement_is_online_only(till):
    await till.service.list_accounts()
    assert await till.service.send_statement("CUST-0001") == 1
    till.sandbox.set_down(True)
    with pytest.raises(RemoteUnavailable):
        await till.service.send_statement("CUST-0001")
    assert till.sandbox.invoiced.store.email_count() == 1
