"""Did a follow-up reply answer what the follow-up asked? Pure: text in, a ReplyGrade out.

A follow-up's answer is graded twice. The story's grade (`Turn.grade`) reads it with the answers it
completes; this grade reads it alone, against the follow-up: answered, partly, evasive, hypothetical or
dont_know, with the reply's own words that show it.

Rules decide where they are strong: an open admission ("honestly I'm not sure") is dont_know, "I would
..." is hypothetical (unless the follow-up itself asked what would happen), values talk is evasive.
Meaning decides the rest: which of two asked things a reply took up (sentence vectors), and whether a
reply to "what was the result?" states one (the semantic layer's clause reading). Without the semantic
layer the rules alone grade, a little more coarsely. Cues and thresholds live in rubrics/replies.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulator.grading.reply_rubric import Need, ReplyRubric
from simulator.grading.rubric import StarRubric
from simulator.grading.semantic import Meaning
from simulator.grading.text import Text, analyse, content_stems, word_count
from simulator.models import GraderInfo, ReplyGrade, ReplyLabel

# Where a clause divides into the pieces a reply answers with: "twenty-four signed up | and I think
# most of them finished | I didn't count exactly".
_PIECE_BREAK = re.compile(
    r",\s+(?:and|but|so)\s+|,\s+|;\s+|\s+[—–]\s+|\s+-\s+|\s+(?:and|but)\s+(?=(?:I|we|they|he|she|it)\b)"
)
# A name mid-sentence (a tool, a place, a person): "Mostly SQL in BigQuery".
_NAME = re.compile(r"(?<=\w )(?!I\b)[A-Z][\w&.-]+")
_ASKED = {
    "result": "the result",
    "figure": "a figure",
    "own_part": "your own part",
    "own_action": "what you did yourself",
    "context": "the context",
    "reconcile": "how the two tellings fit together",
    "example": "a real example",
}


@dataclass(frozen=True)
class Piece:
    """A stretch of the reply: clean text for matching, clean offsets for a verbatim quote."""

    text: str
    start: int
    end: int
    clause: int


@dataclass(frozen=True)
class Ask:
    """One thing the follow-up asked."""

    text: str
    figure: bool
    duration: bool  # "how long": only a length of time answers it
    why: bool  # "why": a reason answers it ("because ...")
    stems: frozenset[str]


@dataclass(frozen=True)
class Decision:
    label: ReplyLabel
    piece: Piece | None


class ReplyReader:
    """Reads one reply against its follow-up (one instance per reply)."""

    def __init__(
        self,
        follow_up: str,
        reply: str,
        rubric: ReplyRubric,
        star: StarRubric,
        meaning: Meaning | None,
        need: Need | None,
    ):
        self.rubric = rubric
        self.star = star
        self.meaning = meaning
        self.need = need
        self.follow_up = follow_up.strip()
        self.text: Text = analyse(reply, star)
        self.pieces = pieces_of(self.text)
        ignored = {w for word in rubric.ask_words for w in content_stems(word)}
        self.asks = [
            Ask(
                part,
                bool(rubric.figure_ask.regex.search(part)),
                bool(rubric.duration_ask.regex.search(part)),
                bool(rubric.why_ask.regex.search(part)),
                frozenset(content_stems(part) - ignored),
            )
            for part in split_asks(self.follow_up, rubric)
        ]
        self._vectors: tuple[np.ndarray, np.ndarray] | None = None
        self.asked_hypothetically = bool(rubric.hypothetical_question.regex.search(self.follow_up))

    # ------------------------------------------------------------ what a piece says

    def has(self, cues_name: str, piece: Piece) -> bool:
        return bool(getattr(self.rubric, cues_name).regex.search(piece.text))

    def hypothetical(self, piece: Piece) -> bool:
        plain = self.rubric.not_hypothetical.regex.sub(" ", piece.text)
        return bool(self.rubric.hypothetical.regex.search(plain))

    def factual(self, piece: Piece) -> bool:
        return self.has("factual", piece) and not self.hypothetical(piece)

    def telling(self, piece: Piece) -> bool:
        """Says something particular: an event, a figure, a name ("SQL in BigQuery"), or, when the
        follow-up asked what they would do, what they would do."""
        if self.factual(piece) or self.has("figure", piece) or _NAME.search(piece.text):
            return not self.generic(piece)
        return self.asked_hypothetically and self.hypothetical(piece)

    def generic(self, piece: Piece) -> bool:
        return self.has("generic", piece) and not self.has("figure", piece)

    def overlap(self, ask: Ask, piece: Piece) -> int:
        return len(ask.stems & content_stems(piece.text))

    def similarities(self) -> np.ndarray | None:
        """Ask x piece cosine similarity, or None without sentence vectors."""
        if self.meaning is None or self.meaning.embedder is None or not self.pieces:
            return None
        if self._vectors is None:
            vectors = self.meaning.embed([a.text for a in self.asks] + [p.text for p in self.pieces])
            self._vectors = (vectors[: len(self.asks)], vectors[len(self.asks) :])
        asks, pieces = self._vectors
        return np.asarray(asks @ pieces.T)

    # ------------------------------------------------------------ the decision

    def decide(self) -> Decision:
        if not self.pieces:
            return Decision("evasive", None)
        admitted = self.admission()
        if admitted is not None:
            return Decision("dont_know", admitted)
        wished = self.wishful()
        if wished is not None:
            return Decision("hypothetical", wished)
        # Asides ("right", "so much on") say nothing either way: only pieces of a few words count.
        spoken = [p for p in self.pieces if word_count(p.text) >= 3] or self.pieces
        generic = [p for p in spoken if self.generic(p)]
        on_point = any(
            self.factual(p) and not self.generic(p) and any(self.overlap(a, p) for a in self.asks)
            for p in self.pieces
        )
        if generic and len(generic) / len(spoken) >= self.rubric.thresholds.generic_share and not on_point:
            return Decision("evasive", generic[0])
        # Two questions in one follow-up are taken one by one, so a reply to one of them is "partly";
        # the orchestrator's reason decides the rest.
        if self.need is not None and (len(self.asks) < 2 or self.need not in ("result", "figure")):
            return self.by_need(self.need)
        return self.by_asks()

    def admission(self) -> Piece | None:
        """The piece that openly admits not knowing, unless the reply then gives the figure anyway
        ("I'm not sure of the exact number, but roughly four seconds")."""
        for i, piece in enumerate(self.pieces):
            if not self.has("dont_know", piece):
                continue
            after = self.pieces[i : i + 2]
            hedged = self.has("exactness", piece) or piece.text.lower().startswith("but")
            gives_figure = any(self.has("figure", p) for p in after)
            if hedged and gives_figure:
                return None
            return piece
        return None

    def wishful(self) -> Piece | None:
        """The first piece saying what they would do, when that is most of what the reply says."""
        if self.asked_hypothetically:
            return None  # "what would have happened?" is answered in the conditional
        wishes = [p for p in self.pieces if self.hypothetical(p)]
        if not wishes:
            return None
        facts = [p for p in self.pieces if self.factual(p)]
        return wishes[0] if len(wishes) >= len(facts) else None

    def by_need(self, need: Need) -> Decision:
        """A follow-up the orchestrator asked for a reason: did the reply give that?"""
        if need == "figure":
            state, piece = self.figure_state(self.asks[0] if self.asks else None)
            labels: dict[str, ReplyLabel] = {"full": "answered", "vague": "partly"}
            return Decision(labels.get(state, "evasive"), piece)
        if need == "result":
            found = self.stated_result()
            if found is not None:
                return Decision("answered", found)
            vague = self.first(lambda p: self.has("vague_outcome", p))
            return Decision("partly", vague) if vague else Decision("evasive", self.pieces[0])
        if need in ("own_part", "own_action"):
            own = self.own_action()
            if own is not None:
                return Decision("answered", own)
            team = self.first(lambda p: self.factual(p))
            return Decision("partly", team) if team else Decision("evasive", self.pieces[0])
        if need == "reconcile":
            took_up = self.first(lambda p: self.has("reconcile", p) or self.has("figure", p))
            return Decision("answered", took_up) if took_up else Decision("evasive", self.pieces[0])
        fact = self.first(self.telling)
        return Decision("answered", fact) if fact else Decision("evasive", self.pieces[0])

    def by_asks(self) -> Decision:
        """Take each asked thing in turn: given, given vaguely, or not taken up."""
        states: list[tuple[str, Piece | None]] = [self.ask_state(ask) for ask in self.asks] or [
            ("open", None)
        ]
        given = [piece for state, piece in states if state == "full" and piece is not None]
        if len(states) >= 2:
            claimed = {id(p) for p in given}
            if given and len(given) == len(states):
                return Decision("answered", given[0])
            if given:
                # An open question is taken up only by a statement of its own (another clause).
                open_asks = [i for i, (state, _) in enumerate(states) if state == "open"]
                elsewhere = {p.clause for p in given}
                other = self.closest(open_asks, claimed)
                apart = other is not None and (
                    other.clause not in elsewhere or self._reason_for(other, given)
                )
                both = len(open_asks) == len(states) - len(given) and apart
                return Decision("answered" if both else "partly", given[0])
            open_asks = [i for i, (state, _) in enumerate(states) if state == "open"]
            chosen = self.closest(open_asks, claimed)
            if chosen is not None and len(open_asks) == len(states):
                return Decision("partly", chosen)  # a specific reply to one of the two questions
            vague = next((p for s, p in states if s == "vague"), None)
            if vague is not None or chosen is not None:
                return Decision("partly", vague or chosen)
            return Decision("evasive", self.pieces[0])
        state, piece = states[0]
        if state == "full" and self.tells_something():
            return Decision("answered", piece)
        if state == "full":  # on the topic, yet no event, fact or figure: talk around the question
            return Decision("evasive", self.pieces[0])
        if state == "vague":
            return Decision("partly", piece)
        direct = self.first(lambda p: self.has("direct", p)) if self.pieces[0] else None
        if direct is not None and direct is self.pieces[0]:
            return Decision("answered", direct)
        fact = self.first(self.telling)
        if state == "none":
            return Decision("partly", fact) if fact else Decision("evasive", self.pieces[0])
        if fact is not None:
            return Decision("answered", self.closest([0], set()) or fact)
        return Decision("evasive", self.pieces[0])

    # ------------------------------------------------------------ evidence

    def tells_something(self) -> bool:
        """A reply to "what did you ...?" must report something that happened (or give a figure)."""
        if not self.rubric.past_question.regex.search(self.follow_up):
            return True
        return any(self.telling(p) for p in self.pieces) or self.has("direct", self.pieces[0])

    def first(self, test: Callable[[Piece], bool]) -> Piece | None:
        return next((p for p in self.pieces if test(p)), None)

    def ask_state(self, ask: Ask) -> tuple[str, Piece | None]:
        """'full', 'vague', 'none' (a figure asked and none given) or 'open' (words do not tell)."""
        if ask.figure:
            return self.figure_state(ask)
        if ask.why:
            reason = self.first(lambda p: self.has("reason_given", p))
            if reason is not None:
                return "full", reason
        scored = [(self.overlap(ask, p), i) for i, p in enumerate(self.pieces)]
        best, index = max(scored, key=lambda pair: (pair[0], -pair[1]))
        piece = self.pieces[index]
        if best >= 1 and not self.generic(piece):
            return "full", piece
        return "open", None

    def figure_state(self, ask: Ask | None) -> tuple[str, Piece | None]:
        """A figure asked for: given in the piece about it (or beside it), only vaguely, or not at all."""
        amount = "duration" if ask is not None and ask.duration else "figure"
        order = list(range(len(self.pieces)))
        if ask is not None and ask.stems:
            scores = [self.overlap(ask, p) for p in self.pieces]
            if max(scores) > 0:
                best = scores.index(max(scores))
                piece = self.pieces[best]
                if self.has(amount, piece):
                    return "full", piece
                if self.has("vague_amount", piece):
                    return "vague", piece
                order = [i for i in (best - 1, best + 1) if 0 <= i < len(self.pieces)]
        for i in order:
            if self.has(amount, self.pieces[i]):
                return "full", self.pieces[i]
        vague = self.first(lambda p: self.has("vague_amount", p))
        return ("vague", vague) if vague else ("none", None)

    def closest(self, asks: list[int], claimed: set[int]) -> Piece | None:
        """The unclaimed factual piece that one of these asks is nearest in meaning (or by words)."""
        candidates = [i for i, p in enumerate(self.pieces) if id(p) not in claimed and not self.generic(p)]
        # "not after" is an aside: prefer a piece that says something particular in a few words.
        candidates = [i for i in candidates if self._substantial(self.pieces[i])] or candidates
        if not candidates or not asks:
            return None
        sims = self.similarities()
        if sims is None:
            facts = [i for i in candidates if self.telling(self.pieces[i])]
            return self.pieces[facts[0]] if facts else None
        best = max(((float(sims[a, i]), i) for a in asks for i in candidates), default=None)
        return self.pieces[best[1]] if best else None

    def _reason_for(self, piece: Piece, given: list[Piece]) -> bool:
        """ "Brenner in Hamburg, because ...": the piece a reason follows is what the reason is for."""
        after = self.pieces.index(piece) + 1
        return (
            after < len(self.pieces)
            and self.pieces[after] in given
            and self.has("reason_given", self.pieces[after])
        )

    def _substantial(self, piece: Piece) -> bool:
        return word_count(piece.text) >= 3 and self.telling(piece)

    def stated_result(self) -> Piece | None:
        """A piece that states an outcome: the semantic reading where there is one, else a figure."""
        if self.meaning is not None:
            reading = self.meaning.read(self.text, self.star)
            result = reading.part("result")
            for piece in self.pieces:
                likely = piece.clause < len(result) and result[piece.clause] >= self.rubric.thresholds.result
                if likely and not self.has("vague_outcome", piece) and not self.generic(piece):
                    return piece
            return None
        return self.first(
            lambda p: (
                self.has("outcome", p)
                and (self.has("figure", p) or self.factual(p))
                and not self.has("vague_outcome", p)
            )
        )

    def own_action(self) -> Piece | None:
        """A piece in which the candidate is the one who acted: "I" with a deed, unless the semantic
        reading says the clause is really about someone else."""
        own = None
        if self.meaning is not None:
            own = self.meaning.read(self.text, self.star).actor("self")
        for piece in self.pieces:
            if not self.has("own_action", piece) or self.hypothetical(piece):
                continue
            if own is None or piece.clause >= len(own) or own[piece.clause] >= self.rubric.thresholds.own:
                return piece
        return None


def split_asks(follow_up: str, rubric: ReplyRubric) -> list[str]:
    """The separate questions in a follow-up: "How many letters, and what did you do when ...?"."""
    parts = [p.strip(" ?.,;:") for p in rubric.ask_split.regex.split(follow_up)]
    # "I want the outcome, not the intention." beside a question is emphasis, not a second question.
    questions = [p for p in parts if p and rubric.question_start.regex.match(p)]
    return questions or [follow_up.strip()]


def pieces_of(text: Text) -> list[Piece]:
    out: list[Piece] = []
    for clause in text.clauses:
        start = clause.start
        for match in [*_PIECE_BREAK.finditer(clause.text), None]:
            end = clause.start + (match.start() if match else len(clause.text))
            body = text.clean[start:end].strip(" ,;:.!?-")
            if body and any(ch.isalnum() for ch in body):
                lead = text.clean[start:end].find(body)
                out.append(Piece(body, start + lead, start + lead + len(body), clause.index))
            if match:
                start = clause.start + match.end()
    return out


def grade_reply(
    follow_up: str,
    reply: str,
    rubric: ReplyRubric,
    star: StarRubric,
    *,
    meaning: Meaning | None = None,
    need: Need | None = None,
    engine: str = "offline",
) -> ReplyGrade:
    """Grade a reply against the follow-up it answers. `need`, when the orchestrator knows why it
    followed up, is what the reply had to give (see `needs` in rubrics/replies.yaml)."""
    reader = ReplyReader(follow_up, reply, rubric, star, meaning, need)
    decision = reader.decide()
    quote = reader.text.quote(decision.piece.start, decision.piece.end) if decision.piece else ""
    asked = _ASKED.get(need) if need else None
    reason = rubric.reasons[decision.label].replace("{asked}", asked or "what the follow-up asked for")
    return ReplyGrade(
        label=decision.label,
        quote=quote,
        reason=reason,
        asked=asked,
        grader=GraderInfo(
            engine=engine,
            model=meaning.name if meaning is not None else "rules",
            rubric_version=f"replies@{rubric.version}",
        ),
    )


def need_for(reason: str | None, rubric: ReplyRubric) -> Need | None:
    """What a follow-up asked for, from the reason the orchestrator gave it."""
    return rubric.needs.get(reason) if reason else None
