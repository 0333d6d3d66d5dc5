"""A whole offline session, saved; then loading and exporting it. Target: a session under 1 s."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from simulator.catalog import ROOT
from simulator.markdown import session_to_markdown
from simulator.script import load_script, script_setup
from simulator.service import Toolkit, play_script, start
from simulator.store import Store

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
RUNS = 5
TARGET_SECONDS = 1.0


def main() -> None:
    started = time.perf_counter()
    kit = Toolkit.load("offline")
    print(f"loading personas and rubrics: {time.perf_counter() - started:.3f} s (once per process)")
    script = load_script(EXAMPLE)
    runs, loads, exports = [], [], []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        for seed in range(RUNS):
            setup = script_setup(script, kit.personas, EXAMPLE, seed=seed)
            t0 = time.perf_counter()
            session = play_script(start(setup, store, kit), script)
            t1 = time.perf_counter()
            loaded = store.load(session.id)
            t2 = time.perf_counter()
            store.export_json(session.id)
            session_to_markdown(loaded, kit.personas)
            t3 = time.perf_counter()
            runs.append(t1 - t0)
            loads.append(t2 - t1)
            exports.append(t3 - t2)
    turns = len(loaded.turns)
    median = statistics.median(runs)
    print(
        f"full scripted session ({turns} turns, 4 interviewers, saved turn by turn): median {median:.3f} s "
        f"over {RUNS} runs; {median / TARGET_SECONDS:.2f}x of the {TARGET_SECONDS:.0f} s target"
    )
    print(f"per turn: {median / turns * 1000:.2f} ms")
    print(f"load from SQLite: median {statistics.median(loads) * 1000:.1f} ms")
    print(f"export JSON + Markdown: median {statistics.median(exports) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
