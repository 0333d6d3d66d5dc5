"""What the job names: the company's own terms (to spot a candidate who did their research) and its skills.

A term with a capital letter is a name (the company, a product, a person, a place) and is found as
a name: with its capital, on whole words, possessive included ("Plus's"), so the company Plus is not
found in "75k plus a bonus". A lower-case term is a phrase from the notes and is found as a cue.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

from simulator.grading.text_match import STOPWORDS, CueHit, find_cues, has_cue, stem, tokens
from simulator.models import Job
from simulator.skills import job_skills

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'+.-]*[A-Za-z0-9+]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n•*-]\s*)$")
# Where a capital letter proves nothing: a sentence's first word, after any opening quote or bracket.
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?:;\n•*-][\"“”'‘’)\]]?\s+)[\"“'‘(\[]?$")
_POSSESSIVE = re.compile(r"['’]s?(?!\w)")


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


@lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    """The name with its capitals as written (the rest of each word in any case), spaces flexible,
    whole words only; a possessive may follow."""
    words = []
    for word in name.split():
        head, rest = re.escape(word[0]), re.escape(word[1:])
        words.append(head + (rest if word.isupper() else f"(?i:{rest})" if rest else ""))
    return re.compile(r"(?<![\w&])" + r"\s+".join(words) + r"(?![\w&])")


def _is_name(term: str) -> bool:
    return any(c.isupper() for c in term)


def find_name(text: str, name: str, common_words: frozenset[str] = frozenset()) -> CueHit | None:
    """The first place the text uses `name` as a name. A one-word name that is also an everyday word
    does not count where it opens a sentence, unless it is possessive ("Plus's pricing")."""
    ambiguous = " " not in name.strip() and (name.lower() in common_words or name.lower() in STOPWORDS)
    for m in _name_pattern(name).finditer(text):
        if ambiguous and _OPENS_SENTENCE.search(text[: m.start()]) and not _POSSESSIVE.match(text, m.end()):
            continue
        return CueHit(name, m.start(), m.end())
    return None


def find_company_terms(text: str, terms: Iterable[str], common_words: Iterable[str] = ()) -> list[CueHit]:
    """The first use of each term in the text, in order: names as names, phrases as cues."""
    common = frozenset(w.lower() for w in common_words)
    terms = list(terms)
    hits = [hit for term in terms if _is_name(term) for hit in [find_name(text, term, common)] if hit]
    hits += find_cues(text, [t for t in terms if not _is_name(t)])
    return sorted(hits, key=lambda h: h.start)
