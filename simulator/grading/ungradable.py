"""Input that cannot be graded: empty, a few words, a non-answer, gibberish, or pasted unrelated text.

Such an answer gets a reason and never a number.
"""

from __future__ import annotations

import re

from simulator.grading.rubric import StarRubric, UngradableReason
from simulator.grading.text import content_stems

_TOKENS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+")
_VOWELS = re.compile(r"[aeiouyáéíóúàèìòùäëïöü]", re.IGNORECASE)
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}", re.IGNORECASE)
_REPEAT = re.compile(r"(.)\1\1")
_SYMBOLS = re.compile(r"[{}\[\]()=<>;_#|\\/*+^~`]")
_FIRST_PERSON = frozenset(
    {
        "i",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "me",
        "my",
        "mine",
        "myself",
        "we",
        "we're",
        "we've",
        "we'd",
        "our",
        "us",
    }
)

_SECOND_PERSON = frozenset({"you", "you're", "you've", "you'd", "you'll", "your", "yours", "yourself"})


def _wordlike(token: str, keyboard: re.Pattern[str]) -> bool:
    if token.isdigit():
        return True
    low = token.lower()
    if len(low) > 22 or (not _VOWELS.search(low) and len(low) > 1):
        return False
    return not (_CONSONANT_RUN.search(low) or _REPEAT.search(low) or keyboard.search(low))


_KEYBOARD: dict[tuple[str, ...], re.Pattern[str]] = {}


def _keyboard(runs: list[str]) -> re.Pattern[str]:
    key = tuple(runs)
    if key not in _KEYBOARD:
        _KEYBOARD[key] = re.compile("|".join(re.escape(r.lower()) for r in runs))
    return _KEYBOARD[key]


def _heard_nothing(text: str, rubric: StarRubric) -> bool:
    """Only a transcriber's notes ("[inaudible]", "(crosstalk)") and a word or two: nothing the candidate
    said was heard. The other checks read the notes as they stand (brackets in pasted markup count)."""
    if not rubric.transcript.annotations:
        return False
    heard = rubric.compile(rubric.transcript.annotations).sub(" ", text)
    return heard != text and len(_TOKENS.findall(heard)) < rubric.ungradable.min_words


def check(answer: str, question: str, rubric: StarRubric) -> UngradableReason | None:
    """The reason key (a key of `ungradable.reasons`) when the answer cannot be graded, else None."""
    rules = rubric.ungradable
    text = answer
    if rubric.transcript.labels:
        # "**Situation:**" is formatting, not pasted markup: it neither makes nor breaks an answer.
        text = rubric.compile(rubric.transcript.labels).sub(" ", text)
    text = text.strip()
    if not text:
        return "empty"
    tokens = _TOKENS.findall(text.replace("\u2019", "'"))
    if len(tokens) <= rules.non_answer_max_words:
        match = rubric.compile(rules.non_answers).search(text.replace("\u2019", "'"))
        if match:
            rest = text[: match.start()] + " " + text[match.end() :]
            padding = {w.lower() for w in rules.non_answer_padding}
            if len({w for w in content_stems(rest) if w not in padding}) < 4:
                return "non_answer"
    if _heard_nothing(text, rubric):
        return "no_speech"
    if len(tokens) < rules.min_words:
        return "too_short"
    keyboard = _keyboard(rules.keyboard_runs)
    lowered = [t.lower() for t in tokens]
    wordlike = sum(1 for t in tokens if _wordlike(t, keyboard)) / len(tokens)
    function = set(rules.function_words)
    function_share = sum(1 for t in lowered if t in function) / len(tokens)
    first_person = sum(1 for t in lowered if t in _FIRST_PERSON) / len(tokens)
    impersonal = not any(t in _FIRST_PERSON or t in _SECOND_PERSON for t in lowered)
    long_enough = len(tokens) >= (rules.impersonal_min_words if impersonal else rules.wall_min_words)
    if long_enough and first_person <= rules.wall_max_first_person_share:
        asked = content_stems(question)
        if (
            len(asked) >= 2
            and len(asked & content_stems(text)) / len(asked) <= rules.wall_max_question_overlap
        ):
            return "unrelated"
    if wordlike < rules.min_wordlike_share or function_share < rules.min_function_word_share:
        return "gibberish"
    if (
        len(text) >= rules.symbol_min_chars
        and len(_SYMBOLS.findall(text)) / len(text) > rules.max_symbol_share
    ):
        return "unrelated"  # code, a table, markup: pasted, not said
    return None
