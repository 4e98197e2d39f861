"""The drain worker: sends every committed receipt to Smartbills exactly once.

It applies the outcome table of api-contract.md section 4. Each receipt is sent with its
frozen body and its `receiptId` as Idempotency-Key on every attempt. The reference documents no
de-duplication by receiptId: a server may store a resent receipt twice. So a receipt whose
earlier attempt may have reached the server (a 5xx, a timeout, a connection lost after sending,
or a stop while it was in flight) is first looked up among the server's newest receipts, and
resent only when it is not there. A 409 DUPLICATE_RECEIPT, from a server that does
de-duplicate, is also taken as done.

Two kinds of waiting:
- a receipt's own backoff (stored in the outbox), after an ambiguous failure (5xx, timeout,
  connection lost after sending): 1 s doubling to 5 min, with jitter;
- the worker's wait, when nothing can be sent now: offline (probing again after 1 s doubling
  to `offline_probe_max`), rate-limited (until Retry-After), or paused (until someone acts).
A finished sale, `nudge()`, or `resume()` wakes it at once; so does a commit by another
process (a `pos-app sale`), through `foreign_changes`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pos_app.domain.remote import (
    DUPLICATE_RECEIPT,
    RemoteAuthError,
    RemoteConfigError,
    RemoteConflict,
    RemoteError,
    RemoteNotFound,
    RemoteRateLimited,
    RemoteRejected,
    RemoteUnavailable,
    SubmittedReceipt,
)
from pos_app.services.events import Connectivity, Observable, SyncStatus
from pos_app.services.ports.clock import Clock
from pos_app.services.ports.receipts_api import ReceiptApi
from pos_app.services.ports.sales import ClaimedRow, Outbox
from pos_app.services.ports.sender_lock import SenderLock
from pos_app.services.sync_wake import ForeignChanges, wake_on_foreign_changes

log = logging.getLogger("pos_app.sync")

# Ambiguous failures in a row after which the round stops and lets the backoffs work.
MAX_AMBIGUOUS_IN_A_ROW = 5
# With nothing due, look at the outbox again at least this often (a row's backoff may end).
IDLE_RECHECK_S = 60.0
# While another process sends this folder's receipts, try for the sender lock this often.
LOCK_POLL_S = 1.0


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SyncOptions:
    batch_size: int = 0  # 0: one POST per receipt; N: POST /v1/receipts/batch with up to N
    chunk: int = 50  # receipts claimed from the outbox at a time
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 300.0
    offline_probe_max_s: float = 30.0
    # The look-up before a resend reads the server's receipts newest first, back to the
    # earliest first send of those looked for (less this margin, for the till's and the
    # server's clocks), at most this many pages.
    lookup_page_size: int = 100
    lookup_max_pages: int = 20
    lookup_clock_margin_s: float = 600.0


@dataclass(frozen=True)
class SyncStats:
    """What the look-ups before resends did, since the worker was made."""

    looked_up: int = 0  # receipts looked up on the server before being sent again
    lookup_pages: int = 0  # list pages read for that
    resends_avoided: int = 0  # looked-up receipts the server had: done, not sent again
    inconclusive: int = 0  # not found within lookup_max_pages: sent again (never lost)


@dataclass(frozen=True)
class DrainReport:
    sent: int = 0
    needs_attention: int = 0
    unreachable: bool = False
    paused: bool = False
    looked_up: int = 0
    resends_avoided: int = 0
    not_owner: bool = False  # another process holds the sender lock: nothing was tried


class _Round:
    """The bookkeeping of one drain round."""

    def __init__(self) -> None:
        self.sent = 0
        self.needs_attention = 0
        self.looked_up = 0
        self.resends_avoided = 0
        self.ambiguous_in_a_row = 0
        self.stop = False
        # Receipts the server holds, not yet recorded as done: settled a chunk at a time.
        self.done: list[tuple[str, str | None, str | None]] = []


class SyncWorker:
    def __init__(
        self,
        outbox: Outbox,
        api: ReceiptApi,
        *,
        options: SyncOptions = SyncOptions(),
        sandbox: bool = False,
        clock: Clock = _utc_now,
        rng: Callable[[], float] = random.random,
        sender_lock: SenderLock | None = None,
        foreign_changes: ForeignChanges | None = None,
    ):
        self._outbox = outbox
        self._sender_lock = sender_lock
        self._foreign_changes = foreign_changes
        self._api = api
        self._options = options
        self._clock = clock
        self._rng = rng
        self.status: Observable[SyncStatus] = Observable(SyncStatus(sandbox=sandbox))
        self._wake = asyncio.Event()
        self._offline_delay = 0.0
        self._not_before: datetime | None = None
        self._paused_reason: str | None = None
        self._resume_wanted = False
        self._lock = asyncio.Lock()
        self.stats = SyncStats()

    # -- control -------------------------------------------------------------------------

    async def start(self, *, wait: bool = True) -> bool:
        """Call once at start-up. Takes the sender lock first (waiting for it while another
        process holds it, unless `wait` is False: then False says nothing was done); then
        rows a crash left in `sending` are queued again (the same key and body make a resend
        safe), and the counts are published."""
        if not await self._own_outbox(wait):
            return False
        recovered = await self._outbox.recover_sending()
        if recovered:
            log.info("requeued %d receipts left in flight by the last run", recovered)
        # A start is when new credentials (Settings, environment) take effect: a queue paused
        # for the old ones is tried again. Still wrong, one request pauses it again.
        resumed = await self._outbox.resume_paused()
        if resumed:
            log.info("%d paused receipts queued again at start", resumed)
            self._set(resumed=resumed)
        await self._publish_counts()
        return True

    def credentials_renewed(self) -> None:
        """The API issued a new access token: credentials work again, so a pause for them
        ends (at the next round, on the worker's own task)."""
        if self._paused_reason is not None:
            self._resume_wanted = True
            self.nudge()

    def other_sender(self) -> str:
        """The message for when another process holds the sender lock."""
        holder = self._sender_lock.holder() if self._sender_lock is not None else ""
        return "another pos-app is sending this folder's receipts" + (
            f" ({holder})" if holder else ""
        )

    async def _own_outbox(self, wait: bool) -> bool:
        lock = self._sender_lock
        if lock is None or lock.try_acquire():
            return True
        if not wait:
            return False
        self._set(other_sender=lock.holder() or "another process")
        log.info("%s; waiting for it to stop", self.other_sender())
        while not lock.try_acquire():
            await asyncio.sleep(LOCK_POLL_S)
        self._set(other_sender="")
        return True

    def configure(self, options: SyncOptions) -> None:
        self._options = options

    async def wait_until_due(self) -> None:
        """Sleep until the next round is worth trying (or someone nudges)."""
        await self._wait(await self._next_wait())

    def nudge(self) -> None:
        """Try now: a sale was just finished, or someone pressed "Sync now"."""
        self._offline_delay = 0.0
        self._wake.set()

    async def resume(self) -> None:
        """After the owner fixed credentials or configuration: paused receipts go back to
        the queue and the worker tries again."""
        async with self._lock:
            await self._resume_paused()
        self.nudge()

    async def _resume_paused(self) -> None:
        self._resume_wanted = False
        resumed = await self._outbox.resume_paused()
        log.info("sync resumed: %d paused receipts queued again", resumed)
        self._unpause()
        self._set(resumed=resumed)
        await self._publish_counts()

    def _unpause(self) -> None:
        self._paused_reason = None
        self._set(connectivity=Connectivity.UNKNOWN, last_error=None)

    async def run_forever(self) -> None:
        """Sends until cancelled; also wakes on commits by other processes (when
        `foreign_changes` was given)."""
        await self.start()
        changes = self._foreign_changes
        watch = (
            None
            if changes is None
            else asyncio.ensure_future(wake_on_foreign_changes(changes, self.nudge))
        )
        try:
            while True:
                await self.drain()
                await self.wait_until_due()
        finally:
            if watch is not None:
                watch.cancel()

    # -- one round -------------------------------------------------------------------------

    async def drain(self) -> DrainReport:
        """Sends everything due now; returns when nothing sendable is left this round."""
        async with self._lock:
            if self._sender_lock is not None and not self._sender_lock.held:
                return DrainReport(not_owner=True)
            if self._resume_wanted:
                await self._resume_paused()
            if self._paused_reason is not None:
                if (await self._publish_counts()).paused:
                    return DrainReport(paused=True)
                # Someone queued the paused receipts again (`queue retry`, another process).
                self._unpause()
            backlog = (await self._publish_counts()).pending
            self._set(draining=True, settled=0, backlog=backlog)
            rnd = _Round()
            try:
                await self._rounds(rnd)
            finally:
                await self._settle(rnd)
                # Whatever was claimed and not settled (a stop mid-chunk) waits as pending.
                await self._outbox.recover_sending()
                self._set(draining=False)
                await self._publish_counts()
            status = self.status.value
            return DrainReport(
                sent=rnd.sent,
                needs_attention=rnd.needs_attention,
                unreachable=status.connectivity is Connectivity.OFFLINE,
                paused=self._paused_reason is not None,
                looked_up=rnd.looked_up,
                resends_avoided=rnd.resends_avoided,
            )

    async def _rounds(self, rnd: _Round) -> None:
        while not rnd.stop:
            now = self._clock()
            if self._not_before is not None and now < self._not_before:
                return
            claimed = await self._outbox.claim_due(now, self._options.chunk)
            if not claimed:
                return
            to_send = await self._not_on_server(claimed, rnd)
            if self._options.batch_size:
                await self._send_batches(to_send, rnd)
            else:
                await self._send_each(to_send, rnd)
            await self._settle(rnd)

    # -- the look-up before a resend ---------------------------------------------------------

    async def _not_on_server(self, rows: Sequence[ClaimedRow], rnd: _Round) -> list[ClaimedRow]:
        """The rows to send: those that may have reached the server already are looked up
        first (one pass over the server's newest receipts for the whole chunk), and the ones
        found there are done without a resend."""
        maybe = [row for row in rows if row.maybe_delivered]
        if not maybe:
            return list(rows)
        rnd.looked_up += len(maybe)
        self._count(looked_up=len(maybe))
        try:
            found = await self._look_up(maybe)
        except RemoteError as error:
            # Nothing is known about these: none is sent, each takes the error's outcome
            # (backoff, offline, pause), and the others go on if the round does.
            for row in maybe:
                await self._failed(row, error, rnd)
            self._progressed(len(maybe))
            return [] if rnd.stop else [row for row in rows if not row.maybe_delivered]
        for row in maybe:
            if row.receipt_id in found:
                self._succeeded(row, found[row.receipt_id], rnd)
        rnd.resends_avoided += len(found)
        self._count(resends_avoided=len(found))
        log.info(
            "looked up %d receipt(s) on the server: %d already there, not sent again",
            len(maybe),
            len(found),
        )
        self._progressed(len(found))
        return [row for row in rows if row.receipt_id not in found]

    async def _look_up(self, rows: Sequence[ClaimedRow]) -> dict[str, SubmittedReceipt]:
        """Which of `rows` the server holds, from its receipts newest first. The server
        cannot have created one before it was first sent, so the reading stops at the
        earliest such first send (less the clock margin), on the last page, or after
        `lookup_max_pages`: what is not found by then is sent again (counted as
        inconclusive), since a receipt lost is worse than one stored twice."""
        o = self._options
        wanted = {row.receipt_id for row in rows}
        first = min(row.first_sent_at or self._clock() for row in rows)
        since = first - timedelta(seconds=o.lookup_clock_margin_s)
        found: dict[str, SubmittedReceipt] = {}
        for page in range(1, o.lookup_max_pages + 1):
            listed = await self._api.recent_receipts(page=page, page_size=o.lookup_page_size)
            self._count(lookup_pages=1)
            for r in listed.receipts:
                if r.receipt_id in wanted and r.receipt_id not in found:
                    found[r.receipt_id] = SubmittedReceipt(
                        r.receipt_id, r.server_id, r.url, duplicate=True
                    )
            oldest = listed.receipts[-1].created_at if listed.receipts else None
            if found.keys() == wanted or listed.is_last or (oldest and oldest < since):
                return found
        missing = len(wanted) - len(found)
        self._count(inconclusive=missing)
        log.warning(
            "%d receipt(s) not found in the server's %d newest: sending them again",
            missing,
            o.lookup_max_pages * o.lookup_page_size,
        )
        return found

    def _count(self, **more: int) -> None:
        self.stats = replace(
            self.stats, **{name: getattr(self.stats, name) + n for name, n in more.items()}
        )

    async def _send_each(self, rows: Sequence[ClaimedRow], rnd: _Round) -> None:
        for row in rows:
            if rnd.stop:
                return
            try:
                result = await self._api.create_receipt(row.receipt_id, row.payload)
            except RemoteError as error:
                await self._failed(row, error, rnd)
            else:
                self._succeeded(row, result, rnd)
            self._progressed(1)

    async def _send_batches(self, rows: Sequence[ClaimedRow], rnd: _Round) -> None:
        size = self._options.batch_size
        for start in range(0, len(rows), size):
            if rnd.stop:
                return
            group = rows[start : start + size]
            try:
                results = await self._api.create_receipts_batch(
                    [(r.receipt_id, r.payload) for r in group]
                )
            except (RemoteRejected, RemoteNotFound, RemoteConfigError) as error:
                # The batch route itself was refused (older server, route missing): the
                # receipts are fine, send them one by one.
                log.warning("batch refused (%s); sending one by one", error.message)
                await self._send_each(group, rnd)
                continue
            except RemoteError as error:
                for row in group:
                    await self._failed(row, error, rnd)
                self._progressed(len(group))
                continue
            if len(results) != len(group):
                log.warning("batch answered %d results for %d receipts", len(results), len(group))
                await self._send_each(group, rnd)
                continue
            for row, result in zip(group, results, strict=True):
                if isinstance(result, RemoteError):
                    await self._failed(row, result, rnd)
                else:
                    self._succeeded(row, result, rnd)
            self._progressed(len(group))

    # -- outcomes ----------------------------------------------------------------------------

    def _succeeded(self, row: ClaimedRow, result: SubmittedReceipt, rnd: _Round) -> None:
        rnd.sent += 1
        rnd.ambiguous_in_a_row = 0
        self._offline_delay = 0.0
        self._not_before = None
        if self.status.value.connectivity is not Connectivity.ONLINE:
            self._set(connectivity=Connectivity.ONLINE, last_error=None, resumed=0)
        # Recorded with the rest of the chunk: a crash before that commit only means a
        # resend, which the server answers as a duplicate.
        rnd.done.append((row.receipt_id, result.server_id, result.url))

    async def _failed(self, row: ClaimedRow, error: RemoteError, rnd: _Round) -> None:
        if isinstance(error, RemoteConflict) and error.code == DUPLICATE_RECEIPT:
            self._succeeded(row, SubmittedReceipt(row.receipt_id, duplicate=True), rnd)
        elif isinstance(error, RemoteRejected | RemoteConflict):
            await self._needs_attention(row, error, rnd)
        elif isinstance(error, RemoteAuthError | RemoteConfigError):
            await self._pause(row, error, rnd)
        elif isinstance(error, RemoteRateLimited):
            wait = (
                error.retry_after if error.retry_after is not None else self._backoff(row.attempts)
            )
            self._not_before = self._clock() + timedelta(seconds=wait)
            self._set(last_error=f"rate limited: waiting {wait:.0f} s")
            rnd.stop = True  # the row was not a failed attempt: it is simply put back
        elif isinstance(error, RemoteUnavailable) and not error.maybe_delivered:
            self._offline_delay = min(
                max(self._offline_delay * 2, self._options.backoff_base_s),
                self._options.offline_probe_max_s,
            )
            self._set(connectivity=Connectivity.OFFLINE, last_error=error.message)
            rnd.stop = True
        else:
            # 5xx, timeout, connection lost after sending: it may have arrived. Resend later
            # with the same key and body.
            rnd.ambiguous_in_a_row += 1
            delay = self._backoff(row.attempts)
            await self._outbox.mark_retry(
                row.receipt_id, self._clock() + timedelta(seconds=delay), error.message
            )
            self._set(last_error=error.message)
            if rnd.ambiguous_in_a_row >= MAX_AMBIGUOUS_IN_A_ROW:
                rnd.stop = True

    async def _needs_attention(self, row: ClaimedRow, error: RemoteError, rnd: _Round) -> None:
        rnd.needs_attention += 1
        field_errors = error.field_errors if isinstance(error, RemoteRejected) else ()
        await self._outbox.mark_needs_attention(row.receipt_id, error.message, field_errors)
        log.warning("receipt %s needs attention: %s", row.order_number, error.message)

    async def _pause(self, row: ClaimedRow, error: RemoteError, rnd: _Round) -> None:
        reason = (
            "sign in again: the API refused the credentials"
            if isinstance(error, RemoteAuthError)
            else f"configuration problem: {error.message}"
        )
        self._paused_reason = reason
        await self._outbox.mark_paused(row.receipt_id, reason)
        self._set(connectivity=Connectivity.PAUSED, last_error=reason)
        rnd.stop = True
        log.error("sync paused: %s", reason)

    # -- helpers -------------------------------------------------------------------------------

    def _backoff(self, attempts: int) -> float:
        """1 s doubling to the cap, with jitter (half to all of it) so tills do not stampede."""
        o = self._options
        delay = min(o.backoff_cap_s, o.backoff_base_s * (2 ** min(attempts, 30)))
        return delay * (0.5 + self._rng() / 2)

    def _progressed(self, count: int) -> None:
        """Receipts handled in this drain, for the progress bar (a receipt that will be tried
        again in the same drain counts once more: the bar is about work, not a final tally)."""
        self._set(settled=self.status.value.settled + count)

    async def _settle(self, rnd: _Round) -> None:
        if rnd.done:
            done, rnd.done = rnd.done, []
            await self._outbox.mark_done_many(done)

    async def _publish_counts(self) -> SyncStatus:
        counts = {str(state): n for state, n in (await self._outbox.counts()).items()}
        self._set(counts=counts)
        return self.status.value

    def _set(self, **changes: Any) -> None:
        self.status.publish(replace(self.status.value, **changes))

    async def _next_wait(self) -> float | None:
        """Seconds until the next round is worth trying; None: only when woken."""
        if self._paused_reason is not None:
            return None
        if self.status.value.connectivity is Connectivity.OFFLINE:
            return self._offline_delay
        now = self._clock()
        if self._not_before is not None and now < self._not_before:
            return (self._not_before - now).total_seconds()
        due = await self._outbox.next_due_at()
        if due is None:
            return IDLE_RECHECK_S
        return min(max((due - now).total_seconds(), 0.0), IDLE_RECHECK_S)

    async def _wait(self, seconds: float | None) -> None:
        if seconds is not None and seconds <= 0:
            return
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            pass
        finally:
            self._wake.clear()
