"""API failures as one line for the person at the terminal, with the exit code scripts test:
1 when the server answered with an error, 4 when it gave no answer at all."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from pos_app.cli.io import EXIT_ERROR, EXIT_OK, CommandError
from pos_app.cli.services import run_with_services
from pos_app.domain.invalid_input import InvalidInput
from pos_app.domain.remote import RemoteError, RemoteUnavailable
from pos_app.services.runtime import AppServices, ServicesOpener

T = TypeVar("T")

EXIT_UNREACHABLE = 4  # the same code as `pos-app sync --once`


def is_unreachable(error: RemoteError) -> bool:
    """No HTTP answer came back (refused, DNS, timeout): a network matter, not the server's."""
    return isinstance(error, RemoteUnavailable) and error.status is None


def command_error(error: RemoteError) -> CommandError:
    if is_unreachable(error):
        return CommandError(f"API unreachable: {error.message}", EXIT_UNREACHABLE)
    status = f" (HTTP {error.status})" if error.status else ""
    return CommandError(f"API error{status}: {error.message}", EXIT_ERROR)


def report_copy(failure: RemoteError | None) -> int:
    """After a listing answered from the till's copy: why, in one line, and the exit status
    ("unreachable" only when nothing answered; a 5xx is the server's error)."""
    if failure is None:
        return EXIT_OK
    problem = command_error(failure)
    print(f"{problem.lines[0]}; this is the till's copy", file=sys.stderr)
    return problem.code


@contextmanager
def api_errors_reported() -> Iterator[None]:
    """Turns a RemoteError raised inside into its CommandError (messages are already
    scrubbed of credentials by the API adapter)."""
    try:
        yield
    except RemoteError as error:
        raise command_error(error) from None


@contextmanager
def invalid_reported() -> Iterator[None]:
    """Turns a service's InvalidInput into exit 2 with one line per problem."""
    try:
        yield
    except InvalidInput as error:
        raise CommandError(error.problems) from None


def run_against_api(
    runtime: ServicesOpener,
    work: Callable[[AppServices], Awaitable[T]],
    *,
    unknown: type[Exception],
) -> T:
    """Runs `work` with the services open (the API reachable), reporting every failure a
    person can act on as a CommandError: bad input (2), an unknown id or an API error (1),
    no answer (4)."""

    async def guarded(services: AppServices) -> T:
        try:
            with invalid_reported(), api_errors_reported():
                return await work(services)
        except unknown as error:
            raise CommandError(str(error), EXIT_ERROR) from None

    return run_with_services(runtime, guarded, offline=False)
