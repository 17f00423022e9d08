"""A questionnaire's life: open (send to participants), remind non-responders, close.

Called by the scheduler (bot/scheduling.py) at the right moments and by organisers'
commands. Each function is idempotent: calling it twice sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from bot.services import Services


async def open_survey(services: Services, event_id: int, *, now: datetime) -> int:
    """Open the event's questionnaire and queue it to its recipients; returns how many."""
    return 0


async def remind_survey(services: Services, event_id: int, *, now: datetime) -> int:
    """Queue one reminder to recipients who have not finished; returns how many."""
    return 0


async def close_survey(services: Services, event_id: int, *, now: datetime) -> None:
    """Close the questionnaire: later answers are refused politely."""
