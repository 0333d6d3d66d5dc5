"""Story or list of duties (simulator/grading/duty_list.py): an answer that lists what the candidate does
as a rule is told apart from a story of one occasion, in the past or the present, and, with the rubric's
switch on (shipped on), states no scene and no actions while keeping its task."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from simulator.grading import duty_list
from simulator.grading.duty_list import DutyListHead, duty_list_probability, shipped_duty_list
from simulator.grading.semantic import default_meaning
from simulator.grading.semantic_story import reread
from simulator.grading.star import read_story
from simulator.grading.text import analyse
from tests.grading_support import grade, rubrics

QUESTION = "Tell me about a time you handled a lot of responsibility."
DUTIES = (
    "As a warehouse team leader I'm responsible for the day shift, about fifteen pickers. I do the rota, run "
    "the morning briefing, check the pick rates, handle absence calls and do the return-to-work interviews. I "
    "also cover the goods-in desk when we're short and I order the packaging every week."
)
DUTIES_SPOKEN = (
    "yeah so i'm a shift supervisor at a call centre, um, i do the rota, i listen to calls, i do the "
    "one-to-ones with my agents every month, i handle the escalations, and i, like, report the figures to "
    "the manager every week. so it's a lot of responsibility really."
)
# The clause reading finds a scene in the role of these two (and, in the first, steps in the duties).
OFFICE = (
    "I'm the office manager for a law firm of about forty people in Bristol. I look after the building, the "
    "cleaning and security contracts, the post room and the meeting rooms. I onboard new starters, order the "
    "IT kit with our provider and keep the fire and first-aid rotas up to date. I also manage the office "
    "budget and report it to the partners."
)
RECEPTION = (
    "In my work I am the receptionist in a hotel in Porto with ninety rooms. Every day I do the check-in and "
    "the check-out, I answer the phone and the emails, I make the reservations and I organise the taxis for "
    "the guests. Also I help in the breakfast when it is busy."
)
STORY = (
    "Last March our biggest customer threatened to cancel after three late deliveries in a row. My manager "
    "asked me to find out why. I pulled the driver logs for the month and found that one route was planned "
    "with no time for the ferry. I rebuilt the route, moved two drops to the afternoon van and called the "
    "customer myself to explain. Every delivery after that arrived on time, and they renewed the contract in "
    "June."
)
PRESENT_STORY = (
    "So it's a Friday night, and the kitchen printer stops working in the middle of service. I'm the sous "
    "chef, so it's on me. I grab a notepad, I tell the waiters to read each order to me, and I call the "
    "tickets out to the line myself. We get every table out, and only two dishes go back that night."
)


def _switched(on: bool):
    """The shipped rubrics with the duty-list decision acting on the parts, or not."""
    shipped = rubrics()
    flags = shipped.star.meaning_flags.model_copy(update={"duty_list_drops_story": on})
    return dataclasses.replace(shipped, star=shipped.star.model_copy(update={"meaning_flags": flags}))


def _probability(answer: str) -> tuple[float, bool]:
    meaning = default_meaning()
    assert meaning is not None
    rubric = rubrics().star
    text = analyse(answer, rubric)
    found = duty_list_probability(text, meaning.read(text, rubric))
    assert found is not None
    return found


def test_the_shipped_head_matches_the_shipped_static_table() -> None:
    # A head trained on another table gives no verdict: rerun tools/train_duty_list.py.
    assert shipped_duty_list() is not None


@pytest.mark.parametrize(
    "answer", [DUTIES, DUTIES_SPOKEN, OFFICE, RECEPTION], ids=["typed", "spoken", "office", "non-native"]
)
def test_a_list_of_duties_reads_as_one(answer: str) -> None:
    probability, is_list = _probability(answer)
    assert is_list and probability >= 0.5


@pytest.mark.parametrize("answer", [STORY, PRESENT_STORY], ids=["past", "present"])
def test_a_story_of_one_occasion_does_not_read_as_a_list(answer: str) -> None:
    _, is_list = _probability(answer)
    assert not is_list


@pytest.mark.parametrize(
    ("answer", "task"),
    [(OFFICE, "the office manager for a law firm"), (RECEPTION, "I am the receptionist")],
    ids=["typed", "non-native"],
)
def test_with_the_switch_on_a_duty_list_has_a_task_and_no_scene_or_actions(answer: str, task: str) -> None:
    before = grade(QUESTION, answer, with_rubrics=_switched(False))
    after = grade(QUESTION, answer)  # shipped on
    present_at = rubrics().star.present_at
    # Read clause by clause, the role is a scene (and the duties may be steps); as a whole, it is neither.
    assert before.star["situation"].score >= present_at
    assert after.star["situation"].score < present_at
    assert after.star["action"].score < present_at
    assert after.star["task"].score >= present_at
    assert any(task in quote for quote in after.star["task"].evidence)


def test_with_the_switch_on_a_story_keeps_its_parts() -> None:
    for answer in (STORY, PRESENT_STORY):
        before, after = grade(QUESTION, answer, with_rubrics=_switched(False)), grade(QUESTION, answer)
        assert {p: c.score for p, c in after.star.items()} == {p: c.score for p, c in before.star.items()}


def test_the_decision_is_not_read_while_the_switch_is_off() -> None:
    meaning = default_meaning()
    assert meaning is not None
    rubric = rubrics().star
    assert rubric.meaning_flags.duty_list_drops_story  # shipped on: see star.yaml for the figures
    text = analyse(DUTIES, rubric)
    _, verdict = reread(text, _switched(False).star, read_story(text, rubric), meaning)
    assert verdict.duty_list is None
    _, verdict = reread(text, rubric, read_story(text, rubric), meaning)
    assert verdict.duty_list is not None and verdict.duty_list >= 0.5


def test_the_head_file_round_trips_and_a_wrong_table_gives_no_verdict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = shipped_duty_list()
    assert found is not None
    head, _ = found
    again = DutyListHead.from_json(json.loads(json.dumps(head.to_json())))
    assert again.features == head.features and np.allclose(again.weights, head.weights, atol=1e-5)
    other = DutyListHead(
        head.embedder, "another-table", head.features, head.weights, head.bias, head.threshold
    )
    monkeypatch.setattr(duty_list, "shipped_json", lambda _: json.loads(json.dumps(other.to_json())))
    duty_list.shipped_duty_list.cache_clear()
    try:
        assert duty_list.shipped_duty_list() is None
    finally:
        monkeypatch.undo()
        duty_list.shipped_duty_list.cache_clear()
