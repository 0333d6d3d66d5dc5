"""How sure a reading of the candidate's part must be before two rounds are set against each other:
"I coordinated the contractors" is running the work, not a smaller part; and two borderline readings
by the role head alone (steps of the work it half takes for parts) never make a changed role."""

from __future__ import annotations

import numpy as np
from grading_support import grade, problems, rubrics

from simulator.grading.consistency import read
from simulator.grading.role_change import Said, role_change, rules_said
from simulator.grading.stance import Stance


def _said(text: str) -> Said:
    _, claims, _ = read(text, rubrics().star, rubrics().consistency)
    return rules_said(claims)


def test_coordinating_the_work_is_not_told_as_a_smaller_part() -> None:
    said = _said(
        "I was the project manager for opening a 40-bed care home in Perth. I coordinated the builders, "
        "the fire inspection and the hiring of 60 staff."
    )
    assert said.smaller == frozenset()
    # Helping to coordinate it still is.
    assert _said("I helped coordinate the builders and the fire inspection.").smaller == {0}


def test_a_project_manager_who_coordinated_it_and_then_ran_the_plan_has_not_changed_part() -> None:
    round_one = [
        (
            "Tell me about a project with a hard deadline.",
            "I was the project manager for opening a 40-bed care home in Perth. I coordinated the builders, "
            "the fire inspection and the hiring of 60 staff, and we took our first residents on the planned date.",
        )
    ]
    g = grade(
        "How did you keep everyone on track?",
        "On the Perth care home I ran one shared plan that everyone could see, and a ten-minute call with "
        "the builders every morning. We took our first residents on the planned date.",
        round_one=round_one,
    )
    assert [p for p in problems(g) if p[1] == "role"] == []


def _stance(*roles: list[float]) -> Stance:
    n = len(roles)
    return Stance(np.zeros((n, 3)), np.asarray(roles, dtype=float), np.zeros((n, 4)))


def test_two_borderline_readings_by_the_head_alone_are_no_change_of_part() -> None:
    # Round one "I started a monthly recognition board", read as leading at 0.56; the answer "I also
    # moved our shift meeting", read as a smaller part at 0.53: two steps, neither a part said outright.
    then = _stance([0.56, 0.17, 0.01, 0.41])
    now = _stance([0.19, 0.53, 0.01, 0.18])
    assert role_change(then, now, 0.5) is None


def test_a_sure_reading_on_one_side_makes_up_for_a_weaker_one_on_the_other() -> None:
    then = _stance([0.56, 0.17, 0.01, 0.41])
    now = _stance([0.03, 0.01, 0.91, 0.69])  # "he was the lead architect, I did the detail drawings"
    change = role_change(then, now, 0.5)
    assert change is not None and (change.kind, change.category) == ("contradiction", "role")


def test_a_part_the_rules_read_is_compared_however_weak_the_heads_reading_of_it() -> None:
    then = _stance([0.1, 0.52, 0.04, 0.84])  # "I was part of a study", read by the rules as a smaller part
    now = _stance([0.62, 0.05, 0.02, 0.5])
    change = role_change(then, now, 0.5, said_then=Said(smaller=frozenset({0})))
    assert change is not None and (change.kind, change.category) == ("embellishment", "role")
