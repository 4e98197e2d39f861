"""The on-account credit rule, as properties: exact Decimal sums decide, a hold always
refuses, and the copy's figures say how old they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.accounts import Account, CreditFigures, account_changes, check_on_account

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
cents = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n).scaleb(-2))


@given(outstanding=cents, unsent=cents, amount=cents, limit=cents, live=st.booleans())
def test_allowed_exactly_when_outstanding_plus_unsent_plus_sale_fit_the_limit(
    outstanding: Decimal, unsent: Decimal, amount: Decimal, limit: Decimal, live: bool
) -> None:
    account = Account("C-1", "Chez Louis", credit_limit=limit, currency="CAD")
    figures = CreditFigures(account, outstanding, NOW - timedelta(minutes=5), unsent, live)
    decision = check_on_account(figures, amount, "CAD", now=NOW)
    assert decision.allowed == (outstanding + unsent + amount <= limit)
    if not decision.allowed:
        assert decision.code == "over_limit" and "over the credit limit" in decision.reason
    if not live:
        assert "read 5 min ago" in decision.reason


@given(amount=cents, limit=st.none() | cents, offline_allowed=st.booleans())
def test_a_held_account_is_always_refused(
    amount: Decimal, limit: Decimal | None, offline_allowed: bool
) -> None:
    account = Account("C-3", "Traiteur", credit_hold=True, credit_limit=limit)
    figures = CreditFigures(account, Decimal(0), NOW, live=True)
    decision = check_on_account(figures, amount, "CAD", now=NOW, offline_allowed=offline_allowed)
    assert not decision.allowed and decision.code == "held"


def test_no_limit_offline_switch_and_currency() -> None:
    free = Account("C-4", "Garage", currency="CAD")
    assert check_on_account(
        CreditFigures(free, None, None, live=True), Decimal("1e6"), "CAD", now=NOW
    ).allowed
    offline = check_on_account(
        CreditFigures(free, Decimal(0), NOW), Decimal(1), "CAD", now=NOW, offline_allowed=False
    )
    assert offline.code == "offline"
    usd = Account("C-5", "US Co", currency="USD")
    assert (
        check_on_account(CreditFigures(usd, None, None, live=True), Decimal(1), "CAD", now=NOW).code
        == "currency"
    )


def test_changes_are_only_the_fields_that_differ() -> None:
    before = Account("C-1", "Chez Louis", email="a@b.example", credit_limit=Decimal("100"))
    after = Account(
        "C-1", "Chez Louis", email="a@b.example", credit_limit=Decimal("100.00"), phone="514"
    )
    assert account_changes(before, after) == {"phone": "514"}  # 100 == 100.00: unchanged
