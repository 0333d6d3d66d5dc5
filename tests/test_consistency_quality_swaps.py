"""A quality told in other words is no swapped thing (word_swap._qualities): "a quick meal" / "even a
simple meal" describes the same thing again, while "a lentil stew" / "a bean stew" names another. Through
the real grader and the shipped sentence model, quoting both rounds."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story

ASK = "Tell me about a time you went beyond your role."
ROLE = "I volunteer two evenings a week at a food bank in Leeds."


def test_a_quality_reworded_in_a_spoken_retelling_is_no_change() -> None:
    round_one = round_one_story(
        ROLE,
        "I started a cooking session on Thursdays because a lot of our visitors could not cook a quick "
        "meal from what was in the parcel.",
    )
    answer = (
        "so the cooking session. a lot of our visitors, they couldn't cook even a simple meal from what "
        "was in the parcel, so i started the session on thursdays."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_another_dish_in_the_same_clause_is_still_a_change() -> None:
    round_one = round_one_story(
        ROLE,
        "I started a cooking session on Thursdays and showed our visitors how to cook a lentil stew from "
        "what was in the parcel.",
    )
    answer = (
        "so the cooking session on thursdays, i showed our visitors how to cook a bean stew from what was "
        "in the parcel."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(
        g,
        ("contradiction", "other"),
        then="a lentil stew",
        now="a bean stew",
        round_one=round_one,
        answer=answer,
    )


def test_a_starting_point_denied_and_the_ending_told_is_no_swap() -> None:
    round_one = round_one_story(
        ROLE,
        "I started a cooking session on Thursdays because most of our visitors could not cook a proper "
        "meal from what was in the parcel.",
    )
    answer = (
        "so i started a cooking session on thursdays for our visitors. i showed them three recipes from "
        "the parcel, and by christmas most of them could cook a hot meal from what was in the parcel."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


DESK = round_one_story(
    "I work on the front desk of a dental practice in Leeds.",
    "We were getting about sixty appointment requests a day by email and the inbox was a mess. I set up a "
    "shared booking form on the website and wrote a short guide for the team. After a month nobody was "
    "waiting more than a day for a reply.",
)


def test_a_short_guide_told_as_a_little_guide_is_no_change() -> None:
    """ "little" says its "more" in another word ("less"): it is a quality as much as "short" is."""
    answer = (
        "so the dental practice, front desk. the inbox had about sixty booking emails coming in every day. "
        "i put a booking form on the website and wrote a little guide for the others. a month later "
        "nobody waited more than a day for an answer."
    )
    g = grade("Tell me about a process you improved.", answer, round_one=DESK)
    assert problems(g) == [], g.consistency.findings


BID = round_one_story(
    "I'm a bid manager at a facilities company.",
    "I ran the bid team for the council cleaning contract. I visited all four sites and counted the "
    "footfall in the peak hours, then priced the night shifts from that. We won it, about 1.2 million "
    "over three years.",
)


def test_peak_hours_told_as_the_busiest_hours_is_no_change() -> None:
    """A superlative against a word that names nothing says which hours again, however far apart the
    sentence model reads "peak" and "busiest"."""
    answer = (
        "so the council cleaning contract. i ran the bid, went round all four sites and counted the "
        "footfall in the busiest hours, then priced the night shifts off that. we won it, about 1.2 "
        "million over three years."
    )
    g = grade("Tell me about a time you used data to win work.", answer, round_one=BID)
    assert problems(g) == [], g.consistency.findings


def test_a_quality_against_a_named_place_is_still_read_as_a_swap() -> None:
    """The same frame with a place named in it: a name is never read as a quality."""
    round_one = round_one_story(
        "I'm a bid manager at a facilities company.",
        "I ran the bid for the council cleaning contract and counted the footfall at the Leeds sites before "
        "I priced the night shifts.",
    )
    answer = (
        "I ran the bid for the council cleaning contract and counted the footfall at the Bradford sites "
        "before I priced the night shifts."
    )
    g = grade("Tell me about a time you used data to win work.", answer, round_one=round_one)
    assert_change(
        g, ("contradiction", "other"), then="Leeds", now="Bradford", round_one=round_one, answer=answer
    )
