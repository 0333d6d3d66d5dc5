"""Grading latency per answer, as a session sees it, and the sentence model's load time.

A session embeds round one in the background as it starts (`grader.warm_up`), while the candidate
reads the first question; each answer then embeds only its own compared clauses. So an answer with a
round one is timed after that warm-up, which is timed on its own, and the first answer's worst case
(sent before the warm-up finished) is about the two added. CPU time is printed beside wall time: on a
busy machine the wall time is mostly waiting for a core.

What an answer costs is the tokens it sends to the sentence model (about 1.5 ms of CPU a token, the
same in a batch as alone, measured 2026-12-06), so tokens are printed beside the sentences.

On a crowded machine the number of calls matters too (2026-12-07, load 17-19 on 2 cores, 80 clauses,
two threads a call): one call per clause took 53-55 s of wall and 9-12 s of CPU, ten calls of eight took
15-23 s and 3.5-4.9 s: each call is some 170 parallel regions whose threads wait for each other, and a
thread the scheduler has set aside stalls every region. A batch gives bit-identical vectors (so does any
thread count). Yet the aligner's one-clause calls cannot simply be merged: which clauses it compares is
decided by the vectors it has already read, and sending every clause that holds a fact at its first call
would nearly double the words it embeds (v9 and v10 tune: 3,776 words against 1,955).

Where a compared answer's time goes (2026-12-07, v9, v10 and v11 tune, 188 answers, a warm cache for
round one): 4.0 texts, 78 tokens (p95 167) and 2.1 model calls an answer, every text sent once and none
of round one's; the stance heads' fragments 46% of the tokens, the aligner's clauses 35%, the whole
answer matched by meaning 12%, the two endings judged as a pair 7%. Outside the model the grade costs
20-30 ms of CPU (p95 30-45). One model thread costs 1.45 ms of CPU a token and a call about 3 ms more,
so at p95 the model alone is some 240 ms of one core: even two cores used perfectly leave an answer
over 150 ms. What the grade decides sets the tokens; fewer tokens is a decision, measured as one.

Session 13 (`python -m bench.latency_tokens`: the 698 compared answers of the develop pairs, tune splits
and story pairs, each with an empty cache, round one's warm-up texts not counted; every grade printed, so
a change meant to save tokens is shown to leave every grade identical):
- before: 4.87 texts, 88.3 tokens (p95 179, max 312) and 2.22 model calls an answer; by who asks, the
  stance heads 46.6 tokens, the aligner 29.4, the two endings judged as a pair 6.6, the whole answer
  matched by meaning 4.7. In the costliest tenth: stance 111, aligner 55, pair 11, whole answer 9.
- the stance heads read only what the grade compares (stance.read_stance `reads`): 82.7 tokens (p95 175,
  max 297), 2.33 calls; all 698 grades identical. Most of the stance's tokens are clauses whose outcome
  and part are both compared, where every part of the clause can change the reading.
- a call costs its tokens and about 0.5 ms more (one model thread, 2026-12-08: 1.39 ms a token; two and
  four texts in one call cost what the fit gives one text of their tokens): merging an answer's 2.2 calls
  into one would save about 1 ms, so the aligner's lazy one-clause calls cost nothing worth batching.
- round one is read clause by clause at warm-up (grader.warm_up), not by the first answer: outside the
  model, a compared answer's CPU went from 28.5 to 24.4 ms mean (p95 41-44 to 30-35, under load 12).
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType

from bench.grading import load_pairs
from simulator.catalog import ROOT, Rubrics, load_rubrics
from simulator.grading.evaluation import pair_request
from simulator.grading.grader import grade_answer, warm_up
from simulator.grading.request import GradeRequest
from simulator.grading.semantic import CachingEmbedder, E5Embedder, Embedder, Meaning, default_meaning
from simulator.models import AnswerGrade

TARGET_P95_MS = 150.0


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    sentences: int  # sent to the model for this answer (round one excluded: warmed before)
    round_one: bool
    tokens: int = 0  # what those sentences cost the model (its prefix and markers included)
    # CPU of the same grade again with every vector known: what the answer costs outside the model
    # (None when not measured: no round one, or the replay had to call the model after all)
    without_model: float | None = None


GRADER_PACKAGE = "simulator/grading/"


def asker(frame: FrameType | None) -> str:
    """The grader's function that asked for vectors ("stance.read_stance"): the first frame up the stack
    in the grader's package and outside the semantic seam, which only passes the texts on."""
    while frame is not None:
        path = frame.f_code.co_filename.replace("\\", "/")
        if GRADER_PACKAGE in path and not path.endswith("/semantic.py"):
            return f"{path.rsplit('/', 1)[-1].removesuffix('.py')}.{frame.f_code.co_name}"
        frame = frame.f_back
    return "elsewhere"


