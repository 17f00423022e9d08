"""E-mail (issue 16): the transport (branch d1-email-transport: ``sender.py``, the outbox in
bot/storage/email.py) and the invitations (``compose.py`` builds each message,
``invitations.py`` the organiser's flows, ``web.py`` the unsubscribe page, ``bounces.py`` the
delivery reports)."""
