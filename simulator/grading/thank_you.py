"""Thank-you notes: a draft per interviewer, and a check of a note the user wrote.

A good note is personal (to that interviewer, by name), names something specific from that
conversation, says once that you are interested without gushing, and goes out within a day.
The thresholds and cue lists are the `thank_you_follow_up` item of rubrics/checklist.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from simulator.grading.session_rubric import ChecklistRubric, NoSalaryTooEarly, ThankYouFollowUp
from simulator.grading.stories import StoryMatcher, bank_title
from simulator.grading.text_match import (
    STOPWORDS,
    content_words,
    find_cues,
    has_cue,
    shorten,
    stem,
    tokens,
    word_count,
)
from simulator.grading.transcript import Story, candidate_questions, reply_to_candidate, slot_turns, stories
from simulator.models import Persona, Session, Strict, ThankYouDraft, Turn

Criterion = Literal["personal", "specific", "interest", "timely"]
_THIRD_PERSON = {"he", "she", "his", "her", "him", "hers", "himself", "herself", "they", "their", "them"}
BANK_MATCH = 0.25  # how closely a story must match a story-bank entry for the note to name it
DRAFT_WORDS = Path(__file__).resolve().parent.parent / "data" / "thank_you.yaml"

# How a question opens, so "Tell me about a time you..." can be retold as "a time I...".
_QUESTION_LEADS = re.compile(
    r"^(?:so,?\s+)?(?:(?:can|could|would) you\s+)?(?:please\s+)?"
    r"(?:tell me about|tell us about|walk me through|talk me through|take me through|describe|"
    r"give me an example of|share an example of|share)\s+",
    re.IGNORECASE,
)
_PRONOUNS = {
    "you": "I",
    "your": "my",
    "yours": "mine",
    "yourself": "myself",
    "you're": "I'm",
    "you've": "I've",
    "you'd": "I'd",
    "you'll": "I'll",
}


def _default_spec() -> ThankYouFollowUp:
    return ThankYouFollowUp(
        id="thank_you_follow_up",
        title="Thank-you notes sent",
        advice="Send each interviewer a short, specific note within a day.",
    )


def checklist_rubric(rubric: ChecklistRubric | None) -> ChecklistRubric:
    """The rubric given, else the one in the rubrics folder: the cue lists live only there."""
    if rubric is not None:
        return rubric
    from simulator.catalog import load_model, rubrics_dir  # deferred: callers in a session pass it

    return load_model(rubrics_dir() / "checklist.yaml", ChecklistRubric)


def thank_you_spec(rubric: ChecklistRubric | None) -> ThankYouFollowUp:
    """The `thank_you_follow_up` item; bare defaults if the rubric leaves it out."""
    return checklist_rubric(rubric).spec(ThankYouFollowUp) or _default_spec()


def first_name(persona: Persona) -> str:
    parts = [p for p in persona.name.split() if not p.endswith(".")]
    return parts[0] if parts else persona.name


# ---------------------------------------------------------------- drafting


def question_gist(question: str, max_words: int = 16) -> str | None:
    """ "Tell me about a time you missed a deadline." -> "a time I missed a deadline"; None if it
    does not open like a request for a story."""
    first = re.split(r"(?<=[.?!])\s+", question.strip())[0]
    m = _QUESTION_LEADS.match(first)
    if not m:
        return None
    rest = first[m.end() :].rstrip(" ?.!")
    words = [_PRONOUNS.get(w.lower(), w) for w in rest.split()]
    return shorten(" ".join(words), max_words) if words else None


def _topic_of(question: str, persona: Persona) -> str | None:
    """The persona's own topic for a question the candidate asked (how they chose their answer).

    Topics are written about the interviewer ("what she enjoys here"); one that speaks of them in
    the third person cannot be said to them, so the note quotes the question instead.
    """
    low = question.lower()
    for answer in persona.candidate_answers:
        if any(k.lower() in low for k in answer.keywords):
            third_person = _THIRD_PERSON & set(answer.topic.lower().split())
            return None if third_person else answer.topic
    return None


def _best_story(told: Sequence[Story]) -> Story | None:
    """The best-graded story, preferring one whose question retells well ("a time I ...")."""
    scored = [s for s in told if s.grade is not None and s.grade.overall is not None]
    if not scored:
        return None
    return max(
        scored,
        key=lambda s: (s.overall or 0, question_gist(s.question_text) is not None, -s.first.answer.index),
    )


def _bank_entry(story: Story, session: Session) -> str | None:
    """The story-bank entry this story retells, if it clearly retells one."""
    if not session.story_bank:
        return None
    matcher = StoryMatcher([story.text], session.story_bank)
    entry, similarity = matcher.best_bank_entry(matcher.vector(story.text))
    return entry if similarity >= BANK_MATCH else None


class DraftWords(Strict):
    """data/thank_you.yaml: the drafts' wording."""

    openers: list[str] = Field(min_length=1)
    topic_line: str
    answered_line: str
    story_line: str
    quoted_story_line: str
    chance_bank: str
    chance_plain: str
    max_quoted_words: int = Field(18, ge=3)
    closings_by_persona: dict[str, str] = Field(default_factory=dict)
    closings: list[str] = Field(min_length=1)
    non_answers: list[str] = Field(default_factory=list)


