"""One invitation e-mail, built with the standard library's ``email`` package.

The texts are the chat's (the event's time, place and agenda lines of bot/views.py, the
headers of broadcast.ftl) plus email.ftl, in the person's language; each e-mail is::

    multipart/mixed
      multipart/alternative
        text/plain
        multipart/related
          text/html                  (inline styles; every value escaped)
          image/png                  (the QR code of the personal link, cid:)
      text/calendar  event.ics       (bot/ics.py, the same file as "Add to calendar")

Never the online meeting link (issue 12): it goes only to people who said yes, inside the
join window, from the bot. Everything a person or an organiser typed (names, the title)
is cleaned of control characters and line breaks before it reaches a header, so no value
can add a header; the ``email`` package folds and encodes the rest (RFC 2047 for non-ASCII
display names, SMTPUTF8 only when the address itself is not ASCII).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime, make_msgid

from bot.config import EmailSettings
from bot.i18n import Translator
from bot.ics import event_ics
from bot.models import EmailKind, Event, normalise_address, valid_address
from bot.qr import qr_png
from bot.views import agenda_lines, place_lines, when_line

MAX_NAME = 64  # characters of a display name in a header
MAX_SUBJECT = 150
# An address we write to: one @, no spaces, quotes, brackets or control characters.
_ADDRESS = re.compile(r"^[^@\s<>()\[\]\"',;:\\]{1,64}@[^@\s<>()\[\]\"',;:\\]{1,253}$")
_TAG = re.compile(r"<[^>]+>")


class BadAddress(ValueError):
    """The address cannot be written to (the person is skipped, never the campaign)."""


def clean_line(text: str | None, limit: int) -> str:
    """One line of printable text: control characters (CR, LF, NUL, bidi overrides...) become
    spaces, runs of spaces one, at most ``limit`` characters."""
    if not text:
        return ""
    kept = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    )
    line = " ".join(kept.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def display_name(text: str | None) -> str:
    """A name for a header: one clean line, and never anything a mail program would take
    for an encoded word (``=?utf-8?q?...?=`` typed as a name stays as typed)."""
    return clean_line(text, MAX_NAME).replace("=?", "= ?")


def _address(name: str | None, address: str) -> Address:
    local, _, domain = address.rpartition("@")
    return Address(display_name=display_name(name), username=local, domain=domain)


def _sender_address(address: str) -> str:
    """The bot's own From/Reply-To: one mailbox, no controls (``kvietimas@localhost`` is
    fine: a relay on this machine)."""
    address = normalise_address(address)
    if not _ADDRESS.match(address) or any(unicodedata.category(c)[0] == "C" for c in address):
        raise BadAddress(address)
    return address


def check_address(address: str) -> str:
    """The address lower-cased if we can write to it; else :class:`BadAddress`."""
    address = normalise_address(address)
    if (
        not _ADDRESS.match(address)
        or not valid_address(address)  # the transport's rule for the envelope
        or any(unicodedata.category(c)[0] == "C" for c in address)
    ):
        raise BadAddress(address)
    return address


def plain(text: str) -> str:
    """A catalog text (Telegram HTML) as plain text."""
    return html.unescape(_TAG.sub("", text))


@dataclass(frozen=True, slots=True)
class Letter:
    """What one e-mail says to one person."""

    kind: EmailKind
    event: Event
    lang: str
    name: str | None
    address: str
    link: str  # the personal Telegram link (https://t.me/<bot>?start=p_<code>)
    unsubscribe_url: str  # one click (RFC 8058)
    unsubscribe_mailto: str  # mailto:... for mail programs without one-click


@dataclass(frozen=True, slots=True)
class Sender:
    """Who the e-mails come from: the bot's settings."""

    settings: EmailSettings
    organisation: str
    bot_username: str


def subject(tr: Translator, letter: Letter) -> str:
    title = clean_line(letter.event.title, MAX_SUBJECT)
    return clean_line(
        plain(tr.text(letter.lang, f"email-subject-{letter.kind.value}", title=title)), MAX_SUBJECT
    )


