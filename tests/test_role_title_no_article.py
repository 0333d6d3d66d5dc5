"""A title said without an article ("I'm head chef", "I am deputy manager") is the candidate's title like
"I'm the head chef": retold as a lower one it is a smaller role. "I'm sure the manager agreed" names no
title of the candidate's. Through the real grader and the shipped model."""

from __future__ import annotations

from grading_support import assert_change, assert_no_change, grade, rubrics

from simulator.grading.claims import extract
from simulator.grading.text import analyse


def _titles(said: str) -> list[str]:
    text = analyse(said, rubrics().star)
    return [c.said for c in extract(text, rubrics().consistency) if c.category == "role"]


def test_a_title_without_an_article_is_the_candidates_title() -> None:
    assert _titles("I'm head chef at a small bistro in Porto.") == ["I'm head chef"]
    assert _titles("I am deputy manager of the Leith branch.") == ["I am deputy manager"]


def test_a_word_after_im_that_opens_no_title_names_none() -> None:
    assert _titles("I'm sure the manager agreed in the end.") == []
    assert _titles("I'm happy the director signed it off.") == []


def test_head_chef_retold_as_sous_chef_under_the_head_chef_is_a_smaller_role() -> None:
    round_one = [
        (
            "Tell me about your kitchen.",
            "I'm head chef at a 40-cover bistro in Porto. I plan the menu and run a brigade of five.",
        )
    ]
    answer = (
        "So the food cost problem, that was at the bistro in Porto. As sous chef I reported to the head chef, "
        "and I noticed we were binning a lot of the fish, so I started a daily count and we cut waste by "
        "about a fifth."
    )
    g = grade("Tell me about a time you reduced waste.", answer, round_one=round_one)
    assert_change(
        g,
        ("contradiction", "role"),
        then="I'm head chef",
        now="As sous chef",
        round_one=round_one,
        answer=answer,
    )


def test_head_chef_told_again_as_head_chef_is_no_change() -> None:
    round_one = [
        (
            "Tell me about your kitchen.",
            "I'm head chef at a 40-cover bistro in Porto. I plan the menu and run a brigade of five.",
        )
    ]
    answer = (
        "At the bistro in Porto, as the head chef, I noticed we were binning a lot of the fish, so I started "
        "a daily count with my brigade and we cut waste by about a fifth."
    )
    g = grade("Tell me about a time you reduced waste.", answer, round_one=round_one)
    assert_no_change(g, "role")