@cache
def draft_words(path: Path = DRAFT_WORDS) -> DraftWords:
    from simulator.catalog import load_model  # deferred: catalog imports the grading package

    return load_model(path, DraftWords)


def _closing(persona: Persona, session: Session, words: DraftWords) -> str:
    """This interviewer's own closing, or the next general one none of the loop's others takes."""
    own = words.closings_by_persona.get(persona.id)
    if own:
        return own
    others = [s.persona_id for s in session.plan.slots if s.persona_id not in words.closings_by_persona]
    position = others.index(persona.id) if persona.id in others else 0
    return words.closings[position % len(words.closings)]


def _opener(persona: Persona, session: Session, words: DraftWords) -> str:
    slots = [s.persona_id for s in session.plan.slots]
    position = slots.index(persona.id) if persona.id in slots else 0
    job = session.job
    template = words.openers[position % len(words.openers)]
    return template.replace("{title}", job.title).replace("{company}", job.company)


def _answered(reply: Turn | None, words: DraftWords) -> bool:
    """A reply that answered the question: a deflection is never thanked for."""
    if reply is None or len(reply.text.split()) < 12:
        return False
    return not has_cue(reply.text, words.non_answers)


def _about(question: str, words: DraftWords) -> tuple[str, str] | None:
    """How the note names one of their questions, whole: retold ("a time I ...") or quoted."""
    gist = question_gist(question, max_words=1000)
    if gist and len(gist.split()) <= words.max_quoted_words:
        return "gist", gist
    first = re.split(r"(?<=[.?!])\s+", question.strip())[0]
    if len(first.split()) <= words.max_quoted_words:
        return "question", first
    return None


def draft_thank_you(
    persona: Persona, session: Session, rubric: ChecklistRubric | None = None
) -> ThankYouDraft:
    """A short note naming what happened in this conversation, with interest said once.

    It thanks them only for what they did: an answer to the candidate's question that was an
    answer, and their question the candidate answered best; questions are named whole, never cut.
    Opening and closing differ for each interviewer of the loop (data/thank_you.yaml).
    """
    rubric = checklist_rubric(rubric)
    spec = thank_you_spec(rubric)
    words = draft_words()
    mine = slot_turns(session.turns, persona.id)
    told = stories(mine)
    specific: list[str] = []

    # Thanking someone for the salary talk would remind them of it: pick another question.
    salary = rubric.spec(NoSalaryTooEarly)
    money = salary.cues if salary else []
    asked = [
        q
        for q in candidate_questions(mine)
        if _answered(reply_to_candidate(mine, q), words) and "?" in q.text and not has_cue(q.text, money)
    ]
    topic = next((t for t in (_topic_of(q.text, persona) for q in asked) if t), None)
    if topic:
        specific.append(words.topic_line.replace("{topic}", topic))
    elif asked:
        specific.append(words.answered_line)

    best = _best_story(told) or (told[0] if told else None)
    about = _about(best.question_text, words) if best is not None and best.question_text else None
    if best is not None and about is not None:
        entry = _bank_entry(best, session)
        chance = words.chance_bank.replace("{story}", bank_title(entry)) if entry else words.chance_plain
        kind, text = about
        line = words.story_line.replace("{gist}", text) if kind == "gist" else words.quoted_story_line
        line = line.replace("{question}", text).replace("{chance}", chance)
        specific.append(line.replace("{also}", " also" if specific else ""))

    text = "\n\n".join(
        [
            f"Hi {first_name(persona)},",
            " ".join([_opener(persona, session, words), *specific]),
            _closing(persona, session, words),
            "Best regards,\n[Your name]",
        ]
    )
    return ThankYouDraft(
        persona_id=persona.id, to=persona.name, text=text, send_within_hours=spec.within_hours
    )


