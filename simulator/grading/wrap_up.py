"""The signs in an interviewer's close, driven by the grades of the conversation.

Interviewers give themselves away at the end: after a strong conversation they run over, talk
about next steps, start selling the role and ask when you could start; after a weak one they
close briskly and politely. The sign names are exactly the fields of `WrapUpLines`, so the
engine picks the matching lines; the thresholds live in rubrics/checklist.yaml (`debrief.wrap_up`).
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.grading.debrief import contradictions
from simulator.grading.session_rubric import DebriefRubric
from simulator.grading.transcript import stories
from simulator.models import Persona, Turn, WrapUpSigns

# The order the lines are spoken in when several signs appear.
SIGN_ORDER = ("running_over", "selling_the_role", "availability", "next_steps", "brisk_close")


def minutes_used(slot_turns: Sequence[Turn]) -> float:
    return max((t.slot_minute + t.duration for t in slot_turns), default=0.0)


def wrap_up_signs(
    persona: Persona,
    slot_turns: Sequence[Turn],
    minutes: float,
    *,
    rubric: DebriefRubric | None = None,
) -> WrapUpSigns:
    """Which signs this interviewer's close shows, and why in plain words."""
    rules = (rubric or DebriefRubric()).wrap_up
    told = [s for s in stories(slot_turns) if s.grade is not None]
    scored = [s.grade.overall for s in told if s.grade is not None and s.grade.overall is not None]
    unscored = len(told) - len(scored)
    first = persona.name.split()[0]

    if not scored:
        why = (
            f"none of your {unscored} answer{'s' if unscored != 1 else ''} could be graded"
            if unscored
            else "there were no graded answers to go on"
        )
        return WrapUpSigns(
            persona_id=persona.id,
            signs=["brisk_close"],
            explanation=f"{first} closed briskly and politely: {why}.",
        )

    mean = sum(scored) / len(scored)
    basis = f"your {len(scored)} graded answer{'s' if len(scored) != 1 else ''} averaged {mean:.1f} of 5"
    used = minutes_used(slot_turns)
    conflict = bool(contradictions(told))

    if mean < rules.weak_below:
        return WrapUpSigns(
            persona_id=persona.id,
            signs=["brisk_close"],
            explanation=f"{first} closed briskly and politely: {basis}, below {rules.weak_below:g}.",
        )
    if mean < rules.strong_at or conflict:
        held = " and a round-one contradiction left doubts" if conflict and mean >= rules.strong_at else ""
        return WrapUpSigns(
            persona_id=persona.id,
            signs=["next_steps"],
            explanation=(
                f"{first} explained the next steps but did not sell the role: {basis}{held}; "
                f"selling starts at {rules.strong_at:g}."
            ),
        )

    signs = ["selling_the_role", "next_steps"]
    said = [f"started selling the role and talked about next steps ({basis})"]
    if mean >= rules.very_strong_at:
        signs.append("availability")
        said.append(
            "asked about your availability, which interviewers do when they want to move fast "
            f"(at {rules.very_strong_at:g} or more)"
        )
    if minutes and used >= rules.running_over_share * minutes:
        signs.append("running_over")
        said.append(f"was happy to run over: the conversation took {used:.0f} of {minutes:g} minutes")
    ordered = [s for s in SIGN_ORDER if s in signs]
    return WrapUpSigns(persona_id=persona.id, signs=ordered, explanation=f"{first} " + "; ".join(said) + ".")
