"""The layers hold, read from the source tree (docs/architecture.md, "Areas and layers"):

(a) handlers only translate: no module in bot/handlers/ imports bot.storage or reaches
    the database object (``services.db``, ``context.services.db``, any ``.db``);
(b) one list of areas, the same names in every layer: bot/handlers/<area>.py, the service
    bot/<area>.py (or package), bot/storage/<area>.py with that area's repositories, and
    bot/locales/<lang>/<area>.ftl; nothing else in those folders but the shared modules;
(c) no production module imports the test drive (bot/sim.py), the demo and the emulator
    aside, and the application carries no test hooks;
(d) no module-level mutable registry in bot/: a module-level dict, list or set that a
    function changes (routes, hooks and the like belong to objects built per application).

Each detector is also run on samples, so a check that finds nothing is not blind.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.storage import REPOSITORIES

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"

# -- the names table (docs/architecture.md; issue 13) ----------------------------------------

AREAS = (
    "events", "participants", "rsvp", "broadcast", "invitations", "schedule", "attendance",
    "surveys", "privacy", "documents", "email",
)  # fmt: skip
# area -> the repositories (attributes of the composed ``db``) its storage module defines.
AREA_REPOSITORIES: dict[str, frozenset[str]] = {
    "events": frozenset({"events"}),
    "participants": frozenset({"people"}),
    "rsvp": frozenset({"rsvps"}),
    "broadcast": frozenset({"campaigns", "outbox"}),
    "invitations": frozenset({"invitations"}),
    "schedule": frozenset({"schedule"}),
    "attendance": frozenset({"attendance"}),
    "surveys": frozenset({"surveys"}),
    "privacy": frozenset({"privacy"}),
    "documents": frozenset({"documents"}),
    "email": frozenset({"email_outbox", "email_invitations"}),
}
# An area's storage may be split into modules named ``<area>_<part>.py`` (the e-mail area:
# the transport's outbox in email.py, the invitations' tables in email_invitations.py).
AREA_STORAGE_PARTS = frozenset({"email_invitations"})
# Packages as services (the others are one module, bot/<area>.py).
SERVICE_PACKAGES = frozenset({"surveys", "documents", "email"})
DOCUMENT_MODULES = ("certificates", "report", "signin", "sheets")
# What each layer's folder may hold besides the areas.
# "dashboard": /dashboard and the menu button of the Mini App (bot/webapp/), which reads
# every area through its services, so it is shared rather than an area of its own.
SHARED_HANDLERS = frozenset({"__init__", "common", "routing", "markup", "dashboard"})
# control: the bots registry of a deployment (its own namespace; bot/tenancy.py), no area.
# leases: which worker runs each background loop (issue 14), shared by every area.
SHARED_STORAGE = frozenset(
    {"__init__", "database", "schema", "control", "postgres", "postgres_baseline", "leases"}
)
# Repositories of the shared storage modules: attribute -> module.
SHARED_REPOSITORIES = {"leases": "bot.storage.leases"}
SHARED_CATALOGS = frozenset({"common", "cli", "dashboard"})
LANGUAGES = ("lt", "en", "uk")
# Today's names the areas replace (service modules; the table says where each went).
RETIRED_SERVICES = ("imports", "scheduling", "certificates", "reports", "signin", "sheets")

# -- (c): who may import the test drive -------------------------------------------------------

TEST_DRIVE = "bot.sim"
MAY_IMPORT_TEST_DRIVE = ("sim.py", "demo.py", "demo/", "emulator/")  # relative to bot/

# -- (d): module-level containers a function may change ----------------------------------------

# "<module>:<NAME>" -> why it is not a registry. Only constant tables filled once (at import,
# by a function) or caches whose content never decides behaviour may stand here.
CONSTANT_TABLES: dict[str, str] = {}

MUTATING_METHODS = frozenset(
    {"append", "appendleft", "extend", "insert", "add", "update", "setdefault", "pop",
     "popitem", "remove", "discard", "clear", "__setitem__", "__delitem__"}
)  # fmt: skip
CONTAINER_CALLS = frozenset(
    {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "WeakSet",
     "WeakValueDictionary", "WeakKeyDictionary"}
)  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def bot_files() -> Iterator[Path]:
    yield from sorted(BOT.rglob("*.py"))


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_modules(tree: ast.AST, module: str) -> Iterator[tuple[int, str]]:
    """Every module an import names (``from a import b`` also as ``a.b``), relative imports
    resolved against ``module``; anywhere in the file, TYPE_CHECKING blocks included."""
    package = module.split(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def _is_within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


# -- (a) handlers do not reach storage -------------------------------------------------------


def storage_reaches(tree: ast.AST, module: str) -> list[str]:
    """Imports of bot.storage and uses of a ``.db`` attribute (``services.db``,
    ``context.services.db``, ``self.services.db``...)."""
    found = [
        f"line {line}: imports {name}"
        for line, name in imported_modules(tree, module)
        if _is_within(name, "bot.storage")
    ]
    found += [
        f"line {node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "db"
    ]
    return sorted(set(found), key=lambda text: int(text.split()[1].rstrip(":")))


HANDLERS = sorted((BOT / "handlers").glob("*.py"))


def test_the_handlers_are_found() -> None:
    assert len(HANDLERS) > 5, "bot/handlers/ was not found: the checks would pass vacuously"


@pytest.mark.parametrize("path", HANDLERS, ids=[p.name for p in HANDLERS])
def test_no_handler_reaches_storage(path: Path) -> None:
    assert storage_reaches(parsed(path), module_name(path)) == []


@pytest.mark.parametrize(
    "source",
    [
        "from bot.storage import Storage",
        "from bot.storage.surveys import SurveyRepository",
        "import bot.storage.database",
        "from bot import storage",
        "from ..storage import events",
        "async def f(services):\n    await services.db.events.get_event(1)",
        "async def f(context):\n    await context.services.db.surveys.get_survey(1)",
        "def f(context):\n    s = context.services\n    return s.db",
        "if TYPE_CHECKING:\n    from bot.storage.database import Tx",
    ],
)
def test_the_handler_check_sees_storage(source: str) -> None:
    assert storage_reaches(ast.parse(source), "bot.handlers.x"), source


def test_the_handler_check_lets_services_through() -> None:
    source = (
        "from bot.surveys import manage\nfrom bot.models import Event\n"
        "async def f(context):\n    return await manage.get_event(context.services, 1)\n"
    )
    assert storage_reaches(ast.parse(source), "bot.handlers.x") == []


# -- (b) the same area names in every layer --------------------------------------------------


def _stems(folder: Path, pattern: str) -> set[str]:
    return {p.stem for p in folder.glob(pattern)}


NONE: dict[str, list[str]] = {"missing": [], "extra": []}


def _difference(stems: set[str], shared: frozenset[str]) -> dict[str, list[str]]:
    """The areas a folder lacks, and what it holds that is neither an area nor shared."""
    return {"missing": sorted(set(AREAS) - stems), "extra": sorted(stems - set(AREAS) - shared)}


def test_handlers_are_named_by_area() -> None:
    assert _difference(_stems(BOT / "handlers", "*.py"), SHARED_HANDLERS) == NONE


def test_services_are_named_by_area() -> None:
    missing = []
    for area in AREAS:
        package = BOT / area / "__init__.py"
        module = BOT / f"{area}.py"
        if area in SERVICE_PACKAGES:
            if not package.is_file():
                missing.append(f"bot/{area}/ (a package)")
        elif not module.is_file():
            missing.append(f"bot/{area}.py")
    missing += [
        f"bot/documents/{name}.py"
        for name in DOCUMENT_MODULES
        if not (BOT / "documents" / f"{name}.py").is_file()
    ]
    retired = [f"bot/{name}.py" for name in RETIRED_SERVICES if (BOT / f"{name}.py").exists()]
    assert {"missing": missing, "retired but present": retired} == {
        "missing": [],
        "retired but present": [],
    }


def test_storage_modules_are_named_by_area() -> None:
    assert _difference(_stems(BOT / "storage", "*.py"), SHARED_STORAGE | AREA_STORAGE_PARTS) == NONE
    assert all(part.split("_")[0] in AREAS for part in AREA_STORAGE_PARTS)


def test_each_repository_lives_in_its_area_storage_module() -> None:
    expected = {
        repo: f"bot.storage.{area}" for area, repos in AREA_REPOSITORIES.items() for repo in repos
    } | SHARED_REPOSITORIES
    # A repository in a part of its area's storage counts as its area's.
    actual = {
        attr: cls.__module__.rsplit("_", 1)[0]
        if cls.__module__.removeprefix("bot.storage.") in AREA_STORAGE_PARTS
        else cls.__module__
        for attr, cls in REPOSITORIES.items()
    }
    assert actual == expected


def test_catalogs_are_named_by_area() -> None:
    found = {lang: _stems(BOT / "locales" / lang, "*.ftl") for lang in LANGUAGES}
    expected = set(AREAS) | SHARED_CATALOGS
    assert found == dict.fromkeys(LANGUAGES, expected)


# -- (c) production code does not import the test drive --------------------------------------


def imports_test_drive(tree: ast.AST, module: str) -> bool:
    return any(_is_within(name, TEST_DRIVE) for _, name in imported_modules(tree, module))


def test_no_production_module_imports_the_test_drive() -> None:
    offenders = []
    for path in bot_files():
        relative = path.relative_to(BOT).as_posix()
        if relative.startswith(MAY_IMPORT_TEST_DRIVE):
            continue
        if imports_test_drive(parsed(path), module_name(path)):
            offenders.append(relative)
    assert offenders == []


@pytest.mark.parametrize(
    "source",
    [
        "from bot.sim import Simulation",
        "import bot.sim",
        "from bot import sim",
        "from .sim import SimUser",
        "if TYPE_CHECKING:\n    from bot.sim import Simulation",
        "def f():\n    from bot.sim import Simulation",
    ],
)
def test_the_test_drive_check_sees_imports(source: str) -> None:
    assert imports_test_drive(ast.parse(source), "bot.x"), source


def test_the_test_drive_check_is_not_fooled_by_similar_names() -> None:
    assert not imports_test_drive(ast.parse("from bot.simple import x\nimport simpy"), "bot.x")


def test_the_application_carries_no_test_hooks() -> None:
    """The simulation wraps the application from outside (``bot.sim.UpdateTracker``)."""
    from bot.app import KvietimasApplication

    for hook in ("processed_update_ids", "wait_processed", "monotonic", "REMEMBERED_UPDATES"):
        assert not hasattr(KvietimasApplication, hook), hook


# -- (d) no module-level mutable registries -----------------------------------------------------


@dataclass(frozen=True)
class Container:
    module: str
    name: str
    line: int

    @property
    def key(self) -> str:
        return f"{self.module}:{self.name}"


def _is_container(value: ast.expr) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp | ast.SetComp):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        return name in CONTAINER_CALLS
    return False


def module_containers(tree: ast.Module, module: str) -> dict[str, Container]:
    """Module-level names bound to a mutable container (a display or dict(), list(), ...)."""
    found: dict[str, Container] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if _is_container(value):
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = Container(module, target.id, node.lineno)
    return found


def _resolve(
    node: ast.expr,
    names: dict[str, Container],
    modules: dict[str, str],
    every: dict[str, Container],
) -> Container | None:
    """The container an expression names: a name bound here (or imported), or
    ``module.NAME`` of an imported module."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        module = modules.get(node.value.id)
        return every.get(f"{module}:{node.attr}") if module else None
    return None


