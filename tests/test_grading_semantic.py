"""The grader reads stories by meaning: real answers, typed, spoken and non-native, with the quotes
it shows checked against what a coach would point at."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.catalog import load_rubrics
from simulator.engines.base import GradeRequest
from simulator.grading.grader import grade_answer
from simulator.grading.semantic import (
    ACTORS,
    CLAUSE_PARTS,
    FEATURE_NAMES,
    HashEmbedder,
    Head,
    Heads,
    Meaning,
    clause_features,
    default_meaning,
    shipped_heads,
)
from simulator.grading.text import analyse

RUBRICS = load_rubrics()

DELIVERY = (
    "In 2022 our on-time delivery rate dropped to 87 percent after a carrier change. I was asked to find "
    "out why within two weeks. I joined the carrier scan data with our route plans in SQL and found that "
    "two depots were scanning parcels late. I set up a daily report for the depot leads and agreed a new "
    "cut-off time with the carrier. Within a month on-time delivery was back to 94 percent."
)
NON_NATIVE = (
    "In my last company the monthly closing take always nine days, it is too long for the management. "
    "My manager ask me to make it shorter. I map every step of the closing with the team and I see that "
    "the bank reconciliation is waiting the whole week. I prepare an automatic import of the bank files "
    "and I move the reconciliation to daily. After three months the closing take five days only."
)
PRESENT_PERFECT = (
    "Our support queue has grown to four hundred open tickets and customers are waiting a week. I have been "
    "asked to bring it down before the renewal season. I have prepared a triage guide, I have presented it "
    "to the team and I have set up a rota so two people only do first replies. Now the queue is under fifty "
    "tickets and the first reply takes less than a day."
)
NO_RESULT = (
    "So at the agency we had a client who was unhappy with the campaign reporting. I was the account "
    "executive on it. I sat down with their marketing lead, I rebuilt the weekly report around the three "
    "numbers they cared about, and I set up a fortnightly call to go through it together."
)
COURSE_ENDING = (
    "I was the only analyst on the pricing project and honestly I didn't know much about pricing. I read "
    "what the previous analyst had left and I built a first model of price elasticity in Excel. After the "
    "project I took an online course on pricing strategy, which taught me a lot."
)
HYPOTHETICAL = (
    "If a stakeholder disagreed with my analysis I would first try to understand their concerns. I would "
    "set up a meeting and walk them through the data, and I would probably involve my manager if we could "
    "not agree. I think communication is really key in these situations."
)


def grade(answer: str, question: str = "Tell me about a time you solved a problem at work."):
    return grade_answer(GradeRequest(question=question, answer=answer), RUBRICS)


def test_the_shipped_meaning_has_trained_heads_and_the_bundled_sentence_model() -> None:
    heads = shipped_heads()
    # Clause vectors were measured and left out of the clause heads (bench figures in docs/MEASURED.md): they
    # cost ~40 ms a clause for no gain in ranking. The model still aligns round-one facts by meaning.
    assert heads is not None and not heads.uses_embeddings
    meaning = default_meaning()
    assert meaning is not None and meaning.embedder is not None
    vectors = meaning.embed(["I cut the queue by half.", "I cut the queue by half."])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert grade(DELIVERY).grader.model == f"rules+{meaning.name}"


def test_a_clean_story_has_each_part_quoted_where_it_is_told() -> None:
    result = grade(DELIVERY)
    assert result.status == "graded" and result.overall is not None and result.overall >= 4
    assert result.star["situation"].evidence[0].startswith("In 2022 our on-time delivery rate dropped")
    assert result.star["task"].evidence[0] == "I was asked to find out why within two weeks"
    assert result.star["result"].evidence[0] == "Within a month on-time delivery was back to 94 percent"
    # The scene is not the result, and the result is not an action.
    assert not any("87 percent" in q for q in result.star["result"].evidence)
    assert all("94 percent" not in q for q in result.star["action"].evidence)
    assert "no_result" not in result.flags


@pytest.mark.parametrize("answer", [NON_NATIVE, PRESENT_PERFECT], ids=["present-tense", "present-perfect"])
def test_a_story_told_in_the_present_is_read_for_what_it_says(answer: str) -> None:
    result = grade(answer)
    assert result.overall is not None and result.overall >= 3
    assert result.star["action"].score >= 0.5 and result.star["result"].score >= 0.5
    actions = " ".join(result.star["action"].evidence)
    assert "I prepare" in actions or "I have prepared" in actions
    assert "no_result" not in result.flags and "we_not_i" not in result.flags
    assert not any("unclear what you personally did" in point for point in result.feedback)


def test_a_story_that_stops_after_the_action_gets_no_result() -> None:
    result = grade(NO_RESULT)
    assert "no_result" in result.flags
    assert result.overall is not None and result.overall <= 3
    assert result.overall < grade(DELIVERY).overall  # type: ignore[operator]


def test_a_course_taken_is_not_the_result_and_not_knowing_is_not_an_action() -> None:
    result = grade(COURSE_ENDING)
    assert result.star["result"].score < 0.5
    assert "no_result" in result.flags
    assert not any("didn't know much about pricing" in q for q in result.star["action"].evidence)


def test_an_answer_about_what_one_would_do_is_hypothetical_and_scores_low() -> None:
    result = grade(HYPOTHETICAL)
    assert "hypothetical" in result.flags
    assert result.overall is not None and result.overall <= 2


def test_spoken_fillers_cost_nothing() -> None:
    spoken = (
        "um so in 2022, uh, our on-time delivery rate, like, dropped to 87 percent after a carrier change. "
        "I was asked to, you know, find out why within two weeks. so I joined the carrier scan data with our "
        "route plans in SQL and, um, found that two depots were scanning parcels late. I set up a daily "
        "report for the depot leads and, uh, agreed a new cut-off time with the carrier. and within a month "
        "on-time delivery was back to 94 percent."
    )
    assert grade(spoken).overall == grade(DELIVERY).overall


def test_every_quote_is_verbatim() -> None:
    for answer in (DELIVERY, NON_NATIVE, PRESENT_PERFECT, NO_RESULT, COURSE_ENDING):
        for part in grade(answer).star.values():
            for quote in part.evidence:
                assert quote in answer


# ---------------------------------------------------------------- the seam, with a fake


def _fake_heads(dim: int) -> Heads:
    """Heads that call a clause a result when it has a figure, else an action by the candidate."""
    features = len(FEATURE_NAMES) + dim
    part = np.zeros((features, len(CLAUSE_PARTS)), dtype=np.float32)
    part[FEATURE_NAMES.index("has_number"), CLAUSE_PARTS.index("result")] = 8.0
    bias = np.zeros(len(CLAUSE_PARTS), dtype=np.float32)
    bias[CLAUSE_PARTS.index("action")] = 2.0
    actor = np.zeros((features, len(ACTORS)), dtype=np.float32)
    actor_bias = np.array([3.0, 0, 0, 0], dtype=np.float32)
    mean, scale = np.zeros(features, dtype=np.float32), np.ones(features, dtype=np.float32)
    heads = {
        "part": Head(CLAUSE_PARTS, part, bias, mean, scale),
        "actor": Head(ACTORS, actor, actor_bias, mean, scale),
        "hypothetical": Head(
            ("hypothetical",), np.zeros((features, 1), np.float32), np.array([-5.0], np.float32), mean, scale
        ),
    }
    answer = {"presence.result.max": 10.0, "presence.result.bias": -5.0, "overall.bias": 3.0}
    answer |= {f"overall.cut{k}": float(k) + 0.5 for k in range(1, 5)}
    return Heads("test", "hash", True, heads, answer)


def test_the_grader_takes_whatever_meaning_it_is_given() -> None:
    embedder = HashEmbedder()
    meaning = Meaning(embedder, _fake_heads(embedder.dim))
    result = grade_answer(
        GradeRequest(question="Tell me about a time.", answer=DELIVERY), RUBRICS, meaning=meaning
    )
    assert result.grader.model == "rules+semantic@test+hash"
    assert result.overall == 3  # the fake's calibrated value, 3.0, sits between cut 2 and cut 3
    assert result.star["result"].score >= 0.5
    # Every clause with a figure is a result to this fake; the story's last one is quoted first.
    assert "94 percent" in result.star["result"].evidence[0]
    assert "no_result" not in result.flags


def test_rules_alone_remain_available() -> None:
    result = grade_answer(
        GradeRequest(question="Tell me about a time.", answer=DELIVERY), RUBRICS, use_meaning=False
    )
    assert result.grader.model == "rules"
    assert result.overall is not None


def test_clause_features_have_one_row_per_clause_and_named_columns() -> None:
    text = analyse(NON_NATIVE, RUBRICS.star)
    features = clause_features(text, RUBRICS.star)
    assert features.shape == (len(text.clauses), len(FEATURE_NAMES))
    assert features[-1, FEATURE_NAMES.index("is_last")] == 1.0
    assert features[-1, FEATURE_NAMES.index("has_number")] == 1.0


def test_the_hash_embedder_is_deterministic_and_normalised() -> None:
    a = HashEmbedder().embed(["the queue fell to fifty", "the queue fell to fifty", ""])
    assert np.allclose(a[0], a[1]) and np.isclose(np.linalg.norm(a[0]), 1.0)
    assert not a[2].any()


@pytest.mark.parametrize(
    "answer",
    [
        # A named role, told in the present: the listener knows what was the candidate's to handle.
        "It's the night before the school trip and I'm the teacher in charge of the coach booking. The coach "
        "company rings at nine to say our driver is ill. I call two other firms from the list the office keeps, "
        "book a replacement for seven the next morning and text every parent the new pick-up time. We leave "
        "at twenty past seven and arrive at the museum on time.",
        # Non-native: the task given, in the words the candidate has.
        "In my job in the bakery the owner say me that the bread waste is too much and I must reduce it before "
        "summer. I count every evening for three weeks what bread is left. I see that on Monday we make too "
        "much, so I change the Monday plan and I make smaller batches in the afternoon. After two months the "
        "waste is half of before.",
    ],
    ids=["present-tense-role", "non-native-task"],
)
def test_the_task_is_found_in_a_named_role_and_in_non_native_forms(answer: str) -> None:
    result = grade(answer)
    assert result.star["task"].score >= 0.5, result.star["task"]
    assert result.star["result"].score >= 0.5
    assert "no_result" not in result.flags


@pytest.mark.parametrize(
    "ending",
    [
        "The director approved my proposal at the end of the meeting.",
        # The rules' praise cue ('said it was really ...') counts this as a result; the ending's meaning
        # (ending.py) does not.
        "Everybody said it was really nice and they enjoyed it a lot.",
        "I learned that I should always check the numbers before I present them.",
    ],
    ids=["an-approval", "it-went-well", "a-lesson"],
)
def test_an_ending_that_is_not_an_outcome_is_no_result(ending: str) -> None:
    story = (
        "Our office still booked meeting rooms on a paper sheet by reception, and rooms were double-booked "
        "most weeks. I was asked to find a better way. I surveyed the staff about how they booked, compared "
        "three booking tools and set up a trial of the cheapest one on two floors. "
    )
    result = grade(story + ending)
    assert "no_result" in result.flags, ending
    assert result.star["result"].score < 0.5
