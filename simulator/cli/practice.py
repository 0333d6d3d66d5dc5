"""The practice loops at the terminal: `/redo` during `interview`, and `interview --drill`.

`--drill COMPETENCY` practises one competency's questions, `--drill-question TEXT` one question, on
their own with one interviewer, graded as in a round. The job comes from `--from ID` (a saved
session: its job and round one; `--drill weakest` then drills what went worst in it), or as for a
round (`--job`, `--setup`, the terminal). `--drill-again ID` runs a drill once more.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from simulator.cli.coach import coach_lines
from simulator.cli.practice_flags import wants_drill
from simulator.models import Attempt, Session, Setup, Turn
from simulator.orchestrator import Interview
from simulator.practice.drill import competency_drill, question_drill
from simulator.practice.redo import RedoRefused, live_target, redo_last_answer
from simulator.practice.sessions import again_setup, base_setup, drill_setup_from, suggest
from simulator.service import Toolkit
from simulator.store import Store
from simulator.story_chains import story_of

REDO = "/redo"
REDO_HELP = "/redo to answer your last question again"


def drill_setup(
    args: argparse.Namespace, store: Store, kit: Toolkit, round_setup: Callable[[], Setup | None]
) -> Setup | None:
    """The setup to start: a round's (`round_setup`), or a drill's when a drill flag is given."""
    if args.drill_again:
        return again_setup(store.load(args.drill_again), kit)
    if args.from_session:
        session = store.load(args.from_session)
        if args.drill_question:
            saved = base_setup(session, args.seed)
            return question_drill(
                saved, args.drill_question, kit.personas, kit.rubrics, from_session=session.id
            )
        return drill_setup_from(session, kit, competency=args.drill, seed=args.seed)
    base = round_setup()
    if base is None or not wants_drill(args):
        return base
    if args.drill_question:
        return question_drill(base, args.drill_question, kit.personas, kit.rubrics)
    return competency_drill(base, args.drill, kit.personas)


def show_drill(session: Session) -> None:
    drill = session.plan.drill
    if drill is not None:
        what = (
            f"the question \u201c{drill.question}\u201d"
            if drill.question
            else drill.competency.replace("_", " ")
        )
        print(f"drill: {what}, graded as in a round")


def _question_of(session: Session, turn: Turn) -> str:
    return story_of(session.turns, turn.index).question.text


def redo_at_prompt(
    interview: Interview, store: Store, read: Callable[[str], str | None], coach: bool
) -> None:
    """`/redo` typed: the last question shown again, the new answer read, graded and saved.

    A refusal (no answer yet, the conversation is over) is one line: the interview carries on.
    """
    try:
        turn = live_target(interview.session, interview.state)
        print(f"\nAnswer again: {_question_of(interview.session, turn)}")
        text = read("Your new answer> ")
        if text is None or not text.strip():
            print("nothing typed: your answer stays as it was")
            return
        redone = redo_last_answer(interview, store, text)
    except RedoRefused as exc:
        print(f"cannot answer again: {exc}")
        return
    print(
        f"answered again (attempt {len(redone.attempts) + 1}): every attempt is kept, and the scores use this one"
    )
    if coach:
        for line in _attempt_lines(redone.attempts[0]):
            print(f"   first attempt: {line}")
        for line in coach_lines(redone):
            print(f"   this attempt:  {line}")


def _attempt_lines(attempt: Attempt) -> list[str]:
    earlier = Turn(
        index=0, speaker="candidate", persona_id="candidate", kind="answer", text=attempt.text,
        at_minute=0, slot_minute=0, duration=0, grade=attempt.grade, reply_grade=attempt.reply_grade,
    )  # fmt: skip
    return coach_lines(earlier)


def show_next_practice(session: Session) -> None:
    """After the debrief: how to run a drill again, or what to drill after a round."""
    if session.plan.drill is not None:
        graded = [
            t.grade.overall for t in session.turns if t.kind == "answer" and t.grade and t.grade.overall
        ]
        print(f"\ndrill answers: {', '.join(f'{g}/5' for g in graded) or 'nothing graded'}")
        print(f"run it again: python -m simulator interview --drill-again {session.id}")
        return
    worst = suggest(session)
    if worst is not None:
        name = worst.competency.replace("_", " ")
        print(
            f"\nwent worst: {name}; drill it with: python -m simulator interview --drill weakest --from {session.id}"
        )
