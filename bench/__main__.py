"""`make bench`: every benchmark in turn. Each prints its own figures and ratios against targets."""

from __future__ import annotations

import importlib
import sys

BENCHES = (
    "bench.session",
    "bench.grading",
    "bench.quality",
    "bench.replies",
    "bench.page",
    "bench.replay",
    "bench.llm",
    "bench.hostile",
    "bench.kills",
    "bench.faults",
    "bench.voice",
)


def main() -> int:
    failed = []
    for name in BENCHES:
        print(f"\n## {name}")
        try:
            importlib.import_module(name).main()
        except ModuleNotFoundError as exc:
            print(f"skipped: {exc}")
        except Exception as exc:  # one broken bench should not hide the others' figures
            print(f"failed: {exc!r}")
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
