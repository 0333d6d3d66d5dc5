"""The schema migrations: from a blank file, idempotent, and upgrading the oldest schema."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from simulator import migrations
from simulator.migrations import MIGRATIONS, applied, apply, m001_initial, migrate
from simulator.models import Session
from simulator.store import Store

LATEST_TABLES = {"_migrations", "sessions", "turns", "regrades"}


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _tables(db: sqlite3.Connection) -> set[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return {row[0] for row in rows}


def test_migration_names_are_numbered_in_order_and_unique() -> None:
    names = [fn.__name__ for fn in MIGRATIONS]
    assert names[0] == "m001_initial"
    assert all(re.fullmatch(r"m\d{3}_[a-z0-9_]+", name) for name in names)
    assert names == sorted(set(names))


def test_blank_database_gets_every_table_and_records_every_migration(tmp_path: Path) -> None:
    db = _connect(tmp_path / "blank.db")
    assert migrate(db) == [fn.__name__ for fn in MIGRATIONS]
    assert _tables(db) == LATEST_TABLES
    assert applied(db) == [fn.__name__ for fn in MIGRATIONS]
    stamps = [row[0] for row in db.execute("SELECT applied_at FROM _migrations")]
    assert all(stamps)


def test_migrating_again_changes_nothing(tmp_path: Path) -> None:
    db = _connect(tmp_path / "twice.db")
    migrate(db)
    schema_before = sorted(db.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
    assert migrate(db) == []
    assert sorted(db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()) == schema_before
    assert db.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)


def test_oldest_schema_upgrades_to_latest_keeping_its_data(tmp_path: Path, sample_session: Session) -> None:
    path = tmp_path / "old.db"
    db = _connect(path)
    assert apply(db, m001_initial) is True
    assert _tables(db) == {"_migrations", "sessions", "turns"}
    # A session saved by a build that only knew m001, written the way that build wrote it.
    db.execute(
        """INSERT INTO sessions (id, created_at, updated_at, status, job_title, company, panel, engine,
           setup, handoff_notes, usage) VALUES (?, ?, ?, 'in_progress', ?, ?, ?, 'offline', ?, '[]', '{}')""",
        (
            sample_session.id,
            sample_session.created_at,
            sample_session.created_at,
            sample_session.job.title,
            sample_session.job.company,
            "hiring_manager,team_member",
            sample_session.model_dump_json(include={"job", "round_one", "story_bank", "plan"}),
        ),
    )
    first = sample_session.turns[0]
    db.execute(
        "INSERT INTO turns (session_id, idx, kind, text, turn) VALUES (?, ?, ?, ?, ?)",
        (sample_session.id, first.index, first.kind, first.text, first.model_dump_json(exclude={"regrades"})),
    )
    db.close()

    with Store(path) as store:  # opening the store upgrades it
        loaded = store.load(sample_session.id)
        answer = sample_session.turns[2]
        store.append_turn(loaded.id, sample_session.turns[1], {"slot": 0})
        store.append_turn(loaded.id, answer, {"slot": 0})
        assert answer.grade is not None
        store.add_regrade(loaded.id, answer.index, answer.grade)  # needs the m002 table
        reloaded = store.load(loaded.id)

    assert loaded.job == sample_session.job
    assert loaded.turns == [first]
    assert reloaded.turns[2].regrades == [answer.grade]
    db = _connect(path)
    assert applied(db) == [fn.__name__ for fn in MIGRATIONS]
    assert _tables(db) == LATEST_TABLES


def test_a_failing_migration_leaves_no_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def m999_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk on fire")

    db = _connect(tmp_path / "broken.db")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, m999_broken])
    with pytest.raises(RuntimeError, match="disk on fire"):
        migrations.migrate(db)
    assert "half_done" not in _tables(db)
    assert "m999_broken" not in applied(db)
    assert applied(db) == [fn.__name__ for fn in MIGRATIONS]


def test_migrations_refuse_a_connection_that_manages_its_own_transactions(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "implicit.db")  # default isolation level: implicit transactions
    with pytest.raises(ValueError, match="isolation_level=None"):
        migrate(db)
