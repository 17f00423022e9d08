"""A local SMTP server for the demo, the tests and bench/email.py (aiosmtpd).

It accepts every e-mail and writes each to a folder as ``<n>-<address>.eml`` (the bytes
received, as they are), and can be told to misbehave for chosen addresses: answer a code at
RCPT (421 closes the connection, as a real server does), or drop the connection after the
data, with or without having kept the message. It runs in the caller's event loop::

    async with DevServer(folder) as server:
        settings = EmailSettings(host=server.host, port=server.port)
        ...
    print(server.summary())

or on its own: ``python -m bot.email.devserver --folder mail --port 1025``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import time
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

from bot.models import normalise_address

# What the server answers for each code it is told to give.
REPLIES = {
    421: "421 4.3.2 Service not available, closing transmission channel",
    450: "450 4.2.1 Mailbox busy, try again later",
    451: "451 4.7.1 Greylisted, please try again later",
    452: "452 4.3.1 Insufficient system storage",
    550: "550 5.1.1 No such user here",
    551: "551 5.1.6 User not local",
    552: "552 5.2.2 Mailbox full",
    553: "553 5.1.3 Mailbox name not allowed",
    554: "554 5.7.1 Message refused",
}


@dataclass
class Received:
    """One e-mail the server kept."""

    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    at: float  # the server's clock when it was accepted
    path: Path | None


@dataclass
class _Rule:
    code: int
    times: int | None  # None: always
    reply: str


@dataclass
class _Drop:
    times: int
    keep: bool  # the message is kept (delivered) before the connection drops


@dataclass
class DevServer:
    """The server; ``received`` lists what it accepted (when ``keep`` is on)."""

    folder: Path | None = None
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port, read back after start
    clock: Callable[[], float] = time.monotonic
    keep: bool = True
    received: list[Received] = field(default_factory=list)
    count: int = 0
    refused: int = 0
    _rules: dict[str, _Rule] = field(default_factory=dict)
    _drops: dict[str, _Drop] = field(default_factory=dict)
    _hang_ups: int = 0
    _holds: dict[str, asyncio.Event] = field(default_factory=dict)
    holding: set[str] = field(default_factory=set)
    _server: asyncio.Server | None = None
    _sessions: weakref.WeakSet[SMTP] = field(default_factory=weakref.WeakSet)

    # -- misbehaving on purpose -------------------------------------------------------------

    def answer(
        self, address: str, code: int, *, times: int | None = None, text: str | None = None
    ) -> None:
        """Answer ``code`` to RCPT TO ``address`` (the first ``times`` tries; None: always),
        with the usual reply for the code or ``text`` ("550 5.7.1 Relaying denied")."""
        if text is None and code not in REPLIES:
            raise ValueError(f"no reply for {code}; known: {sorted(REPLIES)}")
        reply = text if text is not None else REPLIES[code]
        self._rules[normalise_address(address)] = _Rule(code, times, reply)

    def drop(self, address: str, *, times: int = 1, keep: bool = False) -> None:
        """Close the connection after the data for ``address``, without an answer; with
        ``keep`` the message is kept first (the sender cannot know it was delivered)."""
        self._drops[normalise_address(address)] = _Drop(times, keep)

    def hold(self, address: str) -> asyncio.Event:
        """Keep the next e-mail to ``address`` but hold its answer until the returned
        event is set: an e-mail in flight (delivered, the sender not told yet) for as long
        as a test needs. ``holding`` names the addresses waiting now."""
        release = asyncio.Event()
        self._holds[normalise_address(address)] = release
        return release

    def hang_up_at_next_mail(self, times: int = 1) -> None:
        """Close the connection, without an answer, at the next MAIL FROM: a server that
        timed out an idle client, which learns it only when it speaks again."""
        self._hang_ups += times

    def drop_connections(self) -> int:
        """Close every open connection now (the server stays up). Returns how many."""
        closed = 0
        for session in list(self._sessions):
            if session.transport is not None and not session.transport.is_closing():
                session.transport.close()
                closed += 1
        return closed

    # -- life -------------------------------------------------------------------------------

    async def start(self) -> DevServer:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
        loop = asyncio.get_running_loop()
        handler = _Handler(self)

        def session() -> SMTP:
            smtp = SMTP(handler, hostname="localhost", enable_SMTPUTF8=True, loop=loop)
            self._sessions.add(smtp)
            return smtp

        self._server = await loop.create_server(session, self.host, self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        self.drop_connections()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.wait_closed(), timeout=5)

    async def __aenter__(self) -> DevServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- reading ----------------------------------------------------------------------------

    def email_settings(self) -> dict[str, object]:
        """``[email]`` values that send to this server (plain SMTP on 127.0.0.1)."""
        return {"host": self.host, "port": self.port, "security": "none"}

    def messages_to(self, address: str) -> list[bytes]:
        wanted = normalise_address(address)
        return [r.content for r in self.received if wanted in r.rcpt_tos]

    def summary(self) -> str:
        """One line for the terminal: how many e-mails came, and where they were written."""
        from bot.cli import cli_text

        where = self.folder if self.folder is not None else "-"
        return cli_text("email-devserver-written", count=self.count, folder=str(where))

    def _store(self, envelope: Envelope) -> None:
        content = envelope.original_content or b""
        rcpt = [normalise_address(a) for a in envelope.rcpt_tos]
        self.count += 1
        path = None
        if self.folder is not None:
            name = re.sub(r"[^A-Za-z0-9@._-]", "_", rcpt[0] if rcpt else "nobody")[:80]
            path = self.folder / f"{self.count:06d}-{name}.eml"
            path.write_bytes(content)
        if self.keep:
            self.received.append(
                Received(envelope.mail_from or "", rcpt, content, self.clock(), path)
            )


@contextlib.asynccontextmanager
async def local_mailbox(
    folder: Path, *, say: Callable[[str], None] = print
) -> AsyncIterator[DevServer]:
    """The demo's mailbox: a server writing to ``folder`` while the block runs, then one
    line saying how many e-mails came and where they were written."""
    async with DevServer(folder, keep=False) as server:
        yield server
    say(server.summary())


class _Handler:
    """aiosmtpd's hooks: RCPT answers the rules, DATA keeps the message (or drops)."""

    def __init__(self, server: DevServer) -> None:
        self.server = server

    async def handle_MAIL(
        self, smtp: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.server._hang_ups > 0:
            self.server._hang_ups -= 1
            if isinstance(smtp.transport, asyncio.Transport):
                smtp.transport.abort()
            return "421 4.4.2 Idle for too long"  # never reaches the client
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 OK"

    async def handle_RCPT(
        self,
        smtp: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        rule = self.server._rules.get(normalise_address(address))
        if rule is not None and (rule.times is None or rule.times > 0):
            if rule.times is not None:
                rule.times -= 1
            self.server.refused += 1
            if rule.code == 421 and smtp.transport is not None:
                # Answer first (the write is queued before the close), then hang up.
                asyncio.get_running_loop().call_soon(smtp.transport.close)
            return rule.reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, smtp: SMTP, session: Session, envelope: Envelope) -> str:
        rcpt = [normalise_address(a) for a in envelope.rcpt_tos]
        drop = next((self.server._drops[a] for a in rcpt if a in self.server._drops), None)
        if drop is not None and drop.times > 0:
            drop.times -= 1
            if drop.keep:
                self.server._store(envelope)
            if isinstance(smtp.transport, asyncio.Transport):
                smtp.transport.abort()
            return "421 4.4.2 Connection dropped"  # never reaches the client
        self.server._store(envelope)
        held = next((a for a in rcpt if a in self.server._holds), None)
        if held is not None:  # kept, but the answer waits
            release = self.server._holds.pop(held)
            self.server.holding.add(held)
            try:
                await release.wait()
            finally:
                self.server.holding.discard(held)
        return "250 2.0.0 OK: queued"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.email.devserver",
        description="A local SMTP server that writes each e-mail it receives to a folder.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--folder", type=Path, default=Path("mail"))
    parser.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="ADDRESS=CODE",
        help="answer CODE (421, 451, 550 ...) to this address, always (repeatable)",
    )
    from bot.cli import cli_text

    args = parser.parse_args(argv)
    rules: list[tuple[str, int]] = []
    for item in args.answer:
        address, _, code = str(item).rpartition("=")
        if not address or not code.isdigit() or int(code) not in REPLIES:
            parser.error(f"--answer {item}: expected ADDRESS=CODE with CODE in {sorted(REPLIES)}")
        rules.append((address, int(code)))

    async def serve() -> None:
        server = DevServer(args.folder, host=args.host, port=args.port, keep=False)
        for address, code in rules:
            server.answer(address, code)
        async with server:
            print(
                cli_text(
                    "email-devserver-listening",
                    host=server.host,
                    port=str(server.port),
                    folder=str(args.folder),
                ),
                flush=True,
            )
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