def texts_for(tr: Translator, sender: Sender, letter: Letter) -> dict[str, object]:
    """The catalog texts of the e-mail (Telegram HTML: escaped values, a few tags)."""
    lang, event = letter.lang, letter.event
    name = clean_line(letter.name, MAX_NAME)
    header_key = (
        "broadcast-invitation-header"
        if letter.kind is EmailKind.INVITATION
        else "broadcast-reminder-header"
    )
    contact = sender.settings.reply_to or sender.settings.from_address
    return {
        "header": tr.text(lang, header_key, title=event.title),
        "greeting": (
            tr.text(lang, "email-greeting", name=name)
            if name
            else tr.text(lang, "email-greeting-anonymous")
        ),
        "intro": tr.text(
            lang, f"email-intro-{letter.kind.value}", organisation=sender.organisation
        ),
        "when": when_line(tr, lang, event),
        "where": place_lines(tr, lang, event),
        "agenda": agenda_lines(tr, lang, event),
        "button": tr.text(lang, "email-button"),
        "link_hint": tr.text(lang, "email-link-hint"),
        "qr_hint": tr.text(lang, "email-qr-hint"),
        "qr_alt": tr.text(lang, "email-qr-alt"),
        "personal": tr.text(lang, "email-personal"),
        "ics": tr.text(lang, "email-ics-hint"),
        "contact": tr.text(lang, "email-contact", contact=contact),
        "why": tr.text(lang, "email-why", organisation=sender.organisation),
        "unsubscribe": tr.text(lang, "email-unsubscribe"),
    }


def plain_body(texts: dict[str, object], letter: Letter) -> str:
    event = letter.event
    lines = [plain(str(texts["greeting"])), "", plain(str(texts["header"]))]
    lines += [plain(str(texts["intro"])), "", clean_line(event.title, 500)]
    if event.programme_title:
        lines.append(clean_line(event.programme_title, 500))
    lines.append(plain(str(texts["when"])))
    lines += [plain(str(line)) for line in texts["where"]]  # type: ignore[attr-defined]
    lines += [plain(str(line)) for line in texts["agenda"]]  # type: ignore[attr-defined]
    lines += [
        "",
        f"{plain(str(texts['button']))}:",
        letter.link,
        "",
        plain(str(texts["personal"])),
        plain(str(texts["ics"])),
        plain(str(texts["contact"])),
        "",
        "-- ",
        plain(str(texts["why"])),
        f"{plain(str(texts['unsubscribe']))}: {letter.unsubscribe_url}",
    ]
    return "\n".join(lines) + "\n"


_P = "margin:0 0 12px 0;"
_BUTTON = (
    "display:inline-block;padding:12px 20px;background:#229ED9;color:#ffffff;"
    "text-decoration:none;border-radius:6px;font-weight:bold;"
)
_SMALL = "font-size:12px;color:#666666;"


