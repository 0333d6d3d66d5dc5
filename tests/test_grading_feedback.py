"""Feedback points tied to quotes, and the outline of a stronger version of the same story."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from grading_support import grade, quotes_in, rubrics, star_rows

from simulator.catalog import ROOT, load_rubrics
from simulator.grading.evaluation import star_request
from simulator.grading.grader import grade_answer

STRONG = (
    "In 2022 our warehouse was spending around £40k a month on overtime because picking was bunched into the "
    "afternoon. I was the operations supervisor and my target was to cut overtime by a quarter. I "
    "analysed six "
    "months of order timestamps and saw that most orders arrived before 11am. I changed the release to three "
    "waves a day and retrained the shift leads. Overtime fell to about £24k a month within a quarter."
)
NO_RESULT = (
    "Last spring I was supporting three product teams at once as their only data analyst, and each "
    "had a launch "
    "in the same month. I set up a shared request board and I asked each lead to rank their asks."
)


def test_points_are_few_short_and_each_quotes_the_answer() -> None:
    for row in star_rows():
        g = grade_answer(star_request(row), rubrics())
        if g.status != "graded":
            continue
        assert 2 <= len(g.feedback) <= 5, (row["id"], g.feedback)
        for point in g.feedback:
            quoted = quotes_in(point)
            assert quoted, (row["id"], point)
            # Each quote is the candidate's own words (or, for consistency points, round one's).
            assert any(q in row["answer"] for q in quoted), (row["id"], point)


def test_a_concrete_result_is_named_as_such() -> None:
    g = grade("Tell me about a time you reduced costs.", STRONG)
    result_point = next(p for p in g.feedback if p.startswith("Your result"))
    assert "Overtime fell to about £24k a month within a quarter" in result_point


def test_a_missing_result_is_pointed_at_and_left_blank_in_the_outline() -> None:
    g = grade("Tell me about a time you had to prioritise.", NO_RESULT)
    assert any("The story stops at" in p and "rank their asks" in p for p in g.feedback)
    assert g.outline[-1] == "Result: " + rubrics().star.feedback.outline_missing["result"]


def test_the_outline_restructures_the_answers_own_facts() -> None:
    g = grade("Tell me about a time you reduced costs.", STRONG)
    labels = [line.split(":", 1)[0] for line in g.outline]
    assert labels == ["Situation", "Task", "Action", "Result"]
    answer_words = set(re.findall(r"[\w£']+", STRONG.lower()))
    for line in g.outline:
        body = line.split(":", 1)[1]
        assert "[add" not in body  # nothing missing in a complete story
        assert set(re.findall(r"[\w£']+", body.lower())) <= answer_words, line  # no invented facts
    assert "£24k" in g.outline[3] and "three waves a day" in g.outline[2]


def test_the_outline_of_a_spoken_answer_drops_the_fillers() -> None:
    g = grade(
        "Tell me about a stakeholder.",
        "um so uh I was, uh, working with, um, this stakeholder from finance, and um, like, she wanted the "
        "report, like, every week, um, and I, uh, I set up, like, an automated email, so she got it every "
        "Monday, and, uh, she was, like, really happy with it.",
    )
    text = " ".join(g.outline)
    assert " um" not in text and " uh" not in text and "like," not in text
    assert "I set up an automated email" in text


def test_a_we_story_is_asked_for_the_candidates_part() -> None:
    g = grade(
        "Tell me about a project you're proud of.",
        "The app redesign at my last job. We rebuilt the onboarding flow, we ran user interviews, we built "
        "prototypes and we tested them with customers. We shipped it in the spring and signups went up 20%.",
    )
    point = next(p for p in g.feedback if "say 'I'" in p)
    assert "we rebuilt the onboarding flow" in point.lower()


def test_a_case_answer_gets_a_reasoning_outline() -> None:
    g = grade(
        "How would you design a URL shortener?",
        "I'd first ask how many links a day we expect. I'd store short codes in a key-value store. "
        "I'd recommend "
        "random seven-character codes.",
    )
    labels = [line.split(":", 1)[0] for line in g.outline]
    assert labels[:4] == ["Clarify", "Approach", "Trade-offs", "Recommendation"]
    assert "[add: the other option and what each one costs]" in g.outline[2]
    assert any("No trade-off is weighed" in p for p in g.feedback)


def test_a_contradiction_with_round_one_is_fed_back_with_both_quotes() -> None:
    g = grade(
        "Tell me about a project.",
        "I led the billing rebuild with a team of twelve, and billing errors fell by 40%.",
        round_one=[
            (
                "Tell me about leadership.",
                "I led the billing rebuild with a team of five, and billing errors fell by 40%.",
            )
        ],
    )
    point = next(p for p in g.feedback if p.startswith("In round one"))
    assert "a team of five" in point and "a team of twelve" in point


def test_feedback_wording_is_data(tmp_path: Path) -> None:
    folder = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", folder)
    path = folder / "star.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["feedback"]["templates"]["result_concrete"] = "Strong ending: '{quote}'."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    g = grade("Tell me about a time you reduced costs.", STRONG, with_rubrics=load_rubrics(folder))
    assert "Strong ending: 'Overtime fell to about £24k a month within a quarter'." in g.feedback


def test_the_outline_result_is_the_strongest_result_not_the_last_sentence() -> None:
    answer = (
        "Last spring our web shop's checkout was failing for about one order in twenty. I was the only "
        "developer, so fixing it was my job. I traced the failures to a payment timeout, moved the call "
        "to a background job and added a retry. In the end failed checkouts went from 5% to under 0.5%, "
        "and refunds fell by half. It also made the code easier to test, which the next developer "
        "appreciated."
    )
    g = grade("Tell me about a bug you fixed.", answer)
    result_line = next(line for line in g.outline if line.startswith("Result:"))
    assert "failed checkouts went from 5% to under 0.5%" in result_line
    assert "easier to test" not in result_line
