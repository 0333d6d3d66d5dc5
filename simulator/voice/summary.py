"""Delivery across a session: per spoken answer and in total, with coaching lines. Pure.

Talk time is set against each interviewer's clock (the minutes planned for their slot), and the
coaching lines compare pace and fillers with the ranges in simulator/data/delivery.yaml.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from simulator.models import Delivery, Session, Turn
from simulator.voice.delivery import Norms, norms


@dataclass(frozen=True)
class SpokenAnswer:
    number: int  # the answer's place among all answers, from 1
    turn: Turn
    delivery: Delivery


@dataclass
class DeliverySummary:
    answers: list[SpokenAnswer] = field(default_factory=list)
    talk_seconds: float = 0.0
    words: int = 0
    fillers: Counter[str] = field(default_factory=Counter)
    talk_by_persona: dict[str, float] = field(default_factory=dict)  # seconds spoken in each slot
    clock_by_persona: dict[str, int] = field(default_factory=dict)  # minutes planned for each slot
    coaching: list[str] = field(default_factory=list)

    @property
    def words_per_minute(self) -> float:
        speaking = sum(_speaking_s(a.delivery) for a in self.answers)
        return round(self.words / (speaking / 60), 1) if speaking >= 1 else 0.0

    @property
    def fillers_per_minute(self) -> float:
        speaking = sum(_speaking_s(a.delivery) for a in self.answers)
        return round(sum(self.fillers.values()) / (speaking / 60), 2) if speaking >= 1 else 0.0

    @property
    def longest(self) -> SpokenAnswer | None:
        return max(self.answers, key=lambda a: a.delivery.duration_s, default=None)


def _speaking_s(delivery: Delivery) -> float:
    """Seconds of speech behind the pace figure (words at that pace), so totals weigh answers fairly."""
    if delivery.words_per_minute <= 0:
        return 0.0
    return delivery.words / delivery.words_per_minute * 60


def coaching_lines(delivery: Delivery, rules: Norms | None = None) -> list[str]:
    """What to work on, only where a figure is far from the usual range."""
    rules = rules or norms()
    lines = []
    wpm = delivery.words_per_minute
    if wpm and wpm > rules.pace_high:
        lines.append(
            f"Fast: {wpm:.0f} words a minute (a clear answer runs {rules.pace_low:.0f}-{rules.pace_high:.0f}). "
            "Slow down at the result, where the numbers are."
        )
    elif wpm and wpm < rules.pace_low:
        lines.append(
            f"Slow: {wpm:.0f} words a minute (a clear answer runs {rules.pace_low:.0f}-{rules.pace_high:.0f}). "
            "Rehearse the story's outline so each step comes readily."
        )
    if delivery.fillers_per_minute > rules.fillers_per_minute_high:
        which = ", ".join(f"“{w}” ×{n}" for w, n in sorted(delivery.fillers.items(), key=lambda x: -x[1]))
        lines.append(
            f"{delivery.fillers_per_minute:.1f} fillers a minute ({which}); above about "
            f"{rules.fillers_per_minute_high:.0f} listeners notice them. A short silence does the same job."
        )
    if delivery.duration_s > rules.long_answer_s:
        lines.append(
            f"Long: {delivery.duration_s / 60:.1f} minutes. Two to three minutes keeps a STAR story sharp."
        )
    return lines


def summarize(session: Session, rules: Norms | None = None) -> DeliverySummary:
    """The delivery of every spoken answer in the session, in order, with totals."""
    rules = rules or norms()
    summary = DeliverySummary(clock_by_persona={s.persona_id: s.minutes for s in session.plan.slots})
    answers = [t for t in session.turns if t.kind == "answer"]
    for number, turn in enumerate(answers, start=1):
        if turn.delivery is None:
            continue
        d = turn.delivery
        summary.answers.append(SpokenAnswer(number, turn, d))
        summary.talk_seconds += d.duration_s
        summary.words += d.words
        summary.fillers.update(d.fillers)
        summary.talk_by_persona[turn.persona_id] = (
            summary.talk_by_persona.get(turn.persona_id, 0.0) + d.duration_s
        )
    if summary.answers:
        whole = Delivery(
            words_per_minute=summary.words_per_minute,
            fillers=dict(summary.fillers),
            fillers_per_minute=summary.fillers_per_minute,
            duration_s=0.0,  # the length note is per answer, not for the session
            words=summary.words,
        )
        summary.coaching = coaching_lines(whole, rules)
    return summary
