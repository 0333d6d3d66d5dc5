"""Which answers tell one story: an answer and the answers to its follow-ups belong together.

A follow-up's answer is graded with the answers it completes ("what was the result?" -> "we cut
costs by 20%" makes sense only with the story before it).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engines.base import GradeRequest
from simulator.models import Finding, Session, Turn


@dataclass(frozen=True)
class Story:
    question: Turn  # the question that opened it
    answers: list[Turn]  # the answer and the answers to its follow-ups, in order
    follow_up: Turn | None  # the follow-up the last answer replies to, if any


def story_of(turns: list[Turn], answer_index: int) -> Story:
    """The story the answer with this turn index belongs to. `turns` may be the whole session or
    one slot's turns: they are looked up by their index, not their position."""
    by_index = {t.index: t for t in turns}
    answer = by_index[answer_index]
    asked = by_index.get(answer.reply_to, answer) if answer.reply_to is not None else answer
    follow_up = asked if asked.kind == "follow_up" else None
    answers = [answer]
    while asked.kind == "follow_up":
        previous = next((t for t in reversed(turns) if t.kind == "answer" and t.index < asked.index), None)
        if previous is None or previous.reply_to not in by_index:
            break
        answers.insert(0, previous)
        asked = by_index[previous.reply_to]
    return Story(question=asked, answers=answers, follow_up=follow_up)


def grade_request(session: Session, answer_index: int) -> GradeRequest:
    story = story_of(session.turns, answer_index)
    question = story.question.text
    if story.follow_up is not None:
        question = f"{question} / {story.follow_up.text}"
    return GradeRequest(
        question=question,
        answer="\n\n".join(t.text for t in story.answers),
        round_one=session.round_one,
        question_kind=story.question.category,
        job=session.job,
    )


def loop_findings(session: Session, *, elaborations: bool = False) -> list[tuple[str, Finding]]:
    """Round-one differences over the loop, once each: (persona id, finding), in the order heard.

    A follow-up's grade repeats what the answer before it already showed, so a finding repeated
    word for word is shown once. Elaborations (new detail that fits round one) are left out unless
    asked for: they are not problems.
    """
    seen: set[tuple[str, str, str]] = set()
    out: list[tuple[str, Finding]] = []
    for turn in session.turns:
        if turn.kind != "answer" or turn.grade is None:
            continue
        for finding in turn.grade.consistency.findings:
            if finding.kind == "elaboration" and not elaborations:
                continue
            key = (finding.kind, finding.round_one_quote, finding.round_two_quote)
            if key not in seen:
                seen.add(key)
                out.append((turn.persona_id, finding))
    return out
