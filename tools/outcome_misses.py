"""Where each missed outcome change breaks, on the tune sets' pairs only (never a check set).

    .venv/bin/python tools/outcome_misses.py v10 v11     # the sets' pairs_tune.jsonl
    .venv/bin/python tools/outcome_misses.py v6 --quiet  # and every judged clean retelling's score
    .venv/bin/python tools/outcome_misses.py w14a        # a writer's story pairs (tests/data/pairs_indep)

For each labelled outcome change (and each false problem finding on a clean kind) it prints one verdict
of where the chain broke, then what the pair judge (outcome_change.judged_change) read:
- "no story": the round-one answer it retells was not matched (consistency.match, by shared words);
- "not judged": the rules or the stance reading already spoke for the category, or round one had none;
- "no ending pair": neither the setting nor a step in round one, or round two's chosen clause reads as
  an outcome less than the judge's min_likeness (outcome_change.ending_pair);
- "too far apart": the two endings' cosine is under min_similarity;
- "valence": P(good then), P(good now) and the score, under the judge's cut.
Counted in session 13: on the v5, v6, v8, v9, v10 and v11 tune pairs 25 of 60 outcome changes found, 23
lost at "valence" and 12 before any pair was judged; on w14a's 40 changed stories (a new writer) 9 found,
18 lost at "valence" (11 of them with the right clause on both sides, 7 with a wrong one on a side) and
13 at "no ending pair": on a new writer, which clause is taken as each round's ending loses about as many
as the valence of the right pair.
Counted in session 14 (main at 5cf223a): w14a 9/40 found (13 no ending pair, 18 valence), w13a 7/20 (2, 11),
w12a 7/14 (1, 6), w12b 3/13 (3, 7); the seven tune sets 28/63 (11 no ending pair, 23 valence, 1 no story).
A chooser of the pair (tools/train_ending_pair.py) put the right clauses side by side more often, but the
valence of the right pair and the candidates round two may offer lose the rest; see that file.
Much faster than bench.quality (pairs only, and sentence vectors kept in .cache/ between runs).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from train_grader import CachedEmbedder  # noqa: E402

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading import outcome_change, semantic  # noqa: E402
from simulator.grading.evaluation import pair_request  # noqa: E402
from simulator.grading.grader import grade_answer  # noqa: E402

HELDOUT = ROOT / "tests" / "heldout"
STORIES = ROOT / "tests" / "data" / "pairs_indep"
CACHE = ROOT / ".cache" / "outcome_misses_vectors.npz"  # a development convenience, never shipped
PROBLEMS = ("contradiction", "embellishment")
QUIET = ("clean_retelling", "same_quantity", "baseline_vs_outcome", "elaboration")


class JudgeLog:
    """Every pair the judge reads during one grade: what it compared and how it read each side."""

    def __init__(self) -> None:
        self.seen: list[dict] = []
        self._score = outcome_change.changed_score

    def __call__(self, texts, readings, embed, valence):
        scored = self._score(texts, readings, embed, valence)
        read = {"judge": valence.version, "cut": valence.threshold, "score": scored[0] if scored else None}
        found = outcome_change.ending_pair(texts, readings, valence.min_likeness, valence.min_acting)
        if found is not None:
            i, j = found
            pair = [outcome_change.ending_part(texts[0].clauses[i].text)]
            pair.append(outcome_change.ending_part(texts[1].clauses[j].text))
            vectors = embed(pair)
            good = valence.good(pair, vectors)
            read.update(
                then=pair[0],
                now=pair[1],
                similarity=float(vectors[0] @ vectors[1]),
                good=(float(good[0]), float(good[1])),
                min_similarity=valence.min_similarity,
            )
        self.seen.append(read)
        return scored


def story_as_pair(row: dict) -> dict:
    """A story told twice (pairs_indep/story_pairs_*.jsonl) in the held-out sets' pair format: its changed
    outcome facts as the expected changes, its same and elaboration stories as clean kinds."""
    labels = [
        {
            "kind": "contradiction",
            "category": "outcome",
            "round_one_fact": f["fact_one"],
            "round_two_fact": f["fact_two"],
        }
        for f in row["facts"]
        if f["kind"] == "outcome" and f["relation"] == "changed"
    ]
    return {
        "id": row["id"],
        "stratum": {"same": "clean_retelling", "elaboration": "elaboration"}.get(
            row["category"], row["category"]
        ),
        "question": row["question_two"],
        "answer": row["round_two"],
        "round_one": [{"question": row["question_one"], "answer": row["round_one"]}],
        "expected": labels[:1],  # one change of outcome a story: found or not
    }


def verdict(matched: str | None, reads: list[dict], found: bool) -> str:
    if found:
        return "found"
    if matched is None:
        return "no story"
    if not reads:
        return "not judged"
    newest = reads[0]
    if "then" not in newest:
        return "no ending pair"
    if newest["similarity"] < newest["min_similarity"]:
        return "too far apart"
    return "valence"


def show(read: dict) -> str:
    if "then" not in read:
        return f"judge {read['judge']}: no ending pair"
    good_then, good_now = read["good"]
    score = "-" if read["score"] is None else f"{read['score']:.2f}"
    return (
        f"judge {read['judge']}: good then {good_then:.2f} now {good_now:.2f}, cosine {read['similarity']:.2f}, "
        f"score {score} (cut {read['cut']:.2f})\n        then: {read['then']!r}\n        now:  {read['now']!r}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "sets", nargs="+", help="held-out set names (their pairs_tune.jsonl), or story writers (w12a ...)"
    )
    parser.add_argument("--quiet", action="store_true", help="also every clean kind's judged score")
    args = parser.parse_args(argv)
    heads = semantic.shipped_heads()
    assert heads is not None
    meaning = semantic.Meaning(CachedEmbedder(semantic.E5Embedder(), CACHE), heads)
    rubrics = load_rubrics()
    log = JudgeLog()
    outcome_change.changed_score = log  # judged_change reads it from the module
    for name in args.sets:
        stories = STORIES / f"story_pairs_{name}.jsonl"
        path = stories if stories.exists() else HELDOUT / name / "pairs_tune.jsonl"
        if not path.exists():
            parser.error(f"{path.relative_to(ROOT)}: no tune pairs")
        found = total = false = quiet = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line) if line.strip() else None
            if pair is None:
                continue
            pair = story_as_pair(pair) if path == stories else pair
            labels = [x for x in pair["expected"] if x["kind"] in PROBLEMS and x["category"] == "outcome"]
            clean = pair["stratum"] in QUIET
            if not labels and not clean:
                continue
            log.seen.clear()
            result = grade_answer(pair_request(pair), rubrics, meaning=meaning)
            problems = [f for f in result.consistency.findings if f.kind in PROBLEMS]
            if clean:
                quiet += 1
                false += bool(problems)
                for f in problems:
                    print(
                        f"FALSE {pair['id']}: {f.kind}/{f.category} {f.round_two_quote!r} vs {f.round_one_quote!r}"
                    )
                if problems or args.quiet:
                    print("\n".join(f"    {pair['id']} {show(r)}" for r in log.seen))
            for label in labels:
                total += 1
                hit = any(f.category == "outcome" for f in problems)
                found += hit
                why = verdict(result.consistency.matched_round_one, log.seen, hit)
                print(f"{why:<15} {pair['id']}: {label['round_two_fact']!r} vs {label['round_one_fact']!r}")
                if not hit:  # a follow-up matched may not be where round one told how it ended
                    print(f"    retells round one's {result.consistency.matched_round_one!r}")
                print("\n".join(f"    {show(r)}" for r in log.seen))
        print(
            f"== {name}: outcome changes found {found}/{total}; false findings on clean kinds {false}/{quiet}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
