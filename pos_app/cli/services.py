"""Running one async piece of work with the app's services open, from a synchronous command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from pos_app.services.runtime import AppServices, Runtime

T = TypeVar("T")


def run_with_services(
    runtime: Runtime, work: Callable[[AppServices], Awaitable[T]], *, offline: bool = False
) -> T:
    async def main() -> T:
        async with runtime.open_services(connect=not offline) as services:
            return await work(services)

    return asyncio.run(main())
