"""A participant list of 50,000 rows imported through the bot, while someone taps a button.

The real path of an uploaded file, against the local emulator (bot/sim.py): an organiser
sends a CSV as a document; the bot downloads it, reads and checks it in its reading process
(bot/invitations.py ``read_list``) and asks which event; the organiser picks one; the bot reads
the file again, writes every row in one transaction (known e-mails found through the unique
index) and reports. Meanwhile a registered participant presses the RSVP buttons of her
event card over and over (Yes, No, Yes, ...), each press waiting for the bot's answer.

- import_s: from sending the file to the "Imported" message, both steps, minus the
  organiser's own think time (none here);
- rows_per_s: rows / import_s;
- bot_press_p99_ms_during_import: the 99th percentile of the participant's presses that
  started during the import (whole round trip: the update, the transaction, the answer and
  the edited card); bot_press_max_ms and presses are printed too.

Above ``invitations.MAX_CHAT_EXPORT`` people the bot does not build the personal-links files in
the chat (it points to ``python -m bot participants export``), so the export is not timed.

Last line: {"rows": ..., "import_s": ..., "rows_per_s": ..., "bot_press_p99_ms_during_import":
...}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bot.clock import FakeClock
from bot.events import import_event
from bot.sim import Simulation, SimUser

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "event.toml"
START = datetime.fromisoformat("2027-03-01T09:00:00+02:00")  # before the example event
ORGANISER = 1000
ORGANISATIONS = (
    "Akmenės rajono savivaldybės administracija",
    "Užimtumo tarnyba",
    "Akmenės rajono savivaldybės viešoji biblioteka",
    "Joniškio rajono savivaldybė",
    "Šiaulių miesto socialinių paslaugų centras",
)


def participant_list(rows: int) -> bytes:
    lines = ["vardas ir pavardė,el. paštas,organizacija,pareigos"]
    lines += [
        f"Vardenis Pavardenis {i},vardenis.pavardenis{i}@akmene.lt,"
        f"{ORGANISATIONS[i % len(ORGANISATIONS)]},socialinis darbuotojas"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def p99(values: list[float]) -> float:
    if len(values) < 2:
        return max(values, default=0.0)
    return statistics.quantiles(values, n=100, method="inclusive")[98]


async def keep_pressing(
    user: SimUser, labels: tuple[str, str], stop: asyncio.Event, latencies: list[float],
    *, count: int | None = None,
) -> None:  # fmt: skip
    """Press Yes, No, Yes, ... one press after the other, until ``stop`` (or ``count``)."""
    turn = 0
    while not stop.is_set() and (count is None or turn < count):
        started = time.perf_counter()
        await user.press(labels[turn % 2])
        latencies.append((time.perf_counter() - started) * 1000)
        turn += 1


async def main(rows: int) -> dict[str, float | int]:
    content = participant_list(rows)
    with tempfile.TemporaryDirectory() as folder:
        sim = Simulation(Path(folder) / "bench.sqlite3", clock=FakeClock(START),
                         organisers=(ORGANISER,))  # fmt: skip
        async with sim:
            t = sim.services.t
            event, _ = await import_event(
                sim.db, EXAMPLE.read_text(encoding="utf-8"),
                default_zone="Europe/Vilnius", now=sim.clock.now(),
            )  # fmt: skip
            ona = sim.user(3001, "Ona", language="en")
            await ona.send(f"/start e_{event.invite_code}")
            await ona.press(t("en", "btn-consent"))
            await ona.send("Ona Petraitienė")
            await ona.send("Akmenės rajono savivaldybės administracija")
            organiser = sim.user(ORGANISER, "Rasa", language="en")

            idle: list[float] = []
            labels = (t("en", "btn-yes"), t("en", "btn-no"))
            await keep_pressing(ona, labels, asyncio.Event(), idle, count=20)

            latencies: list[float] = []
            stop = asyncio.Event()
            presser = asyncio.create_task(keep_pressing(ona, labels, stop, latencies))
            started = time.perf_counter()
            # (SimUser.send_document / press, with a longer wait for a loaded machine.)
            upload = await organiser.tg.send_document("participants.csv", content, "text/csv")
            await sim.settle(upload, timeout=300)
            checked = time.perf_counter()
            assert "Which event" in organiser.last_text, organiser.last_text
            choice = next(b for b in organiser.buttons() if b.startswith(f"#{event.id}"))
            await sim.settle(await organiser.tg.press(choice), timeout=300)
            finished = time.perf_counter()
            stop.set()
            await presser
            texts = organiser.texts()[-3:]
            assert any(text.startswith("Imported:") for text in texts), texts
            stored = await sim.db.database.scalar(
                "SELECT COUNT(*) FROM participants WHERE imported_at IS NOT NULL"
            )
            assert stored == rows, stored
    import_s = finished - started
    return {
        "rows": rows,
        "check_s": round(checked - started, 2),
        "presses": len(latencies),
        "bot_press_idle_p50_ms": round(statistics.median(idle), 1),
        "bot_press_max_ms": round(max(latencies, default=0.0), 1),
        "import_s": round(import_s, 2),
        "rows_per_s": round(rows / import_s),
        "bot_press_p99_ms_during_import": round(p99(latencies), 1),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(asyncio.run(main(args.rows))))
