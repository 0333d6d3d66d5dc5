"""Answers lost or doubled after random kills of the command line. Target: 0.

The CLI plays a round from piped answers (`interview`, and `run --script`) and is SIGKILLed at
seeded random moments; after each kill the saved session is checked, then carried on with
`interview --resume ID`, fed the lines it has not saved yet, until the loop closes. `Watch`
holds what must stay true of the saved session across kills; tests/test_kill_resume.py uses the
same harness with fewer kills, and drives the page the same way.
"""

from __future__ import annotations

import contextlib
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from simulator.catalog import ROOT
from simulator.models import Session
from simulator.script import load_script
from simulator.store import Store

SCRIPT = Path(__file__).parent / "data" / "kill_round.yaml"  # two interviewers, short answers
TURNS_BETWEEN_KILLS = 6  # each kill comes 1 to this many saved turns after the last one
PASSES = 200  # after the answers run out: pass, and say "no more questions", until the loop closes
SEEDS = (1, 2)
KILLS_PER_RUN = 6
_REPLIES = ("answer", "pass")
_TYPED = ("answer", "candidate_question")


def typed_lines() -> list[str]:
    """What the candidate types, one line each and each unique, so every line can be traced."""
    script = load_script(SCRIPT)
    typed = [t for t in [*script.answers, *script.candidate_questions] if isinstance(t, str)]
    return list(dict.fromkeys(" ".join(t.split()) for t in typed))


@dataclass
class Watch:
    """What the saved session must keep across kills; every breach is one line in `problems`."""

    problems: list[str] = field(default_factory=list)
    kills: int = 0
    pending: int = 0  # kills that caught an answer saved but not yet graded (finished on resume)
    # The candidate's saved turns per session, by index: (kind, text, grade once given).
    _kept: dict[str, dict[int, tuple[str, str, str | None]]] = field(default_factory=dict)

    def check(self, session: Session, *, finished: bool) -> None:
        turns = session.turns
        if [t.index for t in turns] != list(range(len(turns))):
            self._problem(session, "turn indices have gaps or repeats")
        by_index = {t.index: t for t in turns}
        kept = self._kept.setdefault(session.id, {})
        for index, (kind, text, grade) in kept.items():
            now = by_index.get(index)
            if now is None or (now.kind, now.text) != (kind, text):
                self._problem(session, f"lost the {kind} saved as turn {index}: {text[:50]!r}")
            elif grade is not None and (now.grade is None or now.grade.model_dump_json() != grade):
                self._problem(session, f"the answer at turn {index} was graded a second time")
        for text, n in Counter(t.text for t in turns if t.kind in _TYPED).items():
            if n > 1:
                self._problem(session, f"saved {n} times: {text[:50]!r}")
        for question, n in Counter(t.reply_to for t in turns if t.kind in _REPLIES).items():
            if n > 1:
                self._problem(session, f"turn {question} answered {n} times")
        for text, n in Counter(t.text for t in turns if t.kind == "question").items():
            if n > 1:
                self._problem(session, f"asked {n} times: {text[:50]!r}")
        for turn in turns:
            pending = turn is turns[-1] and not finished  # the step a kill cut short, finished on resume
            if turn.kind == "answer" and turn.grade is None and not pending:
                self._problem(session, f"the answer at turn {turn.index} was left ungraded")
        if turns and turns[-1].kind == "answer" and turns[-1].grade is None:
            self.pending += 1
        if finished and session.status not in ("complete", "ended_early"):
            self._problem(session, f"the loop did not close (status {session.status})")
        for turn in turns:
            if turn.speaker == "candidate" and (turn.index not in kept or kept[turn.index][2] is None):
                grade = turn.grade.model_dump_json() if turn.grade else None
                kept[turn.index] = (turn.kind, turn.text, grade)

    def _problem(self, session: Session, what: str) -> None:
        line = f"session {session.id}: {what}"
        if line not in self.problems:  # each breach once, however many checks see it again
            self.problems.append(line)


