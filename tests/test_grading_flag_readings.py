"""we_not_i, hypothetical and habits in the wordings the v9-v11 tune sets showed: a story told by the team
with one passing "I", a "we" story in the present perfect, a habit said with "I always"."""

from __future__ import annotations

from grading_support import grade

TEAM_QUESTION = "Tell me about a time you had to meet a tight deadline."


def test_one_passing_i_among_the_team_actions_is_we_not_i() -> None:
    answer = (
        "In my second year at the agency we had ten days to produce a rebrand for a regional airport "
        "before their board meeting. We split into pairs. We ran two workshops with the airport staff, we "
        "built three logo routes, and we turned the chosen one into signage mock-ups. I remember I made a "
        "lot of the presentation slides. The board picked our second route and it's on the terminal now."
    )
    assert "we_not_i" in grade(TEAM_QUESTION, answer).flags


def test_a_team_story_where_the_candidate_says_what_they_did_is_not_we_not_i() -> None:
    answer = (
        "In my second year at the agency we had ten days to produce a rebrand for a regional airport. "
        "We split into pairs. I ran the two workshops with the airport staff, I sketched three logo routes "
        "overnight, and we turned the chosen one into signage mock-ups that I presented to the board. "
        "The board picked my second route and it's on the terminal now."
    )
    assert "we_not_i" not in grade(TEAM_QUESTION, answer).flags


def test_a_we_story_in_the_present_perfect_is_we_not_i() -> None:
    answer = (
        "In our lab we are developing a new assay for a blood marker and we have a problem with the "
        "calibration, the results are not stable between days. We have changed the buffer, we have tested "
        "three different lots of antibody and we have done a lot of repeats. Finally we found that the "
        "problem is the temperature of the room in the afternoon."
    )
    assert "we_not_i" in grade("Tell me about a difficult problem you worked on.", answer).flags


def test_a_habit_said_with_i_always_is_not_hypothetical() -> None:
    answer = (
        "um, okay. at my company we had a lot of change, three CEOs in four years. and for me personally "
        "i always try to lead by example, i'm first in, i help people if they're stuck, i'll stay late. "
        "and people from other teams come and ask me things. and you have to treat people differently, "
        "students and people who've been there twenty years."
    )
    flags = grade("Tell me about a time you showed leadership without formal authority.", answer).flags
    assert "hypothetical" not in flags


def test_would_always_in_a_hypothetical_answer_is_still_hypothetical() -> None:
    answer = (
        "If a colleague missed a deadline, I would always talk to them privately first. I would ask what "
        "got in the way, and I would agree a new date with them. I'd only go to the manager if it kept "
        "happening."
    )
    flags = grade("Tell me about a time a colleague let you down.", answer).flags
    assert "hypothetical" in flags
