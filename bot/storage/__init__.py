"""All SQL of the bot lives in this package; the rest of the code calls ``Storage`` methods.

``Storage`` is assembled from one query module per area (events, participants, RSVPs,
outbox, ...), all sharing one connection and lock from :class:`StorageBase`. Add an area
as a new mixin module and list it here.
"""

from __future__ import annotations

from bot.storage.attendance import AttendanceQueries
from bot.storage.base import StorageBase
from bot.storage.broadcast import BroadcastQueries
from bot.storage.events import EventQueries
from bot.storage.lookup import LookupQueries
from bot.storage.outbox import CampaignProgress, OutboxItem, OutboxQueries, OutboxRow
from bot.storage.participants import ParticipantQueries
from bot.storage.privacy import PrivacyQueries
from bot.storage.rsvps import MyRsvp, Recipient, RsvpChange, RsvpQueries
from bot.storage.schedule import ScheduleQueries
from bot.storage.surveys import SurveyQueries

__all__ = [
    "CampaignProgress",
    "MyRsvp",
    "OutboxItem",
    "OutboxRow",
    "Recipient",
    "RsvpChange",
    "Storage",
]


class Storage(
    EventQueries,
    ParticipantQueries,
    RsvpQueries,
    OutboxQueries,
    BroadcastQueries,
    SurveyQueries,
    ScheduleQueries,
    AttendanceQueries,
    PrivacyQueries,
    LookupQueries,
    StorageBase,
):
    """The database: the only state of the bot that matters."""
