"""Each invitation e-mail, parsed back with the standard library: headers, both parts, the
QR code and the calendar file; hostile names and titles give well-formed messages; the
meeting link never appears; bad addresses are refused, never written to."""

from __future__ import annotations

from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser, Parser
from email.policy import default
from itertools import takewhile

import pytest
from icalendar import Calendar

from bot.config import EmailSettings
from bot.email.compose import (
    BadAddress,
    Letter,
    Sender,
    check_address,
    clean_line,
    compose,
    display_name,
    to_bytes,
)
from bot.i18n import Translator
from bot.models import AgendaItem, EmailKind, Event, EventStatus
from bot.qr import qr_png

SECRET_MEETING = "https://meet.example.org/very-secret-room"
LINK = "https://t.me/kvietimas_bot?start=p_AbCdEfGhIjKl"
UNSUBSCRIBE = "https://bot.example.lt/email/u/12.AAAAAAAAAAAAAAAAAAAAAA"
NOW = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)


def event(**changes: object) -> Event:
    values: dict[str, object] = dict(
        id=7, slug="akmene", programme_id=None, programme_title="Savivaldybių kompetencijos",
        title="Mokymai Akmenės rajonui", description="",
        starts_at=datetime(2027, 3, 9, 8, tzinfo=UTC),
        ends_at=datetime(2027, 3, 9, 14, tzinfo=UTC), timezone="Europe/Vilnius",
        address="L. Petravičiaus a. 2, Naujoji Akmenė", hall="Didžioji salė", floor=None,
        online_url=SECRET_MEETING, capacity=None, rsvp_deadline=None, invite_code="abc",
        status=EventStatus.ACTIVE,
        agenda=(
            AgendaItem("10:00", "Įvadas", "Eglė Samuchovaitė"),
            AgendaItem("11:00", "Praktika", ""),
        ),
    )  # fmt: skip
    values.update(changes)
    return Event(**values)  # type: ignore[arg-type]


SENDER = Sender(
    EmailSettings(from_address="mokymai@akmene.lt", from_name="Akmenės mokymai",
                  reply_to="rasa@akmene.lt"),
    organisation="Akmenės rajono savivaldybė",
    bot_username="kvietimas_bot",
)  # fmt: skip


def build(
    name: str | None = "Rūta Vasiliauskienė",
    address: str = "ruta@akmene.lt",
    lang: str = "lt",
    kind: EmailKind = EmailKind.INVITATION,
    sender: Sender = SENDER,
    **event_changes: object,
) -> tuple[bytes, EmailMessage]:
    letter = Letter(
        kind, event(**event_changes), lang, name, address, LINK, UNSUBSCRIBE,
        "mailto:rasa@akmene.lt?subject=unsubscribe%2012.x",
    )  # fmt: skip
    raw = to_bytes(compose(Translator("lt"), sender, letter, now=NOW))
    parsed = BytesParser(policy=default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)
    return raw, parsed


def parts(message: EmailMessage) -> dict[str, EmailMessage]:
    return {
        part.get_content_type(): part
        for part in message.walk()
        if isinstance(part, EmailMessage) and not part.is_multipart()
    }


def well_formed(raw: bytes) -> None:
    """Lines end in CRLF, none is longer than RFC 5322's 998 octets, no bare CR or LF."""
    assert b"\r\n\r\n" in raw
    for line in raw.split(b"\r\n"):
        assert len(line) <= 998
        assert b"\r" not in line
        assert b"\n" not in line


def header_names(raw: bytes) -> list[str]:
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", errors="replace")
    return [line.split(":", 1)[0] for line in head.split("\r\n") if line and line[0] not in " \t"]


