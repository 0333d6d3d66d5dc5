"""What an answer sends to the sentence model, and what it reads twice.

Grading time is the model's time: about 1.5 ms of CPU for every token it reads (bench/latency.py). These
tests drive the grader the way a session does (round one warmed first, then the answer) with the real
model, and check that an answer's clauses go to it only when what they say could change the grade.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.catalog import load_rubrics
from simulator.grading.grader import grade_answer, warm_up
from simulator.grading.outcome_change import Change
from simulator.grading.request import GradeRequest
from simulator.grading.role_change import Said, role_can_change, role_change
from simulator.grading.rubric import compile_cues, declared_cue_lists
from simulator.grading.semantic import CachingEmbedder, E5Embedder, Meaning, shipped_heads
from simulator.grading.stance import OUTCOMES, ROLES, Stance, fragments, read_stance, shipped_stance
from simulator.grading.text import analyse
from simulator.models import QA, RoundOne

RUBRICS = load_rubrics()

# Round one tells both a part the candidate led and one they only helped with: whatever part the answer
# claims, it agrees with one of them, so nothing in it can be a change of part.
LED_AND_HELPED = (
    "At Brightline I led the redesign of our checkout, with three engineers under me. I was one of the "
    "people helping on the pricing work, which Dana ran. Checkout conversion went from 2.1% to 2.9% in "
    "two months."
)
RETOLD = (
    "Sure, the checkout redesign at Brightline. I looked at the funnel data first and I found that the "
    "address form lost most people. I rebuilt the form with the three engineers and I ran an A/B test "
    "for a month. Conversion went from 2.1% to 2.9% in two months."
)
MID_STORY = "I looked at the funnel data first and I found that the address form lost most people."


def _session_meaning() -> tuple[Meaning, CachingEmbedder]:
    heads = shipped_heads()
    assert heads is not None
    embedder = CachingEmbedder(E5Embedder())  # its own cache: what this test sends is all it counts
    return Meaning(embedder, heads), embedder


def test_an_answer_retelling_a_story_whose_round_one_tells_both_parts_sends_no_clause_for_its_part():
    meaning, embedder = _session_meaning()
    request = GradeRequest(
        question="Tell me about the checkout redesign.",
        answer=RETOLD,
        round_one=RoundOne(answers=[QA(question="Tell me about a project you led.", answer=LED_AND_HELPED)]),
    )
    thread = warm_up(request.round_one, RUBRICS, meaning)
    assert thread is not None
    thread.join()
    heads = shipped_stance()
    assert heads is not None
    then = read_stance([c.text for c in analyse(LED_AND_HELPED, RUBRICS.star).clauses], meaning, heads)
    assert then is not None
    assert not role_can_change(then, heads.thresholds["role"]), (
        "the role head no longer reads both parts here"
    )
    before = embedder.texts_embedded
    grade = grade_answer(request, RUBRICS, meaning=meaning)

    assert not embedder.known(MID_STORY)
    assert not any(embedder.known(part) for part in fragments(MID_STORY))
    assert embedder.texts_embedded - before <= 2  # the ending, and the clause with the new detail
    # And nothing is lost: no change of part is reported (round one told both), the new detail still is.
    assert [f.category for f in grade.consistency.findings if f.kind != "elaboration"] == []
    assert any("a month" in f.explanation for f in grade.consistency.findings)


def _random_stance(rng: np.random.Generator, clauses: int) -> Stance:
    role = rng.dirichlet(np.full(len(ROLES), 0.4), size=clauses)
    outcome = rng.dirichlet(np.ones(len(OUTCOMES)), size=clauses)
    return Stance(outcome, role, np.zeros((clauses, 4)))


def _random_said(rng: np.random.Generator) -> Said:
    """What the rules read of the candidate's part: "I led it" in clause 0, a smaller part in clause 1."""
    return Said(frozenset(range(int(rng.integers(0, 2)))), frozenset(range(1, 1 + int(rng.integers(0, 2)))))


