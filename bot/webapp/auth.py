"""Who is asking: Telegram's signed launch data (``initData``) and our download links.

``initData`` is validated exactly as the Bot API describes for Mini Apps
(core.telegram.org/bots/webapps, /work/shared/telegram/WEBAPPS.md):

1. parse the query string and take out ``hash``;
2. data-check-string = the other ``key=value`` pairs (decoded) sorted by key, joined by "\\n";
3. secret_key = HMAC-SHA256(key="WebAppData", message=bot token);
4. expected = hex(HMAC-SHA256(key=secret_key, message=data-check-string));
5. compared with ``hash`` in constant time; ``auth_date`` older than the allowed age, or
   in the future, is refused.

Anything else is refused too: a missing, repeated or garbled field, a ``user`` that is not a
JSON object with an integer id. The caller learns only "valid, this user" or "refused" (the
reason goes to the log line, never to the client).

A browser download cannot send the ``Authorization`` header, so the page asks for a
*download link*: an HMAC (keyed by the bot token, under another label than initData's)
over event, file kind, user and expiry, valid for ``[webapp] download_ttl_s`` seconds. The
initData itself never travels in a URL or a log line.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

WEB_APP_DATA = b"WebAppData"
DOWNLOAD_LABEL = b"KvietimasDashboardDownload"
FUTURE_SKEW_S = 60  # a client clock slightly ahead is fine; a day ahead is not
MAX_INIT_DATA = 8192  # bytes; Telegram's are well under 2 KB
_HASH = re.compile(r"[0-9a-f]{64}")
_TOKEN = re.compile(r"(\d{1,12})\.([a-z]{1,16})\.(\d{1,20})\.(\d{1,12})\.([0-9a-f]{64})")


class Refused(Exception):
    """Not a valid launch (or download link) for this bot; the message is for the log."""


@dataclass(frozen=True, slots=True)
class WebAppUser:
    id: int
    first_name: str
    language_code: str | None


def secret_key(token: str) -> bytes:
    """Step 3: HMAC-SHA256 with the constant string as the key and the token as the message."""
    return hmac.new(WEB_APP_DATA, token.encode(), hashlib.sha256).digest()


def _fields(init_data: str) -> dict[str, str]:
    if not init_data or len(init_data) > MAX_INIT_DATA:
        raise Refused("empty or oversized initData")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refused("garbled initData") from exc
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise Refused(f"repeated field {key!r} in initData")
        fields[key] = value
    return fields


def data_check_string(fields: Mapping[str, str]) -> str:
    """Step 2: every field but ``hash``, sorted by key, ``key=value`` joined by newlines."""
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def _signature(key: bytes, fields: Mapping[str, str]) -> str:
    return hmac.new(key, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def validate(init_data: str, key: bytes, *, now: float, max_age_s: float) -> WebAppUser:
    """The user of a launch signed with the bot whose :func:`secret_key` is ``key``."""
    fields = _fields(init_data)
    given = fields.get("hash", "")
    if not _HASH.fullmatch(given):
        raise Refused("initData without a well-formed hash")
    if not hmac.compare_digest(_signature(key, fields).encode(), given.encode()):
        raise Refused("initData hash does not match")
    raw_date = fields.get("auth_date", "")
    if not raw_date.isdigit() or len(raw_date) > 12:
        raise Refused("initData without a valid auth_date")
    age = now - int(raw_date)
    if age > max_age_s:
        raise Refused(f"initData expired ({int(age)} s old)")
    if age < -FUTURE_SKEW_S:
        raise Refused("initData from the future")
    return _user(fields.get("user"))


def _user(raw: str | None) -> WebAppUser:
    if raw is None:
        raise Refused("initData without a user")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise Refused("initData user is not JSON") from exc
    if not isinstance(data, dict):
        raise Refused("initData user is not an object")
    user_id = data.get("id")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise Refused("initData user without an integer id")
    name = data.get("first_name")
    lang = data.get("language_code")
    return WebAppUser(
        id=user_id,
        first_name=name if isinstance(name, str) else "",
        language_code=lang if isinstance(lang, str) else None,
    )


def sign_init_data(
    token: str,
    user: Mapping[str, object],
    auth_date: int,
    *,
    extra: Mapping[str, str] | None = None,
) -> str:
    """A launch string as Telegram would sign it for this bot (tests, the demo, the bench)."""
    fields = {
        "auth_date": str(auth_date),
        "query_id": "AAH-kvietimas-test",
        "user": json.dumps(dict(user), separators=(",", ":"), ensure_ascii=False),
        **(extra or {}),
    }
    fields["hash"] = _signature(secret_key(token), fields)
    return urlencode(fields)


def authorization_value(header: str | None) -> str | None:
    """The initData of an ``Authorization: tma <initData>`` header, else None."""
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "tma" or not value.strip():
        return None
    return value.strip()


# -- download links ---------------------------------------------------------------------------


def download_key(token: str) -> bytes:
    return hmac.new(DOWNLOAD_LABEL, token.encode(), hashlib.sha256).digest()


def _download_mac(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def download_token(key: bytes, *, event_id: int, kind: str, user_id: int, expires: int) -> str:
    payload = f"{event_id}.{kind}.{user_id}.{expires}"
    return f"{payload}.{_download_mac(key, payload)}"


def check_download(key: bytes, token: str, *, event_id: int, kind: str, now: float) -> int:
    """The user id a download link was made for, if it is ours, for this file, not expired."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise Refused("garbled download link")
    payload = token.rsplit(".", 1)[0]
    if not hmac.compare_digest(_download_mac(key, payload).encode(), match[5].encode()):
        raise Refused("download link signature does not match")
    if int(match[1]) != event_id or match[2] != kind:
        raise Refused("download link made for another file")
    if int(match[4]) < now:
        raise Refused("download link expired")
    return int(match[3])
