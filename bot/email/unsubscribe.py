"""Unsubscribe links: a signed token per e-mail (one row of ``email_sends``: one address in
one e-mail campaign).

The token is ``<row id>.<signature>``, the signature HMAC-SHA256 over the row id, its
campaign and its address, keyed by ``[email] unsubscribe_secret`` or, when that is not set,
by a key derived from the bot token (HMAC of a fixed label with the token: the token never
appears in a link, and changing the token invalidates the old links). A guessed or edited
token matches no row, or a row whose signature differs: the web page answers 404 and
records nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from bot.config import Settings

PATH_PREFIX = "/email"  # the unsubscribe page is <public_url>/email/u/<token>
_TOKEN = re.compile(r"^([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{22})$")


def secret_key(settings: Settings) -> bytes:
    email = settings.email
    if email is not None and email.unsubscribe_secret is not None:
        return email.unsubscribe_secret.get_secret_value().encode()
    token = settings.telegram.token
    if token is None:
        raise ValueError("neither [email] unsubscribe_secret nor the bot token is set")
    return hmac.new(
        token.get_secret_value().encode(), b"kvietimas email unsubscribe v1", hashlib.sha256
    ).digest()


def _signature(key: bytes, send_id: int, campaign_id: int, address: str) -> str:
    message = f"{send_id}:{campaign_id}:{address.lower()}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def make_token(key: bytes, send_id: int, campaign_id: int, address: str) -> str:
    return f"{send_id}.{_signature(key, send_id, campaign_id, address)}"


def parse_token(token: str) -> tuple[int, str] | None:
    """(row id, signature) of a well-formed token; None otherwise."""
    match = _TOKEN.match(token)
    if match is None:
        return None
    return int(match.group(1)), match.group(2)


def signature_matches(
    key: bytes, signature: str, send_id: int, campaign_id: int, address: str
) -> bool:
    expected = _signature(key, send_id, campaign_id, address)
    return hmac.compare_digest(expected.encode(), signature.encode())


def unsubscribe_url(public_url: str, token: str, prefix: str = PATH_PREFIX) -> str:
    return f"{public_url.rstrip('/')}{prefix}/u/{token}"
