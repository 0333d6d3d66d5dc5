"""Items in the tests/heldout format (as bench/quality.py reads them) grade as they are labelled."""

from __future__ import annotations

from grading_support import rubrics

from simulator.grading.evaluation import pair_request, star_request
from simulator.grading.grader import grade_answer
from simulator.grading.kinds import infer_kind

ROUND_ONE = [
    {
        "question": "Tell me about a project you led.",
        "answer": "I led the move of our customer records into a new CRM. There were five of us on the project, "
        "it took about four months, and we finished slightly under budget.",
    }
]
ITEMS = [
    {
        "type": "star",
        "id": "s1",
        "question": "Tell me about a time you improved a process.",
        "answer": "At the depot our trucks were waiting up to three hours to unload. My manager asked me to get "
        "that down before peak. I sorted arrivals by load type and moved one driver onto a fast lane. "
        "Average waiting time went from 2h40 to under an hour.",
        "style": "typed",
        "question_kind": "behavioural",
        "labels": {"situation": True, "task": True, "action": True, "result": True},
        "status": "graded",
        "flags": [],
    },
    {
        "type": "star",
        "id": "s2",
        "question": "Tell me about a time you handled a complaint.",
        "answer": "I don't know, sorry.",
        "style": "spoken",
        "question_kind": "behavioural",
        "labels": {"situation": False, "task": False, "action": False, "result": False},
        "status": "ungradable",
        "flags": [],
    },
    {
        "type": "pair",
        "id": "p1",
        "style": "spoken",
        "round_one": ROUND_ONE,
        "question": "You mentioned the CRM move. How did you keep everyone on track?",
        "answer": "yeah so there were twelve of us on it, so I did a short stand-up every morning, and it took "
        "about four months in the end.",
        "expected": [{"kind": "contradiction", "category": "team_size"}],
        "clean": False,
    },
    {
        "type": "pair",
        "id": "p2",
        "style": "typed",
        "round_one": ROUND_ONE,
        "question": "Tell me more about the CRM move.",
        "answer": "Five of us moved the customer records into the new CRM over about four months. I wrote the "
        "field mapping myself, and we came in a little under budget.",
        "expected": [{"kind": "elaboration", "category": "other"}],
        "clean": True,
    },
]


def test_held_out_items_grade_as_labelled() -> None:
    story, dont_know, changed, clean = ITEMS
    for item in (story, dont_know):
        assert infer_kind(item["question"], rubrics().star) == item["question_kind"]
    g = grade_answer(star_request(story), rubrics())
    assert g.status == "graded"
    assert all(g.star[part].score >= rubrics().star.present_at for part in story["labels"]), g.star
    assert grade_answer(star_request(dont_know), rubrics()).status == "ungradable"
    found = grade_answer(pair_request(changed), rubrics()).consistency.findings
    assert [f.category for f in found if f.kind in ("contradiction", "embellishment")] == ["team_size"], found
    found = grade_answer(pair_request(clean), rubrics()).consistency.findings
    assert [f for f in found if f.kind != "elaboration"] == [], found


def test_the_bench_says_what_false_findings_claim_and_never_which_pair(capsys) -> None:
    # A pair labelled a clean retelling that the grader finds changed (twelve against five): the bench
    # counts it as a false finding and says what it claims, by kind and category, without the pair's id.
    from bench import quality

    _, _, changed, clean = ITEMS
    mislabelled = changed | {"id": "secret-pair-id", "stratum": "clean_retelling", "expected": []}
    quality.pairs_report([mislabelled, clean | {"stratum": "elaboration"}], rubrics(), False, False)
    printed = capsys.readouterr().out
    assert "false problem findings on clean_retelling      1/1" in printed
    assert "false problem findings on elaboration          0/1" in printed
    assert "what they claim: embellishment/team_size 1" in printed  # a bigger team: embellished
    assert "secret-pair-id" not in printed
