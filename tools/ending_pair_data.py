"""Stories told twice whose outcome clauses are marked on both sides, read as the grader reads them: the
data for choosing which round-one and round-two clauses are the two endings to compare (ending_pair.py).

Groups (one a writer, so a chooser is judged on a writer it never saw):
- w12a, w12b, w13a, w14a: tests/data/pairs_indep/story_pairs_*.jsonl, every `outcome` fact (same or
  changed) a pair of spans, round one's and round two's;
- w8: tests/data/outcomes_indep/outcome_pairs_w8.jsonl, `outcome_one` / `outcome_two` (round one told
  after its context, as tools/train_outcome.py reads it);
- v5 ... v11 tune: tests/heldout/vN/pairs_tune.jsonl, the labelled outcome changes (develop sets only:
  never a check set).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from simulator.catalog import Rubrics  # noqa: E402
from simulator.grading import semantic  # noqa: E402
from simulator.grading.text import Text, analyse  # noqa: E402

STORIES = ROOT / "tests" / "data" / "pairs_indep"
W8 = ROOT / "tests" / "data" / "outcomes_indep" / "outcome_pairs_w8.jsonl"
HELDOUT = ROOT / "tests" / "heldout"
WRITERS = ("w8", "w12a", "w12b", "w13a", "w14a")
TUNE_SETS = ("v5", "v6", "v8", "v9", "v10", "v11")

_WORD = re.compile(r"[a-z0-9£$€%']+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def clauses_of(text: Text, span: str) -> set[int]:
    """The clauses a labelled span covers: those most of whose words, or holding most of whose words, are
    the span's."""
    want = _words(span)
    if not want:
        return set()
    out = set()
    for c in text.clauses:
        have = _words(c.text)
        if not have:
            continue
        shared = len(want & have)
        if shared / len(have) >= 0.6 or shared / len(want) >= 0.6:
            out.add(c.index)
    return out


@dataclass
class Story:
    group: str
    id: str
    clean: bool  # a same or elaboration story (no labelled change)
    texts: tuple[Text, Text]
    readings: tuple[semantic.ClauseReading, semantic.ClauseReading]
    right: set[tuple[int, int]] = field(default_factory=set)  # any labelled outcome pair
    changed: set[tuple[int, int]] = field(default_factory=set)  # the labelled changed ones


def _story(group, sid, clean, one, two, spans, meaning, rubrics) -> Story | None:
    texts = analyse(one, rubrics.star), analyse(two, rubrics.star)
    if not texts[0].clauses or not texts[1].clauses:
        return None
    readings = meaning.read(texts[0], rubrics.star), meaning.read(texts[1], rubrics.star)
    story = Story(group, sid, clean, texts, readings)
    for a, b, changed in spans:
        pairs = {(i, j) for i in clauses_of(texts[0], a) for j in clauses_of(texts[1], b)}
        story.right |= pairs
        if changed:
            story.changed |= pairs
    return story if story.right else None


def read_group(group: str, meaning: semantic.Meaning, rubrics: Rubrics) -> list[Story]:
    out: list[Story | None] = []
    if group == "w8":
        for line in W8.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if not row["outcome_two"] or row["label"] == "other_fact":
                continue
            spans = [(row["outcome_one"], row["outcome_two"], row["label"] == "changed")]
            one = f"{row['context']} {row['round_one']}"
            out.append(
                _story(
                    group, row["id"], row["label"] == "same", one, row["round_two"], spans, meaning, rubrics
                )
            )
    elif group.startswith("w"):
        for line in (STORIES / f"story_pairs_{group}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            spans = [
                (f["fact_one"], f["fact_two"], f["relation"] == "changed")
                for f in row["facts"]
                if f["kind"] == "outcome" and f["relation"] in ("same", "changed") and f["fact_one"]
            ]
            clean = row["category"] in ("same", "elaboration")
            if row["category"] not in ("same", "elaboration", "change_outcome"):
                continue
            out.append(
                _story(group, row["id"], clean, row["round_one"], row["round_two"], spans, meaning, rubrics)
            )
    else:
        for line in (HELDOUT / group / "pairs_tune.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            labels = [
                x
                for x in row["expected"]
                if x.get("category") == "outcome" and x.get("kind") in ("contradiction", "embellishment")
            ]
            if not labels:
                continue
            label = labels[0]
            told = [qa["answer"] for qa in row["round_one"] if label["round_one_fact"] in qa["answer"]]
            if not told:
                continue
            spans = [(label["round_one_fact"], label["round_two_fact"], True)]
            out.append(_story(group, row["id"], False, told[0], row["answer"], spans, meaning, rubrics))
    return [s for s in out if s is not None]
