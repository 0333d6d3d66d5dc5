"""The overall level ranks stories the way a coach does (issue 9): a result the candidate caused, their own
actions, specifics and concision count; speech fillers, a spoken "i" and grammar never cost points;
rambling, a list of duties and an ending that only sounds like an outcome do.

The level is a calibrated combination fitted by tools/train_grader.py on labelled answers
(`semantic.overall_level`): it reads the ending's verdict (the probability that the story states no real
outcome), how far past a rambling length the answer runs, the share told as routine duties and whose actions
they were. Each answer below is set against one plain story with a measured result."""

from __future__ import annotations

import pytest
from grading_support import grade

QUESTION = "Tell me about a time you improved a process at work."
MEASURED = (
    "Last spring our warehouse was shipping about one order in twenty with the wrong item, and returns were "
    "costing us around four thousand pounds a month. My manager asked me to find the cause. I pulled three "
    "months of pick records and saw that most errors came from two shelves where similar products sat side by "
    "side. I moved those products apart, added colour labels and changed the pick list to show a photo of each "
    "item. Within six weeks wrong-item shipments fell to one in a hundred and returns costs dropped by about "
    "three thousand pounds a month."
)
SPOKEN = (
    "so, um, last spring our warehouse was, uh, shipping about one order in twenty with the wrong item, and "
    "returns were costing us, like, around four thousand pounds a month. my manager asked me to find the cause. "
    "so i pulled, um, three months of pick records and i saw that most errors came from two shelves where "
    "similar products sat side by side. i moved those products apart, i added colour labels and, uh, i changed "
    "the pick list to show a photo of each item. and within six weeks wrong-item shipments fell to one in a "
    "hundred, and returns costs dropped by about, you know, three thousand pounds a month."
)
NON_NATIVE = (
    "Last spring in our warehouse one order from twenty is going out with wrong item, and the returns cost us "
    "around four thousand pounds a month. My manager ask me to find the reason. I take three months of pick "
    "records and I see most errors come from two shelves where similar products are side by side. I move these "
    "products apart, I put colour labels and I change the pick list so it show a photo of each item. After six "
    "weeks the wrong item shipments is one in hundred and the returns cost is down by about three thousand "
    "pounds a month."
)
PRAISED = (
    "Last spring our warehouse was shipping about one order in twenty with the wrong item, and returns were "
    "costing us around four thousand pounds a month. My manager asked me to find the cause. I pulled three "
    "months of pick records and saw that most errors came from two shelves where similar products sat side by "
    "side. I moved those products apart, added colour labels and changed the pick list to show a photo of each "
    "item. My manager said it was a great piece of work and mentioned it in the team meeting."
)
DUTIES = (
    "As warehouse supervisor I'm responsible for the daily pick and pack operation. Every morning I check the "
    "overnight orders and assign the pickers to their zones. I run a short briefing at the start of each shift "
    "and I review the error reports every week. I make sure the stock counts are accurate and I train new "
    "starters on the scanners. I also handle escalations from customer service when an order goes wrong, and I "
    "work closely with the transport team so the trucks leave on time."
)
RAMBLE = (
    "So this was at my previous company, a mid-sized logistics firm, and I had been there about three years, "
    "mostly in the warehouse but also helping the planning team, who had their own way of doing things and "
    "their own spreadsheets. Anyway, there was a period with a lot of picking errors, and everyone had a "
    "different theory about why, some people blamed the new starters, some blamed the scanners, and my manager "
    "at the time, a really good guy actually, he had come over from retail, asked a few of us to look into it. "
    "So I started looking at the shelves and talking to the pickers and to the planning team, and we had quite "
    "a few meetings about it, some of them went on for a long time because there were a lot of opinions in the "
    "room. I remember one meeting where we spent the whole hour on the colour of the labels. I also looked at how our sister site in Leeds did it, because they had a slightly different layout. "
    "We talked about labels and about photos on the pick lists and about moving some products around, and there "
    "was a lot of back and forth about the spreadsheets. In the end we put some changes in, people were "
    "generally positive about it, and it was a good learning experience for me in working across teams."
)


def _graded(answer: str):
    result = grade(QUESTION, answer)
    assert result.status == "graded" and result.overall is not None and result.structure is not None
    return result


def test_a_spoken_story_scores_at_least_as_its_typed_twin() -> None:
    # Told all in a spoken "i", with fillers: the actor head reads only a capital "I" as the candidate, so
    # the level scored it a point below its typed twin (4 against 5).
    spoken, typed = _graded(SPOKEN), _graded(MEASURED)
    assert spoken.overall >= typed.overall
    assert spoken.structure >= typed.structure - 0.02


def test_a_non_native_present_tense_story_scores_as_its_typed_twin() -> None:
    learner, typed = _graded(NON_NATIVE), _graded(MEASURED)
    assert learner.overall >= typed.overall
    assert learner.structure >= typed.structure - 0.02


def test_an_ending_that_only_praises_the_work_scores_below_a_measured_result() -> None:
    # The same story ending on the manager's praise instead of what changed scored 5, as its measured twin.
    praised, measured = _graded(PRAISED), _graded(MEASURED)
    assert praised.overall <= 3 < measured.overall


def test_a_fluent_list_of_duties_scores_below_a_plain_story_with_a_measured_result() -> None:
    duties, measured = _graded(DUTIES), _graded(MEASURED)
    assert duties.overall <= 2 and duties.overall < measured.overall


def test_a_long_ramble_with_no_result_scores_low() -> None:
    ramble = _graded(RAMBLE)
    assert 220 <= len(RAMBLE.split()) <= 240
    assert "rambling" in ramble.flags
    assert ramble.overall <= 3 and ramble.overall < _graded(MEASURED).overall


@pytest.mark.xfail(
    strict=True, reason="known miss: the level learned that stories under about 145 words are thin"
)
def test_a_short_complete_story_with_a_measured_result_scores_well() -> None:
    # Forty words with a scene, the candidate's task and steps, and a measured result: a coach gives it 5;
    # the level gives 3, because most stories that short in its training answers leave a part out.
    short = _graded(
        "Last spring our checkout failed for a tenth of users. I owned the fix. I traced it to a stale cache, "
        "rewrote the invalidation and added an alert. Failures fell from 10% to 0.2% within a week."
    )
    assert short.overall >= 4
