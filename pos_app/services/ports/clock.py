"""The clock the services read the time from (tests give a fixed one)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]
