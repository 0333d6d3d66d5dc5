"""The run's own timing: the slowest files ranked for tests/slow_files.txt, and when each worker ended."""

from __future__ import annotations

from pathlib import Path

from tests.suite_timing import SuiteTiming, rewrite_slow_files


def test_files_are_ranked_by_their_summed_phases_and_short_ones_left_out() -> None:
    timing = SuiteTiming()
    for nodeid, seconds in [
        ("tests/test_cli_run.py::test_run_prints_the_saved_session_as_json", 30.0),  # setup
        ("tests/test_cli_run.py::test_run_prints_the_saved_session_as_json", 4.0),  # call
        ("tests/test_orchestrator.py::test_same_seed_same_round_other_seed_another", 41.5),
        ("tests/test_store.py::test_a_session_round_trips[json]", 12.0),
        ("tests/test_store.py::test_a_session_round_trips[markdown]", 9.0),
        ("tests/test_checklist.py::test_salary_talk_fails", 0.4),
    ]:
        timing.add(nodeid, seconds, None)
    assert timing.slowest_files() == [
        "tests/test_orchestrator.py",
        "tests/test_cli_run.py",
        "tests/test_store.py",
    ]
    assert timing.worker_lines() == []  # no workers, nothing to compare


def test_a_worker_left_alone_at_the_end_is_said() -> None:
    timing = SuiteTiming(started=0.0)
    timing.last_by_worker.update({"gw1": 640.0, "gw0": 702.4})
    assert timing.worker_lines() == [
        "workers' last tests finished: gw1 at 640 s, gw0 at 702 s (62 s with one worker alone)"
    ]


def test_the_list_is_rewritten_under_its_comment(tmp_path: Path) -> None:
    listed = tmp_path / "slow_files.txt"
    listed.write_text(
        "# The slowest files first.\n# Refresh from a whole run.\ntests/test_old.py\n", encoding="utf-8"
    )
    rewrite_slow_files(listed, ["tests/test_orchestrator.py", "tests/test_cli_run.py"])
    assert listed.read_text(encoding="utf-8") == (
        "# The slowest files first.\n# Refresh from a whole run.\ntests/test_orchestrator.py\ntests/test_cli_run.py\n"
    )
