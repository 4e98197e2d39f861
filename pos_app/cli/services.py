"""Running one async piece of work with the app's services open, from a synchronous command;
and the narrow parts of the runtime a command is typed with (besides ServicesOpener and
EntryPoints): most open the services only, a few read the settings too."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from pos_app.services.runtime import AppServices, ServicesOpener
from pos_app.services.settings import Settings

T = TypeVar("T")


class SettingsReader(Protocol):
    """The current settings, for a command that reads a cart (its rounding rules) or prints
    amounts (their currency)."""

    def settings(self) -> Settings: ...


class CommandRuntime(SettingsReader, ServicesOpener, Protocol):
    """What a command that reads the settings and opens the services is given."""


def run_with_services(
    runtime: ServicesOpener,
    work: Callable[[AppServices], Awaitable[T]],
    *,
    offline: bool = False,
) -> T:
    async def main() -> T:
        async with runtime.open_services(connect=not offline) as services:
            return await work(services)

    return asyncio.run(main())
