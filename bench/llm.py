"""The LLM engine's costs, from the recorded session (no server, no network).

1. Tokens per session: what the engine sends (recent turns of this interviewer's conversation,
   trimmed to a budget, plus colleagues' notes) against sending the whole transcript every turn.
   Target: at most 60%.
2. The orchestration's own time per turn (orchestrator, prompt building, token counting, rule
   grading, saving) as a fraction of the model's time per turn, taken from the real durations
   measured when the cassette was recorded. Target: under 2%.

Run: .venv/bin/python -m bench.llm   (from the repository root; replays tests/cassettes/llm_session.yaml,
or plays a scripted fake model when the cassette is missing).
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from langchain_core.messages import BaseMessage

from simulator.catalog import ROOT, Rubrics, load_personas, load_rubrics
from simulator.engines.base import SlotContext
from simulator.engines.openai_engine import OpenAIEngine
from simulator.engines.prompting import Prompt, transcript_lines
from simulator.models import Persona, Session
from simulator.orchestrator import Interview
from simulator.script import Script, load_script, script_setup
from simulator.service import Toolkit, play_script, start
from simulator.store import Store
from tests.llm_fakes import Roleplay, ScriptedChatModel
from tests.llm_session import SCRIPT
from tests.llm_vcr import CASSETTES, PINNED, REPLAY_BASE_URL, cassette, cassette_engine

TOKEN_TARGET = 0.60
TIME_TARGET = 0.02
TIMINGS = CASSETTES / "llm_session_timings.yaml"
EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
RUNS = 3


class Measured:
    """Wraps an engine's calls: counts the baseline prompt and times the model calls themselves."""

    def __init__(self, engine: OpenAIEngine, personas: dict[str, Persona]):
        self.engine = engine
        self.personas = personas
        self.session: Session | None = None
        self.sent = 0
        self.whole = 0
        self.sent_speaking = 0
        self.whole_speaking = 0
        self.model_seconds = 0.0
        speak: Callable[..., str] = engine._speak
        complete = engine._complete
        structured = engine._structured
        judge_prompt = engine._judge_prompt
        grade = engine.grade
        judge_tokens = 0  # of the judge prompt the engine built last, as sent

        def measured_speak(task: str, persona: Persona, ctx: SlotContext, *args: Any, **slots: str) -> str:
            if self.session is not None:
                whole = replace(ctx, slot_turns=list(self.session.turns))
                whole_tokens = engine.prompts.speaking(
                    task, persona, whole, slots, window=None, budget=10**7
                ).tokens
                sent_tokens = engine.prompts.speaking(task, persona, ctx, slots).tokens
                self.whole += whole_tokens
                self.sent += sent_tokens
                self.whole_speaking += whole_tokens
                self.sent_speaking += sent_tokens
            return speak(task, persona, ctx, *args, **slots)

        def timed_complete(prompt: Prompt, *args: Any) -> Any:
            began = time.perf_counter()
            try:
                return complete(prompt, *args)
            finally:
                self.model_seconds += time.perf_counter() - began

        outer = self

        class TimedStructured:
            def __init__(self, runnable: Any):
                self.runnable = runnable

            def invoke(self, messages: list[BaseMessage]) -> Any:
                began = time.perf_counter()
                try:
                    return self.runnable.invoke(messages)
                finally:
                    outer.model_seconds += time.perf_counter() - began

        def timed_structured() -> TimedStructured:
            return TimedStructured(structured())

        def kept_judge_prompt(*args: Any) -> Prompt:
            nonlocal judge_tokens
            prompt = judge_prompt(*args)
            judge_tokens = prompt.tokens
            return prompt

        def counted_grade(request: Any) -> Any:
            before = len(engine.usage.records)
            grade_result = grade(request)
            judge_calls = sum(1 for r in engine.usage.records[before:] if r.task == "judge")
            if self.session is not None and judge_calls:
                tokens = judge_tokens
                # The naive way sends the whole transcript with every call, the judge's included.
                speakers = {s.persona_id: self.personas[s.persona_id] for s in self.session.plan.slots}
                me = next(iter(speakers.values()))
                transcript = "\n".join(transcript_lines(self.session.turns, speakers, me))
                self.sent += tokens * judge_calls
                self.whole += (tokens + engine.counter.count(transcript)) * judge_calls
            return grade_result

        engine._speak = measured_speak  # type: ignore[method-assign,assignment]
        engine._complete = timed_complete  # type: ignore[method-assign]
        engine._structured = timed_structured  # type: ignore[method-assign]
        engine._judge_prompt = kept_judge_prompt  # type: ignore[method-assign]
        engine.grade = counted_grade  # type: ignore[method-assign]