def saved_session(db: Path, session_id: str | None = None) -> Session | None:
    """The session in `db` (the only one, when no id is given), or None before it is saved."""
    if not db.exists():
        return None
    with Store(db) as store:
        if session_id is None:
            listed = store.list()
            if not listed:
                return None
            session_id = listed[0].id
        return store.load(session_id)


def saved_turns(db: Path) -> int:
    """How many turns `db` holds now (0 before it exists): a cheap read beside the writer."""
    if not db.exists():
        return 0
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
        try:
            return int(conn.execute("SELECT COUNT(*) FROM turns").fetchone()[0])
        except sqlite3.OperationalError:  # the schema is not there yet
            return 0


def cli(args: list[str], stdin: str, db: Path, kill_at: int | None, rng: random.Random) -> bool:
    """Run the CLI on `db`; once it holds `kill_at` turns, SIGKILL it a random moment later.
    True when it finished by itself first."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", *args, "--db", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdin is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, stdin), daemon=True)
    feeder.start()
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if kill_at is not None and saved_turns(db) >= kill_at:
            time.sleep(rng.uniform(0, 0.03))  # anywhere in the step that follows, or the next
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return False
        time.sleep(0.005)
    if proc.poll() is None:
        proc.kill()
        raise RuntimeError(f"python -m simulator {args[0]} did not finish in 300 s")
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        last = err.strip().splitlines()[-1:] or ["(no message)"]
        raise RuntimeError(f"python -m simulator {args[0]} exited {proc.returncode}: {last[0]}")
    return True


def _feed(pipe: TextIO, text: str) -> None:
    with contextlib.suppress(BrokenPipeError, OSError):  # killed before it read everything
        pipe.write(text)
        pipe.close()


def carry_on(db: Path, watch: Watch, rng: random.Random, kills: int, start: list[str]) -> Session:
    """Run `start`, SIGKILL it `kills` times at random turns, resuming after each; then to the end."""
    lines = typed_lines()
    session = saved_session(db)
    killed = 0
    while True:
        said = {t.text for t in session.turns if t.speaker == "candidate"} if session else set()
        feed = [line for line in lines if line not in said] + ["/pass"] * PASSES
        args = ["interview", "--resume", session.id] if session else start
        kill_at = saved_turns(db) + rng.randint(1, TURNS_BETWEEN_KILLS) if killed < kills else None
        finished = cli(args, "\n".join(feed) + "\n", db, kill_at, rng)
        killed += not finished
        watch.kills += not finished
        session = saved_session(db, session.id if session else None)
        if session is not None:
            watch.check(session, finished=finished)
        if finished:
            if session is None:
                raise RuntimeError("the round finished but nothing was saved")
            return session


def serve_page(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`app.py` on `port` and `db`, ready to take requests; its stderr goes to `log`."""
    with log.open("ab") as err:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--port", str(port), "--db", str(db)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited {proc.returncode}: {log.read_text()[-300:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("app.py did not start within 120 s")


def interview_with_kills(db: Path, seed: int, kills: int, watch: Watch) -> Session:
    """`interview` with piped answers, killed `kills` times at random and resumed each time."""
    start = ["interview", "--setup", str(SCRIPT), "--seed", str(seed)]
    return carry_on(db, watch, random.Random(seed), kills, start)


def run_with_kills(db: Path, seed: int, kills: int, watch: Watch) -> Session:
    """`run --script` killed at random, then carried on with `interview --resume`."""
    start = ["run", "--script", str(SCRIPT), "--seed", str(seed)]
    return carry_on(db, watch, random.Random(seed * 1000 + 7), kills, start)


def main() -> None:
    watch = Watch()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in SEEDS:
            interview_with_kills(Path(tmp) / f"interview-{seed}.db", seed, KILLS_PER_RUN, watch)
            run_with_kills(Path(tmp) / f"run-{seed}.db", seed, KILLS_PER_RUN, watch)
    print(f"answers lost or doubled after {watch.kills} random kills: {len(watch.problems)} (target 0)")
    print(f"kills that caught an answer saved but not yet graded: {watch.pending} (each graded on resume)")
    for problem in watch.problems[:10]:
        print(f"  {problem}")
    print(f"{len(SEEDS) * 2} rounds, killed and resumed: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
