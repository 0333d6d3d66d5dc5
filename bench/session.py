"""A whole offline session, saved; then loading and exporting it. Target: a session under 1 s.

Then the figure a user feels most: from sending an answer to the next question, through what the
page's Send button runs (`ui.actions.send`: load, resume, grade, the interviewer's next turn, save)
and what it draws (the chat), on the offline engine with the real grader, sentence model included.
Target: median under 0.15 s. The browser's round trip on top of it is in bench.page.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.catalog import ROOT
from simulator.markdown import session_to_markdown
from simulator.script import load_script, script_setup
from simulator.service import Toolkit, play_script, start
from simulator.store import Store

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
RUNS = 5
TARGET_SECONDS = 1.0
ANSWER_TARGET_SECONDS = 0.15


def p95(values: list[float]) -> float:
    """The 95th percentile (interpolated; the largest value when there are fewer than 20)."""
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def whole_sessions() -> None:
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


class _GradeClock:
    """Wraps an engine's `grade` to add up the time spent grading answers (the rest is the page's)."""

    def __init__(self, engine: Any):
        self.seconds = 0.0
        self._grade: Callable[..., Any] = engine.grade
        engine.grade = self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return self._grade(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - t0


def answer_to_next_question() -> None:
    from simulator.ui import actions, render

    answers = load_script(EXAMPLE).answers
    walls: list[float] = []
    cpus: list[float] = []
    grading: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        ctx = actions.PageContext(store=store)
        clock = _GradeClock(ctx.kit("offline").engine)
        form = actions.example_form(ctx.personas)  # the example's job, round one and whole panel
        form.seed = "7"
        step = actions.start_session(ctx, form)
        given = iter(a for a in answers if isinstance(a, str))
        while step.awaiting.kind != "nothing":
            if step.awaiting.kind != "answer":
                step = actions.move_on(ctx, step.session.id)  # no questions for the interviewer
                continue
            text = next(given, None)
            if text is None:
                break
            clock.seconds = 0.0
            w0, c0 = time.perf_counter(), time.process_time()
            step = actions.send(ctx, step.session.id, text)
            render.chat_history(step.session, step.personas, False)
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
            grading.append(clock.seconds)
    rest = [w - g for w, g in zip(walls, grading, strict=True)]
    later = walls[1:] or walls
    median = statistics.median(walls)
    print(
        f"answer sent to next question (ui.actions.send + the chat drawn; offline engine, real grader "
        f"with the sentence model), over {len(walls)} answers of the example: median {median:.3f} s, "
        f"p95 {p95(walls):.3f} s, worst {max(walls):.3f} s; median is {median / ANSWER_TARGET_SECONDS:.2f}x "
        f"of the {ANSWER_TARGET_SECONDS} s target"
    )
    print(
        f"  first answer (loads the sentence model and embeds round one): {walls[0]:.3f} s; the others: "
        f"median {statistics.median(later):.3f} s, p95 {p95(later):.3f} s"
    )
    print(
        f"  of which grading the answer (engine.grade): median {statistics.median(grading):.3f} s, "
        f"p95 {p95(grading):.3f} s; everything else (load, resume, next turn, save, draw): "
        f"median {statistics.median(rest):.3f} s, p95 {p95(rest):.3f} s"
    )
    print(
        f"  CPU time per answer: median {statistics.median(cpus):.3f} s, p95 {p95(cpus):.3f} s "
        f"(load average {os.getloadavg()[0]:.1f} on 2 cores: wall time above CPU time is waiting for a core)"
    )


def main() -> None:
    whole_sessions()
    answer_to_next_question()


if __name__ == "__main__":
    main()
