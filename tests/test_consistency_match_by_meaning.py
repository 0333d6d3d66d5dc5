"""Which round-one story a spoken retelling in other words retells, when too few words are shared.

The whole answer is set against each round-one answer by meaning (consistency.match_by_meaning): the
closest is taken only when it clears a strict bar by a margin, so an answer about something else is
matched to nothing. Sentence vectors come from a scripted embedder here, so the bar and the margin are
what is tested; a real retelling is graded at the end with the shipped model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from grading_support import grade, problems, rubrics

from simulator.grading.consistency import match_by_meaning, stories
from simulator.grading.text import analyse
from simulator.models import QA, RoundOne

PACKAGING = (
    "Tell me about a cost saving you delivered.",
    "Our cardboard packaging contract was up for renewal, so I ran a tender with five suppliers instead "
    "of renewing. We switched to a supplier in Bradford and saved £84,000 a year.",
)
WEAKNESS = (
    "What's a weakness you're working on?",
    "I take on too much myself, so I delegate the Sunday sort.",
)
RETOLD = "the boxes thing, so rather than roll it over i put it out to a few firms and we moved."


class Scripted:
    """Vectors chosen per text: the cosine of the answer with each round-one answer is set directly."""

    def __init__(self, closeness: dict[str, float]):
        self.closeness = closeness

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = []
        for text in texts:
            c = self.closeness.get(text)
            # The answer is (1, 0); a round-one answer at cosine c is (c, sqrt(1 - c^2)).
            out.append([1.0, 0.0] if c is None else [c, float(np.sqrt(1 - c * c))])
        return np.asarray(out, dtype=np.float32)


def candidates(*answers: tuple[str, str]):
    return stories(
        RoundOne(answers=[QA(question=q, answer=a) for q, a in answers]),
        rubrics().star,
        rubrics().consistency,
    )


def matched(closeness: dict[str, float], *answers: tuple[str, str]) -> str | None:
    story = match_by_meaning(
        analyse(RETOLD, rubrics().star),
        candidates(*answers),
        Scripted(closeness).embed,
        rubrics().consistency,
    )
    return story.label if story else None


def test_much_the_closest_story_is_the_one_retold() -> None:
    closeness = {PACKAGING[1]: 0.92, WEAKNESS[1]: 0.81}
    assert matched(closeness, PACKAGING, WEAKNESS) == PACKAGING[0]


def test_two_stories_nearly_as_close_are_neither_matched() -> None:
    closeness = {PACKAGING[1]: 0.92, WEAKNESS[1]: 0.89}
    assert matched(closeness, PACKAGING, WEAKNESS) is None


def test_an_answer_about_something_else_is_matched_to_nothing() -> None:
    # As close as answers that retell nothing came to another candidate's story: under the bar.
    closeness = {PACKAGING[1]: 0.885, WEAKNESS[1]: 0.76}
    assert matched(closeness, PACKAGING, WEAKNESS) is None


def test_a_lone_round_one_answer_must_clear_the_bar_by_the_margin() -> None:
    assert matched({PACKAGING[1]: 0.92}, PACKAGING) is None
    assert matched({PACKAGING[1]: 0.96}, PACKAGING) == PACKAGING[0]


def test_a_retelling_that_shares_words_is_matched_by_them_and_its_figure_compared() -> None:
    g = grade(
        "Tell me about a negotiation you led.",
        "the packaging one, so cardboard, it was up for renewal and rather than just roll it over i put it "
        "out to five suppliers. we ended up moving to a place in bradford and it saved us forty-eight "
        "thousand a year.",
        round_one=[PACKAGING, WEAKNESS],
    )
    assert g.consistency.matched_round_one == PACKAGING[0]
    assert problems(g) == [("contradiction", "number")]


LAUNCH = (
    "Tell me about a product launch.",
    "I launched our range of electric scooters in Poland in 2022. I signed the distributor contracts and "
    "trained the dealers.",
)
BASED = ("Where are you based?", "Warsaw, at the Mokotow office.")


def test_a_one_line_follow_up_that_shares_a_name_gives_way_to_the_story_told() -> None:
    g = grade(
        "Tell me about entering a new market.",
        "so in twenty twenty-two i brought our e-bikes, the pedal ones, to the polish market. i did the deals "
        "with the distributors myself and i ran training for the dealers. i was working out of the mokotow "
        "office in warsaw then.",
        round_one=[LAUNCH, BASED],
    )
    assert g.consistency.matched_round_one == LAUNCH[0]


def test_a_one_line_answer_that_is_the_story_told_stays_matched() -> None:
    g = grade(
        "Where do you work from?",
        "Mostly the Mokotow office in Warsaw, a few days a week.",
        round_one=[LAUNCH, BASED],
    )
    assert g.consistency.matched_round_one == BASED[0]
