"""The session state machine: who speaks next, clocks, follow-ups, hand-offs, the close.

Plain Python with the engine injected. The orchestrator decides *that* a follow-up is due and
*why* (from the answer's grade and the pressure setting); the engine only phrases it.

Every action is one step, saved whole: what the candidate typed goes to the sink the moment it
exists (nothing typed is lost), and everything the step makes of it (the grade, the interviewer's
next turns, the state after them, the close) goes to the sink together at the end. A step cut
short by a crash is finished by `recover()` on resume, so no answer stays ungraded and no
question takes a second answer.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, Field

from simulator.candidate_turns import classify
from simulator.catalog import load_rubrics
from simulator.engines.base import Engine, FollowUpDetail, SlotContext
from simulator.engines.offline import fill
from simulator.engines.usage import merge_usage
from simulator.flow_policy import RubricReadings, RuleReadings, cut_in_at, remark_due, talks_as_team
from simulator.grading.session_rubric import DebriefRubric
from simulator.models import (
    AnswerGrade,
    FollowUpReason,
    Persona,
    ReplyGrade,
    RolePlay,
    Session,
    Turn,
    TurnKind,
)
from simulator.pressure import PressureProfile, profile
from simulator.report import wrap_up_signs
from simulator.skills import job_skills
from simulator.story_chains import grade_request, story_of

if TYPE_CHECKING:
    from simulator.models import Delivery  # only named in annotations

WORDS_PER_MINUTE = 150
# Time that passes beyond the words spoken, so a slot's clock runs like a real conversation's.
THINKING_MINUTES = 0.25  # a pause before each answer
OVERHEAD_MINUTES: dict[str, float] = {
    "intro": 2.0,  # greetings, small talk, the interviewer describing their role
    "question": 0.5,  # notes, a transition, reading the next question
    "follow_up": 0.25,
}
MAX_CANDIDATE_QUESTIONS = 4  # per interviewer, before they close politely
PASSES_BEFORE_MOVING_ON = 2  # two passes in a row: the interviewer goes to the candidate's questions
PASS_TEXT = "I'd like to move on."
_WORD = re.compile(r"\S+")
_default_rubrics = cache(load_rubrics)  # for an engine that carries no rubrics of its own

Phase = Literal["questions", "candidate_questions", "closed"]


class InterviewState(BaseModel):
    """What the orchestrator needs beyond the turns to carry on; saved with every turn for resume."""

    slot: int = 0
    phase: Phase = "questions"
    open_question: int | None = None  # the question or follow-up turn awaiting an answer
    follow_ups_in_chain: int = 0
    consecutive_passes: int = 0
    candidate_questions_in_slot: int = 0
    asked_question_ids: list[str] = Field(default_factory=list)
    probed_notes: list[int] = Field(default_factory=list)


@dataclass
class StepWrites:
    """What one step made beyond the candidate's own words: saved together, or not at all."""

    added: list[Turn] = field(default_factory=list)  # the interviewers' new turns, in order
    graded: list[Turn] = field(default_factory=list)  # the candidate's saved answer, now with its grade
    closed: bool = False  # the loop closed: the session carries its report


class TurnSink(Protocol):
    def input_taken(self, session: Session, turn: Turn) -> None:
        """The candidate's words, to be saved before anything is done with them."""

    def step_done(self, session: Session, writes: StepWrites, state: InterviewState) -> None:
        """The rest of the step, with the state after it, to be saved in one transaction."""


class NullSink:
    def input_taken(self, session: Session, turn: Turn) -> None:
        pass

    def step_done(self, session: Session, writes: StepWrites, state: InterviewState) -> None:
        pass


@dataclass(frozen=True)
class Awaiting:
    """What the candidate is expected to do next, with what a screen needs to show it."""

    kind: Literal["answer", "candidate_question", "nothing"]
    persona: Persona | None
    slot_number: int  # 1-based
    slot_count: int
    slot_minute: float
    slot_minutes: int
    prompt: str  # the last thing the interviewer said


class InterviewError(ValueError):
    """The candidate tried something the interview does not allow right now."""


