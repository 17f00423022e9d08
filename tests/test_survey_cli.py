"""`python -m bot export`: the same files as /export, written into a folder."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.__main__ import main
from bot.config import explicit_settings
from bot.events import import_event
from bot.storage import storage_for
from tests.conftest import EXAMPLE_EVENT, START


async def _prepare(db: Path) -> int:
    storage = storage_for(explicit_settings(database={"path": str(db)}))
    await storage.open()
    event, _ = await import_event(
        storage, EXAMPLE_EVENT.read_text(encoding="utf-8"), default_zone="Europe/Vilnius",
        now=START,
    )  # fmt: skip
    participant = await storage.people.ensure_participant(4242, language="lt", now=START)
    response = await storage.surveys.start_response(
        event.id, participant.id, organisation="Org", now=START
    )
    assert response is not None
    for position, (question, rating) in enumerate((("overall", 5), ("content", 4))):
        await storage.surveys.save_answer(
            response.id, event_id=event.id, question=question, rating=rating, text=None,
            position=position, now=START,
        )  # fmt: skip
    await storage.close()
    return event.id


def test_export_command_writes_csv_and_xlsx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bot.sqlite3"
    event_id = asyncio.run(_prepare(db))
    monkeypatch.chdir(tmp_path)  # no config.toml here
    monkeypatch.setenv("BOT_DATABASE__PATH", str(db))
    out = tmp_path / "out"
    assert main(["export", "--event", str(event_id), "--out", str(out), "--lang", "en"]) == 0
    stem = out / f"scores-event-{event_id}"
    assert capsys.readouterr().out.splitlines()[-1] == "2 answers from 1 event"
    book = load_workbook(io.BytesIO(Path(f"{stem}.xlsx").read_bytes()), read_only=True)
    rows = list(book["Answers"].iter_rows(values_only=True))
    assert [(r[6], r[9]) for r in rows[1:]] == [("overall", 5), ("content", 4)]
    assert Path(f"{stem}-answers.csv").read_text(encoding="utf-8-sig").startswith('"Event ID",')
    assert "Overall score" in Path(f"{stem}-summary.csv").read_text(encoding="utf-8-sig")

    assert main(["export", "--event", "999", "--out", str(out)]) == 1
    assert "no event 999" in capsys.readouterr().err
    assert main(["export", "--programme", "999", "--out", str(out)]) == 1