@dataclass
class Askers:
    """Who sends which texts to the model, per answer graded: the texts are noted as each call is made
    (a walk up the stack, microseconds) and tokenised after the timing."""

    pending: list[tuple[str, list[str]]] = field(default_factory=list)
    tokens: Counter[str] = field(default_factory=Counter)
    texts: Counter[str] = field(default_factory=Counter)

    def heard(self, texts: list[str]) -> None:
        self.pending.append((asker(sys._getframe(1)), list(texts)))

    def settle(self, model: Embedder) -> None:
        for who, texts in self.pending:
            self.texts[who] += len(texts)
            self.tokens[who] += model.tokens(texts) if isinstance(model, E5Embedder) else 0
        self.pending.clear()


def _at(values: Sequence[float], q: float) -> float:
    """The value at quantile `q` (the nearest rank below), 0 when there are none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


def _ms(values: list[float], q: float) -> float:
    return 1000 * _at(values, q)


def _embedder(meaning: Meaning | None) -> CachingEmbedder | None:
    return meaning.embedder if meaning is not None and isinstance(meaning.embedder, CachingEmbedder) else None


def _threads_used(meaning: Meaning | None) -> str:
    """How many threads the model's calls got (model_threads.py: the cores free at each call)."""
    embedder = _embedder(meaning)
    if embedder is None or not isinstance(embedder.inner, E5Embedder) or not embedder.inner.calls_by_threads:
        return ""
    used = sorted(embedder.inner.calls_by_threads.items(), key=lambda kv: -1 if kv[0] is None else kv[0])
    said = ", ".join(f"{n} with {'the default' if t is None else t}" for t, n in used)
    return f"; model calls by threads: {said}"


# What a grade depends on. Eight people edit one working tree: a run whose figures differ from the
# last one's on "unchanged code" has usually graded a file someone changed in the middle of it.
GRADER_FILES = ("simulator/grading/*.py", "simulator/data/*", "rubrics/*.yaml")