def mutated_containers(
    tree: ast.Module, module: str, every: dict[str, Container]
) -> list[tuple[Container, str]]:
    """Containers (of this or any other module) a function in this module changes."""
    names = dict(module_containers(tree, module))
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                bound = alias.asname or alias.name
                if f"{node.module}:{alias.name}" in every:
                    names[bound] = every[f"{node.module}:{alias.name}"]
                modules[bound] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    modules[alias.asname] = alias.name
    found: list[tuple[Container, str]] = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        for node in ast.walk(function):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in MUTATING_METHODS:
                    targets.append(node.func.value)
            elif isinstance(node, ast.Assign | ast.Delete):
                targets += [t.value for t in node.targets if isinstance(t, ast.Subscript)]
            elif isinstance(node, ast.AugAssign):
                aug = node.target
                targets.append(aug.value if isinstance(aug, ast.Subscript) else aug)
            elif isinstance(node, ast.Global):
                targets += [ast.Name(name) for name in node.names]
            for target in targets:
                container = _resolve(target, names, modules, every)
                if container is not None:
                    where = getattr(function, "name", "lambda")
                    line = getattr(node, "lineno", 0)
                    found.append((container, f"{module}.{where} line {line}"))
    return found


def registries(files: dict[str, ast.Module]) -> dict[str, list[str]]:
    every = {
        c.key: c for module, tree in files.items() for c in module_containers(tree, module).values()
    }
    result: dict[str, list[str]] = {}
    for module, tree in files.items():
        for container, where in mutated_containers(tree, module, every):
            places = result.setdefault(container.key, [])
            if where not in places:  # a nested function is walked with its outer one
                places.append(where)
    return result


