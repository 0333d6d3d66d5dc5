"""A realistic long session for the Replay figures, built the way a user builds one.

The shipped example (job, round one, panel, 28 typed answers, the candidate's questions) is played
through the real API (`service.start`, `Interview.answer` / `ask`) on the offline engine with the
real grader, sentence model included, into a real store, until the loop closes by itself (debrief,
checklist, thank-you notes). Each interviewer's slot is lengthened and the answers go round again,
so the loop runs to about 100 turns (30 minutes a slot gave 95 turns).
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from simulator.catalog import ROOT
from simulator.script import load_script, script_setup, spread_questions, typed_answers
from simulator.service import Toolkit, start
from simulator.store import Store

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
SLOT_MINUTES = 32
_built: tuple[Path, str] | None = None  # this process's long session: its database and id


def build_long_session(store: Store, kit: Toolkit, seed: int = 7) -> str:
    """Play the example with long slots until the loop closes; the session's id."""
    script = load_script(EXAMPLE)
    setup = script_setup(script, kit.personas, EXAMPLE, seed=seed)
    slots = [slot.model_copy(update={"minutes": SLOT_MINUTES}) for slot in setup.plan.slots]
    setup = setup.model_copy(update={"plan": setup.plan.model_copy(update={"slots": slots})})
    interview = start(setup, store, kit)
    answers = itertools.cycle(typed_answers(script))
    shares = spread_questions(script.candidate_questions, len(slots))
    while (waiting := interview.awaiting()).kind != "nothing":
        if waiting.kind == "answer":
            item = next(answers)
            interview.answer(item.text, item.delivery)
        else:
            share = shares[waiting.slot_number - 1]
            interview.ask(share.pop(0)) if share else interview.done_asking()
    return interview.session.id


def copy_long_session(db_path: Path) -> str:
    """Put the long session in the store at `db_path` (created if need be); its id.

    Built once per process (it takes a while: every answer is graded) and copied after that, so
    the in-process and the browser benchmarks open the same session."""
    global _built
    if _built is None:
        folder = Path(tempfile.mkdtemp(prefix="roundtwo-long-"))
        atexit.register(shutil.rmtree, folder, True)
        with Store(folder / "long.db") as store:
            _built = folder / "long.db", build_long_session(store, Toolkit.load("offline"))
    source_path, session_id = _built
    Store(db_path).close()  # the folder and file as the store makes them (private, migrated)
    with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(db_path)) as target:
        source.backup(target)
    return session_id


def main() -> None:
    """Build one and print its shape (a quick check of the builder)."""
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "long.db"
        session_id = copy_long_session(db_path)
        with Store(db_path) as store:
            session = store.load(session_id)
        answers = sum(t.kind == "answer" for t in session.turns)
        print(f"{len(session.turns)} turns, {answers} answers, status {session.status}")


if __name__ == "__main__":
    main()
