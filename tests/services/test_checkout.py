"""finish_sale: the sale is a fact before it is a print; a printer error never undoes it."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from pos_app.domain.receipt import SaleError
from tests.services.till import paid_cart, runtime_for


def sales_in(data_dir) -> int:
    with sqlite3.connect(data_dir / "pos.db") as conn:
        return conn.execute("SELECT count(*) FROM sales").fetchone()[0]


async def test_unpaid_cart_is_refused_and_writes_nothing(tmp_path, sandbox):
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    async with runtime.open_services(connect=False) as s:
        with pytest.raises(SaleError, match="balance due"):
            await s.checkout.finish_sale(paid_cart(1).with_payments(()))
        with pytest.raises(SaleError, match="empty"):
            await s.checkout.finish_sale(replace(paid_cart(1), items=()))
    assert sales_in(tmp_path) == 0
    assert not (tmp_path / "receipts").exists() or not any((tmp_path / "receipts").iterdir())


async def test_printer_error_keeps_the_sale_and_reprint_is_one_call(tmp_path, sandbox):
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    runtime.save_settings(
        runtime.settings().with_changes(printer="cups", printer_target="no-such-queue")
    )
    async with runtime.open_services(connect=False) as s:
        sale = await s.checkout.finish_sale(paid_cart(3))
        assert sale.printing.error  # the printer said no...
        assert sale.printing.printed_to is None
        assert (
            tmp_path / "receipts" / f"{sale.order_number}.pdf"
        ).is_file()  # ...the archive did not
    assert sales_in(tmp_path) == 1

    printed_dir = tmp_path / "printed"
    runtime.save_settings(
        runtime.settings().with_changes(printer="folder", printer_target=str(printed_dir))
    )
    async with runtime.open_services(connect=False) as s:
        outcome = await s.checkout.reprint(sale.order_number)
        assert outcome.error is None
        assert (printed_dir / f"{sale.order_number}-copy.pdf").is_file()
        rebuilt = await s.checkout.receipt(sale.order_number)
    assert rebuilt.totals == sale.receipt.totals
    assert rebuilt.receipt_id == sale.receipt.receipt_id