def grader_fingerprint() -> str:
    """A short hash of every file the grade depends on, as they are now."""
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(p for pattern in GRADER_FILES for p in ROOT.glob(pattern) if p.is_file()):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass
class Recorder:
    """Grades answers the way a session does and keeps the timings."""

    meaning: Meaning | None
    samples: list[Sample] = field(default_factory=list)
    warm_ups: list[float] = field(default_factory=list)
    fingerprint: str = ""  # of the grader's files when the run began
    askers: Askers = field(default_factory=Askers)  # who sent the compared answers' texts
    # The same heads and embedder with a reading cache of their own: each compared answer is graded
    # again with it, every vector known, to time what the answer costs outside the model.
    replay: Meaning | None = None

    def reset(self, meaning: Meaning | None) -> None:
        self.meaning, self.samples, self.warm_ups, self.askers = meaning, [], [], Askers()
        self.fingerprint = grader_fingerprint()
        embedder = _embedder(meaning)
        self.replay = Meaning(embedder, meaning.heads) if meaning is not None and embedder else None
        if embedder is not None:
            embedder.listener = self.askers.heard

    def grade(self, request: GradeRequest, rubrics: Rubrics) -> tuple[AnswerGrade, float]:
        embedder = _embedder(self.meaning)
        with_round_one = not request.round_one.is_empty()
        if with_round_one and self.meaning is not None:
            started = time.perf_counter()
            thread = warm_up(request.round_one, rubrics, self.meaning)
            if thread is not None:
                thread.join()
                self.warm_ups.append(time.perf_counter() - started)
        sent = embedder.texts_embedded if embedder else 0
        read = embedder.tokens_embedded if embedder else 0
        self.askers.pending.clear()  # (the warm-up's texts are round one's, sent before the answer)
        wall, cpu = time.perf_counter(), time.process_time()
        result = grade_answer(request, rubrics, meaning=self.meaning, use_meaning=self.meaning is not None)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        sentences = (embedder.texts_embedded - sent) if embedder else 0
        tokens = (embedder.tokens_embedded - read) if embedder else 0
        without_model = None
        if embedder is not None and with_round_one and self.meaning is not None:
            self.askers.settle(embedder.inner)
            without_model = self._without_model(request, rubrics, embedder)
        self.samples.append(Sample(wall, cpu, sentences, with_round_one, tokens, without_model))
        return result, wall

    def _without_model(
        self, request: GradeRequest, rubrics: Rubrics, embedder: CachingEmbedder
    ) -> float | None:
        """The CPU of the answer's grade once more, every vector it needs known (None if one was not)."""
        if self.replay is None:
            return None
        calls = embedder.model_calls
        thread = warm_up(request.round_one, rubrics, self.replay)  # round one read first, as a session does
        if thread is not None:
            thread.join()
        cpu = time.process_time()
        grade_answer(request, rubrics, meaning=self.replay)
        cpu = time.process_time() - cpu
        self.askers.pending.clear()
        return cpu if embedder.model_calls == calls else None

    def report(self) -> None:
        if not self.samples:
            return
        walls = [s.wall for s in self.samples]
        cpus = [s.cpu for s in self.samples]
        p95 = _ms(walls, 0.95)
        mark = "ok" if p95 <= TARGET_P95_MS else "OVER TARGET"
        print(
            f"  latency per answer ({len(walls)} answers): p50 {_ms(walls, 0.5):.0f} ms, p95 {p95:.0f} ms "
            f"(target p95 <= {TARGET_P95_MS:.0f} ms) {mark}; CPU p50 {_ms(cpus, 0.5):.0f} ms, p95 {_ms(cpus, 0.95):.0f} ms"
        )
        for label, with_round_one in (("no round one", False), ("compared with round one", True)):
            group = [s for s in self.samples if s.round_one == with_round_one]
            if group:
                sentences = [s.sentences for s in group]
                tokens = [s.tokens for s in group]
                print(
                    f"    {label:<24} n={len(group):<4} p50 {_ms([s.wall for s in group], 0.5):.0f} ms, "
                    f"p95 {_ms([s.wall for s in group], 0.95):.0f} ms (CPU {_ms([s.cpu for s in group], 0.5):.0f} / "
                    f"{_ms([s.cpu for s in group], 0.95):.0f} ms); sentences embedded per answer: "
                    f"mean {statistics.mean(sentences):.1f}, max {max(sentences)}; tokens mean "
                    f"{statistics.mean(tokens):.0f}, p95 {_at(tokens, 0.95):.0f}, "
                    f"max {max(tokens)}"
                )
        compared = [s for s in self.samples if s.round_one and s.without_model is not None]
        if compared:
            outside = [s.without_model or 0.0 for s in compared]
            model_cpu = sum(s.cpu - (s.without_model or 0.0) for s in compared)
            read = sum(s.tokens for s in compared)
            per_token = f"; the model's CPU {1000 * model_cpu / read:.2f} ms a token" if read else ""
            print(
                f"    of a compared answer's CPU, outside the model (graded again, every vector known): "
                f"p50 {_ms(outside, 0.5):.0f} ms, p95 {_ms(outside, 0.95):.0f} ms{per_token}"
            )
            n = len([s for s in self.samples if s.round_one])
            asked = sorted(self.askers.tokens.items() or self.askers.texts.items(), key=lambda kv: -kv[1])
            said = ", ".join(
                f"{who} {self.askers.texts[who] / n:.1f} texts, {self.askers.tokens[who] / n:.0f} tokens"
                for who, _ in asked
            )
            print(f"    sent to the model per compared answer, by who asked: {said or 'nothing'}")
        if self.warm_ups:
            print(
                f"    round one embedded as the session starts (in the background): p50 {_ms(self.warm_ups, 0.5):.0f} ms, "
                f"p95 {_ms(self.warm_ups, 0.95):.0f} ms; a first answer sent before it ends waits for the rest"
            )
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"    load average {load:.1f} on {os.cpu_count()} cores while measuring{_threads_used(self.meaning)}"
        )
        now = grader_fingerprint()
        changed = "" if now == self.fingerprint else f" CHANGED DURING THE RUN (began as {self.fingerprint})"
        print(f"  grader files {now}{changed}: runs with the same print graded the same code and data")


