"""``python -m bot demo``: a Lithuanian participant end to end, times in the event's zone, a
clean output folder every run (and never somebody else's files removed), zero participants."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.demo import MANIFEST, SHOWCASE_NAME, DemoRefused, personas, prepare_output, run_demo


def test_the_followed_participant_is_lithuanian_and_comes() -> None:
    people = personas(30)
    assert (people[0].name, people[0].language, people[0].answer) == (SHOWCASE_NAME, "lt", "yes")
    assert len({p.name for p in people}) == 30
    assert personas(0) == []


def test_the_output_folder_is_emptied_of_the_demos_own_files_only(tmp_path: Path) -> None:
    out = tmp_path / "demo-output"
    out.mkdir()
    (out / "certificate-OLD.pdf").write_bytes(b"%PDF")  # written by an earlier demo
    (out / MANIFEST).write_text("certificate-OLD.pdf\nscores-event-1.png\n", encoding="utf-8")
    (out / "scores-event-1.png").write_bytes(b"png")
    prepare_output(out)
    assert list(out.iterdir()) == []

    (out / "thesis.docx").write_bytes(b"mine")  # somebody's own file
    (out / "report-event-1.pdf").write_bytes(b"%PDF")
    (out / MANIFEST).write_text("report-event-1.pdf\n", encoding="utf-8")
    with pytest.raises(DemoRefused, match=r"thesis\.docx"):
        prepare_output(out)
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "report-event-1.pdf", "thesis.docx"]

    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(DemoRefused, match="not a folder"):
        prepare_output(a_file)


async def test_demo_with_nobody(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert await run_demo(tmp_path / "out", participants=0) == 0
    out = capsys.readouterr().out
    assert "0 participants open the link" in out
    assert "Nobody said yes, so there are no questionnaire answers to score." in out


async def test_demo_follows_a_lithuanian_participant_to_her_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert await run_demo(out, participants=4) == 0
    printed = capsys.readouterr().out
    assert "Clock: 2027-03-01 09:00 (Europe/Vilnius)" in printed
    assert "Clock: 2027-03-09 16:00 (Europe/Vilnius) — the training has ended." in printed
    assert "+00:00" not in printed
    assert f"What {SHOWCASE_NAME} sees on her phone (in Lithuanian):" in printed
    assert "Jūsų atsakymas: ✅ Dalyvausiu" in printed
    assert f"{SHOWCASE_NAME}'s certificate arrives in her chat:" in printed
    certificates = list(out.glob("certificate-*.pdf"))
    assert len(certificates) == 1
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(certificates[0].read_bytes())).pages
    )
    assert "PAŽYMĖJIMAS" in text
    assert SHOWCASE_NAME in text
    # Her certificate is the one her chat received.
    assert (
        certificates[0].stem.removeprefix("certificate-") in printed.split("certificate arrives")[1]
    )
    written = (out / MANIFEST).read_text(encoding="utf-8").split()
    assert sorted(written) == sorted(p.name for p in out.iterdir() if p.name != MANIFEST)
    # A second run starts from an empty folder: the old certificate does not stay beside the new.
    assert await run_demo(out, participants=4) == 0
    assert len(list(out.glob("certificate-*.pdf"))) == 1
