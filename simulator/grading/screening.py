"""A plain copy of an answer to screen for instructions aimed at the grader.

Look-alike text is undone before anything is screened, so an instruction cannot hide behind it:
invisible characters between letters (U+200B in "ig<U+200B>nore", a soft hyphen), fullwidth or
styled letters (compatibility forms, undone by NFKD), accents ("precedentes" for the French word
with accents, so a cue is written once without them) and letters borrowed from other scripts (the
Cyrillic letter that looks like "o", listed in star.yaml). Letter-spaced words ("i g n o r e") are
closed up in a second copy. Each character of a copy keeps the offset of the original character it
came from, so what is found can be blanked in the original, which is never changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

_QUOTES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'}


@dataclass(frozen=True)
class Screened:
    text: str
    origin: list[int] | None  # copy offset -> original offset; None when they are the same

    def span_original(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None or end <= start:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def _plain(char: str, look_alikes: Mapping[str, str]) -> str:
    if unicodedata.category(char) == "Cf":
        return ""  # zero-width spaces and joiners, word joiner, byte-order mark, soft hyphen
    decomposed = unicodedata.normalize("NFKD", char)
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(look_alikes.get(c, _QUOTES.get(c, c)) for c in out)


def screening_copy(original: str, look_alikes: Mapping[str, str]) -> Screened:
    """The answer as plain letters, for screening only (grading reads the original)."""
    if original.isascii():
        return Screened(original, None)
    seen: dict[str, str] = {}  # one lookup per distinct character keeps this linear and cheap
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(original):
        plain = seen.get(char)
        if plain is None:
            plain = seen[char] = _plain(char, look_alikes)
        if plain:
            out.append(plain)
            origin.extend([index] * len(plain))
    return Screened("".join(out), origin)


# Three or more single letters, each set apart by one space, dot, dash, underscore or star.
_SPACED = re.compile(r"(?<![^\W\d_])[^\W\d_](?:[ ._*-][^\W\d_]){2,}(?![^\W\d_])")


def without_letter_spacing(screened: Screened) -> Screened:
    """The copy with letter-spaced words closed up ("i g n o r e" reads "ignore"); the copy itself
    when it has none. Screened as well as the copy, so spacing an instruction out does not hide it."""
    text = screened.text
    runs = list(_SPACED.finditer(text))
    if not runs:
        return screened
    out: list[str] = []
    origin: list[int] = []

    def keep(start: int, end: int, step: int = 1) -> None:
        for index in range(start, end, step):
            out.append(text[index])
            origin.append(screened.origin[index] if screened.origin is not None else index)

    pos = 0
    for run in runs:
        keep(pos, run.start())
        keep(run.start(), run.end(), 2)  # the letters, without what sets them apart
        pos = run.end()
    keep(pos, len(text))
    return Screened("".join(out), origin)
