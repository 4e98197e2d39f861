"""A virtual thermal printer: a TCP listener (port 9100 by default for demos, any free port in
tests) that keeps every job it receives and answers status queries as a real printer does.

Modes, to rehearse what goes wrong at a counter:
- "ready": answers DLE EOT with "paper present, cover shut" and keeps the job;
- "stalled": accepts the connection, then never reads or answers (a jammed printer);
- "paper_out": answers that the roll is empty.

With `save_to`, each job is also written there as `job-N.bin` (the raw bytes) and `job-N.txt`
(the decoded printout), so a demo shows what would have come out of the printer.
"""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path
from typing import Literal

from pos_app.adapters.escpos.decode import decode

log = logging.getLogger(__name__)

Mode = Literal["ready", "stalled", "paper_out"]
_STATUS_QUERY = b"\x10\x04"
# Answers to DLE EOT n: fixed bit 1 and 4 set (0x12) and nothing wrong; n=4 with paper out
# sets the roll end bits (0x60).
_READY = 0x12
_PAPER_OUT = 0x12 | 0x60


class VirtualPrinter:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        mode: Mode = "ready",
        save_to: Path | None = None,
    ) -> None:
        self.mode: Mode = mode
        self.save_to = save_to
        self.jobs: list[bytes] = []
        self._server = socket.create_server((host, port))
        self._server.settimeout(0.2)
        self.host, self.port = self._server.getsockname()[:2]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def target(self) -> str:
        """The connection to give the till: tcp://HOST:PORT."""
        return f"tcp://{self.host}:{self.port}"

    def start(self) -> VirtualPrinter:
        thread = threading.Thread(target=self._accept, name="virtual-printer", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._server.close()

    def __enter__(self) -> VirtualPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _address = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _answer(self, query: int) -> bytes:
        return bytes([_PAPER_OUT if self.mode == "paper_out" and query == 4 else _READY])

    def _serve(self, conn: socket.socket) -> None:
        received = bytearray()
        scanned = 0
        with conn:
            conn.settimeout(0.2)
            while not self._stop.is_set():
                if self.mode == "stalled":
                    self._stop.wait(0.2)  # holds the connection, reads nothing
                    continue
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not chunk:
                    break
                received += chunk
                while (found := received.find(_STATUS_QUERY, scanned)) >= 0 and found + 2 < len(
                    received
                ):
                    conn.sendall(self._answer(received[found + 2]))
                    scanned = found + 3
        if received:
            self._keep(bytes(received))

    def _keep(self, job: bytes) -> None:
        self.jobs.append(job)
        if self.save_to is None:
            return
        number = len(self.jobs)
        self.save_to.mkdir(parents=True, exist_ok=True)
        (self.save_to / f"job-{number}.bin").write_bytes(job)
        try:
            text = decode(job).text
        except ValueError as error:
            text = f"(not a stream this printer understands: {error})"
        (self.save_to / f"job-{number}.txt").write_text(text + "\n", encoding="utf-8")
        log.info("virtual printer: job %d, %d bytes", number, len(job))
