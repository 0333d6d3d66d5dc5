"""The session's closing feedback: scorecards, the debrief, the checklist, wrap-up signs, thank-you drafts.

`build_report` is called when a session closes (and again when it is re-graded); it reads only
the turns and their stored grades, so it never grades anything itself and never invents a score.
The pieces live in simulator/grading/ (debrief, wrap_up, checklist, thank_you); this module puts
them together and is what the orchestrator, the store and the page import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from simulator.catalog import Rubrics
from simulator.grading.checklist import build_checklist
from simulator.grading.debrief import scorecard, verdict
from simulator.grading.thank_you import ThankYouCheck, check_thank_you, draft_thank_you
from simulator.grading.transcript import personas_met, slot_turns
from simulator.grading.wrap_up import wrap_up_signs
from simulator.models import Persona, Session, WrapUpSigns
from simulator.panel_verdict import session_verdict

__all__ = [
    "build_report",
    "check_thank_you",
    "draft_thank_you",
    "overall_verdict",
    "scorecard",
    "verdict",
    "wrap_up_signs",
]


def _slot_minutes(session: Session, persona_id: str) -> float:
    return next((s.minutes for s in session.plan.slots if s.persona_id == persona_id), 0)


def build_report(
    session: Session,
    personas: Mapping[str, Persona],
    rubrics: Rubrics,
    thank_you_checks: Sequence[ThankYouCheck] | None = None,
) -> Session:
    """A copy of the session with its closing fields filled from the stored grades.

    Only interviewers whose slot began get a scorecard, a verdict and a note. Wrap-up signs the
    orchestrator recorded at the time are kept (they are what the interviewer actually said);
    any slot without them gets them computed now.
    """
    debrief_rules = rubrics.checklist.debrief
    met = [personas[p] for p in personas_met(session.turns) if p in personas]
    has_round_one = not session.round_one.is_empty()

    scorecards, debrief, drafts = [], [], []
    for persona in met:
        card = scorecard(persona, session.turns, rubric=debrief_rules, has_round_one=has_round_one)
        scorecards.append(card)
        debrief.append(verdict(persona, card, session.turns, rubric=debrief_rules))
        drafts.append(draft_thank_you(persona, session, rubrics.checklist))

    recorded = {s.persona_id: s for s in session.wrap_up_signs}
    signs: list[WrapUpSigns] = []
    for persona in met:
        if persona.id in recorded:
            signs.append(recorded[persona.id])
            continue
        mine = [t for t in slot_turns(session.turns, persona.id) if t.kind not in ("wrap_up", "handoff")]
        signs.append(wrap_up_signs(persona, mine, _slot_minutes(session, persona.id), rubric=debrief_rules))

    # The checklist reads the verdicts too: whether the panel heard enough to give one.
    judged = session.model_copy(update={"scorecards": scorecards, "debrief": debrief})
    checklist = build_checklist(
        judged, personas, rubrics.checklist, rubrics.candidate_questions, thank_you_checks
    )
    return session.model_copy(
        deep=True,
        update={
            "scorecards": scorecards,
            "debrief": debrief,
            "checklist": checklist,
            "wrap_up_signs": signs,
            "thank_you": drafts,
        },
    )


def overall_verdict(session: Session, rubrics: Rubrics | None = None) -> str | None:
    """The panel's verdict for listings: None before the debrief exists; not enough signal when
    too few interviewers heard enough to judge."""
    rules = rubrics.checklist.debrief.evidence if rubrics is not None else None
    return session_verdict(session, rules)
