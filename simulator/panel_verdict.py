"""The panel's overall verdict, from each interviewer's verdict in the debrief.

Pure logic. The list of sessions shows it, the transcript header and the debrief state it with
how much the panel heard: a loop that stopped after one interviewer does not get a hiring verdict.
How much is enough is `debrief.evidence` in rubrics/checklist.yaml; its defaults are the shipped
values, used where no rubric is at hand (the session list).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.grading.session_rubric import EvidenceRules
from simulator.models import Session, Verdict

VERDICT_LABELS = {
    "strong_hire": "Strong hire",
    "hire": "Hire",
    "lean_no": "Lean no",
    "no_hire": "No hire",
    "no_signal": "Not enough signal",
}
_SCALE = {"no_hire": 1, "lean_no": 2, "hire": 3, "strong_hire": 4}
_BY_SCORE = {score: verdict for verdict, score in _SCALE.items()}


def overall_verdict(debrief: Sequence[Verdict]) -> str | None:
    """The mean of the interviewers who had a signal, rounded down on a tie (a panel that is
    split leans cautious). A single "no hire" caps the result at "lean no": one firm objection
    usually stops an offer. None when there is no debrief yet. How much the panel heard is
    `panel_outcome`'s concern."""
    if not debrief:
        return None
    scores = [_SCALE[v.verdict] for v in debrief if v.verdict in _SCALE]
    if not scores:
        return "no_signal"
    mean = sum(scores) / len(scores)
    rounded = int(mean) if mean - int(mean) <= 0.5 else int(mean) + 1
    if min(scores) == _SCALE["no_hire"]:
        rounded = min(rounded, _SCALE["lean_no"])
    return _BY_SCORE[rounded]


def verdict_label(verdict: str | None) -> str:
    return VERDICT_LABELS.get(verdict or "", verdict or "")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class PanelOutcome:
    """The panel's verdict and what it rests on: who was met, who had a signal, how it ended."""

    verdict: str | None  # None before the debrief exists
    planned: int
    met: int
    with_signal: int
    graded: int
    ended_early: bool
    needed: int  # interviewers with a verdict the panel needs
    min_graded: int  # graded answers each of them needs

    @property
    def label(self) -> str:
        """The verdict as a heading shows it, saying when the loop ended early."""
        if self.verdict is None:
            return ""
        text = verdict_label(self.verdict)
        if self.ended_early:
            text += f" (the loop ended early, after {self.met} of {self.planned} interviewers)"
        return text

    def explanation(self) -> str:
        """One plain sentence on what the verdict rests on."""
        heard = f"{_plural(self.graded, 'graded answer')} from {_plural(self.met, 'interviewer')}"
        if self.ended_early:
            heard = f"the loop ended early, after {self.met} of {self.planned} interviewers ({self.graded} graded answers)"
        if self.verdict == "no_signal":
            return (
                f"Not enough signal for a panel verdict: {heard}. A verdict needs at least "
                f"{_plural(self.needed, 'interviewer')} who each heard {self.min_graded} or more "
                f"graded answers; {self.with_signal} did."
            )
        gave = "each gave a verdict" if self.with_signal == self.met else f"{self.with_signal} gave a verdict"
        return f"{verdict_label(self.verdict)}: {heard}; {gave}."


def panel_outcome(session: Session, rules: EvidenceRules | None = None) -> PanelOutcome:
    """The overall verdict, or not enough signal when too few interviewers could judge."""
    rules = rules or EvidenceRules()
    debrief = session.debrief
    planned = len(session.plan.slots)
    needed = max(1, min(rules.panel_min_interviewers, planned))
    with_signal = sum(1 for v in debrief if v.verdict in _SCALE)
    verdict = overall_verdict(debrief)
    if verdict is not None and with_signal < needed:
        verdict = "no_signal"
    return PanelOutcome(
        verdict=verdict,
        planned=planned,
        met=len(debrief),
        with_signal=with_signal,
        graded=sum(card.graded for card in session.scorecards),
        ended_early=session.status == "ended_early" and len(debrief) < planned,
        needed=needed,
        min_graded=rules.min_graded_answers,
    )


def session_verdict(session: Session, rules: EvidenceRules | None = None) -> str | None:
    """The panel's verdict as stored and listed: None before the debrief exists."""
    return panel_outcome(session, rules).verdict
