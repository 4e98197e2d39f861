"""Fixtures for the store tests: a real database file in tmp_path and a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_helpers import FakeClock

from tests.adapters.store.store import Store


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 1, 21, 18, 54, 48, 245000, tzinfo=UTC))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "pos.sqlite3"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[Store]:
    opened = Store.open(db_path, clock=clock)
    yield opened
    opened.close()
