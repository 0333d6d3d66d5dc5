"""Team sizes said by who the people are, spans said with a kind of unit, and the vocabulary of dates
and hedges read from consistency.yaml.

Sentences are read the way the consistency check reads them (claims.extract); whole round-one /
round-two pairs for these live in tests/data/consistency/quantity_pairs.yaml (q-t06 ... q-t08, q-q08,
q-q09, q-x03, q-d05), graded by tests/test_consistency_quantities.py.
"""

from __future__ import annotations

import pytest
from grading_support import claims_of, grade, rubrics

from simulator.grading.claims import extract
from simulator.grading.text import analyse

PROBLEMS = ("contradiction", "embellishment")


# ---------------------------------------------------------------- who the people are


@pytest.mark.parametrize(
    ("sentence", "size"),
    [
        ("There's just me and one other nurse on nights.", 2),  # a team noun said in the singular
        ("It was me and one editor.", 2),  # a job title names people
        ("I manage twelve customer success managers.", 12),  # two words say what kind of manager
        ("Honestly it's me and four CSMs.", 5),  # people named by their initials
        ("I work alongside two other social workers.", 3),  # "other": the candidate is one more
        ("On the extension there are six surveyors in the team.", 6),  # named by what they do
    ],
)
def test_a_team_is_counted_whatever_word_names_its_people(sentence: str, size: int) -> None:
    teams = claims_of(sentence, "team_size")
    assert [t.low for t in teams] == [size], [(t.said, t.low) for t in teams]


def test_people_counted_with_the_candidate_say_nothing_about_leading_them() -> None:
    (peers,) = claims_of("I work alongside two other social workers.", "team_size")
    (led,) = claims_of("I manage twelve customer success managers.", "team_size")
    assert peers.with_me and not led.with_me


def test_some_of_a_team_is_not_its_size() -> None:
    teams = claims_of("I run a team of seven, including two graduate analysts I hired.", "team_size")
    assert [t.low for t in teams] == [7]


@pytest.mark.parametrize(
    "sentence",
    [
        "I manage 40 suppliers in paint and decorating.",  # people, but not a team
        "We had three directors in the room for the pitch.",  # a job title, but no team phrasing
        "I had 12 hours with the engineers before the launch.",  # a span, then people
    ],
)
def test_counts_of_other_people_and_things_are_no_team(sentence: str) -> None:
    assert claims_of(sentence, "team_size") == []


def test_a_people_noun_with_a_bigger_team_in_round_two_is_an_embellishment() -> None:
    g = grade(
        "Tell me about a busy shift you handled.",
        "so on the ward at night we were, like, a team of six nurses, and I reorganised the drug round so "
        "the sickest patients got theirs first.",
        round_one=[
            (
                "Tell me about a night shift.",
                "At night on the ward it's just me and one other nurse. I reorganised the drug round so the "
                "sickest patients got theirs first.",
            )
        ],
    )
    found = [f for f in g.consistency.findings if f.kind in PROBLEMS]
    assert [(f.kind, f.category) for f in found] == [("embellishment", "team_size")]
    assert "me and one other nurse" in found[0].round_one_quote
    assert "a team of six nurses" in found[0].round_two_quote


def test_peers_in_round_one_do_not_hide_a_bigger_title_in_round_two() -> None:
    """ "me and two other analysts" is no team the candidate leads: "as the team lead" is a bigger role."""
    g = grade(
        "Tell me about the dashboard project.",
        "As the team lead on the dashboard project, I rebuilt the sales dashboard in Power BI and cut the "
        "refresh time from a day to an hour.",
        round_one=[
            (
                "Tell me about a project.",
                "I was an analyst on the dashboard project, working alongside two other analysts. I rebuilt "
                "the sales dashboard in Power BI and cut the refresh time from a day to an hour.",
            )
        ],
    )
    found = [(f.kind, f.category) for f in g.consistency.findings if f.kind in PROBLEMS]
    assert ("embellishment", "role") in found, found


# ---------------------------------------------------------------- spans with a kind of unit


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        ("The month-end pack took eight working days to build.", 8.0),
        ("We did the whole move over one long weekend.", 2.5),
        ("It took us two full weeks to clear it.", 14.0),
        ("I ran a six-week referral push.", 42.0),  # the number is no kind of week
    ],
)
def test_a_span_may_say_what_kind_of_unit_it_counts(sentence: str, days: float) -> None:
    spans = claims_of(sentence, "duration")
    assert [s.low for s in spans] == [days], [(s.said, s.low) for s in spans]


def test_days_of_some_hours_are_no_span_of_those_hours() -> None:
    assert [s.low for s in claims_of("For two weeks we worked 14 hour days.", "duration")] == [14.0]


# ---------------------------------------------------------------- vocabulary read from the rubric


def test_times_of_the_year_are_read_from_the_rubric() -> None:
    rubric = rubrics().consistency
    when = rubric.times_of_year.model_copy(
        update={"holidays": {**rubric.times_of_year.holidays, "diwali": 10.5}}
    )
    custom = rubric.model_copy(update={"times_of_year": when})
    text = analyse("Just before Diwali our orders doubled.", rubrics().star)
    dates = [c for c in extract(text, custom) if c.kind == "time_of_year"]
    assert [(d.low, d.top) for d in dates] == [(9.5, 10.5)]
    assert [c for c in extract(text, rubric) if c.kind == "time_of_year"] == []


def test_softeners_are_read_past_to_find_where_a_figure_sits() -> None:
    start, end = claims_of("Complaints went from close to 300 a month to roughly 40.", "number")
    assert (start.slot, end.slot, start.hedged, end.hedged) == ("from", "to", True, True)
