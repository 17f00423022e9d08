"""Calendar files (RFC 5545) for "Add to calendar", built with the icalendar library."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Alarm, Calendar
from icalendar import Event as IcsEvent

from bot.models import Event


def event_ics(event: Event, *, bot_username: str, now: datetime, description: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Kvietimas//Training invitations//LT")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    item = IcsEvent()
    # A stable UID lets calendar apps update the entry when the file is sent again.
    item.add("uid", f"event-{event.id}@{bot_username}.kvietimas")
    item.add("dtstamp", now)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    location = ", ".join(p for p in (event.address, event.hall, event.floor) if p)
    if location:
        item.add("location", location)
    if event.online_url:
        # Never the meeting link itself: a file can be forwarded. The bot's chat, where the
        # "Join" button gives the link to those who said yes (docs/privacy.md).
        item.add("url", f"https://t.me/{bot_username}")
    text = "\n".join(
        [description or event.description]
        + [f"{a.time} {a.title}" + (f" — {a.lecturer}" if a.lecturer else "") for a in event.agenda]
    ).strip()
    if text:
        item.add("description", text)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event.title)
    alarm.add("trigger", timedelta(hours=-1))
    item.add_component(alarm)
    cal.add_component(item)
    return bytes(cal.to_ical())
