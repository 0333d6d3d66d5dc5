"""Named, append-only schema migrations for the session store.

Each migration is a function `mNNN_what_it_does(db)`, applied once, in order, and recorded by
name in `_migrations`. A migration that has shipped is never edited: a change to the schema is a
new function at the end of the list, so every database, however old, reaches the same schema.

The connection must be in autocommit mode (`isolation_level=None`): each migration runs in its
own explicit transaction together with the row that records it, so a crash mid-migration leaves
the database as it was before that migration.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error. IMMEDIATE takes the write lock up
    front, so two processes opening the same file never both apply a migration."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _ensure_table(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")


def applied(db: sqlite3.Connection) -> list[str]:
    """Names of the migrations this database has had, in the order they ran."""
    _ensure_table(db)
    return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY rowid")]


def apply(db: sqlite3.Connection, fn: Migration) -> bool:
    """Run one migration unless it already ran. Returns True when it ran now."""
    if db.isolation_level is not None:
        raise ValueError("migrations need a connection opened with isolation_level=None")
    _ensure_table(db)
    with transaction(db):
        if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (fn.__name__,)).fetchone():
            return False
        fn(db)
        db.execute(
            "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
            (fn.__name__, datetime.now(UTC).isoformat(timespec="seconds")),
        )
    return True


def migrate(db: sqlite3.Connection) -> list[str]:
    """Bring the database to the latest schema. Returns the names applied now (empty: up to date)."""
    return [fn.__name__ for fn in MIGRATIONS if apply(db, fn)]


# ---------------------------------------------------------------- the migrations, oldest first
# Statements run one by one: `executescript` would COMMIT the surrounding transaction.


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    # One row per session: the columns `list` shows and searches, then JSON for the rest.
    db.execute(
        """
        CREATE TABLE sessions (
            id            TEXT PRIMARY KEY,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            status        TEXT NOT NULL,
            job_title     TEXT NOT NULL,
            company       TEXT NOT NULL,
            panel         TEXT NOT NULL,            -- persona ids, comma separated, in plan order
            engine        TEXT NOT NULL,
            verdict       TEXT,                     -- the panel's overall verdict, set at close
            setup         TEXT NOT NULL,            -- JSON: job, round_one, story_bank, plan
            state         TEXT,                     -- JSON: the orchestrator's state, for resume
            handoff_notes TEXT NOT NULL DEFAULT '[]',
            report        TEXT,                     -- JSON: scorecards, debrief, checklist, ...
            usage         TEXT NOT NULL DEFAULT '{}'
        )
        """
    )
    db.execute("CREATE INDEX sessions_by_created_at ON sessions (created_at)")
    # A turn is one cheap INSERT. `kind` and `text` are copied out of the JSON so that counting
    # answers and searching what was said need no JSON parsing.
    db.execute(
        """
        CREATE TABLE turns (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            idx        INTEGER NOT NULL,
            kind       TEXT NOT NULL,
            text       TEXT NOT NULL,
            turn       TEXT NOT NULL,               -- JSON of the Turn, without its regrades
            PRIMARY KEY (session_id, idx)
        ) WITHOUT ROWID
        """
    )


@migration
def m002_regrades(db: sqlite3.Connection) -> None:
    # Re-grades live beside the original grade (kept in the turn's JSON), never over it.
    db.execute(
        """
        CREATE TABLE regrades (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id     TEXT NOT NULL,
            turn_idx       INTEGER NOT NULL,
            created_at     TEXT NOT NULL,
            rubric_version TEXT NOT NULL,
            engine         TEXT NOT NULL,
            grade          TEXT NOT NULL,           -- JSON of the AnswerGrade
            FOREIGN KEY (session_id, turn_idx) REFERENCES turns (session_id, idx) ON DELETE CASCADE
        )
        """
    )
    db.execute("CREATE INDEX regrades_by_turn ON regrades (session_id, turn_idx)")


@migration
def m003_imported_from(db: sqlite3.Connection) -> None:
    # A session imported from a file is a copy: the list and Replay say so, and from which file.
    db.execute("ALTER TABLE sessions ADD COLUMN imported_from TEXT")  # the file's name; NULL: made here
    db.execute("ALTER TABLE sessions ADD COLUMN imported_at TEXT")
