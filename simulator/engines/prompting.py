"""Prompts from the template files in simulator/prompts, trimmed to a token budget.

Every interviewer call is two messages: a system message that restates the persona (so the voice
does not drift over a long loop) and a user message with the context (the job, round one, the
colleagues' hand-off notes, the recent transcript) followed by the task. When the context is over
budget, the transcript keeps its newest turns and the job and round one are shortened first to
their shares of the budget, so the task itself is never cut.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from simulator.engines.base import SlotContext
from simulator.engines.tokens import TokenCounter
from simulator.models import HandoffNote, Job, Persona, RoundOne, Turn

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
DIMENSION_WORDS = {
    "job_skills": "depth in the skills the job needs",
    "culture_fit": "how they would fit the way the team works",
    "long_term_potential": "where they could grow in a few years",
    "pressure_and_ambiguity": "judgement under pressure and ambiguity",
    "collaboration": "how they work with others",
    "cross_functional_influence": "influence across functions without authority",
    "structure": "clear, well-told stories that end in a result",
    "consistency": "consistency with what they said in round one",
}
# Shares of the context budget each section may use before the transcript takes the rest.
JOB_SHARE = 0.25
ROUND_ONE_SHARE = 0.25
NOTES_SHARE = 0.10
TRANSCRIPT_WINDOW = 10  # turns: older ones add cost and little the interviewer needs
SLOT_VALUE_TOKENS = 400  # a single value put into a task (a candidate's question, a quote)


@cache
def template_text(name: str) -> str:
    return (PROMPTS / f"{name}.txt").read_text(encoding="utf-8")


def template_hash(*names: str, extra: str = "") -> str:
    """Short SHA-256 over the templates (and anything rendered into them that shapes every call)."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(template_text(name).encode())
    digest.update(extra.encode())
    return digest.hexdigest()[:16]


def render(template: str, /, **slots: str) -> str:
    """Fill a template; a missing slot is a programming error and fails loudly."""
    return Template(template_text(template)).substitute(slots).strip()


@cache
def keyed_lines(name: str) -> dict[str, str]:
    """`key: text` lines of a small template file; `#` starts a comment."""
    out: dict[str, str] = {}
    for line in template_text(name).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, text = line.partition(":")
            out[key.strip()] = text.strip()
    return out


@dataclass(frozen=True)
class Prompt:
    task: str
    messages: list[BaseMessage]
    template_hash: str
    tokens: int
    omitted_turns: int = 0


def speaker_label(turn: Turn, colleagues: dict[str, Persona], me: Persona) -> str:
    if turn.speaker == "candidate":
        return "Candidate"
    if turn.speaker == me.id:
        return f"{me.name} (you)"
    other = colleagues.get(turn.speaker)
    return other.name if other else turn.speaker


def transcript_lines(turns: list[Turn], colleagues: dict[str, Persona], me: Persona) -> list[str]:
    return [f"{speaker_label(t, colleagues, me)}: {t.text}" for t in turns if t.kind != "notice"]


def round_one_lines(round_one: RoundOne) -> list[str]:
    lines = [f"Q: {qa.question}\nA: {qa.answer}" for qa in round_one.answers]
    if round_one.notes.strip():
        lines.append(f"Notes: {round_one.notes.strip()}")
    return lines


def note_lines(notes: list[HandoffNote], colleagues: dict[str, Persona]) -> list[str]:
    lines = []
    for note in notes:
        who = colleagues.get(note.from_persona)
        label = f"{who.name} ({who.title})" if who else note.from_persona
        lines.append(f"{label}: {note.text}")
    return lines


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2 or w.isdigit()}


def fit_by_relevance(lines: list[str], query: str, counter: TokenCounter, budget: int) -> str:
    """The lines within the budget, the most relevant kept whole: ranked by the words they share with
    the query (the question and answer at hand), the least relevant left out, so a round-one answer
    keeps its result figures instead of losing its end. Kept lines stay in their order."""
    if not lines:
        return ""
    text = "\n".join(lines)
    if counter.count(text) <= budget:
        return text
    wanted = _words(query)
    ranked = sorted(range(len(lines)), key=lambda i: -len(_words(lines[i]) & wanted))
    kept: list[int] = []
    used = 0
    for index in ranked:
        cost = counter.count(lines[index]) + 1
        if used + cost <= budget:
            kept.append(index)
            used += cost
    if not kept:  # even the most relevant line alone is too long: keep its start
        return counter.truncate(lines[ranked[0]], budget)
    left_out = len(lines) - len(kept)
    note = f"\n({left_out} less relevant round-one items left out)" if left_out else ""
    return "\n".join(lines[i] for i in sorted(kept)) + note


