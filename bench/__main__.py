"""`make bench`: every benchmark in turn. Each prints its own figures and ratios against targets."""

from __future__ import annotations

import importlib
import sys

# (module, arguments): the quality bench runs on every check set: v3, v4, v5, v7, v10, v11, v12, v13, v14 and the freshest, v16.
BENCHES: tuple[tuple[str, list[str]], ...] = (
    ("bench.session", []),
    ("bench.grading", []),
    ("bench.quality", ["--heldout", "v3"]),
    ("bench.quality", ["--heldout", "v4"]),
    ("bench.quality", ["--heldout", "v5"]),
    ("bench.quality", ["--heldout", "v7"]),
    ("bench.quality", ["--heldout", "v10"]),
    ("bench.quality", ["--heldout", "v11"]),
    ("bench.quality", ["--heldout", "v12"]),
    ("bench.quality", ["--heldout", "v13"]),
    ("bench.quality", ["--heldout", "v14"]),
    ("bench.quality", ["--heldout", "v16"]),
    ("bench.latency", []),
    ("bench.replies", []),
    ("bench.page", []),
    ("bench.replay", []),
    ("bench.llm", []),
    ("bench.hostile", []),
    ("bench.kills", []),
    ("bench.faults", []),
    ("bench.voice", []),
)


def main() -> int:
    failed = []
    for name, args in BENCHES:
        print(f"\n## {' '.join([name, *args])}")
        try:
            module = importlib.import_module(name)
            module.main(args) if args else module.main()
        except ModuleNotFoundError as exc:
            print(f"skipped: {exc}")
        except Exception as exc:  # one broken bench should not hide the others' figures
            print(f"failed: {exc!r}")
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