# ---------------------------------------------------------------- checking a note


class ThankYouCriterion(Strict):
    id: Criterion
    reason: str


class ThankYouCheck(Strict):
    """The check of one note: what it does well, what to fix, and what could not be checked."""

    persona_id: str
    passed: list[ThankYouCriterion] = Field(default_factory=list)
    failed: list[ThankYouCriterion] = Field(default_factory=list)
    not_checked: list[ThankYouCriterion] = Field(default_factory=list)
    specific_terms: list[str] = Field(default_factory=list, description="words the note shares with the talk")

    @property
    def ok(self) -> bool:
        return not self.failed


def _conversation_words(persona: Persona, session: Session, spec: ThankYouFollowUp) -> dict[str, str]:
    """Stem -> a word as spoken, for the content words of this slot that say something specific.

    Words of the job ad count for every conversation, so they are not specific to this one.
    """
    job = session.job
    common = " ".join([*spec.generic_terms, persona.name, job.title, job.company, job.description])
    generic = {stem(w) for w in tokens(common)}
    words: dict[str, str] = {}
    for turn in slot_turns(session.turns, persona.id):
        if turn.kind in ("intro", "wrap_up", "handoff", "notice", "pass"):
            continue  # greetings and goodbyes are the same in every conversation
        for raw in tokens(turn.text):
            s = stem(raw)
            if len(s) >= 3 and raw not in STOPWORDS and s not in generic and not raw[0].isdigit():
                words.setdefault(s, raw)
    return words


def check_thank_you(
    note: str,
    persona: Persona,
    session: Session,
    hours_after: float | None,
    rubric: ChecklistRubric | None = None,
) -> ThankYouCheck:
    spec = thank_you_spec(rubric)
    check = ThankYouCheck(persona_id=persona.id)

    def mark(ok: bool, criterion: Criterion, reason: str) -> None:
        (check.passed if ok else check.failed).append(ThankYouCriterion(id=criterion, reason=reason))

    # Personal: addressed to this interviewer by name.
    names = [p for p in persona.name.split() if not p.endswith(".")]
    named = [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", note, re.IGNORECASE)]
    if named:
        mark(True, "personal", f"addressed to {persona.name} by name")
    else:
        mark(
            False,
            "personal",
            f"does not name {persona.name}: open with \u201cHi {first_name(persona)},\u201d",
        )

    # Specific: shares words with what was actually said in this conversation.
    conversation = _conversation_words(persona, session, spec)
    shared = sorted({conversation[w] for w in content_words(note, spec.generic_terms) if w in conversation})
    check.specific_terms = shared
    if len(shared) >= spec.min_specific_terms:
        mark(True, "specific", f"names things from your conversation: {', '.join(shared[:6])}")
    else:
        hint = f" (only {', '.join(shared)})" if shared else ""
        mark(
            False,
            "specific",
            f"too generic{hint}: name something from your talk with {first_name(persona)}, such as a "
            f"question they asked or their answer to yours",
        )

    # Interest: said, but not overdone.
    words = word_count(note)
    interest = find_cues(note, spec.interest_cues)
    enthusiasm = [h.cue for h in find_cues(note, spec.enthusiasm_cues)]
    exclamations = note.count("!")
    problems = []
    if not interest:
        problems.append("never says you are still interested in the role")
    if len(enthusiasm) > spec.max_enthusiasm:
        problems.append(f"overdoes it: {len(enthusiasm)} enthusiastic words ({', '.join(enthusiasm)})")
    if exclamations > spec.max_exclamations:
        problems.append(f"{exclamations} exclamation marks; keep it to {spec.max_exclamations} or fewer")
    if words > spec.max_words:
        problems.append(f"{words} words is long for a thank-you; aim for under {spec.max_words}")
    if words < spec.min_words:
        problems.append(f"{words} words is too short to say anything specific")
    if problems:
        mark(False, "interest", "; ".join(problems))
    else:
        mark(
            True,
            "interest",
            f"says you are interested ({interest[0].cue}) without overdoing it, in {words} words",
        )

    # Timely.
    if hours_after is None:
        check.not_checked.append(
            ThankYouCriterion(id="timely", reason=f"send it within {spec.within_hours:g} hours")
        )
    elif hours_after <= spec.within_hours:
        mark(True, "timely", f"sent {hours_after:g} hours after the interview")
    else:
        mark(
            False,
            "timely",
            f"sent {hours_after:g} hours after; within {spec.within_hours:g} hours is expected",
        )
    return check
