"""API failures as one line for the person at the terminal, with the exit code scripts test:
1 when the server answered with an error, 4 when it gave no answer at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pos_app.cli.io import EXIT_ERROR, CommandError
from pos_app.domain.remote import RemoteError, RemoteUnavailable

EXIT_UNREACHABLE = 4  # the same code as `pos-app sync --once`


def is_unreachable(error: RemoteError) -> bool:
    """No HTTP answer came back (refused, DNS, timeout): a network matter, not the server's."""
    return isinstance(error, RemoteUnavailable) and error.status is None


def command_error(error: RemoteError) -> CommandError:
    if is_unreachable(error):
        return CommandError(f"API unreachable: {error.message}", EXIT_UNREACHABLE)
    status = f" (HTTP {error.status})" if error.status else ""
    return CommandError(f"API error{status}: {error.message}", EXIT_ERROR)


@contextmanager
def api_errors_reported() -> Iterator[None]:
    """Turns a RemoteError raised inside into its CommandError (messages are already
    scrubbed of credentials by the API adapter)."""
    try:
        yield
    except RemoteError as error:
        raise command_error(error) from None
