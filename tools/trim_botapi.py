"""Trim the Bot API description (telegram-bot-api-spec ``api.json``) to what the emulator needs.

Usage: ``python tools/trim_botapi.py PATH/TO/api.json [OUT.json]``
(default output: ``bot/data/botapi_methods.json`` next to this script's project root).

For every method we keep the names of required and optional parameters, plus ``strings``:
the parameters whose only types are String/InputFile. The emulator needs the latter because
PTB sends every non-string value as a JSON string in a form field, so ``text="123"`` must stay
a string while ``chat_id="123"`` has to be decoded to an int.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

_STRINGISH = {"String", "InputFile"}


def trim(spec: dict[str, Any]) -> dict[str, Any]:
    methods: dict[str, dict[str, list[str]]] = {}
    for name in sorted(spec["methods"]):
        fields = spec["methods"][name].get("fields", [])
        methods[name] = {
            "required": [f["name"] for f in fields if f.get("required")],
            "optional": [f["name"] for f in fields if not f.get("required")],
            "strings": [f["name"] for f in fields if set(f.get("types", [])) <= _STRINGISH],
        }
    return {"version": spec.get("version", "unknown"), "methods": methods}


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    src = Path(argv[1])
    out = (
        Path(argv[2])
        if len(argv) > 2
        else Path(__file__).resolve().parents[1] / "bot" / "data" / "botapi_methods.json"
    )
    trimmed = trim(json.loads(src.read_text(encoding="utf-8")))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(trimmed, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(trimmed['methods'])} methods -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
