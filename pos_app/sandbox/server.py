"""SandboxServer: the sandbox app under uvicorn in a background thread, in-process.

"Down" is real: the listening socket is closed and open connections are shut, so a client
gets a connect error (ECONNREFUSED), never an HTTP status. "Up" listens again on the same port.
The database, tokens, faults and counters live outside uvicorn and survive a down/up.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections import Counter
from os import PathLike
from typing import Any

import uvicorn

from pos_app.sandbox.app import SandboxState, build_app
from pos_app.sandbox.faults import Faults, FaultSettings, FaultUpdate
from pos_app.sandbox.invoiced_app import (
    DEFAULT_KEY,
    PREFIX,
    InvoicedSandbox,
    build_invoiced_app,
    with_invoiced,
)
from pos_app.sandbox.invoiced_store import InvoicedStore
from pos_app.sandbox.store import SandboxStore
from pos_app.sandbox.tokens import ALL_SCOPES, TokenRegistry

log = logging.getLogger("pos_app.sandbox")

DEFAULT_TOKEN = "sandbox-token"
DEFAULT_CLIENT_ID = "pos-app"
DEFAULT_CLIENT_SECRET = "sandbox-secret"
_START_TIMEOUT_S = 10.0


class RemoteHostRefused(ValueError):
    """A host other than loopback was asked for without allow_remote."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


class SandboxServer:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        db_path: str | PathLike[str] | None = None,
        token: str | None = DEFAULT_TOKEN,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str | None = None,
        latency_ms: float = 0.0,
        error_rate: float = 0.0,
        drop_after_commit_rate: float = 0.0,
        *,
        rate_limit_rate: float = 0.0,
        allowed_scopes: frozenset[str] = ALL_SCOPES,
        token_lifetime_s: int = 3600,
        seed: int | None = None,
        invoiced_key: str = DEFAULT_KEY,
        dedupe: bool = False,
        allow_remote: bool = False,
    ):
        """`client_secret` None: no OAuth2 client (only the static token gets in).
        `allow_remote`: needed to listen anywhere but loopback (the sandbox's tokens and data
        are for tests and demos, not for a network)."""
        if not allow_remote and not is_loopback(host):
            raise RemoteHostRefused(f"{host} is not a loopback address")
        self.host = host
        self._port = port
        self._token = token
        settings = FaultSettings(
            latency_ms=latency_ms,
            error_rate=error_rate,
            rate_limit_rate=rate_limit_rate,
            drop_after_commit_rate=drop_after_commit_rate,
        )
        self.state = SandboxState(
            store=SandboxStore(db_path),
            tokens=TokenRegistry(
                static_tokens=[token] if token else [],
                client_id=client_id,
                client_secret=client_secret,
                allowed_scopes=allowed_scopes,
                lifetime_s=token_lifetime_s,
            ),
            faults=Faults(settings, seed),
            counters=Counter(),
            dedupe=dedupe,
            on_down=self._down_on_request,
        )
        # The Invoiced API (house accounts) on the same port, under /invoiced.
        self.invoiced = InvoicedSandbox(
            store=InvoicedStore(f"{db_path}.invoiced" if db_path else None),
            api_key=invoiced_key,
            faults=Faults(FaultSettings(), seed),
        )
        self._app = with_invoiced(build_app(self.state), build_invoiced_app(self.invoiced))
        self._lifecycle = threading.RLock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._stopped = False

    def __repr__(self) -> str:
        return f"SandboxServer(url={self.url!r}, up={self.is_up})"

    # ----------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._port}"

    @property
    def invoiced_url(self) -> str:
        return f"{self.url}{PREFIX}"

    @property
    def token(self) -> str | None:
        """The static bearer token (every scope, and the /_sandbox/ admin routes)."""
        return self._token

    @property
    def is_up(self) -> bool:
        return self._server is not None

    def start(self) -> SandboxServer:
        """Listen (on a free port when port=0) and return once connections are accepted."""
        with self._lifecycle:
            if self._stopped:
                raise RuntimeError("a stopped sandbox cannot start again")
            if self._server is None:
                self._listen()
        return self

    def stop(self) -> None:
        with self._lifecycle:
            if self._stopped:
                return
            self._close()
            self._stopped = True
            self.state.store.close()
            self.invoiced.store.close()

    def set_down(self, down: bool) -> None:
        """Down: stop listening and close connections. Up: listen again on the same port."""
        with self._lifecycle:
            if self._stopped:
                raise RuntimeError("the sandbox is stopped")
            if down:
                self._close()
            elif self._server is None:
                self._listen()

    def faults(self) -> dict[str, Any]:
        """The fault settings now, as GET /_sandbox/faults answers them."""
        return self.state.faults.snapshot()

    def set_faults(self, **changes: Any) -> dict[str, Any]:
        """Change fault settings: latency_ms, error_rate, rate_limit_rate, retry_after_s,
        retry_after_format ('seconds'|'http-date'), drop_after_commit_rate, fail_next (list of
        statuses for the next /v1 requests), drop_next (count), seed. Returns the new state."""
        self.state.faults.update(FaultUpdate(**changes))
        return self.state.faults.snapshot()

    def revoke_tokens(self) -> int:
        """Invalidate every OAuth2 token issued so far (static tokens stay valid)."""
        return self.state.tokens.revoke_issued()

    @property
    def counters(self) -> Counter[str]:
        return self.state.counters

    def stats(self) -> dict[str, int]:
        """What GET /_sandbox/stats answers (counters, tokens issued, receipts stored),
        in-process and without the token."""
        return self.state.stats()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ----------------------------------------------------------------------------------------

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose
        # proto says TCP, and without it Nagle and delayed ACKs add 40 ms to every answer.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        # Coming back up on the same port must not wait for TIME_WAIT sockets to expire.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._port))
        except OSError:
            sock.close()
            raise
        self._port = sock.getsockname()[1]
        return sock

    def _listen(self) -> None:
        sock = self._bind()
        config = uvicorn.Config(
            self._app,
            lifespan="off",
            access_log=False,
            log_config=None,  # leave the host process's logging alone
            log_level="warning",
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=2,
            backlog=1024,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"sandbox:{self._port}", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                sock.close()
                raise RuntimeError(f"the sandbox did not start on {self.url}")
            time.sleep(0.005)
        self._server, self._thread = server, thread
        log.info("sandbox listening on %s", self.url)

    def _close(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout=10)
        self._server = self._thread = None
        log.info("sandbox on %s is down", self.url)

    def _down_on_request(self, seconds: float | None) -> None:
        # Called from a request on the server's own loop, which cannot wait for itself to stop:
        # a helper thread takes it down once the answer has gone, and up again if asked to.
        def cycle() -> None:
            time.sleep(0.05)
            self.set_down(True)
            if seconds is not None:
                time.sleep(seconds)
                self.set_down(False)

        threading.Thread(target=cycle, name="sandbox-down", daemon=True).start()
