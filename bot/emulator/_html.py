"""Telegram's HTML parse_mode, re-implemented closely enough to reject what Telegram rejects.

The point is to catch a bot that forgets to escape user-supplied text: Telegram answers
400 "can't parse entities" for a bare ``<``, an unknown tag or unbalanced tags, and the
message is lost. The structure follows TDLib's ``parse_html`` (same error texts), with one
deliberate difference: a bare ``&`` that does not start a supported entity is an error here,
while TDLib keeps it literally. Telegram's docs require ``&`` to be escaped, and a bot that
does not escape ``&`` will sooner or later not escape ``<`` either.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["HtmlParseError", "parse_html", "strip_and_shift", "utf16_len"]

_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<&]")
_ENTITY = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{1,10}));")
_SPACES = " \t\r\n\f\v"


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; str(exc) is Telegram's description tail."""


def utf16_len(s: str) -> int:
    """Length in UTF-16 code units: Telegram's entity offsets and lengths use this unit."""
    if s.isascii():
        return len(s)
    return len(s.encode("utf-16-le")) // 2


def _byte_offset(text: str, i: int) -> int:
    return len(text[:i].encode("utf-8"))


def _decode_entity(text: str, i: int) -> tuple[str, int] | None:
    """Decode the character entity at text[i] == '&'; return (char, end index) or None."""
    m = _ENTITY.match(text, i)
    if m is None:
        return None
    dec, hexa, name = m.groups()
    if name is not None:
        ch = _NAMED.get(name)
        if ch is None:
            return None
        return ch, m.end()
    code = int(dec) if dec is not None else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), m.end()


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) for an HTML-formatted text or raise HtmlParseError."""
    out: list[str] = []
    u16 = 0  # UTF-16 length of everything appended to out so far
    stack: list[tuple[str, int, dict[str, Any]]] = []  # (tag name, start offset, extra fields)
    entities: list[dict[str, Any]] = []
    n = len(text)
    i = 0
    while i < n:
        m = _SPECIAL.search(text, i)
        if m is None:
            chunk = text[i:]
            out.append(chunk)
            u16 += utf16_len(chunk)
            break
        j = m.start()
        if j > i:
            chunk = text[i:j]
            out.append(chunk)
            u16 += utf16_len(chunk)
        if text[j] == "&":
            decoded = _decode_entity(text, j)
            if decoded is None:
                raise HtmlParseError(
                    f'Unsupported character "&" at byte offset {_byte_offset(text, j)}; '
                    "escape it as &amp;"
                )
            ch, i = decoded
            out.append(ch)
            u16 += 2 if ord(ch) > 0xFFFF else 1
            continue
        # a tag
        begin = j
        k = j + 1
        if k < n and text[k] == "/":
            if not stack:
                raise HtmlParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(text, begin)}"
                )
            k += 1
            while k < n and text[k] not in _SPACES and text[k] != ">":
                k += 1
            end_name = text[begin + 2 : k].lower()
            while k < n and text[k] in _SPACES:
                k += 1
            if k >= n or text[k] != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
            tag, start, closed = stack.pop()
            if end_name and end_name != tag:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{tag}>", found "</{end_name}>"'
                )
            length = u16 - start
            if length > 0 and not (tag == "a" and not closed.get("url")):
                entity: dict[str, Any] = {
                    "type": _TAG_TYPES[tag],
                    "offset": start,
                    "length": length,
                }
                entity.update(closed)
                entities.append(entity)
            i = k + 1
            continue
        while k < n and text[k] not in _SPACES and text[k] != ">":
            k += 1
        if k >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        tag = text[begin + 1 : k].lower()
        if tag not in _TAG_TYPES:
            raise HtmlParseError(
                f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
            )
        extra: dict[str, Any] = {}
        span_class = ""
        while True:
            while k < n and text[k] in _SPACES:
                k += 1
            if k >= n:
                raise HtmlParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            if text[k] == ">":
                break
            attr_begin = k
            while k < n and text[k] not in _SPACES and text[k] not in "=>":
                k += 1
            attr = text[attr_begin:k].lower()
            if not attr:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            while k < n and text[k] in _SPACES:
                k += 1
            if k >= n or text[k] != "=":
                if tag == "blockquote" and attr == "expandable":
                    extra["__type"] = "expandable_blockquote"
                    continue
                raise HtmlParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {_byte_offset(text, begin)}"
                )
            k += 1
            while k < n and text[k] in _SPACES:
                k += 1
            if k >= n:
                raise HtmlParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            value_parts: list[str] = []
            if text[k] in "'\"":
                quote = text[k]
                k += 1
                while k < n and text[k] != quote:
                    if text[k] == "&":
                        decoded = _decode_entity(text, k)
                        if decoded is not None:
                            value_parts.append(decoded[0])
                            k = decoded[1]
                            continue
                    value_parts.append(text[k])
                    k += 1
                if k < n:
                    k += 1
            else:
                while k < n and (text[k].isalnum() or text[k] in ".-"):
                    value_parts.append(text[k])
                    k += 1
            if k >= n:
                raise HtmlParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            value = "".join(value_parts)
            if tag == "a" and attr == "href":
                extra["url"] = value
            elif tag == "span" and attr == "class":
                span_class = value
            elif tag == "tg-emoji" and attr == "emoji-id":
                extra["custom_emoji_id"] = value
            elif tag == "code" and attr == "class" and value.startswith("language-"):
                extra["language"] = value[len("language-") :]
        if tag == "span" and span_class != "tg-spoiler":
            raise HtmlParseError(
                'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        stack.append((tag, u16, extra))
        i = k + 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for e in entities:
        t = e.pop("__type", None)
        if t is not None:
            e["type"] = t
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def strip_and_shift(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip surrounding whitespace as Telegram does, keeping entity offsets consistent."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    if not entities:
        return stripped, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    shifted: list[dict[str, Any]] = []
    for e in entities:
        start = max(e["offset"] - lead, 0)
        end = min(e["offset"] + e["length"] - lead, total)
        if end > start:
            shifted.append({**e, "offset": start, "length": end - start})
    return stripped, shifted
