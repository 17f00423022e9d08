"""QR codes as PNG bytes (segno: pure Python, no Pillow needed)."""

from __future__ import annotations

import io

import segno


def qr_png(data: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
