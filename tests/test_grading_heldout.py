"""The held-out measurement: items in the tests/heldout format are counted the way bench/grading.py prints."""

from __future__ import annotations

from grading_support import rubrics

from simulator.grading.evaluation import evaluate_heldout

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


def test_held_out_items_are_measured_like_the_dev_set() -> None:
    report = evaluate_heldout(ITEMS, rubrics())
    assert report.star.rows == 2 and report.star.ungradable_accuracy == 1.0
    assert report.star.components["result"].tp == 1 and report.star.component_f1 == 1.0
    assert report.kinds == 2 and report.kind_inferred == 2
    assert report.pairs == 2 and report.changed_pairs == 1 and report.clean_pairs == 1
    assert report.labelled["team_size"] == 1 and report.found["team_size"] == 1 and report.recall == 1.0
    assert report.false_flag_rate == 0.0, report.misses
