"""E-mail (issue 16): invitations by e-mail for people who are not on the bot yet.

The transport (docs/email.md, "Sending"):

* ``[email]`` settings: :class:`bot.config.EmailSettings` (``settings.email``; None: off);
* the outbox: every e-mail is a row of ``db.email_outbox``
  (:class:`bot.storage.email.EmailOutboxRepository`): ``enqueue`` a
  :class:`bot.models.EmailItem` (address, participant, dedup key, the whole RFC 5322 message
  as bytes), read ``campaign_email_counts``; ``suppress`` / ``is_suppressed`` an address
  (unsubscribed, bounced, complained, forgotten);
* :mod:`bot.email.sender`: :class:`~bot.email.sender.EmailSender`, the component that sends
  the outbox over one SMTP connection, paced, retried, crash-safe (started by the
  application when ``[email]`` is set);
* :mod:`bot.email.devserver`: a local SMTP server writing each message to a folder as
  ``.eml`` (the demo, the tests, bench/email.py).

The invitations (docs/email.md, the organiser's part) build on it:

* :mod:`bot.email.compose`: one invitation e-mail (plain text and HTML, the QR code, the
  calendar file, List-Unsubscribe);
* :mod:`bot.email.invitations`: e-mail campaigns, reminders, the report, unsubscribing and
  the organiser's "By e-mail" flow from /broadcast (tables in
  bot/storage/email_invitations.py, ``db.email_invitations``);
* :mod:`bot.email.unsubscribe` and :mod:`bot.email.web`: signed unsubscribe links and
  their page (``add_routes``);
* :mod:`bot.email.bounces` and :mod:`bot.email.cli`: delivery reports and the command line
  (``invite email``, ``email bounces``, ``email report``).
"""

from __future__ import annotations

from bot.models import (
    EmailItem,
    EmailStatus,
    SuppressionReason,
    address_key,
    normalise_address,
    valid_address,
)

__all__ = [
    "EmailItem",
    "EmailStatus",
    "SuppressionReason",
    "address_key",
    "normalise_address",
    "valid_address",
]
