"""SIGKILL at random moments, then resume: every answer is kept and graded exactly once, no
question is answered twice or asked twice, and the round runs to its end.

The command line (`interview` with piped answers, and `run --script`) and the page (`app.py`
driven through its named endpoints) are killed at seeded random points: a random number of
saved turns on, a random few milliseconds later. The checks are bench/kills.py's `Watch`.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

from gradio_client import Client

from bench.browser import free_port
from bench.kills import (
    Watch,
    interview_with_kills,
    run_with_kills,
    saved_session,
    saved_turns,
    serve_page,
    typed_lines,
)

PAGE_KILLS = 1  # each restart of app.py costs several seconds


def test_interview_killed_at_random_moments_keeps_every_answer_graded_once(tmp_path: Path) -> None:
    watch = Watch()
    session = interview_with_kills(tmp_path / "s.db", seed=11, kills=4, watch=watch)
    assert watch.problems == []
    assert watch.kills == 4
    assert session.status == "complete"
    answers = [t for t in session.turns if t.kind == "answer"]
    assert answers and all(t.grade is not None for t in answers)
    # Every line typed was saved once, in the order typed.
    typed = [t.text for t in session.turns if t.kind in ("answer", "candidate_question")]
    assert typed == typed_lines()[: len(typed)]


def test_a_scripted_run_killed_at_random_moments_resumes_to_the_end(tmp_path: Path) -> None:
    watch = Watch()
    session = run_with_kills(tmp_path / "s.db", seed=12, kills=3, watch=watch)
    assert watch.problems == []
    assert watch.kills == 3
    assert session.status == "complete"
    assert all(t.grade is not None for t in session.turns if t.kind == "answer")


def _resume_on_page(url: str, session_id: str) -> Client:
    """A new visitor after the restart, opening the session as the address bar's id does."""
    client = Client(url, verbose=False)
    client.predict("", api_name="/sessions")  # fills the Replay list the Resume button picks from
    out = client.predict(session_id, False, api_name="/resume")
    assert out[4] == session_id, out
    return client


def test_the_page_killed_mid_answer_resumes_with_every_answer_graded_once(tmp_path: Path) -> None:
    rng = random.Random(8)
    db, log, port = tmp_path / "s.db", tmp_path / "app.log", free_port()
    url = f"http://127.0.0.1:{port}/"
    lines = typed_lines()
    watch = Watch()
    server = serve_page(db, port, log)
    try:
        client = Client(url, verbose=False)
        session_id = client.predict(param_7=None, param_8=None, param_14="8", api_name="/start")[4]
        sent = 0
        for _ in range(PAGE_KILLS):
            for _ in range(rng.randint(1, 3)):
                client.predict(lines[sent], False, api_name="/answer")
                sent += 1
            before = saved_turns(db)
            client.submit(lines[sent], False, api_name="/answer")
            deadline = time.monotonic() + 10
            while saved_turns(db) <= before and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.005))  # the answer is saved: now it is being graded
            server.send_signal(signal.SIGKILL)
            server.wait()
            watch.kills += 1
            killed = saved_session(db, session_id)
            assert killed is not None
            watch.check(killed, finished=False)
            server = serve_page(db, port, log)
            client = _resume_on_page(url, session_id)
            resumed = saved_session(db, session_id)
            assert resumed is not None and resumed.turns[-1].speaker != "candidate"  # the step was finished
            if lines[sent] not in {t.text for t in resumed.turns}:
                client.predict(
                    lines[sent], False, api_name="/answer"
                )  # lost in flight: the user sends it again
            sent += 1
        client.predict(lines[sent], False, api_name="/answer")
        sent += 1
        client.predict(False, api_name="/end_loop")
    finally:
        server.kill()
        server.wait()
    session = saved_session(db, session_id)
    assert session is not None
    watch.check(session, finished=True)
    assert watch.problems == []
    assert session.status == "ended_early"
    typed = [t.text for t in session.turns if t.kind in ("answer", "candidate_question")]
    assert typed == lines[:sent]
    assert all(t.grade is not None for t in session.turns if t.kind == "answer")
    assert "Traceback" not in log.read_text()
