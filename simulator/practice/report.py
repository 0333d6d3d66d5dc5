"""The closing report of a session that was practised on: answers given again, and drills.

Built by `report.build_report` from the stored grades, then:
- each scorecard says how many of its answers were given again (the score reads their latest
  attempt, because a turn's grade always is its latest attempt's);
- a drill keeps its scorecards and verdicts but has no loop checklist and no thank-you notes:
  one interviewer and a few questions are not a round;
- a thank-you note already checked stays checked when the report is rebuilt after a redo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from simulator.catalog import Rubrics
from simulator.grading.session_rubric import ThankYouFollowUp
from simulator.models import ChecklistItem, Persona, Scorecard, Session
from simulator.report import ThankYouCheck, build_report


def redone_by_persona(session: Session) -> Counter[str]:
    """How many answers each interviewer heard more than once."""
    return Counter(t.persona_id for t in session.turns if t.kind == "answer" and t.attempts)


def redone_note(count: int) -> str:
    answers = "answer" if count == 1 else "answers"
    return f"Scored on the latest attempt of {count} {answers} given again."


def _with_redone(card: Scorecard, count: int) -> Scorecard:
    if not count:
        return card
    note = f"{card.note} {redone_note(count)}".strip()
    return card.model_copy(update={"redone": count, "note": note})


def practice_report(
    session: Session,
    personas: Mapping[str, Persona],
    rubrics: Rubrics,
    thank_you_checks: Sequence[ThankYouCheck] | None = None,
) -> Session:
    """`build_report`, with answers given again counted and a drill's report cut to what fits it."""
    checked = None if thank_you_checks else _checked_thank_you(session, rubrics)
    closed = build_report(session, personas, rubrics, thank_you_checks)
    redone = redone_by_persona(closed)
    update: dict[str, object] = {
        "scorecards": [_with_redone(c, redone[c.persona_id]) for c in closed.scorecards]
    }
    if closed.plan.drill is not None:
        update |= {"checklist": [], "thank_you": []}
    elif checked is not None:
        update["checklist"] = [checked if item.id == checked.id else item for item in closed.checklist]
    return closed.model_copy(update=update)


def _checked_thank_you(session: Session, rubrics: Rubrics) -> ChecklistItem | None:
    """The thank-you item from a note the candidate had checked, which the rebuilt report cannot redo."""
    ids = {spec.id for spec in rubrics.checklist.items if isinstance(spec, ThankYouFollowUp)}
    return next(
        (item for item in session.checklist if item.id in ids and item.status != "not_applicable"), None
    )