def html_body(texts: dict[str, object], letter: Letter, qr_cid: str) -> str:
    """Simple HTML with inline styles. Catalog texts are already escaped HTML (their
    values were escaped when formatted); the title, link and URLs are escaped here."""
    event = letter.event
    link = html.escape(letter.link, quote=True)
    unsubscribe = html.escape(letter.unsubscribe_url, quote=True)
    where = "".join(f'<p style="{_P}">{line}</p>' for line in texts["where"])  # type: ignore[attr-defined]
    agenda_items = [str(line) for line in texts["agenda"] if line]  # type: ignore[attr-defined]
    agenda = ""
    if agenda_items:
        head, *items = agenda_items
        agenda = (
            f'<p style="{_P}">{head}</p><ul>' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
        )
    programme = (
        f'<p style="{_P}"><i>{html.escape(event.programme_title, quote=False)}</i></p>'
        if event.programme_title
        else ""
    )
    lang = html.escape(letter.lang, quote=True)
    title = html.escape(event.title, quote=False)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(event.title, quote=False)}</title></head>"
        f'<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;color:#222222;'
        f'line-height:1.45;max-width:600px;margin:0 auto;padding:16px;">'
        f'<p style="{_P}">{texts["greeting"]}</p>'
        f'<p style="{_P}">{texts["header"]}</p>'
        f'<p style="{_P}">{texts["intro"]}</p>'
        f'<h1 style="font-size:20px;margin:16px 0 8px 0;">{title}</h1>'
        f"{programme}"
        f'<p style="{_P}">{texts["when"]}</p>{where}{agenda}'
        f'<p style="margin:20px 0;"><a href="{link}" style="{_BUTTON}">{texts["button"]}</a></p>'
        f'<p style="{_P}{_SMALL}">{texts["link_hint"]}<br><a href="{link}">{link}</a></p>'
        f'<p style="{_P}">{texts["qr_hint"]}<br>'
        f'<img src="cid:{qr_cid}" alt="{html.escape(plain(str(texts["qr_alt"])), quote=True)}" '
        f'width="180" height="180" style="display:block;margin-top:8px;"></p>'
        f'<p style="{_P}">{texts["personal"]}</p>'
        f'<p style="{_P}">{texts["ics"]}</p>'
        f'<p style="{_P}">{texts["contact"]}</p>'
        f'<hr style="border:none;border-top:1px solid #dddddd;margin:20px 0;">'
        f'<p style="{_P}{_SMALL}">{texts["why"]} '
        f'<a href="{unsubscribe}" style="color:#666666;">{texts["unsubscribe"]}</a></p>'
        "</body></html>"
    )


def compose(tr: Translator, sender: Sender, letter: Letter, *, now: datetime) -> EmailMessage:
    """The e-mail for ``letter``; :class:`BadAddress` if its address cannot be written to."""
    address = check_address(letter.address)
    settings = sender.settings
    from_address = _sender_address(settings.from_address)
    domain = from_address.partition("@")[2]
    texts = texts_for(tr, sender, letter)
    message = EmailMessage()
    message["From"] = _address(settings.from_name or sender.organisation, from_address)
    message["To"] = _address(letter.name, address)
    if settings.reply_to:
        message["Reply-To"] = _address(None, _sender_address(settings.reply_to))
    message["Subject"] = subject(tr, letter)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("kvietimas", domain=domain)
    message["List-Unsubscribe"] = f"<{letter.unsubscribe_url}>, <{letter.unsubscribe_mailto}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # Sent by a program, not a person: no vacation replies (RFC 3834), treated as bulk.
    message["Auto-Submitted"] = "auto-generated"
    message["Precedence"] = "bulk"
    message.set_content(plain_body(texts, letter), subtype="plain", cte="quoted-printable")
    qr_cid = make_msgid("qr", domain=domain)
    message.add_alternative(
        html_body(texts, letter, qr_cid[1:-1]), subtype="html", cte="quoted-printable"
    )
    html_part = next(
        part for part in message.iter_parts() if part.get_content_type() == "text/html"
    )
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(
        qr_png(letter.link, scale=6), maintype="image", subtype="png", cid=qr_cid,
        filename="qr.png", disposition="inline",
    )  # fmt: skip
    calendar = event_ics(letter.event, bot_username=sender.bot_username, now=now)
    # As text with its charset (bytes would be read as ASCII: the Lithuanian letters lost).
    message.add_attachment(
        calendar.decode("utf-8"), subtype="calendar", filename="event.ics",
        params={"method": "PUBLISH"},
    )  # fmt: skip
    return message


def needs_smtputf8(message: EmailMessage) -> bool:
    """Whether an address in the headers is not ASCII (then the message is serialised with
    SMTPUTF8, and the transport must send it with that option)."""
    for name in ("To", "From", "Reply-To"):
        for address in getattr(message.get(name), "addresses", ()):
            if not str(address.addr_spec).isascii():
                return True
    return False


def to_bytes(message: EmailMessage) -> bytes:
    """The message as it goes over SMTP (CRLF line ends)."""
    policy = SMTPUTF8 if needs_smtputf8(message) else SMTP
    return message.as_bytes(policy=policy)
