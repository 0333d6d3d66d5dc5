"""The task told the way people tell it: handed over by someone above them in a learner's English ("my boss
say to me: ..."), held in the present or the perfect ("I'm leading the renewal", "I have led the move"),
or spoken as the one in charge ("as night-shift lead, I ..."). The label guides count each as the task (a
listener can say what the candidate owned). A story that never says what was theirs still states none.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from grading_support import grade, rubrics

from simulator.grading.rubric import _bounded_end

TOLD = {
    "a boss's words, non-native": (
        "Tell me about a time you solved a difficult problem.",
        "In our bakery in Lyon the big oven stop two or three times a week in the morning. My boss say to me: "
        "please find why before the Christmas orders. I read the error log every day for one week and I see "
        "it stops always when the dough mixer starts. I call the electrician and he moves the mixer to another "
        "circuit. After this the oven don't stop one time in December.",
        "My boss say to me",
    ),
    "asked by the CFO, non-native": (
        "Tell me about a time you made a process faster.",
        "In my company in Lagos the supplier payments take three weeks, and suppliers are angry. The CFO ask "
        "me to make it shorter. I make one approval form instead of four emails, and I agree with the bank a "
        "payment run every Tuesday. Now we pay in eight days.",
        "The CFO ask me to make it shorter",
    ),
    "held in the present": (
        "Tell me about a negotiation.",
        "I'm leading the renewal of our security contract for six warehouses. The supplier wants nine percent "
        "more. I collect two other quotes, I show them their own missed patrols from our logs, and I offer a "
        "two-year term. They accept three percent.",
        "I'm leading the renewal",
    ),
    "held in the perfect": (
        "Tell me about a change you drove.",
        "I have led the move of our payroll from spreadsheets to a proper system in my current company. I "
        "have mapped every pay rule with HR, I have run two months in parallel and I have trained the four "
        "payroll clerks. The first live month had zero correction runs.",
        "I have led the move of our payroll",
    ),
    "as the one in charge, no article": (
        "Tell me about a time you improved a process.",
        "Agency nurses on our ward were starting shifts without knowing the patients. As night-shift lead, I "
        "wrote a one-page handover sheet per bay and walked every agency nurse through it at the start. "
        "In the next audit, missed medication doses on nights went from nine to two.",
        "As night-shift lead, I wrote",
    ),
    "looked after, a duty list": (
        "What does your current role involve?",
        "so in my job i look after the accounts payable for four hotels in the group. i do the supplier "
        "runs twice a week, the month-end accruals and the vendor queries. it's busy but i'm organised.",
        "i look after the accounts payable",
    ),
    "my account, spoken": (
        "Tell me about a deal you're proud of.",
        "so the big one was the council contract, it was my account, and they were about to go back out to "
        "tender. i got their fleet manager to a site visit, i rebuilt the pricing around their mileage and "
        "i signed it, one point one million over three years.",
        "it was my account",
    ),
    "asked in the perfect, as the story opens": (
        "Tell me about a problem you are working on.",
        "I have been asked by my director to find out why our returns take nine days. I map every step with "
        "the warehouse team, I see that the refunds wait for a weekly batch, and I set the batch to run "
        "daily. Now returns take four days.",
        "I have been asked by my director",
    ),
}


@pytest.mark.parametrize(("question", "answer", "said"), list(TOLD.values()), ids=list(TOLD))
def test_the_task_told_in_these_forms_is_found_and_quoted(question: str, answer: str, said: str) -> None:
    g = grade(question, answer)
    assert g.star["task"].score >= rubrics().star.present_at, g.star["task"]
    assert any(said in quote for quote in g.star["task"].evidence), g.star["task"].evidence


def test_a_scene_that_also_names_the_task_is_still_the_scene() -> None:
    # "I organise the party" makes the clause the task too; the heads still read it as the scene.
    g = grade(
        "Tell me about an event you organised.",
        "At the language school in Porto I organise the summer party for 150 students. I book a boat on the "
        "river, I find a band and I sell the tickets online. We sell all the tickets in four days.",
    )
    assert g.star["situation"].score >= rubrics().star.present_at, g.star["situation"]
    assert g.star["task"].score >= rubrics().star.present_at, g.star["task"]


def test_a_boss_who_only_appears_in_the_story_hands_over_no_task() -> None:
    g = grade(
        "Tell me about a time you worked in a team.",
        "Our clinic's waiting times were over an hour. We moved the blood tests to the morning, we added a "
        "second triage desk and we sent text reminders. My manager was pleased. Within two months the wait "
        "was under twenty minutes.",
    )
    assert g.star["task"].score < rubrics().star.present_at, g.star["task"]
    assert g.star["task"].evidence == []


def test_being_asked_for_more_at_the_end_is_where_the_story_led_not_its_task() -> None:
    g = grade(
        "Tell me about a time you improved something for customers.",
        "Our bakery's queue at lunch went out of the door, and people left without buying. We set up a "
        "second till for drinks only and we put the sandwiches in a grab fridge. The queue halved. And "
        "I've been asked to look at the other two shops as well.",
    )
    assert g.star["task"].score < rubrics().star.present_at, g.star["task"]
    assert not any("been asked" in quote for quote in g.star["task"].evidence), g.star["task"].evidence


def _last_alternatives(pattern: str) -> list[str]:
    """The alternatives of the group that closes a pattern ("... (?:a |b)" -> ["a ", "b"])."""
    if not pattern.endswith(")"):
        return []
    depth = 0
    for at in range(len(pattern) - 1, -1, -1):
        if pattern[at] == ")" and pattern[at - 1 : at] != "\\":
            depth += 1
        elif pattern[at] == "(" and pattern[at - 1 : at] != "\\":
            depth -= 1
            if depth == 0:
                break
    if pattern[at + 1 : at + 3] in ("?!", "?=", "?<"):
        return []  # a lookaround: nothing is matched there
    body = re.sub(r"^\?:", "", pattern[at + 1 : -1])
    alternatives, level, current = [], 0, ""
    for ch in body:
        level += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and level == 0:
            alternatives.append(current)
            current = ""
        else:
            current += ch
    return [*alternatives, current]


def test_no_part_cue_ends_in_an_alternative_that_can_never_match() -> None:
    # A pattern is closed by a word-end check; an alternative that ends in a space there ("(?:that |to )")
    # must be followed by a non-word, which a space-then-word never is: "ask me to" went unread for months.
    dead = [
        pattern
        for part in rubrics().star.parts.values()
        for group in part.all_cues
        for pattern in group.patterns
        if _bounded_end(pattern) and any(a.endswith(" ") for a in _last_alternatives(pattern))
    ]
    assert dead == []


SPOKEN_TEAM = (
    "so, at the clinic we had really long waits for physio after covid, like eight weeks. and so we, the "
    "outpatient team, we started group classes, we did phone triage, we brought in a self-referral form. i "
    "was, i was part of that team, i ran some of the classes. and the wait went down to about three weeks "
    "by the spring."
)


def test_a_task_the_rules_read_outright_is_stated_whatever_the_heads_read() -> None:
    # The heads read "i was part of that team" as one of the team's actions; the blend left it at 0.499.
    question = "Tell me about a time you worked in a team."
    g = grade(question, SPOKEN_TEAM)
    assert g.star["task"].score >= rubrics().star.present_at, g.star["task"]
    assert any("part of that team" in quote for quote in g.star["task"].evidence), g.star["task"].evidence
    star = rubrics().star
    flags = star.meaning_flags.model_copy(update={"task_said_outright": 2.0})
    without = replace(rubrics(), star=star.model_copy(update={"meaning_flags": flags}))
    assert grade(question, SPOKEN_TEAM, with_rubrics=without).star["task"].score < star.present_at
