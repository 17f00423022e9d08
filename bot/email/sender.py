"""The e-mail sender: drains ``db.email_outbox`` over one SMTP connection, at the configured
pace, and records every outcome (docs/email.md, "Sending").

* One connection, opened when there is something to send, reused, opened again after a
  drop. A connection that cannot be made (refused, time-out, TLS, login) pauses sending
  with backoff (1 s, 2 s ... 5 min) and costs no e-mail an attempt.
* Pace: a :class:`bot.pacing.Pacer` at ``rate_per_minute`` (2% below it) on an injected
  monotonic clock, so tests run on :class:`bot.pacing.VirtualTime`.
* An e-mail is claimed ('sending') just before its SMTP transaction and finished just after:
  a crash leaves at most the one in flight; it is sent again at start-up and counted
  (``possible_duplicates``). A connection that drops after the data went out may have
  delivered it too: retried and counted the same way.
* Temporary errors (421, 4xx, a dropped connection, a time-out) put the e-mail back with a
  later ``not_before`` (1 min, 2, 4 ... 1 h, with jitter) until ``max_attempts``; then it is
  'failed'. A 5xx for the address (at RCPT, or a 5.1.x/5.2.x status after the data) makes
  it 'undeliverable' and suppresses the address ('bounced'); a 5xx for the message itself
  (content, size, policy) makes it 'failed' without a suppression; a 5xx for our sender
  (MAIL FROM refused, relaying or authentication refused) is a setting to fix: sending
  pauses and no e-mail is charged.
* The claim re-reads the person and the suppressions every time (first attempt and each
  retry): an opt-out, a /forget or an unsubscribe stops an e-mail that has not gone yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import re
import secrets
import socket
from dataclasses import dataclass, field
from datetime import timedelta

import aiosmtplib

from bot.config import EmailSettings
from bot.models import EmailOutcome, EmailRow, EmailStatus
from bot.pacing import Pacer, SystemTime, Time
from bot.services import Services

log = logging.getLogger(__name__)

HEADROOM = 0.02  # the pace stays this fraction below rate_per_minute
RETRY_FIRST_S = 60.0  # first retry of an e-mail after a temporary error
RETRY_MAX_S = 3600.0
PAUSE_FIRST_S = 1.0  # sending pauses this long after a failed connection, doubling
PAUSE_MAX_S = 300.0
IDLE_CLOSE_S = 60.0  # an unused connection is closed (QUIT) after this long
_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def retry_delay(attempts: int) -> float:
    """Seconds before the next try of an e-mail that failed ``attempts`` times: 1 min,
    2, 4 ... capped at 1 h, each within ±20% so retries of many e-mails spread out."""
    base = min(RETRY_MAX_S, RETRY_FIRST_S * 2 ** max(attempts - 1, 0))
    return float(base * random.uniform(0.8, 1.2))


def enhanced_status(message: str) -> tuple[int, int, int] | None:
    """RFC 3463 status at the start of an SMTP reply text ("5.1.1 User unknown")."""
    match = _ENHANCED.match(message)
    if match is None:
        return None
    a, b, c = match.groups()
    return int(a), int(b), int(c)


def envelope_address(address: str) -> str:
    """The address as the envelope carries it: an internationalised domain in its ASCII
    form (``ąžuolas.lt`` -> ``xn--uolas-...``), so only a non-ASCII local part needs the
    server's SMTPUTF8."""
    local, _, domain = address.rpartition("@")
    if domain.isascii():
        return address
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return address


class _SenderProblem(Exception):
    """Our side is the problem (connection, login, sender address, relaying): sending
    pauses and the e-mail goes back without being charged."""


