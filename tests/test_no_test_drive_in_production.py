"""Production code never imports the test drive (bot/sim.py): only the simulation itself,
the demo (which runs on it) and the emulator may. The application carries no test hooks."""

from __future__ import annotations

import ast
from pathlib import Path

import bot
from bot.app import KvietimasApplication

BOT = Path(bot.__file__).resolve().parent


def _allowed(path: Path) -> bool:
    relative = path.relative_to(BOT)
    return (
        relative.parts[0] == "emulator"
        or relative == Path("sim.py")
        or relative.parts[0].startswith("demo")
    )


def _imports_sim(tree: ast.AST, module: str) -> bool:
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(a.name == "bot.sim" or a.name.startswith("bot.sim.") for a in node.names):
                return True
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name == "bot.sim" or (name == "bot" and any(a.name == "sim" for a in node.names)):
                return True
    return False


def test_no_production_module_imports_the_simulation() -> None:
    offenders = []
    for path in sorted(BOT.rglob("*.py")):
        if _allowed(path):
            continue
        module = ".".join(("bot", *path.relative_to(BOT).with_suffix("").parts))
        if _imports_sim(ast.parse(path.read_text(encoding="utf-8")), module):
            offenders.append(str(path.relative_to(BOT.parent)))
    assert offenders == []


def test_the_check_sees_every_form_of_import() -> None:
    forms = (
        "from bot.sim import Simulation",
        "import bot.sim",
        "from bot import sim",
        "from .sim import Simulation",
        "if True:\n    from bot.sim import SimUser",
    )
    for source in forms:
        assert _imports_sim(ast.parse(source), "bot.reports"), source
    assert not _imports_sim(ast.parse("from bot.simple import x"), "bot.reports")


def test_the_application_carries_no_test_hooks() -> None:
    for hook in ("processed_update_ids", "wait_processed", "monotonic", "REMEMBERED_UPDATES"):
        assert not hasattr(KvietimasApplication, hook), hook
