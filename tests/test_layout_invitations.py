"""The broadcast and invitations areas keep their layers: the handlers only translate (no
storage calls, no bot.storage import), the services are Telegram-free."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDLERS = ("bot/handlers/broadcast.py", "bot/handlers/invitations.py")
SERVICES = ("bot/broadcast.py", "bot/invitations.py", "bot/storage/broadcast.py")


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def storage_uses(source: str) -> list[str]:
    """``x.db`` attribute reads and bot.storage imports in ``source``."""
    tree = ast.parse(source)
    uses = [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ("db", "storage")
    ]
    uses += [name for name in _imports(tree) if name.startswith("bot.storage")]
    return uses


def test_handlers_call_no_storage() -> None:
    for path in HANDLERS:
        assert storage_uses((ROOT / path).read_text(encoding="utf-8")) == [], path


def test_the_check_sees_a_storage_call() -> None:
    sample = "async def h(context):\n    await context.services.db.people.get(1)\n"
    assert storage_uses(sample) == ["line 2: .db"]
    assert storage_uses("from bot.storage import Storage\n") != []


def test_services_are_telegram_free() -> None:
    for path in SERVICES:
        names = _imports(ast.parse((ROOT / path).read_text(encoding="utf-8")))
        assert not [n for n in names if n.split(".")[0] == "telegram"], path
