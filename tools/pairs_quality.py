"""The pairs half of bench.quality (consistency with round one) on several held-out sets, with sentence
vectors kept on disk between runs: what an outcome or role change does to recall and false findings,
in minutes rather than the full bench's half hour.

    .venv/bin/python tools/pairs_quality.py v3:tune v9:tune --misses   # tune sets: each miss listed
    .venv/bin/python tools/pairs_quality.py v3:check v12:check         # check sets: summary lines only

The same grader and the same figures as `python -m bench.quality` (its `pairs_report`); only the answers
half, which never reads round one, is left out. `--misses` is refused on a check set. Tune and check
vectors are cached in separate files under .cache/ (a development convenience, never shipped).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from train_grader import CachedEmbedder  # noqa: E402

from bench.quality import RECORDER, load, pairs_report  # noqa: E402
from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading import semantic  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="+", help="set:split, e.g. v9:tune or v12:check")
    parser.add_argument("--misses", action="store_true", help="list each disagreement (tune only)")
    args = parser.parse_args(argv)
    heads = semantic.shipped_heads()
    assert heads is not None
    rubrics = load_rubrics()
    for spec in args.sets:
        name, _, split = spec.partition(":")
        if split not in ("tune", "check"):
            parser.error(f"{spec}: say set:tune or set:check")
        if args.misses and split == "check":
            parser.error("--misses reads a check set's labels: tune only")
        cache = ROOT / ".cache" / f"pairs_quality_{split}.npz"
        meaning = semantic.Meaning(CachedEmbedder(semantic.E5Embedder(), cache), heads)
        pairs = load(f"pairs_{split}.jsonl", name)
        print(f"== {name} {split}")
        RECORDER.reset(meaning)
        pairs_report(pairs, rubrics, False, args.misses)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
