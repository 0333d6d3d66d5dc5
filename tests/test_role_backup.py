"""Being someone's backup, or on a team under someone, is a smaller part: round one "I owned the
account", round two "it was Dana's account, I was more her backup" is a different part (a
contradiction). Backing up a server is no part at all. Through the real grader and the shipped model."""

from __future__ import annotations

from grading_support import assert_change, grade, rubrics

from simulator.grading.claims import extract
from simulator.grading.text import analyse


def _support(said: str) -> list[str]:
    text = analyse(said, rubrics().star)
    return [c.value for c in extract(text, rubrics().consistency) if c.kind == "credit:support"]


def test_a_backup_and_a_team_under_someone_are_supporting_parts_and_a_server_backup_is_none() -> None:
    assert _support("and i was sort of her backup on the account, doing the notes") == ["self"]
    assert _support("I was on the night team under a new charge nurse") == ["self"]
    assert _support("We backed up the server every night before the migration.") == []


def test_an_owned_account_retold_as_someone_elses_with_the_candidate_as_backup_is_a_smaller_part() -> None:
    round_one = [
        (
            "Tell me about a difficult client.",
            "I'm an account manager at a payroll software firm in Dublin. I owned the account for a chain of "
            "dental clinics whose payslips kept going out late. I set up a weekly call with their finance "
            "lead and the late payslips stopped within a month.",
        )
    ]
    answer = (
        "yeah the dental clinics. so that was dana's account really, she was the senior one, and i was more "
        "her backup, taking the notes on the weekly call with their finance lead. the late payslips stopped "
        "within about a month."
    )
    g = grade("Tell me about a client you kept.", answer, round_one=round_one)
    assert_change(
        g,
        ("contradiction", "role"),
        then="I owned the account",
        now="her backup",
        round_one=round_one,
        answer=answer,
    )
