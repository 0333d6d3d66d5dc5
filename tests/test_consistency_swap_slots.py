"""Where a swap is read (word_swap.py, consistency.yaml named slots), through the real grader: a place
after "near", a product line after "our", a site named by its town."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story

ASK = "Tell me about a time you solved a technical problem in difficult conditions."
FARM = round_one_story(
    "I'm an electrical engineer.",
    "In 2022 my company sent me to a wind farm in Chile, near Antofagasta, for commissioning. I was "
    "responsible for the 30 turbine transformers.",
)


def test_another_town_after_near_is_a_change() -> None:
    answer = (
        "so, in 2022 i was at a wind farm near calama, for the commissioning. i am responsible for the "
        "turbine transformers, thirty of them."
    )
    g = grade(ASK, answer, round_one=FARM)
    assert_change(g, ("contradiction", "other"), then="Antofagasta", now="calama", alone=True)


def test_the_same_town_after_near_is_no_change() -> None:
    answer = (
        "so, in 2022 i was at a wind farm near antofagasta, for the commissioning. i am responsible for "
        "the turbine transformers, thirty of them."
    )
    g = grade(ASK, answer, round_one=FARM)
    assert problems(g) == [], g.consistency.findings


BAKERY = round_one_story(
    "I'm a sales manager for a bakery wholesaler.",
    "For our sourdough line, cafes ordered by email and we made a lot of mistakes. I set up an online "
    "order form linked to the bake plan, and wrong orders fell by two thirds.",
)


def test_another_product_line_after_our_is_a_change() -> None:
    answer = (
        "At the wholesaler, cafes ordered our croissant line by email and we kept getting it wrong. I set "
        "up an online order form linked to the bake plan, and wrong orders fell by two thirds."
    )
    g = grade("Tell me about a process you fixed.", answer, round_one=BAKERY)
    assert_change(g, ("contradiction", "other"), then="sourdough", now="croissant", alone=True)


def test_the_same_product_line_after_our_is_no_change() -> None:
    answer = (
        "At the wholesaler, cafes ordered our sourdough line by email and we kept getting it wrong. I set "
        "up an online order form linked to the bake plan, and wrong orders fell by two thirds."
    )
    g = grade("Tell me about a process you fixed.", answer, round_one=BAKERY)
    assert problems(g) == [], g.consistency.findings


def test_a_site_named_by_another_town_is_a_change() -> None:
    round_one = round_one_story(
        "I'm a retail manager.",
        "I was assistant manager for a new store opening in Bristol. I hired 12 of the 18 staff and set "
        "up the stockroom.",
    )
    answer = (
        "When we opened our Cardiff store, I did most of the hiring, twelve of the eighteen staff, and I "
        "set up the stockroom so new people could find things on day one."
    )
    g = grade("Tell me about something you set up from scratch.", answer, round_one=round_one)
    assert_change(g, ("contradiction", "other"), then="Bristol", now="Cardiff", alone=True)


def test_the_same_site_named_another_way_is_no_change() -> None:
    round_one = round_one_story(
        "I'm a retail manager.",
        "I was assistant manager for a new store opening in Bristol. I hired 12 of the 18 staff and set "
        "up the stockroom.",
    )
    answer = (
        "When we opened our Bristol store, I did most of the hiring, twelve of the eighteen staff, and I "
        "set up the stockroom so new people could find things on day one."
    )
    g = grade("Tell me about something you set up from scratch.", answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings
