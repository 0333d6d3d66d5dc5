"""The candidate's stories across the loop: the same story told twice to one person, and the
story-bank themes the stories cover.

Telling your best story to two different interviewers is normal (they compare notes on it);
telling it twice to the same person wastes their time and suggests a thin story bank. Two
stories are "the same" when their words overlap strongly once common words are discounted
(TF-IDF cosine over the session's stories), or when both retell the same story-bank entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from simulator.grading.job_terms import named_skills
from simulator.grading.session_rubric import NoStoryTwice, StoryBankCoverage
from simulator.grading.text_match import (
    TfIdf,
    content_words,
    cosine,
    find_cues,
    quoted,
    sentence_around,
    shorten,
    word_count,
)
from simulator.grading.transcript import Story, stories
from simulator.models import Job, Session, Turn
from simulator.skills import job_skills


@dataclass(frozen=True)
class RepeatedStory:
    persona_id: str
    first: Story
    second: Story
    similarity: float
    bank_entry: str | None = None  # the story-bank entry both retell, when that is how it was caught


def bank_title(entry: str) -> str:
    """A story-bank entry's short name: the part before a colon or dash, else its first words."""
    for sep in (":", " - ", " — ", " – "):
        if sep in entry:
            return entry.split(sep, 1)[0].strip()
    return shorten(entry, 8)


class StoryMatcher:
    """TF-IDF over one session's stories and story-bank entries."""

    def __init__(self, texts: Sequence[str], story_bank: Sequence[str]):
        docs = [content_words(t) for t in texts] + [content_words(b) for b in story_bank]
        self.tfidf = TfIdf(docs)
        self.bank = [(entry, self.tfidf.vector(content_words(entry))) for entry in story_bank]

    def vector(self, text: str) -> dict[str, float]:
        return self.tfidf.vector(content_words(text))

    def best_bank_entry(self, vec: dict[str, float]) -> tuple[str | None, float]:
        best: tuple[str | None, float] = (None, 0.0)
        for entry, bank_vec in self.bank:
            sim = cosine(vec, bank_vec)
            if sim > best[1]:
                best = (entry, sim)
        return best


def repeated_stories(
    turns: Sequence[Turn], story_bank: Sequence[str], spec: NoStoryTwice
) -> list[RepeatedStory]:
    """Pairs of stories told to the same interviewer that are one story."""
    told = [s for s in stories(turns) if word_count(s.text) >= spec.min_words]
    matcher = StoryMatcher([s.text for s in told], story_bank)
    vectors = [matcher.vector(s.text) for s in told]
    banks = [matcher.best_bank_entry(v) for v in vectors]
    found: list[RepeatedStory] = []
    for j, later in enumerate(told):
        for i in range(j):
            earlier = told[i]
            if earlier.persona_id != later.persona_id:
                continue
            sim = cosine(vectors[i], vectors[j])
            (bank_i, sim_i), (bank_j, sim_j) = banks[i], banks[j]
            same_bank = (
                bank_i is not None and bank_i == bank_j and min(sim_i, sim_j) >= spec.story_bank_similarity
            )
            if sim >= spec.similarity or same_bank:
                found.append(
                    RepeatedStory(
                        later.persona_id, earlier, later, round(sim, 3), bank_i if same_bank else None
                    )
                )
                break  # one earlier telling is enough to call it a repeat
    return found


@dataclass(frozen=True)
class ThemeCoverage:
    theme: str
    title: str
    covered: bool
    evidence: list[str] = field(default_factory=list)


def _sources(session: Session) -> list[tuple[str, str]]:
    """(where, text) for every answer and story-bank entry."""
    out = [("story bank", entry) for entry in session.story_bank]
    out += [("answer", t.text) for t in session.turns if t.kind == "answer" and t.speaker == "candidate"]
    return out


def theme_coverage(session: Session, spec: StoryBankCoverage) -> list[ThemeCoverage]:
    sources = _sources(session)
    results = []
    for theme in spec.themes:
        evidence: list[str] = []
        cues_seen: set[str] = set()
        for where, text in sources:
            hits = find_cues(text, theme.cues)
            if hits:
                cues_seen.update(h.cue for h in hits)
                if len(evidence) < 2:
                    evidence.append(
                        f"{where}: {quoted(sentence_around(text, hits[0].start, hits[0].end, 25))}"
                    )
        results.append(ThemeCoverage(theme.theme, theme.title, len(cues_seen) >= spec.min_hits, evidence))
    results.append(_skills_coverage(session.job, sources, spec))
    return results


def _skills_coverage(job: Job, sources: list[tuple[str, str]], spec: StoryBankCoverage) -> ThemeCoverage:
    title = spec.job_skills.title
    skills = named_skills(job)
    if not skills:
        return ThemeCoverage("job_skills", title, True, ["the job description names no skills we recognise"])
    # The same lexicon that read the job reads the candidate's words, so "Terraform" in a story
    # counts for "infrastructure as code" in the job.
    # Read source by source: the lexicon keeps only the first few skills of one text.
    mentioned_all: set[str] = set()
    for _, text in sources:
        mentioned_all.update(job_skills(job.model_copy(update={"description": text, "research_notes": ""})))
    mentioned = [s for s in skills if s in mentioned_all]
    covered = len(mentioned) / len(skills) >= spec.job_skills.min_share
    evidence = [
        f"the job names {', '.join(skills)}; your stories mention {', '.join(mentioned) or 'none of them'}"
    ]
    return ThemeCoverage("job_skills", title, covered, evidence)