def test_the_invitation_has_every_part_and_header() -> None:
    raw, message = build()
    well_formed(raw)
    assert str(message["To"]) == "Rūta Vasiliauskienė <ruta@akmene.lt>"
    assert str(message["From"]) == "Akmenės mokymai <mokymai@akmene.lt>"
    assert str(message["Reply-To"]) == "rasa@akmene.lt"
    assert message["Subject"] == "Kvietimas: Mokymai Akmenės rajonui"
    assert message["Date"].datetime == NOW
    assert str(message["Message-ID"]).endswith("@akmene.lt>")
    assert message["List-Unsubscribe"] == (
        f"<{UNSUBSCRIBE}>, <mailto:rasa@akmene.lt?subject=unsubscribe%2012.x>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/mixed"
    found = parts(message)
    assert set(found) == {"text/plain", "text/html", "image/png", "text/calendar"}
    text = found["text/plain"].get_content()
    page = found["text/html"].get_content()
    for body in (text, page):
        assert LINK in body
        assert "Sveiki, Rūta Vasiliauskienė" in body
        assert "2027 m. kovo 9 d., antradienis, 10:00–16:00" in body  # Vilnius time
        assert "Didžioji salė" in body
        assert "Eglė Samuchovaitė" in body
        assert UNSUBSCRIBE in body
        assert "rasa@akmene.lt" in body  # the organiser's contact
    # The QR code is the personal link, shown inline by its Content-ID.
    qr = found["image/png"]
    assert qr.get_content() == qr_png(LINK, scale=6)
    cid = str(qr["Content-ID"]).strip("<>")
    assert f'src="cid:{cid}"' in page
    assert message.get_body(("html",)) is found["text/html"]
    # The calendar file: the event, in UTC, and the bot's chat instead of the meeting.
    ics = found["text/calendar"]
    assert ics.get_filename() == "event.ics"
    calendar = Calendar.from_ical(ics.get_content())
    entry = calendar.walk("VEVENT")[0]
    assert str(entry["SUMMARY"]) == "Mokymai Akmenės rajonui"
    assert entry.decoded("DTSTART") == datetime(2027, 3, 9, 8, tzinfo=UTC)


def test_the_meeting_link_is_never_in_the_email() -> None:
    raw, message = build()
    decoded = "".join(
        part.get_content() if part.get_content_maintype() == "text" else ""
        for part in parts(message).values()
    )
    assert SECRET_MEETING not in decoded
    assert SECRET_MEETING.encode() not in raw
    assert "Nuotoliniu būdu" in decoded  # online is said, the link is not


@pytest.mark.parametrize(
    ("lang", "subject", "greeting"),
    [
        ("lt", "Kvietimas: Mokymai Akmenės rajonui", "Sveiki, Ona"),
        ("en", "Invitation: Mokymai Akmenės rajonui", "Hello Ona"),
        ("uk", "Запрошення: Mokymai Akmenės rajonui", "Вітаємо, Ona"),
    ],
)
def test_the_email_is_in_the_persons_language(lang: str, subject: str, greeting: str) -> None:
    _, message = build(name="Ona", lang=lang)
    assert message["Subject"] == subject
    assert greeting in parts(message)["text/plain"].get_content()


def test_a_reminder_says_it_is_one() -> None:
    _, message = build(kind=EmailKind.REMINDER, lang="en")
    assert message["Subject"] == "Reminder: Mokymai Akmenės rajonui"
    assert "You have not opened your invitation yet" in parts(message)["text/plain"].get_content()


HOSTILE_NAMES = {
    "crlf-bcc": "Ona\r\nBcc: evil@attacker.example",
    "lf-header": "Ona\nX-Injected: yes",
    "cr-only": "Ona\rSubject: spoofed",
    "nul": "Ona\x00Jonaitė",
    "very-long": "Vasiliauskienė-" * 400,
    "lithuanian": "Žydrūnė Čiurlionytė-Šimkūnienė",
    "ukrainian": "Олександра Ковальчук-Шевченко",
    "arabic": "فاطمة الزهراء",
    "cjk": "王小明 山田太郎",
    "quotes-commas": 'Jonaitis, "Jonas" <boss@evil.example>, Petras',
    "emoji": "Ona 👩‍🏫🎓",
    "bidi": "Ona\u202egnp.exe",
    "encoded-word": "=?utf-8?q?Bcc=3A_evil=40x.example?=",
}


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_hostile_names_give_well_formed_messages(name: str) -> None:
    raw, message = build(name=name)
    well_formed(raw)
    names = header_names(raw)
    assert "Bcc" not in names
    assert "X-Injected" not in names
    assert names.count("To") == 1
    assert names.count("Subject") == 1
    assert message["Subject"] == "Kvietimas: Mokymai Akmenės rajonui"
    to = message["To"]
    assert len(to.addresses) == 1
    assert to.addresses[0].addr_spec == "ruta@akmene.lt"
    # As a mail program reads the raw header (RFC 2047: adjacent encoded words join).
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    to_line = next(h for h in head.split("\r\nTo: ", 1)[1:]).split("\r\n")
    folded = to_line[0] + "".join(takewhile(lambda line: line.startswith(" "), to_line[1:]))
    shown = str(make_header(decode_header(folded.rsplit(" <", 1)[0]))).strip('"')
    assert "\r" not in shown
    assert "\n" not in shown
    assert "\x00" not in shown
    assert len(shown) <= 64
    expected = display_name(name)
    assert shown.replace('\\"', '"') == expected
    found = parts(message)
    assert set(found) == {"text/plain", "text/html", "image/png", "text/calendar"}
    assert clean_line(name, 64) in found["text/plain"].get_content()


def test_a_name_cannot_add_markup_to_the_html() -> None:
    _, message = build(name='<script>alert(1)</script><a href="https://evil.example">x</a>')
    page = parts(message)["text/html"].get_content()
    assert "<script>" not in page
    assert '<a href="https://evil.example"' not in page
    assert "&lt;script&gt;" in page


def test_a_hostile_title_stays_one_subject() -> None:
    raw, message = build(title="Mokymai\r\nBcc: evil@attacker.example <b>x</b>")
    well_formed(raw)
    assert "Bcc" not in header_names(raw)
    assert message["Subject"] == "Kvietimas: Mokymai Bcc: evil@attacker.example <b>x</b>"
    page = parts(message)["text/html"].get_content()
    assert "<b>x</b>" not in page


def test_a_hostile_organisation_name_stays_one_from() -> None:
    sender = Sender(
        EmailSettings(
            from_address="mokymai@akmene.lt", from_name='Akmenė, "rajonas"\r\nBcc: x@y.lt'
        ),
        organisation="Akmenė",
        bot_username="kvietimas_bot",
    )
    raw, message = build(sender=sender)
    well_formed(raw)
    assert "Bcc" not in header_names(raw)
    assert message["From"].addresses[0].addr_spec == "mokymai@akmene.lt"
    assert message["From"].addresses[0].display_name == 'Akmenė, "rajonas" Bcc: x@y.lt'


def test_an_address_that_is_not_ascii_goes_with_smtputf8() -> None:
    raw, _ = build(address="rūta@pavyzdys.lt")
    # An SMTPUTF8 message is UTF-8 text (RFC 6532): read as such.
    message = Parser(policy=default).parsestr(raw.decode("utf-8"))
    assert message["To"].addresses[0].addr_spec == "rūta@pavyzdys.lt"
    assert message.get_body(("plain",)) is not None
    assert "rūta@pavyzdys.lt".encode() in raw  # not encoded away: the server must speak SMTPUTF8


@pytest.mark.parametrize(
    "address",
    [
        "ruta@akmene.lt\r\nBcc: evil@attacker.example",
        "ruta@akmene.lt\nBcc: evil@attacker.example",
        "ruta akmene@akmene.lt",
        "<ruta@akmene.lt>",
        "ruta@akmene.lt, evil@attacker.example",
        "ruta@@akmene.lt",
        "ruta",
        "",
        "ruta@akmene.lt\x00",
    ],
)
def test_an_address_we_cannot_write_to_is_refused(address: str) -> None:
    with pytest.raises(BadAddress):
        check_address(address)
    with pytest.raises(BadAddress):
        build(address=address)


def test_addresses_are_written_lower_case() -> None:
    assert check_address("  Ruta@Akmene.LT ") == "ruta@akmene.lt"
