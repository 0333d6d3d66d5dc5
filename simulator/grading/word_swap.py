"""One word swapped for another in the same frame: "a six-storey timber frame block" told as "a six-storey
steel frame block", "our supplier in Vietnam" as "our supplier in India".

Found without a list of materials, places or tools: the words right before and after are the same in
both rounds and carry meaning themselves (not "the", "a", "in"), the swapped words are each said in only
one round, and they are not one word in two forms ("rebuilt" / "built"). A reworded retelling rarely
keeps both neighbours and changes only the word between them, unless the two words mean the same
("whole" / "entire"): the caller checks that by meaning.

`aligned_swaps` finds the same where the rest of the clause is told again in other words around it
("our client, a regional hospital trust, had long delays" / "our client, a large retail chain, had long
delays in returns"): the two clauses are lined up word by word, and the one place where a name or a
thing stands in for another is the swap. Sentence vectors do not tell "nurses" / "staff" (the same
people) from "steel" / "concrete" (another material), so the slot decides: a place, a tool or a
supplier named after "in", "to", "from" ("in Tableau" / "in Power BI"); a word that says which kind of
the same thing ("a steel footbridge" / "a concrete footbridge"); or a whole description replaced by
another with no word in common ("a regional hospital trust" / "a large retail chain"). A verb after "I"
or "we" is most often the same action reworded, and is never taken.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from simulator.grading.static_vectors import StaticTableError, shipped_table
from simulator.grading.text import STOPWORDS, Text, stem

# Words and figures, lower-cased, letters beyond ASCII kept: a place is often spelt with them ("Malmö",
# "Kraków"), and the grader's other tokenizers (text.py, text_match.py) read only a-z.
TOKEN = re.compile(r"[^\W_][\w'-]*")

MIN_LETTERS = 3
# A verb swapped for another is most often the same action reworded ("fixed" / "sorted"): only names,
# things and qualities are compared.
_VERB_FORM = re.compile(r"(?:ed|ing)$")
SAME_START = 3  # "choosing" / "chose": one word in two forms


@dataclass(frozen=True)
class Swap:
    then: str
    now: str
    round_one_clause: int
    round_two_clause: int


def tokens(text: str) -> list[str]:
    return [w.lower() for w in TOKEN.findall(text)]


def _named(text: str) -> set[str]:
    """The words a clause says as names: capitalised, not where a sentence opens ("we moved to Xero")."""
    return {w.lower() for k, w in enumerate(TOKEN.findall(text)) if k and w[0].isupper() and w != "I"}


def _words(text: str) -> list[str]:
    """The words of a text, figures left out: a frame is made of words."""
    return [w for w in tokens(text) if w[0].isalpha()]


def meaningful(word: str) -> bool:
    return len(word) >= MIN_LETTERS and word not in STOPWORDS


# Little words of place and way are no things, whatever their length: "a depot outside Rotterdam" / "our
# depot near rotterdam" places one depot twice. (STOPWORDS holds the commonest; these are the rest.)
PREPOSITIONS = frozenset(
    "outside inside near beyond behind across along among amongst within without towards toward upon "
    "onto via per beside besides alongside underneath beneath throughout next".split()
)


def _thing_word(word: str) -> bool:
    return meaningful(word) and word not in PREPOSITIONS


def _written_apart(old: list[str], new: list[str]) -> bool:
    """One word written in two ways, whole or apart ("percent" / "per cent", "travel-booking" / "travel
    booking"), perhaps with a word more after it: the same thing, not another one."""
    a, b = ("".join(w.replace("-", "").replace("'", "") for w in words) for words in (old, new))
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_LETTERS and long.startswith(short)


def _other_word(old: str, new: str, names: tuple[bool, bool] = (False, False)) -> bool:
    if _VERB_FORM.search(old) or _VERB_FORM.search(new):
        return False
    if _qualities([old], [new], names):
        return False
    if not any(names) and (shortened(old, new) or shortened(new, old)):
        return False
    return stem(old) != stem(new) and old[:SAME_START] != new[:SAME_START]


# Two words that open with this many letters in common are one word in two forms ("smallest" /
# "small-business"); fewer say nothing ("Manchester" / "Manila").
SAME_WORD_START = 5


def one_word(a: str, b: str) -> bool:
    """One word, or a part of a compound, told in another form."""
    return any(
        stem(x) == stem(y) or (len(x) >= SAME_WORD_START and x[:SAME_WORD_START] == y[:SAME_WORD_START])
        for x in a.split("-")
        for y in b.split("-")
    )


# A word cut short keeps this many letters at least ("temp", "info", "demo").
CLIPPED_LETTERS = 4


def shortened(short: str, long: str) -> bool:
    """A word said the short way: clipped ("temp" / "temporary", "admin" / "administration") or
    contracted, keeping its first two and its last letter in order ("ops" / "operations", "govt" /
    "government", "Joburg" / "Johannesburg"). Another name shares no such shape ("Kent" / "Kensington"
    ends otherwise, "Malmo" / "Manchester" keeps no "lm"). Names are not read so: "India" / "Indonesia"
    has that shape and is another country."""
    short, long = short.replace("'", ""), long.replace("'", "")
    if len(short) < MIN_LETTERS or len(long) < len(short) + 2:
        return False
    if len(short) >= CLIPPED_LETTERS and long.startswith(short):
        return True
    if short[:2] != long[:2] or short[-1] != long[-1]:
        return False
    rest = iter(long[2:-1])
    return all(letter in rest for letter in short[2:-1])


def _comparatives(word: str) -> set[str]:
    """How English says "more <word>": "shorter", "simpler", "bigger", "easier"."""
    forms = {word + "er", word + word[-1] + "er"}
    if word.endswith("e"):
        forms.add(word + "r")
    if word.endswith("y"):
        forms.add(word[:-1] + "ier")
    return forms


def _bases(word: str) -> set[str]:
    """The word a superlative is the most of: "highest" -> "high", "biggest" -> "big", "largest" ->
    "large", "easiest" -> "easy"; the word itself otherwise."""
    if not word.endswith("est") or len(word) < MIN_LETTERS + 3:
        return {word}
    stem_ = word[:-3]
    out = {word, stem_, stem_ + "e"}
    if len(stem_) >= 2 and stem_[-1] == stem_[-2]:
        out.add(stem_[:-1])
    if stem_.endswith("i"):
        out.add(stem_[:-1] + "y")
    return out


# The few qualities English says "more" of in another word: "a little guide" / "a short guide".
_IRREGULAR = frozenset("little good bad much many far".split())


def _vocabulary() -> dict[str, int] | None:
    """The words the shipped vector table knows (it knows "shorter" and "shortest"), or None without it:
    then no word is read as a quality."""
    try:
        return shipped_table().index
    except StaticTableError:
        return None


def _is_quality(word: str) -> bool:
    """A quality that comes in degrees ("short", "simple", "new", and "highest", the most of one): the
    shipped vocabulary knows a word for more of it. A name or a thing ("cedar", "Xero", "Vietnam") has
    none."""
    known = _vocabulary()
    if known is None:
        return False
    word = word.lower()
    return word in _IRREGULAR or (
        len(word) >= MIN_LETTERS
        and any(form in known for base in _bases(word) for form in _comparatives(base))
    )


def _plainly_quality(word: str) -> bool:
    """A quality beyond doubt: a superlative ("the busiest hours"), or a word the vocabulary knows both
    a "more" and a "most" of ("small", "smaller", "smallest"). A word with only an "-er" form may be a
    thing whose "-er" is who does it ("work" / "worker", "print" / "printer")."""
    known = _vocabulary()
    if known is None:
        return False
    word = word.lower()
    if word in _IRREGULAR or (word.endswith("est") and _is_quality(word)):
        return True
    # "smaller" and "smallest", "busier" and "busiest": the superlative is the comparative's "-est".
    return len(word) >= MIN_LETTERS and any(
        c in known and c[:-1] + "st" in known for c in _comparatives(word)
    )


# A length said as a word before a thing: "a thirty-day pilot", "a ten-minute meeting".
_LENGTH = re.compile(r"^(?:\d+|[a-z]+)-(?:second|minute|hour|day|week|month|year)s?$")


def _qualities(old: list[str], new: list[str], names: tuple[bool, bool] = (False, False)) -> bool:
    """A quality told as another ("a simple story" / "a short story"), or a length told by its quality
    ("a short pilot" / "a thirty-day pilot", "a ten-minute handover meeting" / "a short meeting"): the
    thing described again, not one thing swapped for another. To the sentence model "simple" / "short"
    are as far apart as "cedar" / "zinc", so the kind of word decides. A quality beyond doubt against
    any word that is no name ("the busiest hours" / "peak hours", "a small team" / "a tiny team") says
    which of them, or how, again: a swap names another thing, and a name ("Leeds", "Xero") may be one.
    `names` says which of the two was said as a name (a capital inside its clause)."""
    quality = [
        len(words) == 1 and not named and _is_quality(words[0])
        for words, named in zip((old, new), names, strict=True)
    ]
    if all(quality):
        return True
    plain = [
        len(words) == 1 and not named and _plainly_quality(words[0])
        for words, named in zip((old, new), names, strict=True)
    ]
    if any(plain) and not any(names):
        return True
    length = [any(_LENGTH.match(w) for w in words) for words in (old, new)]
    return (quality[0] and length[1]) or (quality[1] and length[0])


_NEGATION = frozenset("not no never cannot nobody nothing none".split())
NEGATION_REACH = 3  # words before a slot that may deny it: "could not read a ..."


def _negated(words: list[str]) -> bool:
    return any(w in _NEGATION or w.endswith("n't") for w in words)


def swaps(then: Text, now: Text) -> list[Swap]:
    """Every swap found either way: in one frame of words, then in clauses lined up (aligned_swaps)."""
    found = frame_swaps(then, now)
    seen = {(s.then, s.now) for s in found}
    return found + [s for s in aligned_swaps(then, now) if (s.then, s.now) not in seen]


_POSSESSIVE = frozenset("our their my his her its".split())


def frame_swaps(then: Text, now: Text) -> list[Swap]:
    said_then = {stem(w) for w in _words(then.clean)}
    said_now = {stem(w) for w in _words(now.clean)}
    frames: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for clause in then.clauses:
        words = _words(clause.text)
        for k in range(1, len(words) - 1):
            frames.setdefault((words[k - 1], words[k + 1]), []).append((words[k], clause.index))
    named_then = {clause.index: _named(clause.text) for clause in then.clauses}
    out: list[Swap] = []
    for clause in now.clauses:
        words = _words(clause.text)
        named_now = _named(clause.text)
        for k in range(1, len(words) - 1):
            left, word, right = words[k - 1], words[k], words[k + 1]
            # "our cheese line" / "our yogurt line": whose thing it is frames it as well as a word of meaning.
            if not ((meaningful(left) or left in _POSSESSIVE) and meaningful(right) and _thing_word(word)):
                continue
            if stem(word) in said_then:
                continue
            for old, index in frames.get((left, right), []):
                names = (old in named_then[index], word in named_now)
                if _thing_word(old) and stem(old) not in said_now and _other_word(old, word, names):
                    out.append(Swap(old, word, index, clause.index))
    return out


# Before a slot where a thing is said: a determiner or a possessive; where a place, a tool or a
# supplier is said: these prepositions.
# Not "that": as often it opens a clause, and a verb follows ("a check that flags anyone" / "a check
# that highlights anyone" is one action reworded).
_DETERMINER = frozenset("a an the our their my his her its this these those".split())
_PLACE_OR_TOOL = frozenset("in at to from into onto via using near outside".split())
# Figures and dates are compared as amounts and dates (quantities.py, claims.py), not as words.
FIGURE_OR_DATE = re.compile(
    r"\d|^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty|dozen|hundred|"
    r"thousand|million|half|quarter|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|spring|summer|autumn|fall|winter|week|month|year|day)s?$"
)
MAX_SWAP_WORDS = 3
# The clause around the swap must be told again: this many meaning words the same in both.
MIN_SHARED_WORDS = 2


def _names_a_thing(words: list[str]) -> bool:
    """A name or a thing: no figure or date, not opened by a verb form ("targeting elderly residents";
    "housing" inside "a housing charity" is fine), and no little word at either end (which shows the
    two clauses were lined up one word off: "to trial a" / "to test")."""
    if not words or any(w in STOPWORDS or w in PREPOSITIONS for w in (words[0], words[-1])):
        return False
    if _VERB_FORM.search(words[0]) and "-" not in words[0]:
        return False
    return any(meaningful(w) for w in words) and not any(FIGURE_OR_DATE.search(w) for w in words)


def abbreviation(short: list[str], long: list[str]) -> bool:
    """ "GM's" for "general manager's", "MFA" for "multi-factor authentication"."""
    if len(short) != 1:
        return False
    initials = "".join(p[0] for w in long for p in w.split("-") if p)
    word = short[0].removesuffix("'s")
    return len(word) >= 2 and initials.startswith(word)


def _swap_slot(a: list[str], i1: int, i2: int, b: list[str], j1: int, j2: int) -> bool:
    """Is the replaced span a name or a thing, by the words around it in both rounds?"""
    before = a[i1 - 1] if i1 and j1 and a[i1 - 1] == b[j1 - 1] else ""
    after = a[i2] if i2 < len(a) and j2 < len(b) and a[i2] == b[j2] else ""
    old, new = [w for w in a[i1:i2] if meaningful(w)], [w for w in b[j1:j2] if meaningful(w)]
    if before in _PLACE_OR_TOOL:
        return True
    if before in _DETERMINER and meaningful(after):
        return True  # which kind: "a steel footbridge" / "a concrete footbridge"
    phrases = len(old) >= 2 and len(new) >= 2 and not {stem(w) for w in old} & {stem(w) for w in new}
    return bool(before) and phrases


def _without_tail(words: list[str]) -> list[str]:
    while len(words) > 1 and words[-1] in STOPWORDS:
        words = words[:-1]
    return words


def aligned_swaps(then: Text, now: Text) -> list[Swap]:
    """A name or a thing swapped for another where the rest of the two clauses is the same."""
    said_then = {stem(w) for w in tokens(then.clean)}
    said_now = {stem(w) for w in tokens(now.clean)}
    out: list[Swap] = []
    for two in now.clauses:
        b = tokens(two.text)
        for one in then.clauses:
            a = tokens(one.text)
            ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
            shared = sum(1 for tag, i1, i2, _, _ in ops if tag == "equal" for w in a[i1:i2] if meaningful(w))
            if shared < MIN_SHARED_WORDS:
                continue
            for tag, i1, i2, j1, j2 in ops:
                old, new = a[i1:i2], b[j1:j2]
                if tag == "replace" and i1 and a[i1 - 1] in _PLACE_OR_TOOL and a[i1 - 1] != "to":
                    # A place told and the next statement begun ("in romania they had a fire"): the
                    # little words after the place are not part of it. Not after "to", which opens a
                    # verb as often as a place ("agreed to trial a ..." / "to test ...").
                    old, new = _without_tail(old), _without_tail(new)
                if tag != "replace" or len(old) > MAX_SWAP_WORDS or len(new) > MAX_SWAP_WORDS:
                    continue
                if not _swap_slot(a, i1, i2, b, j1, j2) or not (_names_a_thing(old) and _names_a_thing(new)):
                    continue
                names = (bool(set(old) & _named(one.text)), bool(set(new) & _named(two.text)))
                if abbreviation(old, new) or abbreviation(new, old) or _qualities(old, new, names):
                    continue
                if _written_apart(old, new):
                    continue  # "eighty-eight percent on-time" / "eighty-eight per cent"
                if len(old) == len(new) == 1 and one_word(old[0], new[0]):
                    continue  # one word told in another form: "our smallest customers" / "small-business"
                if (
                    len(old) == len(new) == 1
                    and not any(names)
                    and (shortened(*old, *new) or shortened(*new, *old))
                ):
                    continue  # one word said the short way: "the temp power boards" / "the temporary ..."
                if _negated(a[max(0, i1 - NEGATION_REACH) : i1]) != _negated(
                    b[max(0, j1 - NEGATION_REACH) : j1]
                ):
                    # Denied in one round and told in the other ("could not read a simple story" / "could
                    # read a full story"): the story's before and after, not one thing told as another.
                    continue
                # Said in both rounds somewhere, it is a second thing, not one swapped for another.
                if any(stem(w) in said_now for w in old if meaningful(w)):
                    continue
                if any(stem(w) in said_then for w in new if meaningful(w)):
                    continue
                out.append(Swap(" ".join(old), " ".join(new), one.index, two.index))
    return out
