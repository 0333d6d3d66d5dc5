"""Where a whole run's time went, by test file and by worker, for keeping tests/slow_files.txt true.

`ROUNDTWO_SLOW_FILES=write make test` rewrites tests/slow_files.txt from the run (the files that took
longest, slowest first; its comment kept), and every xdist run ends by saying when each worker finished
its last test: a worker left alone at the end for long means the list has drifted."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# Files below this many seconds (setup, call and teardown summed) gain nothing from going first.
LISTED_FROM_SECONDS = 20.0


@dataclass
class SuiteTiming:
    started: float = field(default_factory=time.monotonic)
    seconds_by_file: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    last_by_worker: dict[str, float] = field(default_factory=dict)

    def add(self, nodeid: str, seconds: float, worker: str | None) -> None:
        self.seconds_by_file[nodeid.split("::")[0]] += seconds
        if worker is not None:
            self.last_by_worker[worker] = time.monotonic() - self.started

    def slowest_files(self) -> list[str]:
        ranked = sorted(self.seconds_by_file.items(), key=lambda item: -item[1])
        return [path for path, seconds in ranked if seconds >= LISTED_FROM_SECONDS]

    def worker_lines(self) -> list[str]:
        if len(self.last_by_worker) < 2:
            return []
        ends = sorted(self.last_by_worker.items(), key=lambda item: item[1])
        alone = ends[-1][1] - ends[-2][1]
        finished = ", ".join(f"{worker} at {seconds:.0f} s" for worker, seconds in ends)
        return [f"workers' last tests finished: {finished} ({alone:.0f} s with one worker alone)"]


def rewrite_slow_files(path: Path, files: list[str]) -> None:
    """The list replaced, its leading comment kept."""
    lines = path.read_text(encoding="utf-8").splitlines()
    comment = [line for line in lines if line.startswith("#")]
    path.write_text("\n".join([*comment, *files]) + "\n", encoding="utf-8")
