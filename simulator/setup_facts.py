"""What the job description and research notes say, sentence by sentence, for interviewers to
answer from, and the checks that keep a prepared answer from contradicting them.

Pure: reads the job it is given (and data/setup_topics.yaml), nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field

from simulator.candidate_turns import content_words
from simulator.models import Job, SetupTopic, Strict
from simulator.skills import tools_named

DATA = Path(__file__).parent / "data" / "setup_topics.yaml"
MAX_FACT_WORDS = 45
# Words nearly every sentence of a job ad shares with a question: they say nothing about the topic.
_GENERIC = frozenset({"team", "role", "work", "compan", "job", "use"})
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_NUMBER = r"(\d{1,3}|" + "|".join(NUMBER_WORDS) + r")"
_MEMBERS = r"(?:people|persons?|engineers|analysts|designers|marketers|agents|specialists|managers|folks)"
# "a team of six", "a six-person team", "we're seven people", "six of us", "six analysts on the team".
TEAM_SIZE = [
    re.compile(rf"\bteam of {_NUMBER}\b", re.I),
    re.compile(rf"\b{_NUMBER}[- ](?:person|people|strong)\b", re.I),
    re.compile(rf"\b(?:we're|we are|there are|there's|it's) {_NUMBER} (?:of us|{_MEMBERS})\b", re.I),
    re.compile(rf"\b{_NUMBER} of us\b", re.I),
    re.compile(rf"\b{_NUMBER} {_MEMBERS} (?:on|in) (?:the|our|this) team\b", re.I),
]
# "on-call one week in six", "one week in every seven".
ON_CALL = re.compile(rf"\bone week in (?:every )?{_NUMBER}\b", re.I)


class TopicCues(Strict):
    asked: list[str] = Field(min_length=1)
    stated: list[str] = Field(default_factory=list)


class TopicFile(Strict):
    requirements: list[str] = Field(min_length=1)
    work_modes: dict[str, list[str]] = Field(min_length=1)
    topics: dict[SetupTopic, TopicCues]


@cache
def _file() -> TopicFile:
    return TopicFile.model_validate(yaml.safe_load(DATA.read_text(encoding="utf-8")))


def topics() -> dict[str, TopicCues]:
    return {str(name): cues for name, cues in _file().topics.items()}


def _has(text: str, phrases: list[str]) -> bool:
    low = text.lower()
    return any(re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", low) for p in phrases)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def team_sizes(text: str) -> set[int]:
    return {_number(m.group(1)) for pattern in TEAM_SIZE for m in pattern.finditer(text)}


def work_modes(text: str) -> set[str]:
    return {mode for mode, cues in _file().work_modes.items() if _has(text, cues)}


def on_call_weeks(text: str) -> set[int]:
    return {_number(m.group(1)) for m in ON_CALL.finditer(text)}


@dataclass(frozen=True)
class Fact:
    text: str  # as the interviewer would say it
    source: Literal["description", "research_notes"]
    topics: frozenset[str]
    words: frozenset[str]


@dataclass(frozen=True)
class SetupFacts:
    facts: tuple[Fact, ...]
    team_size: frozenset[int]
    on_call_weeks: frozenset[int]
    tools: frozenset[str]
    work_modes: frozenset[str]


def sentences(text: str) -> list[str]:
    out = []
    for block in re.split(r"\n+", text):
        block = re.sub(r"^\s*(?:[-*\u2022]|\d+[.)])\s+", "", block).strip()
        for sentence in re.split(r"(?<=[.!?;])\s+(?=[A-Z0-9\"'])", block):
            sentence = sentence.strip()
            if _has(sentence, _file().requirements):  # what the job wants of the candidate, not a fact
                continue
            if len(sentence.split()) > MAX_FACT_WORDS:  # a long one, in its clauses
                clauses = re.split(r"(?<=[;:])\s+|,\s+and\s+(?=\w+ \w+)", sentence)
                out += [c.strip()[0].upper() + c.strip()[1:] for c in clauses if len(c.split()) >= 4]
            elif sentence:
                out.append(sentence)
    return out


def spoken(sentence: str, notes: bool = False) -> str:
    """A line of a job ad or of the candidate's notes, as an interviewer would say it."""
    text = sentence.strip().rstrip(";:,")
    if notes:  # the candidate's notes say "they" of the company the interviewer works for
        text = re.sub(r"\bThey\b", "We", text)
        text = re.sub(r"\bTheir\b", "Our", text)
        text = re.sub(r"\btheir\b", "our", text)
        text = re.sub(r"\bthey\b", "we", text)
    text = re.sub(r"^You will\b", "You'd", text)
    text = re.sub(r"\byou will\b", "you'd", text)
    first = text.split(" ", 1)[0]
    # Notes are often fragments: "Launched X in 2024." "Moving Y this year."
    if re.fullmatch(r"[A-Z][a-z]+ed", first):
        text = "We " + text[0].lower() + text[1:]
    elif re.fullmatch(r"[A-Z][a-z]+ing", first) and first not in ("During", "Bring", "Thing"):
        text = "We're " + text[0].lower() + text[1:]
    if text[-1] not in ".!?":
        text += "."
    return text