def session_start() -> None:
    """A session's start as a fresh process lives it: the rubrics load (their cues compiled then), round
    one is embedded in the background, and the first answer is graded; then a second answer of another
    session, and the first answer once more (everything ready: the floor)."""
    wall, cpu = time.perf_counter(), time.process_time()
    rubrics = load_rubrics()
    print(
        f"  rubrics loaded, cues compiled: {time.perf_counter() - wall:.2f} s (CPU {time.process_time() - cpu:.2f} s)"
    )
    meaning = default_meaning()
    print(f"  {model_load(meaning)}")
    pairs = [pair_request(p) for p in load_pairs()]
    first, second = (next(r for r in pairs[at:] if not r.round_one.is_empty()) for at in (0, len(pairs) // 2))
    recorder = Recorder(meaning)
    for label, request in (
        ("first answer", first),
        ("another session's first", second),
        ("first again", first),
    ):
        recorder.grade(request, rubrics)
        done = recorder.samples[-1]
        warmed = (
            f"round one warmed in {1000 * recorder.warm_ups[-1]:.0f} ms, then " if recorder.warm_ups else ""
        )
        print(
            f"  {label:<24} {warmed}{1000 * done.wall:.0f} ms (CPU {1000 * done.cpu:.0f} ms), "
            f"{done.sentences} sentences, {done.tokens} tokens"
        )


def model_load(meaning: Meaning | None) -> str:
    """Load the sentence model now and say how long it took (and its first sentence, which pays for
    reading the weights in)."""
    embedder = _embedder(meaning)
    if embedder is None or not isinstance(embedder.inner, E5Embedder):
        return "no sentence model"
    model = embedder.inner
    model.load()
    started = time.perf_counter()
    model.embed(["warm up"])
    first = time.perf_counter() - started
    return f"{model.name} load {model.load_seconds:.2f} s, first sentence {1000 * first:.0f} ms"


# The engine's OpenMP settings compared by `--engine` (each read once, as the engine loads: one interpreter
# each). "shipped" is what E5Embedder does: a short spin, and the cores free at each call.
ENGINE_SETTINGS: dict[str, tuple[dict[str, str], int | None]] = {
    "2 threads, sleeping (before)": ({"OMP_WAIT_POLICY": "PASSIVE"}, 2),
    "1 thread": ({}, 1),
    "2 threads, spinning": ({}, 2),
    "shipped: the free cores": ({}, None),
}
ENGINE_CALLS = 20  # calls per setting, each one story's four clauses (about 100 tokens)


def engine_one(setting: str) -> None:
    """Time the model alone under one setting (run in its own interpreter by `engine`)."""
    env, threads = ENGINE_SETTINGS[setting]
    os.environ.update(env)  # this interpreter only: set before the engine loads
    model = E5Embedder(threads=threads)
    clauses = [
        c["text"]
        for line in (ROOT / "tests/data/clauses/clauses.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
        for c in json.loads(line)["clauses"]
    ]
    model.embed(["warm up"])
    walls, cpus, tokens = [], [], 0
    for at in range(0, 4 * ENGINE_CALLS, 4):
        story = clauses[at : at + 4]
        tokens += model.tokens(story)
        wall, cpu = time.perf_counter(), time.process_time()
        model.embed(story)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    threads_said = ", ".join(f"{t}: {n}" for t, n in sorted(model.calls_by_threads.items(), key=str))
    print(
        f"  {setting:<30} wall p50 {_ms(walls, 0.5):4.0f} ms, p95 {_ms(walls, 0.95):4.0f} ms; CPU p50 "
        f"{_ms(cpus, 0.5):4.0f} ms; {1000 * sum(walls) / tokens:.2f} ms a token (CPU {1000 * sum(cpus) / tokens:.2f}); "
        f"threads per call {threads_said}; load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def engine(busy: int) -> None:
    """The engine alone under each OpenMP setting, each in a fresh interpreter, with `busy` other
    processes spinning on the cores meanwhile (started here, stopped at the end)."""
    competitors = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
    try:
        print(
            f"model calls of one story's four clauses, {ENGINE_CALLS} each, {busy} busy process(es) besides"
        )
        for setting in ENGINE_SETTINGS:
            subprocess.run(
                [sys.executable, "-m", "bench.latency", "--engine-one", setting],
                cwd=ROOT,
                check=True,
                env={k: v for k, v in os.environ.items() if not k.startswith(("OMP_", "GOMP_"))},
            )
    finally:
        for competitor in competitors:
            competitor.kill()
            competitor.wait()


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.latency`: a session's start, always in a fresh interpreter (`make bench` runs the
    other benches in this one, which would have compiled and loaded everything already).
    `--engine [--busy N]`: the sentence model alone under each OpenMP setting (model_threads.py)."""
    args = argv or []
    if "--fresh" in args:
        session_start()
    elif "--engine-one" in args:
        engine_one(args[args.index("--engine-one") + 1])
    elif "--engine" in args:
        engine(int(args[args.index("--busy") + 1]) if "--busy" in args else 0)
    else:
        subprocess.run([sys.executable, "-m", "bench.latency", "--fresh"], cwd=ROOT, check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
