"""Each setting's rule, in the settings service: what check_settings refuses, by setting, and
that a save through the runtime refuses it too (nothing written)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.bootstrap import Bootstrap
from pos_app.domain.cart import Tax
from pos_app.services.runtime import RuntimeOptions
from pos_app.services.settings import (
    DEMO_STORE,
    Settings,
    SettingsInvalid,
    check_settings,
    settings_problems,
)


def test_default_settings_pass() -> None:
    assert settings_problems(Settings()) == {}


@pytest.mark.parametrize("prefix", ["A-1", "", "A 1", "X" * 17, "É1"])
def test_a_prefix_that_breaks_order_numbers_is_refused(prefix: str) -> None:
    assert set(settings_problems(Settings(register_prefix=prefix))) == {"register_prefix"}


@pytest.mark.parametrize("prefix", ["A1", "B", "CAISSE_2", "X" * 16])
def test_a_good_prefix_passes(prefix: str) -> None:
    assert settings_problems(Settings(register_prefix=prefix)) == {}


def test_each_setting_is_named_with_its_problem(tmp_path: Path) -> None:
    settings = Settings(
        currency="CDN",
        api_url="api.example.com",
        token_url="ftp://example.com/token",
        tax_codes={"X": (Tax("X", Decimal("105")),)},
        receipt_logo=str(tmp_path / "missing.png"),
        store=replace(DEMO_STORE, business_name=" "),
    )
    assert settings_problems(settings) == {
        "currency": "is not an ISO 4217 currency code (such as CAD)",
        "business_name": "is required",
        "api_url": "is not a web address (such as https://api.example.com)",
        "token_url": "is not a web address (such as https://api.example.com)",
        "tax_codes": "a tax rate is not between 0 and 100",
        "receipt_logo": "the file does not exist",
    }
    with pytest.raises(SettingsInvalid) as raised:
        check_settings(settings)
    assert "currency: is not an ISO 4217 currency code (such as CAD)" in raised.value.problems


def test_saving_bad_settings_writes_nothing(tmp_path: Path) -> None:
    runtime = Bootstrap(RuntimeOptions(data_dir=tmp_path))
    with pytest.raises(SettingsInvalid):
        runtime.save_settings(runtime.settings().with_changes(register_prefix="A-1"))
    assert not (tmp_path / "settings.json").exists()
    assert runtime.settings().register_prefix == "A1"