@dataclass
class SenderStats:
    """What this sender did since it started (the bench and the logs read it)."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    undeliverable: int = 0
    released: int = 0
    connections: int = 0
    recovered: int = 0
    maybe_sent: int = 0
    codes: dict[int, int] = field(default_factory=dict)


class EmailSender:
    """The component that sends the e-mail outbox (start/stop, contract 6)."""

    def __init__(
        self,
        services: Services,
        *,
        settings: EmailSettings | None = None,
        time: Time | None = None,
    ) -> None:
        chosen = settings or services.settings.email
        if chosen is None:
            raise ValueError("[email] is not set")
        self.settings: EmailSettings = chosen
        self.services = services
        self.time: Time = time or SystemTime()
        self.pacer = Pacer(
            rate_per_second=chosen.rate_per_minute / 60.0,
            headroom=HEADROOM,
            per_chat_interval_s=0.0,
            clock=self.time.now,
            sleep=self.time.sleep,
        )
        self.claimer = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.stats = SenderStats()
        self._smtp: aiosmtplib.SMTP | None = None
        self._last_used = 0.0
        self._pause_s = 0.0
        self._wake = asyncio.Event()
        self._stop_event = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._empty_looks = 0
        self._looked = asyncio.Condition()

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Send again what a crash left in flight, then start the loop."""
        recovered = await self.services.db.email_outbox.recover_emails_in_flight(
            self.services.clock.now()
        )
        self.stats.recovered = recovered
        if recovered:
            log.warning("email: in flight at the last stop: %d; sent again", recovered)
        self.services.wake_email_sender = self.wake
        self._task = asyncio.create_task(self._run(), name="email-sender")

    async def stop(self) -> None:
        """Finish the e-mail in flight, say QUIT, stop."""
        self._stopping = True
        self._stop_event.set()
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        await self._close(polite=True)

    def wake(self) -> None:
        self._wake.set()

    async def wait_idle(self, timeout: float = 30.0) -> None:
        """Until a whole look at the outbox, begun after this call, found nothing due."""
        target = self._empty_looks + 2
        async with asyncio.timeout(timeout):
            while self._empty_looks < target and self._task is not None and not self._task.done():
                self._wake.set()
                async with self._looked:
                    await self._looked.wait()

    # -- the loop -------------------------------------------------------------------------

    async def _run(self) -> None:
        self.time.enter()
        try:
            await self._loop()
        finally:
            self.time.leave()
            async with self._looked:
                self._looked.notify_all()

    async def _loop(self) -> None:
        outbox, clock, pacer = self.services.db.email_outbox, self.services.clock, self.pacer
        while not self._stopping:
            self._wake.clear()
            now = pacer.now()
            start = pacer.earliest(now)
            if start > now:
                await self.time.sleep(start - now, self._stop_event)
                continue
            try:
                row = await outbox.claim_next_email(clock.now(), claimed_by=self.claimer)
            except Exception:  # a broken database must not end the loop
                log.exception("email: cannot read the outbox")
                await self._idle()
                continue
            if row is None:
                await self._idle()
                continue
            pacer.take(at=now)
            try:
                outcome = await self._attempt(row)
            except Exception as exc:  # a bug must cost one e-mail, not the loop
                log.exception("email %d: the attempt failed", row.id)
                await self._close(polite=False)
                error = f"internal error: {type(exc).__name__}"
                outcome = EmailOutcome(row.id, EmailStatus.FAILED, error=error)
            self._count(outcome)
            try:
                await outbox.finish_email(outcome, now=clock.now())
            except Exception:  # left 'sending': sent again at the next start, counted
                log.exception("email %d: cannot record the outcome", row.id)
            if not outcome.charged:
                await self._pause()

    async def _idle(self) -> None:
        async with self._looked:
            self._empty_looks += 1
            self._looked.notify_all()
        if self._smtp is not None and self.time.now() - self._last_used > IDLE_CLOSE_S:
            await self._close(polite=True)
        wait = 1.0
        with contextlib.suppress(Exception):
            due = await self.services.db.email_outbox.next_email_due_at()
            if due is not None:
                wait = min(wait, max((due - self.services.clock.now()).total_seconds(), 0.05))
        with self.time.blocked(), contextlib.suppress(TimeoutError):
            # Real time: idle is not pacing (a test's virtual time must not spin here).
            await asyncio.wait_for(self._wake.wait(), timeout=wait)

    async def _pause(self) -> None:
        """After a problem on our side: wait, longer each time, before the next try."""
        self._pause_s = min(PAUSE_MAX_S, max(PAUSE_FIRST_S, self._pause_s * 2))
        await self.time.sleep(self._pause_s, self._stop_event)

    def _count(self, outcome: EmailOutcome) -> None:
        stats = self.stats
        if outcome.smtp_code is not None:
            stats.codes[outcome.smtp_code] = stats.codes.get(outcome.smtp_code, 0) + 1
        stats.maybe_sent += int(outcome.maybe_sent)
        if not outcome.charged:
            stats.released += 1
        elif outcome.status is EmailStatus.SENT:
            stats.sent += 1
            self._pause_s = 0.0
        elif outcome.status is EmailStatus.PENDING:
            stats.retried += 1
        elif outcome.status is EmailStatus.FAILED:
            stats.failed += 1
        elif outcome.status is EmailStatus.UNDELIVERABLE:
            stats.undeliverable += 1

    # -- the connection -------------------------------------------------------------------

    async def _connection(self) -> aiosmtplib.SMTP:
        if self._smtp is not None and self._smtp.is_connected:
            return self._smtp
        await self._close(polite=False)
        s = self.settings
        smtp = aiosmtplib.SMTP(
            hostname=s.host,
            port=s.smtp_port,
            timeout=s.timeout_s,
            use_tls=s.security == "ssl",
            start_tls=s.security == "starttls",
            username=s.username,
            password=None if s.password is None else s.password.get_secret_value(),
            local_hostname="localhost" if s.host in _LOOPBACK else None,
        )
        try:
            await smtp.connect()
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise _SenderProblem(f"login refused: {exc.code} {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            smtp.close()
            raise _SenderProblem(f"cannot connect to {s.host}:{s.smtp_port}: {exc}") from exc
        if self.stats.connections and self._pause_s:
            log.info("email: connected to %s:%d again", s.host, s.smtp_port)
        self.stats.connections += 1
        self._smtp = smtp
        return smtp

    async def _close(self, *, polite: bool) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        if polite and smtp.is_connected:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
                await smtp.quit(timeout=5)
        smtp.close()

    # -- one e-mail -----------------------------------------------------------------------

    async def _attempt(self, row: EmailRow) -> EmailOutcome:
        outcome = await self._try(row)
        if outcome is None:  # a kept connection had gone stale: once more on a new one
            outcome = await self._try(row, fresh=True)
        assert outcome is not None
        return outcome

    async def _try(self, row: EmailRow, *, fresh: bool = False) -> EmailOutcome | None:
        """One SMTP transaction; None if a connection kept from before was found closed
        before anything of this e-mail went out (the server hung up while we were idle)."""
        reused = self._smtp is not None and self._smtp.is_connected
        try:
            smtp = await self._connection()
        except _SenderProblem as exc:
            return self._released(row, str(exc))
        self._last_used = self.time.now()
        stage = "MAIL"
        try:
            mail_options, encoding = self._options(smtp, row)
            await smtp.mail(self.settings.from_address, options=mail_options, encoding=encoding)
            stage = "RCPT"
            await smtp.rcpt(envelope_address(row.address), encoding=encoding)
            stage = "DATA"
            reply = await smtp.data(row.message)
        except _SenderProblem as exc:
            await self._reset(smtp)
            return EmailOutcome(row.id, EmailStatus.FAILED, error=str(exc))
        except aiosmtplib.SMTPResponseException as exc:
            await self._reset(smtp)
            return self._refused(row, stage, exc.code, exc.message)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            # Dropped or timed out: once the data went out, the server may have taken it.
            await self._close(polite=False)
            if stage == "MAIL" and reused and not fresh and isinstance(exc, ConnectionError):
                return None
            return self._temporary(row, None, f"{stage}: {exc or type(exc).__name__}", stage)
        self._last_used = self.time.now()
        return EmailOutcome(row.id, EmailStatus.SENT, smtp_code=reply.code)

    def _options(self, smtp: aiosmtplib.SMTP, row: EmailRow) -> tuple[list[str], str]:
        """MAIL FROM options: BODY=8BITMIME for a message with 8-bit bytes, SMTPUTF8 for a
        non-ASCII address (refused as 'failed' by a server that cannot take it)."""
        options: list[str] = []
        if any(b > 127 for b in row.message) and smtp.supports_extension("8bitmime"):
            options.append("BODY=8BITMIME")
        if envelope_address(row.address).isascii() and self.settings.from_address.isascii():
            return options, "ascii"
        if not smtp.supports_extension("smtputf8"):
            raise _SenderProblem("the server does not take non-ASCII addresses (no SMTPUTF8)")
        return [*options, "SMTPUTF8"], "utf-8"

    async def _reset(self, smtp: aiosmtplib.SMTP) -> None:
        """RSET after a refusal, so the next e-mail starts a clean transaction."""
        if not smtp.is_connected:
            await self._close(polite=False)
            return
        try:
            await smtp.rset()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            await self._close(polite=False)

    def _refused(self, row: EmailRow, stage: str, code: int, message: str) -> EmailOutcome:
        text = f"{stage}: {code} {message}".strip()[:500]
        if code < 500:
            return self._temporary(row, code, text, stage)
        status = enhanced_status(message)
        if stage == "MAIL":
            if code == 552 or status == (5, 3, 4):  # this message is too big
                return EmailOutcome(row.id, EmailStatus.FAILED, smtp_code=code, error=text)
            return self._released(row, f"the server refuses our sender: {text}", code)
        if stage == "RCPT":
            if code in (530, 535) or "relay" in message.lower():  # a setting to fix
                return self._released(row, f"the server refuses our e-mails: {text}", code)
            log.info("email %d: the address is refused for good (%s)", row.id, text)
            return EmailOutcome(row.id, EmailStatus.UNDELIVERABLE, smtp_code=code, error=text)
        # After the data: the address (5.1.x, 5.2.x, or a plain 550/551/553) or the message.
        if (status is not None and status[1] in (1, 2)) or (
            status is None and code in (550, 551, 553)
        ):
            return EmailOutcome(row.id, EmailStatus.UNDELIVERABLE, smtp_code=code, error=text)
        return EmailOutcome(row.id, EmailStatus.FAILED, smtp_code=code, error=text)

    def _temporary(self, row: EmailRow, code: int | None, text: str, stage: str) -> EmailOutcome:
        maybe_sent = code is None and stage == "DATA"
        if row.attempts >= self.settings.max_attempts:
            return EmailOutcome(
                row.id,
                EmailStatus.FAILED,
                smtp_code=code,
                error=f"gave up after {row.attempts} attempts: {text}"[:500],
                maybe_sent=maybe_sent,
            )
        retry_at = self.services.clock.now() + timedelta(seconds=retry_delay(row.attempts))
        log.info("email %d: temporary error (%s); retry at %s", row.id, text, retry_at)
        return EmailOutcome(
            row.id,
            EmailStatus.PENDING,
            smtp_code=code,
            error=text[:500],
            retry_at=retry_at,
            maybe_sent=maybe_sent,
        )

    def _released(self, row: EmailRow, text: str, code: int | None = None) -> EmailOutcome:
        """Back to pending, uncharged: the problem is ours, not the e-mail's."""
        if self._pause_s == 0.0:  # the first of a streak is worth an error line
            log.error("email: %s; sending pauses and tries again", text)
        return EmailOutcome(
            row.id,
            EmailStatus.PENDING,
            smtp_code=code,
            error=text[:500],
            retry_at=self.services.clock.now(),
            charged=False,
        )