def _topics_of(sentence: str, source: str) -> frozenset[str]:
    found = {name for name, cue in topics().items() if cue.stated and _has(sentence, cue.stated)}
    if tools_named(sentence):
        found.add("tools")
    if source == "research_notes":
        found |= {"company", "strategy"}
    return frozenset(found)


@cache
def _facts(description: str, notes: str) -> SetupFacts:
    facts = []
    sources: tuple[tuple[Literal["description", "research_notes"], str], ...] = (
        ("description", description),
        ("research_notes", notes),
    )
    for source, text in sources:
        for sentence in sentences(text):
            if len(sentence.split()) > MAX_FACT_WORDS or _has(sentence, _file().requirements):
                continue
            facts.append(
                Fact(
                    spoken(sentence, source == "research_notes"),
                    source,
                    _topics_of(sentence, source),
                    frozenset(content_words(sentence)),
                )
            )
    whole = f"{description}\n{notes}"
    return SetupFacts(
        tuple(facts),
        frozenset(team_sizes(whole)),
        frozenset(on_call_weeks(whole)),
        frozenset(tools_named(whole)),
        frozenset(work_modes(whole)),
    )


def setup_facts(job: Job) -> SetupFacts:
    return _facts(job.description, job.research_notes)


def question_topics(question: str) -> set[str]:
    return {name for name, cue in topics().items() if _has(question, cue.asked)}


def facts_for(setup: SetupFacts, question: str, speaks_to: Sequence[str] | None, most: int = 2) -> list[Fact]:
    """The setup's sentences that answer the question best, in the order the setup gives them.

    A sentence counts when it is on a topic the question asks about and this interviewer speaks to,
    or when it shares at least two words with the question.
    """
    asked = question_topics(question)
    allowed = set(speaks_to) if speaks_to is not None else set(topics())
    wanted = asked & allowed
    words = content_words(question) - _GENERIC
    scored = []
    for i, fact in enumerate(setup.facts):
        on_topic = len(wanted & fact.topics)
        shared = len(words & fact.words)
        if on_topic or shared >= 2:
            # Where the company is going is what the research notes are about.
            news = fact.source == "research_notes" and bool(wanted & {"company", "strategy"})
            scored.append((2 * on_topic + shared + news, i, fact))
    best = sorted(scored, key=lambda s: (-s[0], s[1]))[:most]
    return [fact for _, _, fact in sorted(best, key=lambda s: s[1])]


def conflicts(text: str, setup: SetupFacts) -> list[str]:
    """What in `text` contradicts the setup: a team size, an on-call rota, a way of working, a tool it does not name."""
    found = []
    stated = team_sizes(text)
    if setup.team_size and stated - setup.team_size:
        found.append(f"team size {sorted(stated)} where the setup says {sorted(setup.team_size)}")
    rota = on_call_weeks(text)
    if setup.on_call_weeks and rota - setup.on_call_weeks:
        found.append(f"on-call one week in {sorted(rota)} where the setup says {sorted(setup.on_call_weeks)}")
    modes = work_modes(text)
    if setup.work_modes and modes - setup.work_modes:
        found.append(
            f"works {', '.join(sorted(modes))} where the setup says {', '.join(sorted(setup.work_modes))}"
        )
    extra = set(tools_named(text)) - setup.tools
    if extra:
        found.append(f"names {', '.join(sorted(extra))}, which the setup does not")
    return found


def without_conflicts(text: str, setup: SetupFacts) -> str:
    """The text with every sentence that contradicts the setup left out."""
    kept = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if not conflicts(s, setup)]
    return " ".join(kept)
