"""An honest retelling in other words is no change (word_swap.py, role_change.py), through the real
grader and the shipped sentence model: one place told by two little words of place ("outside" / "near"),
one word written whole or apart ("percent" / "per cent"), and "I think" or "I knew", which tell the
candidate's view of the story and no part in it. The swaps and parts that are real still are."""

from __future__ import annotations

from grading_support import finding, grade, problems, round_one_story

from simulator.grading.role_change import _acts
from simulator.grading.text import analyse
from simulator.grading.word_swap import swaps

ASK = "Tell me about a time you improved a process."


def _swaps(one: str, two: str) -> list[tuple[str, str]]:
    from grading_support import rubrics

    star = rubrics().star
    return [(s.then, s.now) for s in swaps(analyse(one, star), analyse(two, star))]


def test_a_depot_outside_a_city_retold_as_near_it_is_no_swap() -> None:
    assert (
        _swaps(
            "I'm a shift manager at a parcel depot outside Antwerp.",
            "so i run one of the shifts at our depot near antwerp, the night one mostly.",
        )
        == []
    )


def test_a_figure_in_per_cent_retold_in_percent_is_no_swap() -> None:
    assert (
        _swaps(
            "By the end of the winter timetable we were at ninety-one percent on-time.",
            "At the end of the winter timetable punctuality was ninety-one per cent.",
        )
        == []
    )


def test_another_city_after_near_is_still_a_swap() -> None:
    assert ("leeds", "bradford") in _swaps(
        "I ran the night shift at a parcel depot near Leeds for two years.",
        "I ran the night shift at a parcel depot near Bradford for two years.",
    )


def test_i_think_and_i_knew_are_a_view_not_a_part() -> None:
    assert not _acts("The frame went up a week early, and I think the main reason is this change")
    assert not _acts("the complaints stopped coming to me, which was how I knew it had worked")
    assert _acts("I think I rewrote the whole rota myself")
    assert _acts("so i built the whole form myself")


def test_a_clean_retelling_with_a_place_told_by_another_little_word_finds_nothing() -> None:
    round_one = round_one_story(
        "I'm a shift manager at a parcel depot outside Antwerp.",
        "Parcels for the late vans kept missing the cut-off because the sort finished at ten. I moved the "
        "second sort forward an hour and split the loading bays by route. Within a month the late vans "
        "left on time almost every night.",
    )
    answer = (
        "so i run one of the shifts at our depot near antwerp. the late vans kept going out without half "
        "their parcels, because sorting only finished at ten. i pulled the second sort an hour earlier and "
        "gave each route its own loading bays, and inside a month the late vans were leaving on time "
        "nearly every night."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert not [p for p in problems(g) if p[1] == "other"], g.consistency.findings


def test_a_material_swapped_in_the_same_frame_is_still_a_change() -> None:
    round_one = round_one_story(
        "I'm a site manager for a building contractor.",
        "On the library extension we used a timber frame, and I resequenced the deliveries so the frame "
        "went up a week early.",
    )
    answer = (
        "On the library extension we used a steel frame, and I resequenced the deliveries so the frame "
        "went up a week early."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("contradiction", "other") in problems(g), g.consistency.findings
    assert "steel frame" in finding(g, "other").round_two_quote


def test_the_reason_for_a_result_is_not_why_the_work_began() -> None:
    from grading_support import rubrics

    from simulator.grading.reasons import reasons

    r = rubrics()
    said = reasons(
        analyse("The frame went up seven days early, and I think the main reason is this change.", r.star),
        r.consistency,
    )
    assert [(x.why, x.start) for x in said] == [("this change", False)]
    said = reasons(analyse("Honestly, the reason was volume: our team was drowning.", r.star), r.consistency)
    assert [x.start for x in said] == [True]