@pytest.mark.parametrize("seed", range(5))
def test_the_role_gate_never_hides_a_change_that_reading_the_answer_would_find(seed: int):
    rng = np.random.default_rng(seed)
    gated = found = 0
    for _ in range(400):
        then = _random_stance(rng, int(rng.integers(1, 5)))
        said = (_random_said(rng), _random_said(rng))
        can = role_can_change(then, 0.56, *said)
        changes = [
            role_change(then, _random_stance(rng, int(rng.integers(1, 6))), 0.56, *said) for _ in range(8)
        ]
        if not can:
            gated += 1
            assert changes == [None] * 8
        found += sum(isinstance(c, Change) for c in changes)
    assert gated > 50 and found > 20  # both sides were exercised


def test_a_text_is_read_once_per_rubric_and_its_reading_cannot_be_changed_by_a_caller():
    heads = shipped_heads()
    assert heads is not None
    meaning = Meaning(None, heads) if not heads.uses_embeddings else _session_meaning()[0]
    star = RUBRICS.star
    first = meaning.read(analyse(RETOLD, star), star)
    assert meaning.read(analyse(RETOLD, star), star) is first
    assert meaning.read(analyse(LED_AND_HELPED, star), star) is not first
    with pytest.raises(ValueError):
        first.parts[0, 0] = 1.0


def test_the_bench_counts_what_the_model_read_and_nothing_for_a_known_text():
    meaning, embedder = _session_meaning()
    model = embedder.inner
    assert isinstance(model, E5Embedder)
    meaning.embed([MID_STORY])
    read = embedder.tokens_embedded
    assert read == model.tokens([MID_STORY]) > len(MID_STORY.split())
    meaning.embed([MID_STORY])
    assert embedder.tokens_embedded == read


class _TokenisingModel(E5Embedder):
    """The real model, noting each time its tokens are counted (a tokenisation per text)."""

    counted = 0

    def tokens(self, texts) -> int:
        self.counted += len(texts)
        return super().tokens(texts)


def test_a_grade_does_not_pay_for_counting_the_tokens_it_sent():
    heads = shipped_heads()
    assert heads is not None
    model = _TokenisingModel()
    embedder = CachingEmbedder(model)
    meaning = Meaning(embedder, heads)
    meaning.embed([MID_STORY, RETOLD])
    assert model.counted == 0  # counted when the bench asks, after its timing
    assert embedder.tokens_embedded == E5Embedder().tokens([MID_STORY, RETOLD])
    assert model.counted == 2
    assert embedder.tokens_embedded == E5Embedder().tokens([MID_STORY, RETOLD])  # each text counted once
    assert model.counted == 2


def test_a_loaded_rubric_has_compiled_every_cue_list_it_declares():
    """The rubric compiles its cues once, as it loads, so no answer (and no warm-up) pays for them."""
    rubrics = load_rubrics()
    for rubric in (rubrics.star, rubrics.consistency):
        compiled = {p.pattern for p in rubric.pattern_cache.values()}
        declared = list(declared_cue_lists(rubric))
        assert len(declared) > 20
        for patterns in declared:
            assert compile_cues(patterns, rubric.vocabulary).pattern in compiled, patterns[:3]


def _compiled(rubrics) -> int:
    return len(rubrics.star.pattern_cache) + len(rubrics.consistency.pattern_cache)


def test_the_first_answer_of_a_session_compiles_no_pattern_the_warm_up_could_have():
    rubrics = load_rubrics()  # its own pattern caches, as a new process has
    meaning, _ = _session_meaning()
    round_one = RoundOne(answers=[QA(question="Tell me about a project you led.", answer=LED_AND_HELPED)])
    thread = warm_up(round_one, rubrics, meaning)
    assert thread is not None
    thread.join()
    compiled = _compiled(rubrics)
    assert compiled > 20
    grade_answer(
        GradeRequest(question="Tell me about the checkout redesign.", answer=RETOLD, round_one=round_one),
        rubrics,
        meaning=meaning,
    )
    assert _compiled(rubrics) == compiled
