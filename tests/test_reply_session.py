"""A follow-up's answer carries its own reply grade beside the story's, through every way a user sees
it: `run --json`, `sessions show --json`, the Markdown export, the page, import and `sessions regrade`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.catalog import ROOT, load_personas
from simulator.markdown import session_to_markdown
from simulator.models import AnswerGrade, GraderInfo, ReplyGrade, Session
from simulator.session_json import parse_session
from simulator.ui.render import answers_html, chat_history, replay_html

DONT_KNOW = "Honestly I am not sure, I have not really thought about that."
WOULD = "I would probably talk to my manager first and then see what the data says."
SCRIPT = f"""\
job: {{title: Operations Analyst, company: Harbourline, description: Warehouse operations analysis with SQL}}
panel: [hiring_manager]
minutes: {{hiring_manager: 20}}
pressure: tough
seed: 3
answers:
  - "Last spring our returns backlog at the Leeds warehouse hit about 900 parcels. I was asked to find out
    why. I pulled the scan data into SQL, found that one packing line skipped the returns scan at night,
    and I rewrote the shift checklist with the night supervisor."
  - "{DONT_KNOW}"
  - "In 2023 our forklift damage claims kept rising at the Wakefield site. My manager asked me to look into
    it. I matched the claims to shift rotas in Excel and found most happened in the last hour of the late
    shift, so I proposed moving the heavy loads earlier."
  - "{WOULD}"
