"""The SQLite session store: every turn committed the moment it exists; JSON export and import.

One row per session, one row per turn, one row per re-grade. Each write is a single short
transaction; `atomic()` joins several into one, so a step of the interview (the answer's grade,
the interviewer's next turns, the state after them) is saved whole or not at all, and a killed
process resumes from the last whole step.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from pydantic import ValidationError

from simulator import paths
from simulator.migrations import migrate, transaction
from simulator.models import AnswerGrade, HandoffNote, Session, Turn
from simulator.panel_verdict import session_verdict
from simulator.private_files import private_database
from simulator.redact import RedactingConnection
from simulator.session_json import InvalidImport, dump_session, parse_session

__all__ = [
    "InvalidImport",
    "SessionNotFound",
    "SessionSummary",
    "SessionUnreadable",
    "Store",
    "StoreError",
    "TurnConflict",
    "TurnNotFound",
    "new_session_id",
]

MIN_PREFIX = 4
_REPORT_FIELDS = ("scorecards", "debrief", "checklist", "wrap_up_signs", "thank_you")
_SETUP_FIELDS = ("job", "round_one", "story_bank", "plan")
_REPLY_KINDS = ("answer", "pass")  # what the candidate says back to a question: one per question


class NotFound(KeyError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return self.message


class SessionNotFound(NotFound):
    """No session (or no single session) matches the id or prefix given."""


class TurnNotFound(NotFound):
    """The session has no turn with that index."""


class TurnConflict(ValueError):
    """The turn would write over what is saved: its index is taken, or its question already has a reply."""


class StoreError(RuntimeError):
    """The database file cannot be opened or is not a session store."""


class SessionUnreadable(StoreError):
    """A saved session that no longer validates (say, imported by an older, laxer build).

    It is skipped wherever sessions are gathered, and can still be deleted by its id.
    """

    def __init__(self, session_id: str, cause: Exception):
        self.session_id = session_id
        super().__init__(
            f"session {session_id} cannot be read ({_first_problem(cause)}); it can still be deleted"
        )


def _first_problem(exc: Exception) -> str:
    """Where and what, in a few words: no pydantic URLs, no input values."""
    if isinstance(exc, ValidationError) and exc.errors():
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"])
        return f"{where}: {err['msg']}" if where else err["msg"]
    return type(exc).__name__ if not isinstance(exc, json.JSONDecodeError) else "damaged JSON"


@dataclass(frozen=True)
class SessionSummary:
    """One line of the session list."""

    id: str
    created_at: str
    updated_at: str
    job_title: str
    company: str
    panel: list[str]
    status: str
    verdict: str | None
    engine: str
    answers: int
    drill: str | None = None  # a drill (simulator/practice/): the competency it practised
    imported_from: str | None = None  # the file an imported copy came from; None: made here
    imported_at: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def new_session_id() -> str:
    return uuid.uuid4().hex[:12]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _contains(haystack: str | None, needle: str | None) -> bool:
    # A Python function rather than LIKE: LIKE folds only ASCII case, and needs %/_ escaping.
    return bool(haystack and needle and needle.casefold() in haystack.casefold())


def _turn_json(turn: Turn) -> str:
    # Re-grades live in their own table; the turn keeps its original grade.
    return turn.model_dump_json(exclude={"regrades"})


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _report_json(session: Session) -> str:
    return _json(session.model_dump(mode="json", include=set(_REPORT_FIELDS)))


_SUMMARY_SELECT = """
    SELECT s.id, s.created_at, s.updated_at, s.job_title, s.company, s.panel, s.status, s.verdict, s.engine,
           (SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id AND t.kind = 'answer'),
           CASE WHEN json_valid(s.setup) THEN json_extract(s.setup, '$.plan.drill.competency') END,
           s.imported_from, s.imported_at
    FROM sessions s"""


def _summary(row: tuple) -> SessionSummary:
    return SessionSummary(
        id=row[0],
        created_at=row[1],
        updated_at=row[2],
        job_title=row[3],
        company=row[4],
        panel=[p for p in row[5].split(",") if p],
        status=row[6],
        verdict=row[7],
        engine=row[8],
        answers=row[9],
        drill=row[10],
        imported_from=row[11],
        imported_at=row[12],
    )


class Store:
    """The session database. Use as a context manager, or call close()."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else paths.default_db_path()
        # One connection per Store, shared by threads (the page's handlers) under a lock.
        self._lock = threading.RLock()
        try:
            private_database(self.path)  # 0600 in a 0700 folder, before SQLite creates anything
            self._db = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=10,
                factory=RedactingConnection,  # every value written passes through redact()
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{self.path}: cannot open the session database ({exc})") from None
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a commit survives the process being killed (only a power cut
            # can lose the last commits), without an fsync per turn.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.create_function("rt_contains", 2, _contains, deterministic=True)
            migrate(self._db)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            # OperationalError: locked or unreadable; any other DatabaseError: not SQLite at all.
            locked = isinstance(exc, sqlite3.OperationalError)
            problem = "cannot open the session database" if locked else "not a usable session database"
            raise StoreError(f"{self.path}: {problem} ({exc})") from None

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._db.in_transaction:  # inside atomic(), on this thread (it holds the lock)
                yield self._db
                return
            with transaction(self._db) as db:
                yield db

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Every write inside is one transaction: all of them are saved, or (on an error) none."""
        with self._write():
            yield

    # ------------------------------------------------------------ writing a session as it runs

    def create(self, session: Session, state: dict | None = None) -> None:
        """Save a new session (with any turns it already has). Its id must be new."""
        with self._write() as db:
            self._insert_session(db, session, state)

    def append_turn(
        self,
        session_id: str,
        turn: Turn,
        state: dict | None,
        handoff_notes: list[HandoffNote] | None = None,
    ) -> None:
        """Commit one new turn with the orchestrator state after it, in one transaction.

        `handoff_notes`, when given, is the session's whole list so far and replaces the saved one.
        A second reply to a question that already has one is refused (TurnConflict), as is a turn
        index already taken: two writers resuming one session cannot both add their turn.
        """
        with self._write() as db:
            self._touch(db, session_id, state, handoff_notes)
            if turn.reply_to is not None and turn.kind in _REPLY_KINDS:
                self._refuse_second_reply(db, session_id, turn)
            try:
                self._insert_turn(db, session_id, turn)
            except sqlite3.IntegrityError:
                raise TurnConflict(f"session {session_id} already has a turn {turn.index}") from None

    def update_turn(self, session_id: str, turn: Turn, state: dict | None = None) -> None:
        """Replace a saved turn (say, once its answer is graded), with the state after it."""
        with self._write() as db:
            self._touch(db, session_id, state)
            cursor = db.execute(
                "UPDATE turns SET kind = ?, text = ?, turn = ? WHERE session_id = ? AND idx = ?",
                (turn.kind, turn.text, _turn_json(turn), session_id, turn.index),
            )
            if cursor.rowcount == 0:
                raise TurnNotFound(f"session {session_id} has no turn {turn.index}")

    def replace_answer(self, session_id: str, turn: Turn) -> None:
        """Save an answer given again (simulator/practice/redo.py). Its earlier attempt, re-grades
        included, is now in `turn.attempts`: the re-grades table keeps only the latest attempt's."""
        with self._write() as db:
            self.update_turn(session_id, turn)
            db.execute("DELETE FROM regrades WHERE session_id = ? AND turn_idx = ?", (session_id, turn.index))

    def save_state(
        self, session_id: str, state: dict | None, handoff_notes: list[HandoffNote] | None = None
    ) -> None:
        with self._write() as db:
            self._touch(db, session_id, state, handoff_notes)

    def save_usage(self, session_id: str, usage: dict) -> None:
        """Tokens and cost so far, so a session that is still running shows them too."""
        with self._write() as db:
            self._touch(db, session_id)
            db.execute("UPDATE sessions SET usage = ? WHERE id = ?", (_json(usage), session_id))

    def load_state(self, session_id: str) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT state FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"no session {session_id!r}")
        return json.loads(row[0]) if row[0] else None

    def close_session(self, session: Session) -> None:
        """Save the closed session: status, report, usage and the panel's verdict.

        The session object is the final word: its turns are written too (new ones added, changed
        ones replaced), so nothing the orchestrator changed after appending a turn is lost.
        Re-grades are untouched.
        """
        with self._write() as db:
            cursor = db.execute(
                """UPDATE sessions SET status = ?, verdict = ?, report = ?, usage = ?, handoff_notes = ?,
                   updated_at = ? WHERE id = ?""",
                (
                    session.status,
                    session_verdict(session),
                    _report_json(session),
                    _json(session.usage),
                    self._notes_json(session.handoff_notes),
                    _now(),
                    session.id,
                ),
            )
            if cursor.rowcount == 0:
                raise SessionNotFound(f"no session {session.id!r}")
            db.executemany(
                """INSERT INTO turns (session_id, idx, kind, text, turn) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (session_id, idx) DO UPDATE SET kind = excluded.kind, text = excluded.text,
                   turn = excluded.turn""",
                [(session.id, t.index, t.kind, t.text, _turn_json(t)) for t in session.turns],
            )

    def add_regrade(self, session_id: str, turn_index: int, grade: AnswerGrade) -> None:
        """Save a new grade for a turn beside the original (and any earlier re-grades)."""
        with self._write() as db:
            self._touch(db, session_id)
            if not db.execute(
                "SELECT 1 FROM turns WHERE session_id = ? AND idx = ?", (session_id, turn_index)
            ).fetchone():
                raise TurnNotFound(f"session {session_id} has no turn {turn_index}")
            self._insert_regrades(db, session_id, turn_index, [grade])

    # ------------------------------------------------------------ reading

    def resolve(self, id_or_prefix: str) -> str:
        """The full id for an exact id or a unique prefix of at least 4 characters."""
        query = id_or_prefix.strip()
        with self._lock:
            if self._db.execute("SELECT 1 FROM sessions WHERE id = ?", (query,)).fetchone():
                return query
            if len(query) < MIN_PREFIX:
                raise SessionNotFound(
                    f"no session matches {query!r} (give the id or at least {MIN_PREFIX} characters of it)"
                )
            rows = self._db.execute(
                "SELECT id FROM sessions WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 3", (len(query), query)
            ).fetchall()
        if not rows:
            raise SessionNotFound(f"no session matches {query!r}")
        if len(rows) > 1:
            raise SessionNotFound(f"{query!r} matches more than one session: give more of the id")
        return str(rows[0][0])

    def load(self, id_or_prefix: str) -> Session:
        session_id = self.resolve(id_or_prefix)
        with self._lock:
            row = self._db.execute(
                """SELECT id, created_at, status, setup, handoff_notes, report, usage
                   FROM sessions WHERE id = ?""",
                (session_id,),
            ).fetchone()
            turn_rows = self._db.execute(
                "SELECT turn FROM turns WHERE session_id = ? ORDER BY idx", (session_id,)
            ).fetchall()
            regrade_rows = self._db.execute(
                "SELECT turn_idx, grade FROM regrades WHERE session_id = ? ORDER BY id", (session_id,)
            ).fetchall()
        if row is None:  # deleted between resolve and load
            raise SessionNotFound(f"no session matches {id_or_prefix!r}")
        try:
            return self._session_from_rows(row, turn_rows, regrade_rows)
        except (
            ValueError,
            TypeError,
            KeyError,
        ) as exc:  # ValidationError and JSONDecodeError are ValueErrors
            raise SessionUnreadable(session_id, exc) from None

    @staticmethod
    def _session_from_rows(
        row: tuple, turn_rows: builtins.list[tuple], regrade_rows: builtins.list[tuple]
    ) -> Session:
        regrades: dict[int, builtins.list[dict]] = {}
        for turn_idx, grade in regrade_rows:
            regrades.setdefault(turn_idx, []).append(json.loads(grade))
        turns = []
        for (turn_text,) in turn_rows:
            turn = json.loads(turn_text)
            turn["regrades"] = regrades.get(turn["index"], [])
            turns.append(turn)
        data = {
            "id": row[0],
            "created_at": row[1],
            "status": row[2],
            **json.loads(row[3]),
            "turns": turns,
            "handoff_notes": json.loads(row[4]),
            **(json.loads(row[5]) if row[5] else {}),
            "usage": json.loads(row[6]),
        }
        return Session.model_validate(data)

    def delete(self, session_id: str) -> bool:
        """Delete a session by its exact id, with its turns and re-grades. False if there was none.

        Exact ids only: a prefix is resolved (and shown to the user) first, with `resolve`.
        """
        with self._write() as db:
            return db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount > 0

    # ------------------------------------------------------------ export and import

    def export_json(self, id_or_prefix: str) -> str:
        return dump_session(self.load(id_or_prefix))

    def import_json(
        self, text: str, source: str = "<input>", personas: builtins.list[str] | None = None
    ) -> str:
        """Validate an export fully, then save it in one transaction. Returns the id it was saved under:
        its own id, or a fresh one when that id is already taken. Raises InvalidImport and writes
        nothing when the file is not a valid session. `personas`, when given, are the known persona
        ids: a session naming any other is refused."""
        session = parse_session(text, source, personas)
        with self._write() as db:
            if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session.id,)).fetchone():
                session = session.model_copy(update={"id": self._fresh_id(db)})
            self._insert_session(db, session, None)
            db.execute(  # a copy, and from which file: the list and Replay say so
                "UPDATE sessions SET imported_from = ?, imported_at = ? WHERE id = ?",
                (Path(source).name or source, _now(), session.id),
            )
        return session.id

    # ------------------------------------------------------------ listing (last: `list` shadows the builtin)

    def list(self, query: str | None = None, limit: int = 200) -> builtins.list[SessionSummary]:
        """Sessions newest first. `query` matches the job title, the company or anything said.

        Read from the session's own columns, not by loading it: a session that no longer loads is
        still listed, so it can be found and deleted.
        """
        needle = (query or "").strip() or None
        with self._lock:
            rows = self._db.execute(
                f"""
                {_SUMMARY_SELECT}
                WHERE :q IS NULL
                   OR rt_contains(s.job_title, :q) OR rt_contains(s.company, :q)
                   OR EXISTS (SELECT 1 FROM turns t WHERE t.session_id = s.id AND rt_contains(t.text, :q))
                ORDER BY s.created_at DESC, s.rowid DESC
                LIMIT :limit
                """,
                {"q": needle, "limit": max(0, limit)},
            ).fetchall()
        return [_summary(r) for r in rows]

    def summary(self, id_or_prefix: str) -> SessionSummary:
        """One session's list line, even when the session itself no longer loads."""
        session_id = self.resolve(id_or_prefix)
        with self._lock:
            row = self._db.execute(f"{_SUMMARY_SELECT} WHERE s.id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"no session matches {id_or_prefix!r}")
        return _summary(row)

    # ------------------------------------------------------------ internals

    @staticmethod
    def _refuse_second_reply(db: sqlite3.Connection, session_id: str, turn: Turn) -> None:
        taken = db.execute(
            f"""SELECT idx FROM turns WHERE session_id = ? AND kind IN ({", ".join("?" * len(_REPLY_KINDS))})
               AND json_extract(turn, '$.reply_to') = ?""",
            (session_id, *_REPLY_KINDS, turn.reply_to),
        ).fetchone()
        if taken is not None:
            raise TurnConflict(
                f"session {session_id}: turn {turn.reply_to} already has its reply (turn {taken[0]})"
            )

    def _insert_session(self, db: sqlite3.Connection, session: Session, state: dict | None) -> None:
        now = _now()
        setup = session.model_dump(mode="json", include=set(_SETUP_FIELDS))
        has_report = any(getattr(session, name) for name in _REPORT_FIELDS)
        try:
            db.execute(
                """INSERT INTO sessions (id, created_at, updated_at, status, job_title, company, panel,
                   engine, verdict, setup, state, handoff_notes, report, usage)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    session.id,
                    session.created_at,
                    now,
                    session.status,
                    session.job.title,
                    session.job.company,
                    ",".join(slot.persona_id for slot in session.plan.slots),
                    session.plan.engine,
                    session_verdict(session),
                    _json(setup),
                    _json(state) if state is not None else None,
                    self._notes_json(session.handoff_notes),
                    _report_json(session) if has_report else None,
                    _json(session.usage),
                ),
            )
        except sqlite3.IntegrityError:
            raise ValueError(f"a session with id {session.id!r} already exists") from None
        for turn in session.turns:
            self._insert_turn(db, session.id, turn)

    def _insert_turn(self, db: sqlite3.Connection, session_id: str, turn: Turn) -> None:
        db.execute(
            "INSERT INTO turns (session_id, idx, kind, text, turn) VALUES (?, ?, ?, ?, ?)",
            (session_id, turn.index, turn.kind, turn.text, _turn_json(turn)),
        )
        self._insert_regrades(db, session_id, turn.index, turn.regrades)

    @staticmethod
    def _insert_regrades(
        db: sqlite3.Connection, session_id: str, turn_index: int, grades: Iterable[AnswerGrade]
    ) -> None:
        db.executemany(
            """INSERT INTO regrades (session_id, turn_idx, created_at, rubric_version, engine, grade)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [
                (
                    session_id,
                    turn_index,
                    _now(),
                    g.grader.rubric_version,
                    g.grader.engine,
                    g.model_dump_json(),
                )
                for g in grades
            ],
        )

    def _touch(
        self,
        db: sqlite3.Connection,
        session_id: str,
        state: dict | None = None,
        handoff_notes: builtins.list[HandoffNote] | None = None,
    ) -> None:
        """Mark the session updated (and save state / notes when given); SessionNotFound if absent."""
        sets, values = ["updated_at = ?"], [_now()]
        if state is not None:
            sets.append("state = ?")
            values.append(_json(state))
        if handoff_notes is not None:
            sets.append("handoff_notes = ?")
            values.append(self._notes_json(handoff_notes))
        cursor = db.execute(f"UPDATE sessions SET {', '.join(sets)} WHERE id = ?", (*values, session_id))
        if cursor.rowcount == 0:
            raise SessionNotFound(f"no session {session_id!r}")

    @staticmethod
    def _notes_json(notes: Iterable[HandoffNote]) -> str:
        return _json([note.model_dump(mode="json") for note in notes])

    @staticmethod
    def _fresh_id(db: sqlite3.Connection) -> str:
        while True:
            candidate = new_session_id()
            if not db.execute("SELECT 1 FROM sessions WHERE id = ?", (candidate,)).fetchone():
                return candidate