@dataclass(frozen=True)
class TokenFigures:
    sent: int
    whole: int
    sent_speaking: int
    whole_speaking: int
    turns: int

    def report(self, label: str) -> bool:
        ratio = self.sent / self.whole
        print(
            f"{label}: {self.turns} turns; prompt tokens {self.sent:,} sent vs {self.whole:,} "
            "when every call "
            f"carries the whole transcript: {ratio:.0%} (target <= {TOKEN_TARGET:.0%}) "
            f"{'ok' if ratio <= TOKEN_TARGET else 'OVER TARGET'}"
        )
        print(
            f"    interviewer calls only: {self.sent_speaking:,} vs {self.whole_speaking:,} "
            f"({self.sent_speaking / self.whole_speaking:.0%}); the judge never needs the transcript"
        )
        return ratio <= TOKEN_TARGET


def catalog(replaying: bool) -> tuple[dict[str, Persona], Rubrics]:
    """The personas and rubrics the cassette was recorded with when replaying (the shipped ones
    make other prompts, which the cassette does not hold); the shipped ones otherwise."""
    if replaying:
        return load_personas(PINNED / "personas"), load_rubrics(PINNED / "rubrics")
    return load_personas(), load_rubrics()


def replay_if(replaying: bool) -> AbstractContextManager[Any]:
    """The recorded session's cassette when replaying; nothing when a fake model plays."""
    return cassette("llm_session", record=False) if replaying else nullcontext()


def token_figures(make_engine: Callable[[], OpenAIEngine], script: Script, replaying: bool) -> TokenFigures:
    """Tokens sent vs the whole-transcript baseline, on a session played without a store."""
    personas, _ = catalog(replaying)
    engine = make_engine()
    measured = Measured(engine, personas)
    setup = script_setup(script, personas, "bench")
    session = Session(
        id=uuid.uuid4().hex[:12],
        created_at=datetime.now(UTC).isoformat(),
        job=setup.job,
        round_one=setup.round_one,
        story_bank=setup.story_bank,
        plan=setup.plan.model_copy(update={"engine": engine.name}),
    )
    measured.session = session
    interview = Interview(session, personas, engine)

    with replay_if(replaying):
        interview.begin()
        play_script(interview, script)
    m = measured
    return TokenFigures(m.sent, m.whole, m.sent_speaking, m.whole_speaking, len(session.turns))


def own_time(make_engine: Callable[[], OpenAIEngine], replaying: bool) -> tuple[float, float, int, int]:
    """Wall time of a saved session minus the time inside model calls; and the number of calls."""
    personas, rubrics = catalog(replaying)
    engine = make_engine()
    measured = Measured(engine, personas)
    kit = Toolkit(personas, rubrics, engine)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        began = time.perf_counter()
        with replay_if(replaying):
            session = play_script(start(script_setup(SCRIPT, personas, "llm_session"), store, kit), SCRIPT)
        total = time.perf_counter() - began
    return (
        total - measured.model_seconds,
        measured.model_seconds,
        len(session.turns),
        len(engine.usage.records),
    )


def main() -> None:
    replaying = (CASSETTES / "llm_session.yaml").is_file()

    def fake() -> OpenAIEngine:
        return OpenAIEngine(ScriptedChatModel(responder=Roleplay()), catalog(False)[1])

    if replaying:
        print("replaying tests/cassettes/llm_session.yaml (recorded against llama.cpp + SmolLM2-135M)")

        def make() -> OpenAIEngine:
            return cassette_engine("llm_session", REPLAY_BASE_URL, catalog(True)[1], record=False)
    else:
        print("no recorded session: playing a scripted fake model instead (token figures only)")
        make = fake

    token_figures(make, SCRIPT, replaying).report("the recorded session (10-minute slots)")
    full = load_script(EXAMPLE)
    token_figures(fake, full, replaying=False).report(
        f"a full-length session ({EXAMPLE.name}, default slot lengths, scripted fake model)"
    )

    if not (replaying and TIMINGS.is_file()):
        print(
            "model time per call: no recorded timings (tests/cassettes/llm_session_timings.yaml); "
            "run make record"
        )
        return
    recorded = yaml.safe_load(TIMINGS.read_text(encoding="utf-8"))
    model_seconds = sum(float(r["seconds"]) for r in recorded)
    runs = [own_time(make, replaying) for _ in range(RUNS)]
    own = statistics.median(r[0] for r in runs)
    _, _, turns, calls = runs[0]
    if calls != len(recorded):
        print(
            f"warning: {calls} calls replayed but {len(recorded)} timings recorded; "
            "re-record with make record"
        )
    fraction = own / model_seconds
    print(
        f"model time when recorded: {model_seconds:.1f} s over {len(recorded)} calls "
        f"({model_seconds / turns * 1000:.0f} ms per turn)"
    )
    print(
        f"orchestration's own time (median of {RUNS} runs, saved turn by turn, cassette replay excluded): "
        f"{own * 1000:.0f} ms ({own / turns * 1000:.2f} ms per turn)"
    )
    print(
        f"fraction of the model's time: {fraction:.2%} (target < {TIME_TARGET:.0%}): "
        f"{'ok' if fraction < TIME_TARGET else 'OVER TARGET'}"
    )


if __name__ == "__main__":
    main()