class PromptBuilder:
    def __init__(self, counter: TokenCounter, budget: int):
        self.counter = counter
        self.budget = budget

    # ------------------------------------------------------------ pieces

    def fit_value(self, text: str) -> str:
        return self.counter.truncate(text.strip(), SLOT_VALUE_TOKENS)

    def _fit_lines(self, lines: list[str], budget: int) -> str:
        """Every line kept, each shortened evenly when together they are over budget."""
        if not lines:
            return ""
        text = "\n".join(lines)
        if self.counter.count(text) <= budget:
            return text
        each = max(budget // len(lines) - 1, 12)
        return "\n".join(self.counter.truncate(line, each) for line in lines)

    def job_block(self, job: Job, budget: int) -> dict[str, str]:
        description = self.counter.truncate(job.description.strip(), int(budget * 0.7))
        notes = job.research_notes.strip()
        notes = f"Research notes: {self.counter.truncate(notes, int(budget * 0.3))}" if notes else ""
        return {
            "job_title": job.title,
            "company": job.company,
            "level": f" ({job.level})" if job.level else "",
            "job_description": description,
            "research_notes": notes,
        }

    def persona_system(self, persona: Persona, job: Job, max_sentences: int) -> str:
        return render(
            "interviewer_system",
            name=persona.name,
            title=persona.title,
            company=job.company,
            job_title=job.title,
            relationship=persona.relationship.strip(),
            voice=persona.voice.strip(),
            style="\n".join(f"- {habit}" for habit in persona.style),
            evaluates=", ".join(DIMENSION_WORDS.get(d, d) for d in persona.evaluates),
            max_sentences=str(max_sentences),
        )

    # ------------------------------------------------------------ the interviewer's prompt

    def speaking(
        self,
        task: str,
        persona: Persona,
        ctx: SlotContext,
        slots: Mapping[str, str] | None = None,
        *,
        max_sentences: int = 4,
        window: int | None = TRANSCRIPT_WINDOW,
        budget: int | None = None,
    ) -> Prompt:
        """The two messages for one interviewer turn: `slots` fill the task template.

        `budget=None` uses the builder's budget; `window=None` keeps every turn that fits.
        """
        budget = budget or self.budget
        system = self.persona_system(persona, ctx.job, max_sentences)
        task_text = render(f"task_{task}", **(slots or {}))
        skeleton = render("context", **dict.fromkeys(_CONTEXT_SLOTS, ""), task=task_text)
        room = max(budget - self.counter.count_messages([system, skeleton]), 0)

        job = self.job_block(ctx.job, int(room * JOB_SHARE))
        lines = transcript_lines(ctx.slot_turns, ctx.colleagues, persona)
        recent = lines[-window:] if window else lines
        # What round one the interviewer needs is what the talk is about now.
        about = " ".join([*recent[-4:], *(slots or {}).values()])
        round_one = fit_by_relevance(
            round_one_lines(ctx.round_one), about, self.counter, int(room * ROUND_ONE_SHARE)
        )
        notes = self._fit_lines(note_lines(ctx.handoff_notes, ctx.colleagues), int(room * NOTES_SHARE))
        used = sum(self.counter.count(v) for v in (*job.values(), round_one, notes))
        kept, dropped = self.counter.keep_newest(recent, max(room - used, 0))
        omitted = len(lines) - len(recent) + dropped
        context = render(
            "context",
            **job,
            round_one=round_one or "(nothing recorded)",
            handoff_notes=notes or "(none yet: you are the first today)",
            omitted=f" ({omitted} earlier turns left out)" if omitted else "",
            transcript="\n".join(kept) or "(you have not spoken yet)",
            task=task_text,
        )
        return Prompt(
            task=task,
            messages=[SystemMessage(system), HumanMessage(context)],
            template_hash=template_hash("interviewer_system", "context", f"task_{task}"),
            tokens=self.counter.count_messages([system, context]),
            omitted_turns=omitted,
        )


_CONTEXT_SLOTS = (
    "job_title",
    "company",
    "level",
    "job_description",
    "research_notes",
    "round_one",
    "handoff_notes",
    "omitted",
    "transcript",
)
