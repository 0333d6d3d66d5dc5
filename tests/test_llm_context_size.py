"""The context size the prompts are fitted to: set by the user, read from the server when it says
(llama.cpp's /props, vLLM's /v1/models), or unknown, and said in the session's usage summary.
A real HTTP server on 127.0.0.1 plays each kind of server; the engine is built as `make_engine` builds it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from simulator.catalog import ROOT, load_personas, load_rubrics
from simulator.cli.arguments import Parser, add_llm_arguments
from simulator.engines import make_engine
from simulator.engines.settings import EngineSettings, settings_from_args
from simulator.engines.usage import usage_lines
from simulator.models import Plan, Session, Slot
from simulator.orchestrator import Interview
from simulator.script import load_script
from tests.fake_openai_server import completion

RUBRICS = load_rubrics()
QUESTION = "Tell me about a time a plan of yours did not survive contact with reality?"


class Server:
    """Answers chat completions, and GET routes from `pages` (path -> JSON); anything else is a 404."""

    def __init__(self, pages: dict[str, Any]):
        self.pages = pages
        self.gets: list[str] = []

    @contextmanager
    def running(self) -> Iterator[str]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                outer.gets.append(self.path)
                if self.path in outer.pages:
                    self._json(200, outer.pages[self.path])
                else:
                    self._json(404, {"error": "not found"})

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self._json(200, completion(QUESTION))

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        finally:
            httpd.shutdown()
            httpd.server_close()


LLAMA_CPP = {"/props": {"default_generation_settings": {"n_ctx": 2048, "n_predict": -1}, "total_slots": 1}}
VLLM = {"/v1/models": {"object": "list", "data": [{"id": "served-model", "max_model_len": 3072}]}}
SILENT = {
    "/v1/models": {"object": "list", "data": [{"id": "served-model", "object": "model"}]}
}  # llama-cpp-python


def engine_for(base_url: str, **overrides: Any) -> Any:
    return make_engine(
        "openai", RUBRICS, EngineSettings(base_url=base_url, model="served-model", **overrides)
    )


def one_turn_usage(engine: Any) -> list[str]:
    """A slot opened on the engine (its intro and first question are model calls), then the usage lines."""
    job = load_script(ROOT / "examples" / "backend_engineer.yaml").job
    plan = Plan(slots=[Slot(persona_id="hiring_manager", minutes=20)], seed=1, pressure="realistic")
    session = Session(id="0123456789ab", created_at="2026-01-01T00:00:00+00:00", job=job, plan=plan)
    interview = Interview(session, load_personas(), engine)
    interview.begin()
    return usage_lines(interview.session)


def test_llama_cpp_props_give_the_context_and_the_budgets_keep_inside_it() -> None:
    server = Server(LLAMA_CPP)
    with server.running() as url:
        engine = engine_for(url)
        assert engine.settings.context_tokens == 2048
        # A spoken prompt leaves the reply its room inside the 2,048 (not the 2,400 budget).
        assert engine.prompts.budget <= 2048 - engine.settings.max_output_tokens
        [line] = one_turn_usage(engine)
    assert "context 2,048 tokens (read from the server)" in line, line


def test_vllm_models_list_gives_the_context() -> None:
    server = Server(VLLM)
    with server.running() as url:
        engine = engine_for(url)
    assert engine.settings.context_tokens == 3072
    assert engine.context_line == "context 3,072 tokens (read from the server)"


def test_a_server_that_does_not_say_leaves_the_budgets_and_says_so() -> None:
    server = Server(SILENT)
    with server.running() as url:
        engine = engine_for(url)
        assert engine.settings.context_tokens == 0
        assert engine.prompts.budget == EngineSettings().token_budget  # the default, as before
        [line] = one_turn_usage(engine)
    assert "context size unknown: prompts kept to the budgets (2,400 tokens; the judge 4,200)" in line, line


def test_the_users_size_wins_and_the_server_is_not_asked() -> None:
    server = Server(LLAMA_CPP)
    with server.running() as url:
        engine = engine_for(url, context_tokens=1500)
    assert server.gets == []
    assert engine.settings.context_tokens == 1500
    assert engine.context_line == "context 1,500 tokens (as set)"


def test_openai_itself_is_never_probed() -> None:
    engine = make_engine("openai", RUBRICS, EngineSettings(api_key="sk-test-not-a-real-key-123"))
    assert engine.context_line.startswith("context size unknown")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["--context-size", "6000"], {}, 6000),
        (["--context-tokens", "5000"], {}, 5000),
        ([], {"ROUNDTWO_CONTEXT_SIZE": "7000"}, 7000),
        (["--context-size", "6000"], {"ROUNDTWO_CONTEXT_SIZE": "7000"}, 6000),
    ],
)
def test_the_user_sets_it_by_flag_or_environment(argv: list[str], env: dict[str, str], expected: int) -> None:
    parser = Parser(prog="test")
    add_llm_arguments(parser)
    assert settings_from_args(parser.parse_args(argv), env).context_tokens == expected


def test_a_context_too_small_is_one_plain_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    from simulator.cli.main import main

    script = str(ROOT / "examples" / "backend_engineer.yaml")
    code = main(["run", "--script", script, "--engine", "openai", "--base-url", "http://127.0.0.1:9/v1",
                 "--context-size", "100"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "context size 100" in err, err