"""


def cli(*args: str, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "ROUNDTWO_HOME": str(home)},
        input=stdin,
        timeout=300,
    )


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, Path]:
    """One scripted session, run as a user would: (its --json, the database, the home folder)."""
    folder = tmp_path_factory.mktemp("replies")
    script = folder / "script.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    db = folder / "sessions.db"
    out = cli("run", "--script", str(script), "--db", str(db), "--json", home=folder / "home")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), db, folder / "home"


def turn_with(session: dict, text: str) -> dict:
    turn = next(t for t in session["turns"] if t["text"] == text)
    asked = session["turns"][turn["reply_to"]]
    assert asked["kind"] == "follow_up", "the script's second answer should reply to a follow-up"
    return turn


def test_run_json_grades_the_follow_up_reply_on_what_was_asked(ran: tuple[dict, Path, Path]) -> None:
    session, _, _ = ran
    unsure = turn_with(session, DONT_KNOW)
    assert unsure["reply_grade"]["label"] == "dont_know"
    assert unsure["reply_grade"]["quote"] in DONT_KNOW and "not sure" in unsure["reply_grade"]["quote"]
    assert unsure["grade"]["status"] == "graded", "the story so far keeps its grade, beside the reply's"
    would = turn_with(session, WOULD)  # the second story has no result either: a follow-up asks for it
    assert would["reply_grade"]["label"] == "hypothetical"
    assert would["reply_grade"]["quote"].startswith("I would probably talk to my manager")
    first = next(t for t in session["turns"] if t["kind"] == "answer")
    assert first["reply_grade"] is None, "an answer to a question (not a follow-up) has no reply grade"


def test_the_markdown_export_shows_the_reply_grade_and_calls_the_story_grade_what_it_is(
    ran: tuple[dict, Path, Path],
) -> None:
    session, db, home = ran
    out = cli("sessions", "export", session["id"], "--format", "md", "--db", str(db), home=home)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    block = text[text.index(DONT_KNOW) :]
    block = block[: block.index("**You:**")]  # this answer's grades, up to the candidate's next turn
    assert "**Reply to the follow-up: don't know** \u201cHonestly I am not sure\u201d" in block
    assert "**Story so far:" in block and "**Grade:" not in block
    first = text[: text.index(DONT_KNOW)]
    assert "**Grade:" in first, "an answer to a question keeps its plain grade"
    hypothetical = text[text.index(WOULD) :]
    assert "**Reply to the follow-up: hypothetical (what you would do, not what you did)**" in hypothetical


def test_show_json_and_a_re_import_keep_the_reply_grade(ran: tuple[dict, Path, Path], tmp_path: Path) -> None:
    session, db, home = ran
    shown = cli("sessions", "show", session["id"], "--json", "--db", str(db), home=home)
    assert shown.returncode == 0, shown.stderr
    exported = json.loads(shown.stdout)["session"]
    assert turn_with(exported, DONT_KNOW)["reply_grade"]["label"] == "dont_know"
    other = tmp_path / "other.db"
    imported = cli("sessions", "import", "-", "--db", str(other), home=home, stdin=shown.stdout)
    assert imported.returncode == 0, imported.stderr
    again = cli("sessions", "show", imported.stdout.strip(), "--json", "--db", str(other), home=home)
    assert (
        turn_with(json.loads(again.stdout)["session"], DONT_KNOW)["reply_grade"]
        == turn_with(exported, DONT_KNOW)["reply_grade"]
    )


def test_the_page_shows_the_reply_grade_beside_the_story_so_far(ran: tuple[dict, Path, Path]) -> None:
    session = parse_session(json.dumps({"format": "roundtwo.session", "version": 1, "session": ran[0]}))
    personas = load_personas()
    position = next(i for i, t in enumerate(session.turns) if t.text == DONT_KNOW)
    turn = session.turns[position]
    story = turn.grade.overall if turn.grade else None
    feedback = answers_html(session, personas)
    start = feedback.rfind("<details", 0, feedback.index(DONT_KNOW[:40]))
    block = feedback[start : feedback.index("</details>", start)]
    assert "reply: don&#x27;t know" in block and f"story so far {story}/5" in block
    assert f"graded {story}/5" not in block, "the story's grade is never shown as if it were the reply's"
    assert "<strong>Reply to the follow-up:</strong> don&#x27;t know" in block
    replay = replay_html(session, position, personas)
    assert "Reply to the follow-up:" in replay and f"Story so far: <strong>{story}/5</strong>" in replay
    chat = " ".join(m["content"] for m in chat_history(session, personas, coaching=True))
    assert "reply: don&#x27;t know" in chat  # in the chat too, once coaching mode asks for grades


def test_sessions_regrade_shows_reply_and_overall_changes_and_saves_the_reply_grade(
    ran: tuple[dict, Path, Path], tmp_path: Path
) -> None:
    session, db, home = ran
    data = json.loads(cli("sessions", "show", session["id"], "--json", "--db", str(db), home=home).stdout)
    saved = data["session"]
    turn_with(saved, DONT_KNOW)["reply_grade"]["label"] = "answered"  # as an older grader had it
    first = next(t for t in saved["turns"] if t["kind"] == "answer")
    first["grade"]["overall"] = 5 if first["grade"]["overall"] != 5 else 1
    old_overall = first["grade"]["overall"]
    other = tmp_path / "regrade.db"
    new_id = cli(
        "sessions", "import", "-", "--db", str(other), home=home, stdin=json.dumps(data)
    ).stdout.strip()
    out = cli("sessions", "regrade", new_id, "--db", str(other), home=home)
    assert out.returncode == 0, out.stderr
    assert "reply to the follow-up: answered -> don't know (\u201cHonestly I am not sure\u201d)" in out.stdout
    assert f"overall {old_overall} -> " in out.stdout
    assert "replies to a follow-up" in out.stdout.splitlines()[0]
    again = cli("sessions", "regrade", new_id, "--json", "--db", str(other), home=home)
    rows = json.loads(again.stdout)["answers"]
    unsure = next(r for r in rows if r["turn"] == turn_with(saved, DONT_KNOW)["index"])
    assert unsure["reply_grade"]["label"] == "dont_know"
    assert not any("reply to the follow-up" in c for c in unsure["changes"]), "the re-grade was saved"


def test_reply_grades_and_judge_rationale_are_escaped_on_the_page_and_in_markdown(
    sample_session: Session,
) -> None:
    personas = load_personas()
    answer = next(t for t in sample_session.turns if t.kind == "answer" and t.grade and t.grade.overall)
    hostile = "<img src=x onerror=alert(1)>"
    answer.reply_grade = ReplyGrade(
        label="evasive",
        quote=f"people always {hostile}",
        reason="It talks around what the follow-up asked for in general terms instead of giving it.",
        rationale=f"The reply never names the supplier {hostile}",
        grader=GraderInfo(engine="openai", model="judge", rubric_version="replies@1.0"),
    )
    assert answer.grade is not None
    answer.grade = AnswerGrade.model_validate(
        answer.grade.model_dump() | {"rationale": f"Clear actions, no figure {hostile}"}
    )
    page = answers_html(sample_session, personas) + replay_html(
        sample_session, sample_session.turns.index(answer), personas
    )
    assert hostile not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Judge\u2019s reasoning:</strong> Clear actions, no figure" in page
    assert "Judge\u2019s reasoning:</strong> The reply never names the supplier" in page
    text = session_to_markdown(sample_session, personas)
    assert "**Reply to the follow-up: evasive**" in text
    assert "**Judge's reasoning:** Clear actions, no figure" in text
    assert "**Judge's reasoning:** The reply never names the supplier" in text
    assert hostile not in text
