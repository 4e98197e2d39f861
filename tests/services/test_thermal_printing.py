"""A till whose printer is a thermal printer (the virtual one on loopback): receipts go as
ESC/POS, the drawer opens for cash and is audited, a printer that is stalled or refuses leaves
the sale recorded with the error said, and the reprint works once the printer is back."""

from __future__ import annotations

import socket
import sqlite3
from dataclasses import replace

import pytest

from pos_app.adapters.escpos import VirtualPrinter, decode
from pos_app.domain.invalid_input import InvalidInput
from tests.services.till import paid_cart, runtime_for, until


def closed_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def audit(data_dir, event: str) -> list[tuple[str | None, str]]:
    with sqlite3.connect(data_dir / "pos.db") as conn:
        return conn.execute(
            "SELECT receipt_id, detail FROM audit_log WHERE event = ? ORDER BY id", (event,)
        ).fetchall()


def cash_cart():
    cart = paid_cart(2)
    return cart.with_payments(
        (replace(cart.payments[0], type="CASH", card_brand=None, card_last4=None),)
    )


@pytest.fixture
def printer():
    with VirtualPrinter() as virtual:
        yield virtual


def thermal_till(tmp_path, sandbox, target: str, **changes):
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    runtime.save_settings(
        runtime.settings().with_changes(
            printer="escpos", printer_target=target, printer_timeout=0.5, **changes
        )
    )
    return runtime


async def test_cash_sale_prints_escpos_and_opens_the_drawer(tmp_path, sandbox, printer):
    runtime = thermal_till(tmp_path, sandbox, printer.target)
    async with runtime.open_services(connect=False) as s:
        sale = await s.checkout.finish_sale(cash_cart())
        assert sale.printing.error is None
        await until(lambda: len(printer.jobs) == 1)
        out = decode(printer.jobs[0])
        assert out.drawer_pulses == 1
        assert out.barcodes == [(73, b"{B" + sale.order_number.encode())]
        card = await s.checkout.finish_sale(paid_cart(4))
        await until(lambda: len(printer.jobs) == 2)
        assert decode(printer.jobs[1]).drawer_pulses == 0  # no cash, no drawer
        assert card.printing.error is None
    opened = audit(tmp_path, "drawer_opened")
    assert [receipt_id for receipt_id, _detail in opened] == [sale.receipt.receipt_id]
    assert '"cash sale"' in opened[0][1]


async def test_drawer_setting_off_prints_without_a_pulse(tmp_path, sandbox, printer):
    runtime = thermal_till(tmp_path, sandbox, printer.target, cash_drawer=False)
    async with runtime.open_services(connect=False) as s:
        await s.checkout.finish_sale(cash_cart())
        await until(lambda: len(printer.jobs) == 1)
        assert decode(printer.jobs[0]).drawer_pulses == 0
        assert await s.drawer.for_cash("paid out") is None
    assert audit(tmp_path, "drawer_opened") == []


async def test_open_drawer_key_needs_a_reason_and_is_audited(tmp_path, sandbox, printer):
    runtime = thermal_till(tmp_path, sandbox, printer.target)
    async with runtime.open_services(connect=False) as s:
        with pytest.raises(InvalidInput, match="reason"):
            await s.drawer.open("  ")
        outcome = await s.drawer.open("change for a 50")
        assert outcome.opened
        await until(lambda: len(printer.jobs) == 1)
        assert decode(printer.jobs[0]).drawer_pulses == 1
    assert [d for _r, d in audit(tmp_path, "drawer_opened")] == ['{"reason": "change for a 50"}']


@pytest.mark.parametrize("failure", ["stalled", "refused"])
async def test_a_printer_that_stalls_or_refuses_keeps_the_sale(tmp_path, sandbox, printer, failure):
    if failure == "stalled":
        printer.mode = "stalled"
        target = printer.target
    else:
        target = f"tcp://127.0.0.1:{closed_port()}"
    runtime = thermal_till(tmp_path, sandbox, target)
    async with runtime.open_services(connect=False) as s:
        sale = await s.checkout.finish_sale(cash_cart())
        expected = "did not answer within 0.5 s" if failure == "stalled" else "refused"
        assert expected in (sale.printing.error or "")
        assert (await s.history.get(sale.order_number)) is not None
        failed = audit(tmp_path, "drawer_not_opened")
        assert [r for r, _d in failed] == [sale.receipt.receipt_id]
    # The printer is back: the Reprint prints the copy, without opening the drawer.
    printer.mode = "ready"
    runtime.save_settings(runtime.settings().with_changes(printer_target=printer.target))
    async with runtime.open_services(connect=False) as s:
        outcome = await s.checkout.reprint(sale.order_number)
        assert outcome.error is None
        await until(lambda: any(decode(job).cuts for job in printer.jobs))
        copy = decode([job for job in printer.jobs if decode(job).cuts][-1])
        assert copy.lines[0].text == "DUPLICATA / COPY"
        assert copy.drawer_pulses == 0


@pytest.mark.parametrize(
    ("target", "profile", "said"),
    [("tcp://", "80mm-48", "tcp://HOST"), ("tcp://127.0.0.1", "90mm", "unknown printer profile")],
)
async def test_settings_naming_no_printer_say_so_on_print(tmp_path, sandbox, target, profile, said):
    runtime = thermal_till(tmp_path, sandbox, target, printer_profile=profile)
    async with runtime.open_services(connect=False) as s:
        sale = await s.checkout.finish_sale(paid_cart(5))
        assert "settings are not usable" in (sale.printing.error or "")
        assert said in (sale.printing.error or "")
        assert s.printers.problem(runtime.settings()) is not None
        with pytest.raises(ValueError, match=said):
            await s.printers.print_test_page(runtime.settings())


async def test_test_page_on_the_settings_given(tmp_path, sandbox, printer):
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    async with runtime.open_services(connect=False) as s:
        unsaved = runtime.settings().with_changes(printer="escpos", printer_target=printer.target)
        said = await s.printers.print_test_page(unsaved)
        assert printer.target.removeprefix("tcp://") in said
        await until(lambda: len(printer.jobs) == 1)
        out = decode(printer.jobs[0])
        assert "àâäçéèêëîïôöùûüÿ" in out.text
        assert out.barcodes and out.cuts == 1
