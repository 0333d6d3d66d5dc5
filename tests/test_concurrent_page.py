"""Twenty visitors on one page at once: `app.py` served as a subprocess, twenty clients in
parallel threads, each starting its own session and answering through the named endpoints.
No answer is lost or doubled, nobody sees anyone else's interview, and the store never says
"database is locked".
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from gradio_client import Client

from bench.browser import free_port
from bench.kills import serve_page
from simulator.store import Store

CLIENTS = 20
ANSWERS = 3


@dataclass(frozen=True)
class Visit:
    number: int
    session_id: str
    sent: list[str]
    ids_seen: set[str]  # the session id every response carried
    strangers_seen: list[str]  # other visitors' words that showed up in this one's chat


def _answer(number: int, k: int) -> str:
    return (
        f"Visitor {number}, answer {k}: I rewrote the paging rules for the payments team myself, "
        f"and within one quarter pages fell by {10 + k}% while no incident was missed."
    )


def _visit(url: str, number: int, ready: threading.Barrier) -> Visit:
    client = Client(url, verbose=False)
    ready.wait(timeout=120)  # everyone starts together
    out = client.predict(param_7=None, param_8=None, param_14=str(number), api_name="/start")
    session_id = out[4]
    sent, ids, strangers = [], {session_id}, []
    for k in range(ANSWERS):
        text = _answer(number, k)
        out = client.predict(text, False, api_name="/answer")
        sent.append(text)
        ids.add(out[4])
        chat = json.dumps(out[0])
        strangers += [f"Visitor {m}," for m in range(CLIENTS) if m != number and f"Visitor {m}," in chat]
    return Visit(number, session_id, sent, ids, strangers)


def test_twenty_page_sessions_at_once_keep_their_own_answers(tmp_path: Path) -> None:
    db, log, port = tmp_path / "s.db", tmp_path / "app.log", free_port()
    server = serve_page(db, port, log)
    try:
        ready = threading.Barrier(CLIENTS)
        url = f"http://127.0.0.1:{port}/"
        with ThreadPoolExecutor(CLIENTS) as pool:
            visits = list(pool.map(lambda n: _visit(url, n, ready), range(CLIENTS)))
    finally:
        server.kill()
        server.wait()
    assert len({v.session_id for v in visits}) == CLIENTS
    for visit in visits:
        assert visit.ids_seen == {visit.session_id}, visit.number
        assert visit.strangers_seen == [], visit.number
    with Store(db) as store:
        assert len(store.list()) == CLIENTS
        for visit in visits:
            session = store.load(visit.session_id)
            answers = [t for t in session.turns if t.kind == "answer"]
            assert [t.text for t in answers] == visit.sent  # none lost, none doubled, none of anyone else's
            assert all(t.grade is not None for t in answers)
            replies = [t.reply_to for t in answers]
            assert len(replies) == len(set(replies))
            assert session.turns[-1].speaker != "candidate"
    errors = log.read_text()
    assert "database is locked" not in errors
    assert "Traceback" not in errors
