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


def test_a_team_story_told_in_the_present_or_spoken_with_we_is_we_not_i() -> None:
    # Non-native present tense and a spoken lower-case "we": the actor head read both as the candidate.
    present = (
        "yes, so in my organisation, a small charity in kampala, we have a budget for the school meals and "
        "the price of maize go up almost double. we discuss it in the team and we decide to buy from the "
        "farmers directly, we make a contract for the whole term. also we ask the parents to help with the "
        "cooking. in the end the meals continue every day and the budget was enough."
    )
    g = grade("Tell me about a time you had to manage a tight budget.", present)
    assert "we_not_i" in g.flags
    assert any("says what the team did" in point and "we " in point for point in g.feedback)
    spoken = (
        "um, so at the depot the night shift kept missing the loading slots. so we'd sit down every friday "
        "and we'd go through the gate logs, and then we'd move the slow loads to the start of the shift. "
        "and, you know, we'd check it again the next week. the missed slots went down to maybe one a week."
    )
    assert "we_not_i" in grade(TEAM_QUESTION, spoken).flags


def test_the_same_present_tense_story_with_the_candidates_own_steps_is_not_we_not_i() -> None:
    answer = (
        "yes, so in my organisation, a small charity in kampala, we have a budget for the school meals and "
        "the price of maize go up almost double. i call the farmers one by one and i make a contract with "
        "three of them for the whole term. also i ask the parents to help with the cooking, and we agree a "
        "rota. in the end the meals continue every day and the budget was enough."
    )
    assert "we_not_i" not in grade("Tell me about a time you had to manage a tight budget.", answer).flags
