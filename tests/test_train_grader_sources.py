"""The head trainer keeps the independent clause set apart: it checks the heads, it does not train them,
unless asked."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import train_grader  # noqa: E402

from simulator.catalog import load_rubrics  # noqa: E402


def _ids(folder: Path) -> set[str]:
    return {
        json.loads(line)["id"]
        for path in folder.glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }


def test_the_default_training_data_holds_no_independent_answer() -> None:
    data = train_grader.load_clauses(load_rubrics().star, None)
    trained_on = {row["id"] for row in data.answers}
    assert trained_on and not trained_on & _ids(train_grader.INDEPENDENT_CLAUSES)
    assert set(data.sources) == {"clauses"}


def test_independent_answers_keep_their_source_and_every_clause_its_label() -> None:
    data = train_grader.load_clauses(load_rubrics().star, None, (train_grader.INDEPENDENT_CLAUSES,))
    assert {row["id"] for row in data.answers} == _ids(train_grader.INDEPENDENT_CLAUSES)
    assert set(data.sources) == {"clauses_indep"}
    # One label per clause the grader reads, each clause tied to its answer.
    assert len(data.part) == len(data.group) == sum(len(t.clauses) for t in data.texts)


def test_a_dry_run_reports_the_heads_on_the_independent_set_without_writing(capsys) -> None:
    before = train_grader.OUT.read_bytes()
    assert train_grader.main(["--dry-run", "--fast", "--no-embeddings"]) == 0
    out = capsys.readouterr().out
    assert "independent check (clauses_indep, 100 answers" in out
    assert "never trained on" in out
    # The answer level is reported cross-validated per source and per stratum of each tune set it reads.
    assert "v6 by stratum (Spearman/bias of the score): " in out
    assert train_grader.OUT.read_bytes() == before


def test_the_answer_level_reads_tune_sets_and_training_data_only() -> None:
    sources = [*train_grader.ANSWER_SETS, *train_grader.ANSWER_FOLDERS]
    assert all(p.name.endswith("_tune.jsonl") or p.parent.name == "data" for p in sources)
    assert not any(part in ("v4", "v7") for p in sources for part in p.parts)
