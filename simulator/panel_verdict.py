"""The panel's overall verdict, from each interviewer's verdict in the debrief.

Pure logic. The list of sessions shows it and the transcript header states it.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.models import Verdict

VERDICT_LABELS = {
    "strong_hire": "Strong hire",
    "hire": "Hire",
    "lean_no": "Lean no",
    "no_hire": "No hire",
    "no_signal": "No signal",
}
_SCALE = {"no_hire": 1, "lean_no": 2, "hire": 3, "strong_hire": 4}
_BY_SCORE = {score: verdict for verdict, score in _SCALE.items()}


def overall_verdict(debrief: Sequence[Verdict]) -> str | None:
    """The mean of the interviewers who had a signal, rounded down on a tie (a panel that is
    split leans cautious). A single "no hire" caps the result at "lean no": one firm objection
    usually stops an offer. None when there is no debrief yet."""
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
