"""What the job names: the company's own terms (to spot a candidate who did their research) and its skills."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from simulator.grading.text_match import STOPWORDS, has_cue, stem, tokens
from simulator.models import Job
from simulator.skills import job_skills

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'+.-]*[A-Za-z0-9+]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n•*-]\s*)$")


def named_skills(job: Job) -> list[str]:
    """The skills the description names (the offline interviewers' lexicon); none when it names none."""
    fallback = f"the core work of a {job.title}"
    return [s for s in job_skills(job) if s != fallback]


def _proper_nouns(text: str, min_length: int) -> list[str]:
    """Capitalised words that do not open a sentence, and acronyms: names of products, places, people."""
    found = []
    for m in _WORD.finditer(text):
        word = m.group().rstrip(".")
        if len(word) < min_length and not (word.isupper() and len(word) >= 2):
            continue
        opens_sentence = bool(_SENTENCE_START.search(text[: m.start()]))
        if word[0].isupper() and (not opens_sentence or word.isupper() or any(c.isupper() for c in word[1:])):
            found.append(word)
    return found


def _bigrams(text: str, min_length: int) -> list[str]:
    out = []
    for sentence in re.split(r"[.!?;:\n,()]+", text):
        words = tokens(sentence)
        for a, b in itertools.pairwise(words):
            if a in STOPWORDS or b in STOPWORDS or len(a) < min_length or len(b) < min_length:
                continue
            if a.isdigit() or b.isdigit():
                continue
            out.append(f"{a} {b}")
    return out


def company_terms(job: Job, min_length: int = 4, ignore: Iterable[str] = ()) -> list[str]:
    """The company name, then names and two-word phrases from the research notes and the description.

    Skills and the job title are left out: naming "Python" shows you read the job ad, not the company.
    """
    skip = {w.lower() for w in ignore} | {w.lower() for w in job.title.split()}
    skills = [s.lower() for s in named_skills(job)]
    terms: list[str] = [job.company]
    # "Fernhill" for "Fernhill Bank": people use the short name.
    terms += [w for w in job.company.split() if len(w) >= min_length and w.lower() not in skip][:1]
    candidates = _proper_nouns(job.research_notes, min_length) + _bigrams(job.research_notes, min_length)
    # From the description only names, not acronyms: "API" there is the job's skill, not the company's.
    candidates += [w for w in _proper_nouns(job.description, min_length) if not w.isupper()]
    skill_words = {stem(w) for s in skills for w in tokens(s)}
    for term in candidates:
        low = term.lower()
        if low in skip or low in STOPWORDS or any(has_cue(low, [s]) for s in skills):
            continue
        if all(stem(w) in skill_words for w in tokens(low)):
            continue
        if any(part in skip for part in low.split()):
            continue
        terms.append(term)
    unique: dict[str, str] = {}
    for term in terms:
        unique.setdefault(term.lower(), term)
    return list(unique.values())
