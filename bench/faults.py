"""How long a broken endpoint can hold a model call, at the default deadline.

Against the fault server (tests/fake_openai_server.py) on 127.0.0.1, through the real client stack:
- a trickling endpoint (headers, then a byte every 2 s: no read ever times out), for a spoken line,
  a streamed one (the page) and the judge (two asks);
- a hanging endpoint (accepts, never answers), for a spoken line and the judge;
- a whole CLI run (`run --engine openai`) against the trickling endpoint, which before the deadline
  sat at zero turns for over five minutes.
Target: every call gives up in under 30 s. The cases run side by side, so this takes about as long as
the CLI run (three deadlines, then the breaker stops calling).

Run: .venv/bin/python -m bench.faults   (from the repository root)
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from simulator.catalog import ROOT, load_personas, load_rubrics
from simulator.engines.base import SlotContext
from simulator.engines.openai_engine import OpenAIEngine, engine_from_settings
from simulator.engines.settings import DEFAULT_TIMEOUT, EngineSettings
from simulator.script import script_setup
from tests.fake_openai_server import FakeOpenAIServer
from tests.llm_session import SCRIPT, fare_request

TARGET_SECONDS = 30.0
TRICKLE_SECONDS = 2.0  # the pace reported in the issue
KEY = "sk-bench-not-a-real-key-0123456789"
PERSONAS = load_personas()
RUBRICS = load_rubrics()
ROUND_ONE = script_setup(SCRIPT, PERSONAS, "bench").round_one


def _engine(base_url: str) -> OpenAIEngine:
    return engine_from_settings(EngineSettings(api_key=KEY, base_url=base_url, model="fake-model"), RUBRICS)


def _ctx() -> SlotContext:
    return SlotContext(
        job=SCRIPT.job, round_one=ROUND_ONE, skills=["SQL"], pressure="realistic", rng=random.Random(1)
    )


def _speak(engine: OpenAIEngine) -> str | None:
    engine.introduce(PERSONAS["hiring_manager"], _ctx())
    return engine.take_note()


def _stream(engine: OpenAIEngine) -> str | None:
    with engine.stream_to(lambda piece: None):
        engine.introduce(PERSONAS["hiring_manager"], _ctx())
    return engine.take_note()


def _judge(engine: OpenAIEngine) -> str | None:
    return engine.grade(fare_request(ROUND_ONE, SCRIPT.job)).reason


def _one_call(behaviour: str, action: Callable[[OpenAIEngine], str | None]) -> tuple[float, str]:
    with FakeOpenAIServer(behaviour, trickle_seconds=TRICKLE_SECONDS) as server:
        engine = _engine(server.base_url)
        began = time.perf_counter()
        reason = action(engine) or "(no fallback)"
        return time.perf_counter() - began, reason


def _cli_run() -> tuple[float, str]:
    with (
        FakeOpenAIServer("trickle", trickle_seconds=TRICKLE_SECONDS) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY, "ROUNDTWO_HOME": tmp}
        script = str(ROOT / "examples" / "backend_engineer.yaml")
        flags = ["--engine", "openai", "--db", str(Path(tmp) / "s.db")]
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "simulator", "run", "--script", script, *flags],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            cwd=ROOT,
        )
        return time.perf_counter() - began, f"exit {done.returncode}"


def main() -> None:
    cases: dict[str, Callable[[], tuple[float, str]]] = {
        "trickle, spoken line": lambda: _one_call("trickle", _speak),
        "trickle, streamed line (page)": lambda: _one_call("trickle", _stream),
        "trickle, judge": lambda: _one_call("trickle", _judge),
        "hang, spoken line": lambda: _one_call("hang", _speak),
        "hang, judge": lambda: _one_call("hang", _judge),
        "trickle, whole CLI run": _cli_run,
    }
    with ThreadPoolExecutor(max_workers=len(cases)) as pool:
        futures = {name: pool.submit(case) for name, case in cases.items()}
        results = {name: future.result() for name, future in futures.items()}
    print(
        f"default deadline per model call: {DEFAULT_TIMEOUT:g} s; trickle: a byte every {TRICKLE_SECONDS:g} s"
    )
    for name, (seconds, reason) in results.items():
        print(f"{name}: {seconds:.1f} s ({reason})")
    for kind in ("trickle", "hang"):
        worst = max(s for name, (s, _) in results.items() if name.startswith(kind) and "CLI" not in name)
        verdict = "meets" if worst < TARGET_SECONDS else "MISSES"
        print(
            f"worst case for a {kind} endpoint to give up: {worst:.1f} s per call ({verdict} target < {TARGET_SECONDS:g} s)"
        )


if __name__ == "__main__":
    main()