class Interview:
    def __init__(
        self,
        session: Session,
        personas: dict[str, Persona],
        engine: Engine,
        *,
        state: InterviewState | None = None,
        sink: TurnSink | None = None,
        close: Callable[[Session], Session] | None = None,
        wrap_up_rubric: DebriefRubric | None = None,
    ):
        missing = [s.persona_id for s in session.plan.slots if s.persona_id not in personas]
        if missing:
            raise InterviewError(
                f"plan: unknown persona '{missing[0]}' (known: {', '.join(sorted(personas))})"
            )
        self.session = session
        self.personas = personas
        self.engine = engine
        self.state = state or InterviewState()
        self.sink: TurnSink = sink or NullSink()
        self._close = close or (lambda s: s)
        self.wrap_up_rubric = wrap_up_rubric
        self.pressure: PressureProfile = profile(session.plan.pressure)
        self.skills = job_skills(session.job)
        self._writes = StepWrites()
        self._remark: str | None = None  # a brief word said before the interviewer's next question

    # ------------------------------------------------------------ public API (CLI and page)

    def begin(self) -> list[Turn]:
        """Start the first interviewer. Only for a session with no turns yet."""
        if self.session.turns:
            raise InterviewError("this session has already begun")
        return self._collect(self._open_slot)

    def recover(self) -> list[Turn]:
        """Finish the step a crash cut short, if any; returns the turns that finishing it made.

        A whole step always ends with an interviewer speaking, so a saved session whose last turn
        is the candidate's stopped mid-step: its words were saved, what follows them was not. The
        saved state is the one from before that step, and the choices are seeded by the turn
        count, so the step ends as it would have. A session saved with no turns never began.
        """
        if self.state.phase == "closed":
            return []
        if not self.session.turns:
            return self.begin()
        last = self.session.turns[-1]
        if last.speaker != "candidate":
            self._reopen_last_question()
            return []
        if last.kind == "answer":
            return self._collect(lambda: self._after_answer(last))
        if last.kind == "pass":
            return self._collect(self._after_pass)
        return self._collect(lambda: self._after_candidate_question(last.text))

    def awaiting(self) -> Awaiting:
        state = self.state
        if state.phase == "closed":
            return Awaiting(
                "nothing", None, len(self.session.plan.slots), len(self.session.plan.slots), 0, 0, ""
            )
        slot = self.session.plan.slots[state.slot]
        kind: Literal["answer", "candidate_question"] = (
            "answer" if state.phase == "questions" else "candidate_question"
        )
        last = next((t.text for t in reversed(self.session.turns) if t.speaker != "candidate"), "")
        return Awaiting(
            kind, self.personas[slot.persona_id], state.slot + 1, len(self.session.plan.slots),
            round(self._slot_minute(), 1), slot.minutes, last,
        )  # fmt: skip

    def answer(self, text: str, delivery: Delivery | None = None) -> list[Turn]:
        """The candidate answers the open question (`delivery`: how a spoken answer was said)."""
        text = text.strip()
        if self.state.phase != "questions" or self.state.open_question is None:
            raise InterviewError("there is no open question to answer")
        if not text:
            raise InterviewError("the answer is empty: type an answer, or move on")
        return self._collect(lambda: self._take_answer(text, delivery))

    def move_on(self, text: str = PASS_TEXT) -> list[Turn]:
        """Pass on the open question; or, when asked for questions, say there are none."""
        if self.state.phase == "candidate_questions":
            return self.done_asking()
        if self.state.phase != "questions" or self.state.open_question is None:
            raise InterviewError("there is no open question to pass on")
        return self._collect(lambda: self._take_pass(text.strip() or PASS_TEXT))

    def ask(self, text: str) -> list[Turn]:
        """The candidate asks the interviewer a question."""
        text = text.strip()
        if self.state.phase != "candidate_questions":
            raise InterviewError("the interviewer has not invited questions yet")
        if not text:
            raise InterviewError("the question is empty")
        return self._collect(lambda: self._take_candidate_question(text))

    def done_asking(self) -> list[Turn]:
        if self.state.phase != "candidate_questions":
            raise InterviewError("the interviewer has not invited questions yet")
        return self._collect(self._close_slot)

    def end_slot(self) -> list[Turn]:
        """End the current interviewer's conversation early: wrap-up and hand-off at once."""
        if self.state.phase == "closed":
            raise InterviewError("the interview is over")
        return self._collect(self._close_slot)

    def end_loop(self) -> list[Turn]:
        """Stop the whole loop now. What was said is kept and graded."""
        if self.state.phase == "closed":
            raise InterviewError("the interview is over")
        self.session.status = "ended_early"
        return self._collect(self._close_slot)

    def _reopen_last_question(self) -> None:
        """A build that saved the state turn by turn could be killed after asking the next question
        but before saving it as the open one; the answer typed next belongs to that question."""
        turns = self.session.turns
        replied = {t.reply_to for t in turns if t.kind in ("answer", "pass")}
        last = turns[-1]
        stale = self.state.open_question is None or self.state.open_question in replied
        unanswered = last.kind in ("question", "follow_up") and last.index not in replied
        if self.state.phase == "questions" and stale and unanswered:
            self.state.open_question = last.index

    # ------------------------------------------------------------ turns and clocks

    def _collect(self, step: Callable[[], None]) -> list[Turn]:
        """Run one step and hand all it made to the sink at once, with the state after it."""
        before = len(self.session.turns)
        self._writes = StepWrites()
        self._remark = None
        step()
        self._record_usage()
        self.sink.step_done(self.session, self._writes, self.state)
        return self.session.turns[before:]

    def _record_usage(self) -> None:
        """LLM engines count tokens per call; the session keeps the totals and an estimated cost."""
        take_usage = getattr(self.engine, "take_usage", None)
        if take_usage is None:
            return
        records = take_usage()
        if records:
            context = getattr(self.engine, "context_line", "")  # the budgets' context size, and its source
            self.session.usage = merge_usage(self.session.usage, self.engine.name, records, context=context)

    def _engine_note(self) -> str | None:
        """Why the engine's last line came from the offline engine instead, if it did."""
        take_note = getattr(self.engine, "take_note", None)
        return take_note() if take_note else None

    def _persona(self) -> Persona:
        return self.personas[self.session.plan.slots[self.state.slot].persona_id]

    def _slot_turns(self) -> list[Turn]:
        persona_id = self.session.plan.slots[self.state.slot].persona_id
        start = self._slot_start()
        return [t for t in self.session.turns[start:] if t.persona_id == persona_id]

    def _slot_start(self) -> int:
        """Index of the first turn of the current slot (its intro)."""
        count = -1
        for i, turn in enumerate(self.session.turns):
            if turn.kind == "intro":
                count += 1
                if count == self.state.slot:
                    return i
        return len(self.session.turns)

    def _loop_minute(self) -> float:
        """When the last turn ended: the clock is carried on the turns themselves."""
        last = self.session.turns[-1] if self.session.turns else None
        return last.at_minute + last.duration if last else 0.0

    def _slot_minute(self) -> float:
        last = self.session.turns[-1] if self.session.turns else None
        if last is None or self._slot_start() >= len(self.session.turns):
            return 0.0  # the slot has not begun
        return last.slot_minute + last.duration

    def _rng(self) -> random.Random:
        # Seeded by the turn count, so a resumed session makes the same choices it would have.
        return random.Random(f"{self.session.plan.seed}:{len(self.session.turns)}")

    def _context(self, want_curveball: bool = False) -> SlotContext:
        asked = [t.text for t in self.session.turns if t.kind == "question"]
        earlier = [n for n in self.session.handoff_notes if n.from_persona != self._persona().id]
        return SlotContext(
            job=self.session.job,
            round_one=self.session.round_one,
            skills=self.skills,
            pressure=self.session.plan.pressure,
            rng=self._rng(),
            slot_turns=self._slot_turns(),
            asked_question_ids=set(self.state.asked_question_ids),
            asked_texts=asked,
            handoff_notes=earlier,
            colleagues={s.persona_id: self.personas[s.persona_id] for s in self.session.plan.slots},
            want_curveball=want_curveball,
            slot_minutes=self.session.plan.slots[self.state.slot].minutes,
        )

    def _emit(
        self, speaker: str, kind: TurnKind, text: str, spoken_words: int | None = None, **fields: object
    ) -> Turn:
        """Add a turn; `spoken_words` is how much of it was said before an interruption."""
        words = spoken_words if spoken_words is not None else len(_WORD.findall(text))
        duration = words / WORDS_PER_MINUTE + OVERHEAD_MINUTES.get(kind, 0.0)
        if kind == "answer":
            duration += THINKING_MINUTES
        if speaker != "candidate" and "note" not in fields:
            fields["note"] = self._engine_note()
        if self._remark and kind in ("question", "follow_up", "invite_questions"):
            text, self._remark = f"{self._remark} {text}", None
        turn = Turn(
            index=len(self.session.turns),
            speaker=speaker,
            persona_id=self._persona().id,
            kind=kind,
            text=text,
            at_minute=round(self._loop_minute(), 2),
            slot_minute=round(self._slot_minute(), 2),
            duration=round(duration, 2),
            **fields,
        )
        self.session.turns.append(turn)
        if speaker == "candidate":
            self.sink.input_taken(self.session, turn)
        else:
            self._writes.added.append(turn)
        return turn

    # ------------------------------------------------------------ the slot's life

    def _open_slot(self) -> None:
        persona = self._persona()
        self.state.phase = "questions"
        self.state.candidate_questions_in_slot = 0
        self.state.consecutive_passes = 0
        self._emit(persona.id, "intro", self.engine.introduce(persona, self._context()))
        self._ask_next()

    def _question_time_left(self) -> bool:
        slot = self.session.plan.slots[self.state.slot]
        budget = slot.minutes - self.pressure.candidate_question_minutes + self.pressure.clock_grace_minutes
        return self._slot_minute() < budget

    def _ask_next(self) -> None:
        self.state.open_question = None
        self.state.follow_ups_in_chain = 0
        if not self._question_time_left():
            self._invite()
            return
        if self._probe_handoff():
            return
        rng = self._rng()
        want_curveball = rng.random() < self.pressure.curveball_rate
        persona = self._persona()
        question = self.engine.next_question(persona, self._context(want_curveball))
        if question is None:
            self._invite()
            return
        if question.question_id:
            self.state.asked_question_ids.append(question.question_id)
        turn = self._emit(
            persona.id,
            "question",
            question.text,
            question_id=question.question_id,
            category=question.category,
        )
        self.state.open_question = turn.index

    def _probe_handoff(self) -> bool:
        """A later interviewer may dig into what an earlier colleague noted (once per note)."""
        persona = self._persona()
        asked_here = sum(1 for t in self._slot_turns() if t.kind == "question")
        if asked_here == 0:
            return False
        for i, note in enumerate(self.session.handoff_notes):
            if i in self.state.probed_notes or not note.probe or note.from_persona == persona.id:
                continue
            if self._rng().random() >= self.pressure.follow_up_rate:
                return False
            self.state.probed_notes.append(i)
            colleague = self.personas.get(note.from_persona)
            detail = FollowUpDetail(
                colleague=colleague.name if colleague else "My colleague", note=note.probe
            )
            text = self.engine.follow_up(persona, self._context(), "handoff_probe", detail)
            turn = self._emit(
                persona.id, "question", text, category="behavioural", follow_up_reason="handoff_probe"
            )
            self.state.open_question = turn.index
            return True
        return False

    def _rules(self) -> RuleReadings:
        """Flow decisions read answers by rule, never on a model's verdict: through the engine's rule
        grader if it takes one (the LLM engine), so they follow the same grades as the judge (pinned
        ones, in the cassettes); else straight from the rubric."""
        rules: RuleReadings | None = getattr(self.engine, "rules", None)
        if rules is not None:
            return rules
        rubrics = getattr(self.engine, "rubrics", None) or _default_rubrics()
        return RubricReadings(rubrics.star)

    def _cut_in_at(self, text: str) -> int | None:
        """Where the interviewer cuts in: a ramble early, any answer past the hard limit (flow_policy)."""
        known = getattr(self, "_cut", None)  # asked twice per answer: read the words once
        if known is None or known[0] != text:
            self._cut = (text, cut_in_at(text, self.pressure, self._rules().reaches_a_result))
        return self._cut[1]

    def _take_answer(self, text: str, delivery: Delivery | None = None) -> None:
        question_turn = self.session.turns[self.state.open_question or 0]
        answer = self._emit(
            "candidate",
            "answer",
            text,
            spoken_words=self._cut_in_at(text),
            reply_to=question_turn.index,
            delivery=delivery,
        )
        self._after_answer(answer)

    def _after_answer(self, answer: Turn) -> None:
        """Grade the saved answer, then interrupt, follow up or move on (the rest of the step)."""
        persona = self._persona()
        self.state.consecutive_passes = 0
        if answer.grade is None:  # graded once: a step cut short after its grade keeps that grade
            answer.grade = self._grade(answer)
            if answer.grade.status == "fallback":
                answer.note = answer.grade.reason
        if answer.reply_grade is None:
            answer.reply_grade = self._grade_reply(answer)
        self._writes.graded.append(answer)
        if self._cut_in_at(answer.text) is not None:
            self._emit(persona.id, "interruption", self.engine.follow_up(persona, self._context(), "interruption",
                                                                        FollowUpDetail()))  # fmt: skip
        self._remark = self._remark_on(persona, answer)
        if self._stay_in_role(persona, answer):
            return
        reason, detail = self._follow_up_reason(answer.grade, answer)
        if reason is None:
            self._ask_next()
            return
        self.state.follow_ups_in_chain += 1
        text = self.engine.follow_up(persona, self._context(), reason, detail)
        turn = self._emit(
            persona.id, "follow_up", text, follow_up_reason=reason, category=self._root_category(answer.index)
        )
        self.state.open_question = turn.index

    def _role_play(self, answer: Turn) -> RolePlay | None:
        """The role-play the story's question set up, if it did (found by its id in this interviewer's bank)."""
        question_id = story_of(self.session.turns, answer.index).question.question_id
        persona = self._persona()
        bank = chain(persona.questions, *persona.family_questions.values())
        return next((q.role_play for q in bank if q.id == question_id), None) if question_id else None

    def _stay_in_role(self, persona: Persona, answer: Turn) -> bool:
        """A role-play goes on in character: the interviewer answers as the character for as many
        exchanges as this pressure allows follow-ups (at least one), then steps out of the role before
        the next question. True when the role-play decided what comes next."""
        role_play = self._role_play(answer)
        if role_play is None:
            return False
        job = self.session.job
        ungradable = answer.grade is not None and answer.grade.status == "ungradable"
        if self.state.follow_ups_in_chain < max(1, self.pressure.max_follow_ups) and not ungradable:
            self.state.follow_ups_in_chain += 1
            lines = tuple(fill(line, company=job.company, title=job.title) for line in role_play.replies)
            detail = FollowUpDetail(role=fill(role_play.character, company=job.company, title=job.title),
                                    role_lines=lines)  # fmt: skip
            text = self.engine.follow_up(persona, self._context(), "role_play", detail)
            turn = self._emit(persona.id, "follow_up", text, follow_up_reason="role_play",
                              category=self._root_category(answer.index))  # fmt: skip
            self.state.open_question = turn.index
            return True
        step_out = role_play.step_out[self._rng().randrange(len(role_play.step_out))]
        self._remark = f"{step_out} {self._remark}" if self._remark else step_out
        self._ask_next()
        return True

    def _remark_on(self, persona: Persona, answer: Turn) -> str | None:
        """Pay raised in an answer, or an answer off the question, is not let pass unremarked."""
        if answer.grade is None or persona.remarks is None:
            return None
        question = story_of(self.session.turns, answer.index).question.text
        due = remark_due(answer.text, question, answer.grade, self.session.job, self._rules().raises_pay)
        if due is None:
            return None
        lines = getattr(persona.remarks, due)
        return lines[self._rng().randrange(len(lines))]

    def _root_category(self, answer_index: int) -> str | None:
        return story_of(self.session.turns, answer_index).question.category

    def _grade(self, answer: Turn) -> AnswerGrade:
        """Grade the story so far: a follow-up's answer is graded together with the answer it completes."""
        return self.engine.grade(grade_request(self.session, answer.index))

    def _grade_reply(self, answer: Turn) -> ReplyGrade | None:
        """A follow-up's answer is also graded alone, on what that follow-up asked."""
        asked = next((t for t in self.session.turns if t.index == answer.reply_to), None)
        if asked is None or asked.kind != "follow_up":
            return None
        return self.engine.grade_reply(asked.text, answer.text, asked.follow_up_reason)

    def _follow_up_reason(
        self, grade: AnswerGrade, answer: Turn
    ) -> tuple[FollowUpReason | None, FollowUpDetail]:
        """The rule-made follow-up: what the answer lacked, if this interviewer presses for it."""
        none = (None, FollowUpDetail())
        # A fallback grade is a full rule grade: it drives follow-ups like an offline one.
        if self.state.follow_ups_in_chain >= self.pressure.max_follow_ups or grade.status == "ungradable":
            return none
        rng = self._rng()
        conflicts = grade.round_one_conflicts()
        if conflicts:
            if rng.random() < self.pressure.conflict_follow_up_rate:
                first = conflicts[0]
                return "round_one_conflict", FollowUpDetail(
                    round_one_quote=f"\u201c{first.round_one_quote}\u201d",
                    round_two_quote=f"\u201c{first.round_two_quote}\u201d",
                )
            return none
        story = " ".join(t.text for t in story_of(self.session.turns, answer.index).answers)
        reason = self._missing(grade, team_talk=talks_as_team(story))
        if reason is None or rng.random() >= self.pressure.follow_up_rate:
            return none
        return reason, FollowUpDetail()

    @staticmethod
    def _missing(grade: AnswerGrade, team_talk: bool = True) -> FollowUpReason | None:
        """What the answer lacked; "which part was yours?" only of a candidate who said "we" more than "I"."""
        flags = set(grade.flags)
        story = bool(grade.star)  # the grader fills STAR exactly when it graded the answer as a story
        star = {part: c.score for part, c in grade.star.items()}
        if story:
            if "hypothetical" in flags or star.get("situation", 1.0) < 0.3:
                return "situation"
            if "no_result" in flags or star.get("result", 1.0) < 0.3:
                return "result"
            if "we_not_i" in flags and team_talk:
                return "ownership"
            if star.get("action", 1.0) < 0.3:
                return "action"
            if "no_numbers" in flags:
                return "numbers"
            if star.get("task", 1.0) < 0.2:
                return "task"
        if "vague" in flags:
            return "vague"
        return None

    def _take_pass(self, text: str) -> None:
        self._emit("candidate", "pass", text, reply_to=self.state.open_question)
        self._after_pass()

    def _after_pass(self) -> None:
        self.state.consecutive_passes += 1
        if self.state.consecutive_passes >= PASSES_BEFORE_MOVING_ON:
            self._invite()
        else:
            self._ask_next()

    def _invite(self) -> None:
        if self.session.plan.drill is not None:  # a drill ends with its questions (simulator/practice/)
            self._close_slot()
            return
        persona = self._persona()
        self.state.open_question = None
        self.state.phase = "candidate_questions"
        self._emit(persona.id, "invite_questions", self.engine.invite_questions(persona, self._context()))

    def _take_candidate_question(self, text: str) -> None:
        self._emit("candidate", "candidate_question", text)
        self._after_candidate_question(text)

    def _after_candidate_question(self, text: str) -> None:
        persona = self._persona()
        said = classify(text)
        if said == "decline":  # "thanks, no more questions": not answered as a question; the slot closes
            self._close_slot()
            return
        self._emit(
            persona.id, "interviewer_answer", self.engine.answer_candidate(persona, self._context(), text)
        )
        if said == "question":  # thanks alone does not use up a question
            self.state.candidate_questions_in_slot += 1
        slot = self.session.plan.slots[self.state.slot]
        over_time = self._slot_minute() >= slot.minutes + self.pressure.clock_grace_minutes + 5
        if self.state.candidate_questions_in_slot >= MAX_CANDIDATE_QUESTIONS or over_time:
            self._close_slot()

    def _close_slot(self) -> None:
        persona = self._persona()
        self.state.open_question = None
        slot = self.session.plan.slots[self.state.slot]
        signs = wrap_up_signs(persona, self._slot_turns(), slot.minutes, rubric=self.wrap_up_rubric)
        ctx = self._context()
        self._emit(persona.id, "wrap_up", self.engine.wrap_up(persona, ctx, signs.signs))
        self.session.wrap_up_signs.append(signs)
        note = self.engine.handoff_note(persona, self._context())
        self.session.handoff_notes.append(note)
        last = self.state.slot + 1 >= len(self.session.plan.slots) or self.session.status == "ended_early"
        next_persona = (
            None if last else self.personas[self.session.plan.slots[self.state.slot + 1].persona_id]
        )
        self._emit(persona.id, "handoff", self.engine.hand_off(persona, next_persona, self._context()))
        if last:
            self._close_session()
            return
        self.state.slot += 1
        self._open_slot()

    def _close_session(self) -> None:
        self.state.phase = "closed"
        self.state.open_question = None
        if self.session.status == "in_progress":
            self.session.status = "complete"
        self.session = self._close(self.session)
        self._writes.closed = True
