"""The fault server against whole sessions, through the real client stack and the CLI.

For every fault: the session still completes, every interviewer line and every grade is marked as
the offline engine's with a plain reason, the call gives up within its deadline (the server sees the
client hang up on a reply it was still sending), and the key is never stored. Deadlines here are
1 s (`ROUNDTWO_TIMEOUT`), not the default, to keep the suite quick.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fake_openai_server import FakeOpenAIServer
from llm_session import SCRIPT

from simulator.catalog import ROOT, load_personas, load_rubrics
from simulator.engines import make_engine
from simulator.engines.openai_engine import OpenAIEngine
from simulator.models import Session
from simulator.script import script_setup
from simulator.service import Toolkit, play_script, start
from simulator.store import Store

RUBRICS = load_rubrics()
PERSONAS = load_personas()
KEY = "sk-server-key-for-fault-tests-0123456789abcdef"
THRESHOLD = 3  # the breaker's default: failures in a row before it stops calling


def play(base_url: str, db: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Session, OpenAIEngine]:
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("ROUNDTWO_TIMEOUT", "1")
    engine = make_engine("openai", RUBRICS)
    assert isinstance(engine, OpenAIEngine)
    kit = Toolkit(PERSONAS, RUBRICS, engine)
    with Store(db) as store:
        session = play_script(start(script_setup(SCRIPT, PERSONAS, "faults"), store, kit), SCRIPT)
        return store.load(session.id), engine


@pytest.mark.parametrize(
    ("behaviour", "why"),
    [
        ("hang", "the model did not finish within 1s"),
        ("trickle", "the model did not finish within 1s"),
        (
            "429-long",
            "rate limited by the endpoint (HTTP 429), asking to wait 120s: longer than the call's deadline allows",
        ),
        (
            "500",
            "the endpoint returned an error (HTTP 500), and no time was left to retry within the call's deadline",
        ),
        ("garbage", "the model's reply was malformed"),
        ("drop", "could not reach the endpoint (connection refused or dropped)"),
        ("echo", "the model's reply repeated the API key"),
    ],
)
def test_every_fault_still_finishes_the_session_with_every_turn_marked(
    behaviour: str, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "sessions.db"
    with FakeOpenAIServer(behaviour) as server:
        saved, engine = play(server.base_url, db, monkeypatch)
        if behaviour in ("hang", "trickle"):
            # Gave up within the deadline: the client hung up on each reply the server was still sending.
            assert server.wait_abandoned(THRESHOLD)
        requests = len(server.requests)

    assert saved.status == "complete"
    spoken = [t for t in saved.turns if t.speaker != "candidate"]
    assert spoken and all(t.note and t.note.startswith("Offline fallback: ") for t in spoken)
    assert spoken[0].note == f"Offline fallback: {why}."
    grades = [t.grade for t in saved.turns if t.kind == "answer" and t.grade is not None]
    assert grades and all(g.status in ("fallback", "ungradable") for g in grades)
    assert any(g.reason == f"LLM judge unavailable ({why}); graded by the offline rules" for g in grades)

    if behaviour in ("garbage", "echo"):
        # The endpoint answered, unusably: asked twice each time, counted apart, the breaker stays shut.
        assert engine.breaker.failures == 0 and engine.breaker.opened_at is None
        assert engine.breaker.bad_replies == len(engine.fallbacks) and requests == 2 * len(engine.fallbacks)
    else:
        # Transport failures: the breaker counted them and stopped calling after the third.
        assert "paused calling the model" in (spoken[-1].note or "")
        if (
            behaviour == "500"
        ):  # retried while the deadline leaves time for the backoff: once, on a calm machine
            assert THRESHOLD <= requests <= 2 * THRESHOLD
        else:
            assert requests == THRESHOLD

    stored = saved.model_dump_json() + db.read_bytes().decode("utf-8", "replace")
    assert KEY not in stored


def test_a_trickling_endpoint_cannot_hold_a_cli_run(tmp_path: Path) -> None:
    """The reported case: headers, then a byte a second, kept `run` at zero turns for over five minutes."""
    with FakeOpenAIServer("trickle") as server:
        env = {
            **os.environ,
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": KEY,
            "ROUNDTWO_HOME": str(tmp_path),
        }
        script = tmp_path / "script.yaml"  # the short LLM test session: the deadline is what is tested
        script.write_text(
            yaml.safe_dump(SCRIPT.model_dump(mode="json", exclude_defaults=True)), encoding="utf-8"
        )
        flags = ["--engine", "openai", "--timeout", "1", "--json", "--db", str(tmp_path / "s.db")]
        done = subprocess.run(
            [sys.executable, "-m", "simulator", "run", "--script", str(script), *flags],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,  # a bound for a busy machine, not a timing: the run itself takes seconds
            cwd=ROOT,
        )
        assert server.wait_abandoned(THRESHOLD)
    assert done.returncode == 0, done.stderr
    session = json.loads(done.stdout)
    assert session["status"] == "complete"
    spoken = [t for t in session["turns"] if t["speaker"] != "candidate"]
    assert spoken[0]["note"] == "Offline fallback: the model did not finish within 1s."
    assert all((t["note"] or "").startswith("Offline fallback: ") for t in spoken)