def test_no_module_level_mutable_registry() -> None:
    files = {module_name(path): parsed(path) for path in bot_files()}
    assert len(files) > 50, "bot/ was not found: the test would pass vacuously"
    found = registries(files)
    stale = sorted(set(CONSTANT_TABLES) - set(found))
    assert stale == [], "allowed tables that no function changes any more: drop them"
    assert {k: v for k, v in found.items() if k not in CONSTANT_TABLES} == {}


REGISTRY_SAMPLES = {
    "a registry filled by a function": (
        "HOOKS: dict[str, object] = {}\ndef register(name, hook):\n    HOOKS[name] = hook\n"
    ),
    "appended to": "_FLOWS = []\ndef flow(f):\n    _FLOWS.append(f)\n    return f\n",
    "set() updated": "SEEN = set()\ndef see(x):\n    SEEN.add(x)\n",
    "deleted from": "CACHE = dict()\ndef forget(k):\n    del CACHE[k]\n",
    "rebound through global": "ITEMS = []\ndef reset():\n    global ITEMS\n    ITEMS = []\n",
    "grown in place": "ITEMS = []\ndef more(x):\n    ITEMS += [x]\n",
}


@pytest.mark.parametrize("source", REGISTRY_SAMPLES.values(), ids=REGISTRY_SAMPLES.keys())
def test_the_registry_check_sees_registries(source: str) -> None:
    name = source.split()[0].rstrip(":")
    assert list(registries({"bot.x": ast.parse(source)})) == [f"bot.x:{name}"]


def test_the_registry_check_follows_imports() -> None:
    owner = ast.parse("HOOKS = {}\n")
    by_name = ast.parse("from bot.a import HOOKS\ndef add(k, v):\n    HOOKS[k] = v\n")
    by_module = ast.parse("from bot import a\ndef add(k, v):\n    a.HOOKS.setdefault(k, v)\n")
    assert registries({"bot.a": owner, "bot.b": by_name}) == {"bot.a:HOOKS": ["bot.b.add line 3"]}
    assert registries({"bot.a": owner, "bot.c": by_module}) == {"bot.a:HOOKS": ["bot.c.add line 3"]}


def test_the_registry_check_lets_constant_tables_and_locals_through() -> None:
    source = (
        "ACTIONS = {'open': 1, 'close': 2}\nORDER = [1, 2]\n"
        "def f(x):\n    seen = {}\n    seen[x] = ACTIONS.get(x)\n    return sorted(ORDER)\n"
        "TABLE = {}\nfor n in range(3):\n    TABLE[n] = n\n"
    )
    assert registries({"bot.x": ast.parse(source)}) == {}
