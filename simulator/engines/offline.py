"""The offline engine: no key, no network, deterministic for a seed.

Interviewers speak from their persona files (question banks, follow-up lines, answers to the
candidate's questions) with the job's skills filled in; answers are graded by the rule-based grader.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from functools import cache
from itertools import chain
from pathlib import Path

import yaml

from simulator.candidate_turns import classify
from simulator.catalog import Rubrics
from simulator.engines.base import AskedQuestion, FollowUpDetail, GradeRequest, SlotContext
from simulator.flow_policy import raises_pay, reaches_a_result, talks_as_team
from simulator.grading.grader import grade_answer
from simulator.grading.reply import grade_reply, need_for
from simulator.grading.semantic import default_meaning
from simulator.models import (
    AnswerGrade,
    BankQuestion,
    FollowUpReason,
    HandoffNote,
    Persona,
    ReplyGrade,
    Turn,
)
from simulator.setup_facts import SetupFacts, facts_for, setup_facts, without_conflicts
from simulator.skills import job_family
from simulator.story_chains import story_of

NOTES = Path(__file__).resolve().parent.parent / "data" / "handoff_notes.yaml"
_WORD = re.compile(r"[a-z0-9']+")
_STOP = frozenset(
    "a an the and or but of to in on for with at by from about what how why when do does did you your is are "
    "was were be been it this that i me my we our us they their there here have has had can could would should will tell time".split()
)


@cache
def _note_templates() -> dict[str, str]:
    return yaml.safe_load(NOTES.read_text(encoding="utf-8"))


class _Slots(dict[str, str]):
    """Leaves an unknown `{slot}` as written rather than failing mid-interview."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **values: str) -> str:
    return string.Formatter().vformat(template, (), _Slots(values))


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def too_similar(text: str, earlier: list[str], threshold: float = 0.6) -> bool:
    words = content_words(text)
    for other in earlier:
        theirs = content_words(other)
        if words and theirs and len(words & theirs) / len(words | theirs) >= threshold:
            return True
    return False


def short_topic(question: str, max_words: int = 10) -> str:
    """The start of a question, to name an answer in a note: 'Tell me about a time you...'."""
    first = re.split(r"(?<=[.?!])\s", question.strip(), maxsplit=1)[0]
    words = first.split()
    topic = " ".join(words[:max_words]).rstrip(".,;:!?")
    return f"{topic}..." if len(words) > max_words else topic


