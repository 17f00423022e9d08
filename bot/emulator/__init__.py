"""Local Telegram Bot API emulator for end-to-end tests, ``make demo`` and benchmarks.

``from bot.emulator import Emulator``; see :class:`Emulator` for the API.
"""

from ._actors import EmulatedGroup, EmulatedUser
from ._core import Emulator
from ._models import ChatMessage, RecordedCall, UploadedFile

__all__ = [
    "ChatMessage",
    "EmulatedGroup",
    "EmulatedUser",
    "Emulator",
    "RecordedCall",
    "UploadedFile",
]
