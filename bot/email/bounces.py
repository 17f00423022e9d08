"""Delivery reports: the addresses a bounce says are undeliverable.

Reads DSNs (RFC 3464: ``multipart/report; report-type=delivery-status``) from ``.eml``
files or an mbox with the standard library's ``email`` and ``mailbox``: every recipient
block whose ``Action`` is ``failed`` (or whose ``Status`` is 5.x.x) names a failed
``Final-Recipient`` (else ``Original-Recipient``). A report that is not a DSN but carries
``X-Failed-Recipients`` (Exim) counts too. Delays (4.x.x, ``Action: delayed``) do not.
"""

from __future__ import annotations

import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024  # an mbox of bounces larger than this is refused
_ADDRESS = re.compile(r"[^\s<>;]+@[^\s<>;]+")


@dataclass
class BounceScan:
    files: int = 0
    messages: int = 0
    reports: int = 0  # messages that were delivery reports
    failed: list[str] = field(default_factory=list)  # lower-case, in order, once each
    unreadable: list[str] = field(default_factory=list)  # files that could not be read


def _address(value: str | None) -> str | None:
    """``rfc822; a@b.lt`` -> ``a@b.lt`` (lower-case); None if no address is in it."""
    if not value:
        return None
    text = value.split(";", 1)[1] if ";" in value else value
    match = _ADDRESS.search(text)
    return match.group(0).strip(".,").lower() if match else None


def _blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    if isinstance(payload, str):  # some parsers leave the fields as text
        parser = BytesParser(policy=default)
        return [parser.parsebytes(chunk.encode()) for chunk in re.split(r"\r?\n\r?\n", payload)]
    return []


def failed_recipients(message: Message) -> list[str]:
    """The recipients a delivery report says failed for good."""
    found: list[str] = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in _blocks(part)[1:] or _blocks(part):  # the first block is per message
            action = str(block.get("Action", "")).strip().lower()
            status = str(block.get("Status", "")).strip()
            if action == "failed" or (status.startswith("5") and action in ("", "failed")):
                address = _address(block.get("Final-Recipient")) or _address(
                    block.get("Original-Recipient")
                )
                if address and address not in found:
                    found.append(address)
    if not found:
        for value in message.get_all("X-Failed-Recipients") or []:
            for address in _ADDRESS.findall(str(value)):
                if address.lower() not in found:
                    found.append(address.lower())
    return found


def is_report(message: Message) -> bool:
    return message.get_content_type() == "multipart/report" or any(
        p.get_content_type() == "message/delivery-status" for p in message.walk()
    ) or bool(message.get_all("X-Failed-Recipients"))  # fmt: skip


def _messages(path: Path) -> Iterator[EmailMessage | Message]:
    with path.open("rb") as handle:
        head = handle.read(5)
    if head == b"From ":  # an mbox
        box = mailbox.mbox(path, create=False)
        try:
            for entry in box:
                yield BytesParser(policy=default).parsebytes(entry.as_bytes())
        finally:
            box.close()
        return
    yield BytesParser(policy=default).parsebytes(path.read_bytes())


def scan(paths: list[Path]) -> BounceScan:
    result = BounceScan()
    for path in paths:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                result.unreadable.append(f"{path}: larger than {MAX_FILE_BYTES} bytes")
                continue
            messages = list(_messages(path))
        except (OSError, ValueError, mailbox.Error) as exc:
            result.unreadable.append(f"{path}: {exc}")
            continue
        result.files += 1
        for message in messages:
            result.messages += 1
            if not is_report(message):
                continue
            result.reports += 1
            for address in failed_recipients(message):
                if address not in result.failed:
                    result.failed.append(address)
    return result
