"""`make bench`: the whole hostile-input corpus through the real command line (target: 0 failed).

A case fails unless it ends with exit 2, exactly one line on stderr and no traceback; the cases are
in tests/hostile_corpus.py, the same ones tests/test_hostile_cli.py runs one by one.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.hostile_corpus import ALL_CASES, IMPORT_CASES_AWAITING_STORE, run_case


def main() -> None:
    failed: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="roundtwo-hostile-") as scratch:
        for number, case in enumerate(ALL_CASES):
            try:
                problem = run_case(case, Path(scratch) / str(number)).problem(case)
            except Exception as exc:  # a hang (timeout) or a runner fault is a failure, named
                problem = f"{type(exc).__name__}: {exc}"
            if problem:
                owner = " [import validation]" if case in IMPORT_CASES_AWAITING_STORE else ""
                failed.append(f"  - {case.name}{owner}: {problem}")
    seconds = time.perf_counter() - started
    print(f"hostile inputs: {len(ALL_CASES)} tried, {len(failed)} failed (target 0) in {seconds:.0f} s")
    for line in failed:
        print(line)


if __name__ == "__main__":
    main()
