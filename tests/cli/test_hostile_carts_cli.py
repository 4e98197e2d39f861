"""Issue 14 item 5 through the command line: a cart that is not what it says exits 2 with one
line per field, records nothing, and never shows a traceback."""

from __future__ import annotations

import json

from tests.cli.test_till_cli import till
from tests.fixtures.carts import format_example


def _queued(tmp_path, sandbox) -> int:
    counts = json.loads(till(tmp_path, sandbox, "queue", "--json").stdout)["counts"]
    return sum(counts.values())


def test_misspelt_keys_are_refused_one_line_each(tmp_path, sandbox):
    cart = format_example()
    cart["taxIncluded"] = True
    cart["items"][0]["taxe"] = [{"name": "GST", "percentage": "5"}]
    result = till(tmp_path, sandbox, "sale", "-", stdin=json.dumps(cart))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "taxIncluded: unknown field",
        "items[0].taxe: unknown field",
    ]
    assert _queued(tmp_path, sandbox) == 0


def test_a_repeated_currency_and_a_lone_surrogate_are_refused(tmp_path, sandbox):
    text = json.dumps(format_example(), ensure_ascii=False)
    twice = text.replace('"currency": "CAD"', '"currency": "CAD", "currency": "JPY"', 1)
    repeated = till(tmp_path, sandbox, "totals", "-", stdin=twice)
    assert repeated.returncode == 2
    assert repeated.stderr.splitlines()[0] == "currency: given more than once"
    lone = till(tmp_path, sandbox, "sale", "-", stdin=text.replace("Café filtre", "Caf\\udc00"))
    assert lone.returncode == 2
    assert lone.stderr == "items[0].name: is not valid Unicode text (a lone surrogate)\n"
    assert _queued(tmp_path, sandbox) == 0


def test_tax_rates_that_would_overflow_are_a_clear_error(tmp_path, sandbox):
    taxes = [{"name": f"T{i}", "percentage": "100", "compound": True} for i in range(120)]
    line = {"name": "Or", "unitPrice": "999999999.99", "quantity": "999999", "taxes": taxes}
    result = till(
        tmp_path, sandbox, "totals", "-", stdin=json.dumps({"currency": "CAD", "items": [line]})
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "items[0]: unitPrice × quantity is out of range",
        "items[0].taxes: has more than 10 entries",
    ]