class OfflineEngine:
    name = "offline"
    model = "rules"

    def __init__(self, rubrics: Rubrics):
        self.rubrics = rubrics

    # ------------------------------------------------------------ speaking

    def _pick(self, ctx: SlotContext, lines: list[str]) -> str:
        return lines[ctx.rng.randrange(len(lines))]

    def _slots(self, persona: Persona, ctx: SlotContext) -> dict[str, str]:
        return {
            "company": ctx.job.company,
            "title": ctx.job.title,
            "name": persona.name,
            "my_title": persona.title,
            # Said only when known, so a 15-minute slot never hears "about twenty minutes".
            "minutes": f"about {ctx.slot_minutes}" if ctx.slot_minutes else "a few",
        }

    def introduce(self, persona: Persona, ctx: SlotContext) -> str:
        return fill(self._pick(ctx, persona.intro), **self._slots(persona, ctx))

    def next_question(self, persona: Persona, ctx: SlotContext) -> AskedQuestion | None:
        bank = self._bank(persona, ctx)
        open_questions = [
            q for q in bank if q.id not in ctx.asked_question_ids and not too_similar(q.text, ctx.asked_texts)
        ]
        if not open_questions:
            return None
        if ctx.want_curveball and any(q.curveball for q in open_questions):
            open_questions = [q for q in open_questions if q.curveball]
        family = job_family(ctx.job)
        role_specific = {q.id for q in persona.family_questions.get(family, [])} if family else set()
        question = self._by_coverage(bank, ctx, open_questions, role_specific)
        return AskedQuestion(
            text=fill(question.text, skill=self._next_skill(ctx), **self._slots(persona, ctx)),
            category=question.category,
            competency=question.competency,
            question_id=question.id,
        )

    @staticmethod
    def _bank(persona: Persona, ctx: SlotContext) -> list[BankQuestion]:
        """The questions that fit this job: the role family's first, then the general ones that fit it.

        A question tagged with families (an engineering work sample, say) is asked only in those.
        """
        family = job_family(ctx.job)
        general = [q for q in persona.questions if not q.families or family in q.families]
        return [*persona.family_questions.get(family, []), *general] if family else general

    def _by_coverage(
        self,
        bank: list[BankQuestion],
        ctx: SlotContext,
        candidates: list[BankQuestion],
        role_specific: set[str],
    ) -> BankQuestion:
        """Prefer the category this interviewer has covered least, relative to how much of the bank it is;
        within it, the role family's own questions."""
        bank_share = Counter(q.category for q in bank)
        asked = Counter(t.category for t in ctx.slot_turns if t.kind == "question" and t.category)
        # Questions that name a skill are worth more when the job actually lists skills.
        has_real_skills = not ctx.skills[0].startswith("the core work of")

        def need(q: BankQuestion) -> float:
            skill_bonus = 0.05 if has_real_skills and "{skill}" in q.text else 0
            role_bonus = 0.2 if q.id in role_specific else 0  # a question written for this kind of job
            return asked[q.category] / bank_share[q.category] - skill_bonus - role_bonus

        # Ties go to the category the bank holds most of: an interviewer opens on their main ground.
        def rank(q: BankQuestion) -> tuple[float, float]:
            return (round(need(q), 6), -bank_share[q.category])

        lowest = min(rank(q) for q in candidates)
        best = [q for q in candidates if rank(q) == lowest]
        return best[ctx.rng.randrange(len(best))]

    def _next_skill(self, ctx: SlotContext) -> str:
        """Rotate through the job's skills so one interviewer does not ask about the same one twice."""
        used = Counter(s for s in ctx.skills for t in ctx.slot_turns if t.kind == "question" and s in t.text)
        fewest = min(used[s] for s in ctx.skills)
        options = [s for s in ctx.skills if used[s] == fewest]
        return options[ctx.rng.randrange(len(options))]

    def follow_up(
        self, persona: Persona, ctx: SlotContext, reason: FollowUpReason, detail: FollowUpDetail
    ) -> str:
        if reason == "role_play":  # in character: a line of the role not yet said in this talk
            said = {t.text for t in ctx.slot_turns}
            fresh = [line for line in detail.role_lines if line not in said]
            return self._pick(ctx, fresh or list(detail.role_lines))
        line = self._pick(ctx, getattr(persona.follow_ups, reason))
        return fill(
            line,
            round_one_quote=detail.round_one_quote,
            round_two_quote=detail.round_two_quote,
            colleague=detail.colleague,
            note=detail.note,
            **self._slots(persona, ctx),
        )

    def invite_questions(self, persona: Persona, ctx: SlotContext) -> str:
        return fill(self._pick(ctx, persona.invite_questions), **self._slots(persona, ctx))

    def answer_candidate(self, persona: Persona, ctx: SlotContext, question: str) -> str:
        """An answer grounded in the setup and the persona, never contradicting the job.

        Thanks get a brief reply. Otherwise: what the job description and research notes say on the
        topic (if this interviewer speaks to it), then the persona's prepared answer with any
        sentence that contradicts the setup left out; what they honestly do not know; the fallback.
        """
        slots = self._slots(persona, ctx)
        knowledge = persona.knowledge
        if classify(question) == "thanks" and knowledge:
            return fill(self._pick(ctx, knowledge.thanks), **slots)
        already = {t.text for t in ctx.slot_turns if t.kind == "interviewer_answer"}
        setup = setup_facts(ctx.job)
        said = " ".join(already)
        facts = [
            f.text
            for f in facts_for(setup, question, knowledge.speaks_to if knowledge else None)
            if f.text not in said
        ]
        grounded = ""
        if facts:
            opener = self._pick(ctx, knowledge.fact_openers) if knowledge else "{fact}"
            grounded = fill(opener, fact=" ".join(facts), **slots)
        prepared = self._prepared(persona, ctx, question, setup, already)
        if grounded and prepared:
            return f"{grounded} {prepared}"
        if grounded or prepared:
            return grounded or prepared
        gap = self._gap(persona, question)
        if gap:
            return fill(gap, **slots)
        return fill(persona.fallback_answer, **slots)

    def _prepared(
        self, persona: Persona, ctx: SlotContext, question: str, setup: SetupFacts, already: set[str]
    ) -> str:
        """The prepared answer whose keywords best match, less what would contradict the setup."""
        asked = question.lower()
        scored = []
        for entry in persona.candidate_answers:
            hits = sum(1 for k in entry.keywords if re.search(rf"\b{re.escape(k.lower())}", asked))
            if hits:
                scored.append((hits, entry.answer))
        scored.sort(key=lambda pair: -pair[0])
        for _, answer in scored:
            text = without_conflicts(fill(answer, **self._slots(persona, ctx)), setup)
            if text and text not in already:
                return text
        return ""

    @staticmethod
    def _gap(persona: Persona, question: str) -> str | None:
        """What this interviewer honestly does not know, said plainly, when the question is about it."""
        if not persona.knowledge:
            return None
        asked = question.lower()
        for gap in persona.knowledge.does_not_know:
            if any(re.search(rf"\b{re.escape(k)}", asked) for k in gap.keywords):
                return gap.says
        return None

    def wrap_up(self, persona: Persona, ctx: SlotContext, signs: list[str]) -> str:
        chosen = [s for s in signs if hasattr(persona.wrap_up, s)] or ["brisk_close"]
        lines = [
            fill(self._pick(ctx, getattr(persona.wrap_up, s)), **self._slots(persona, ctx)) for s in chosen
        ]
        return " ".join(lines)

    def hand_off(self, persona: Persona, next_persona: Persona | None, ctx: SlotContext) -> str:
        if next_persona is None:
            return fill(self._pick(ctx, persona.farewell), **self._slots(persona, ctx))
        return fill(
            self._pick(ctx, persona.handoff),
            next_name=next_persona.name,
            next_title=next_persona.title,
            **self._slots(persona, ctx),
        )

    def handoff_note(
        self, persona: Persona, ctx: SlotContext, unchecked: frozenset[str] = frozenset()
    ) -> HandoffNote:
        """What this interviewer tells the next: one strength, and one concern worth probing.

        `unchecked`: lines a model said that only passed on a second try (re-asked after failing the
        transcript checks). A question said that way is named as the persona file words it.
        """
        notes = _note_templates()
        strengths: list[str] = []
        concerns: list[str] = []
        passes = 0
        # A story's last answer carries the grade of the whole story, follow-ups included: an earlier
        # answer's gap that a follow-up filled is not a concern any more.
        told_on = {
            earlier.index
            for t in ctx.slot_turns
            if t.kind == "answer"
            for earlier in story_of(ctx.slot_turns, t.index).answers[:-1]
        }
        for turn in ctx.slot_turns:
            if turn.kind == "pass":
                passes += 1
            grade = turn.grade
            # A fallback grade is the rules' own grade (the judge gave none): evidence like any other.
            graded = grade is not None and grade.status in ("graded", "fallback")
            if turn.kind != "answer" or grade is None or not graded or turn.index in told_on:
                continue
            story = story_of(ctx.slot_turns, turn.index)
            opening = story.question
            if opening.follow_up_reason == "handoff_probe":
                continue  # already a colleague's concern; don't pass it on again
            asked = self._as_written(persona, ctx, opening) if opening.text in unchecked else opening.text
            topic = short_topic(asked)
            if grade.round_one_conflicts():
                concerns.append(fill(notes["contradiction"], topic=topic))
            elif "hypothetical" in grade.flags:
                concerns.append(fill(notes["hypothetical"], topic=topic))
            elif "no_result" in grade.flags:
                concerns.append(fill(notes["no_result"], topic=topic))
            elif "we_not_i" in grade.flags and talks_as_team(" ".join(t.text for t in story.answers)):
                concerns.append(fill(notes["we_not_i"], topic=topic))
            elif "vague" in grade.flags:
                concerns.append(fill(notes["vague"], topic=topic))
            elif (grade.overall or 0) >= 4:
                strengths.append(fill(notes["strength"], topic=topic))
        parts = strengths[:1] + [c[0].upper() + c[1:] + "." for c in concerns[:1]]
        if passes:
            parts.append(fill(notes["passes"], count=str(passes)))
        return HandoffNote(
            from_persona=persona.id,
            text=" ".join(parts) or notes["nothing_to_flag"],
            probe=concerns[0] if concerns else None,
        )

    def _as_written(self, persona: Persona, ctx: SlotContext, asked: Turn) -> str:
        """A question as the persona file words it, with the job filled in: what a note names an answer
        by when the model's line for it cannot be trusted to travel to the next interviewer."""
        bank = chain(persona.questions, *persona.family_questions.values())
        question = next((q for q in bank if q.id == asked.question_id), None) if asked.question_id else None
        if question is None:
            return asked.text  # not from the bank: a colleague's probe, said by rule from its note
        slots = self._slots(persona, ctx)
        skills = [s for s in ctx.skills if s in asked.text] or ctx.skills[:1] or ["your field"]
        return fill(question.text, skill=skills[0], **slots)

    # ------------------------------------------------------------ grading

    def grade(self, request: GradeRequest) -> AnswerGrade:
        return grade_answer(request, self.rubrics, engine=self.name)

    def raises_pay(self, answer: str, question: str) -> bool:
        return raises_pay(answer, question, self.rubrics.star)

    def reaches_a_result(self, answer: str) -> bool:
        return reaches_a_result(answer, self.rubrics.star)

    def grade_reply(self, follow_up: str, reply: str, reason: str | None) -> ReplyGrade:
        replies, star = self.rubrics.replies, self.rubrics.star
        need = need_for(reason, replies)
        return grade_reply(
            follow_up, reply, replies, star, meaning=default_meaning(), need=need, engine=self.name
        )
