"""The candidate's part in the story grown or shrunk between rounds, read by meaning (stance.py).

Round one "I was one of five people on the working group" or "it was run by our regional organiser",
round two "that was mine, I owned it from start to finish": a bigger part (an embellishment). Round one
"I was the lead designer", round two "I was more of a junior on it": a smaller one (a contradiction).
Only the round-one answer that tells the same story is read, and only readings the head is sure of
count; when round one says both (led one part, helped with another) nothing is reported.
"""

from __future__ import annotations

from simulator.grading.outcome_change import Change
from simulator.grading.stance import Stance

_SMALLER = ("support", "other")


def _sure(stance: Stance, what: str, sure: float) -> list[int]:
    """Clauses read as `what` with at least `sure` probability, surest first."""
    found = [i for i in range(len(stance.role)) if stance.p(what, i) >= sure]
    return sorted(found, key=lambda i: -stance.p(what, i))


def _smaller(stance: Stance, sure: float) -> list[int]:
    """Clauses surely read as a smaller part than the lead (helping, or someone else's work), surest
    first: "I was more on the side of it, the infrastructure team did most of it"."""
    found = [i for what in _SMALLER for i in _sure(stance, what, sure)]
    return sorted(found, key=lambda i: -stance.role[i].max())


def role_can_change(
    then: Stance, sure: float, led_then_said: bool = False, led_now_said: bool = False
) -> bool:
    """Whether `role_change` could find a change against this round one, whatever the answer's clauses
    read as: when it could not, they need not go to the model for the candidate's part."""
    led_then = _sure(then, "lead", sure)
    small_then = _smaller(then, sure)
    if (led_then_said and not led_then) or bool(led_then) == bool(small_then):
        return False  # round one says both, or neither surely: nothing to set the answer against
    # Round one led; the answer's own "I led" means no smaller part is read (or none at all).
    return not (led_then and led_now_said)


def role_change(
    then: Stance, now: Stance, sure: float, led_then_said: bool = False, led_now_said: bool = False
) -> Change | None:
    """`led_then_said` / `led_now_said`: the rules read a lead's title or "I led" in that round, which
    settles that the candidate led whatever the head reads."""
    led_then, led_now = _sure(then, "lead", sure), _sure(now, "lead", sure)
    if led_then_said and not led_then:
        return None
    if led_now_said and not led_now:
        return None
    small_then, small_now = _smaller(then, sure), _smaller(now, sure)
    if small_then and not led_then and led_now:
        return Change("embellishment", "role", small_then[0], led_now[0])
    if led_then and not small_then and small_now and not led_now:
        return Change("contradiction", "role", led_then[0], small_now[0])
    return None
