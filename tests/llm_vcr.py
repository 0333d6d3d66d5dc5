"""Cassettes for the HTTP adapter: recorded against a real OpenAI-compatible server, replayed offline.

Replay (the default, and CI): record_mode "none", so a request the cassette does not hold fails
at once. Recording (`make record`, i.e. ROUNDTWO_RECORD=1): the tests start llama.cpp's server
with the bundled SmolLM2 model and rewrite the cassettes. To record against OpenAI instead:

    ROUNDTWO_RECORD=1 ROUNDTWO_RECORD_BASE_URL=https://api.openai.com/v1 \
    ROUNDTWO_RECORD_MODEL=gpt-4o-mini OPENAI_API_KEY=sk-... \
    .venv/bin/python -m pytest tests/test_llm_cassettes.py

Replay reads the model name back from each cassette, so either recording replays. Requests
match on method, path and body, never on the host or port (the local server gets a random port).
No secret is recorded: request auth headers are filtered, response headers that identify an
account are dropped, and a local recording uses a dummy `sk-` key so a test can prove that no key
ever lands in a file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import vcr
import yaml

from simulator.catalog import Rubrics
from simulator.engines.local import CONTEXT_TOKENS, LOCAL_TOKEN_BUDGET, MODEL_ALIAS
from simulator.engines.offline import OfflineEngine
from simulator.engines.openai_engine import OpenAIEngine, engine_from_settings
from simulator.engines.rule_grader import RuleGrader
from simulator.engines.settings import EngineSettings
from tests.pinned_rules import PINNING, PinnedRules, PinningRules

CASSETTES = Path(__file__).resolve().parent / "cassettes"
# The personas and rubrics as they were when the cassettes were recorded: editing the shipped
# files changes the prompts. `make record` refreshes the copy along with the cassettes. So are the
# offline rules' grades the engine built on (see pinned_rules.py): a change to the grader changes them.
PINNED = CASSETTES / "data"
RECORDING = os.environ.get("ROUNDTWO_RECORD") == "1"
# To record against another server (OpenAI itself): its URL and model; the key comes from OPENAI_API_KEY.
RECORD_BASE_URL = os.environ.get("ROUNDTWO_RECORD_BASE_URL", "")
RECORD_MODEL = os.environ.get("ROUNDTWO_RECORD_MODEL", "")
REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # never contacted on replay: vcrpy answers first
DUMMY_KEY = "sk-roundtwo-dummy-recording-key"  # looks like a key, so the no-secrets test means something

SECRET_REQUEST_HEADERS = (
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
)
_DROPPED_RESPONSE_HEADERS = frozenset(
    {
        "set-cookie",
        "openai-organization",
        "openai-project",
        "openai-processing-ms",
        "x-request-id",
        "request-id",
        "cf-ray",
        "cf-cache-status",
        "server",
        "date",
        "alt-svc",
        "strict-transport-security",
    }
)


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    response["headers"] = {
        name: value
        for name, value in headers.items()
        if name.lower() not in _DROPPED_RESPONSE_HEADERS and not name.lower().startswith("x-ratelimit")
    }
    return response


def recorder(record: bool = RECORDING) -> vcr.VCR:
    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="new_episodes" if record else "none",
        match_on=("method", "path", "body"),
        filter_headers=[(name, None) for name in SECRET_REQUEST_HEADERS],
        filter_query_parameters=["api-key", "key"],
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )


@contextmanager
def cassette(name: str, record: bool = RECORDING) -> Iterator[Any]:
    """Replays `tests/cassettes/<name>.yaml`; when recording, rewrites it from scratch."""
    path = CASSETTES / f"{name}.yaml"
    if record:
        path.unlink(missing_ok=True)
    elif not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make record` (needs the local extra)")
    with recorder(record).use_cassette(path.name) as recorded:
        yield recorded


def recorded_style(name: str, record: bool = RECORDING) -> tuple[str, str]:
    """The model name, and the field the reply limit went in (`max_tokens` for llama.cpp,
    `max_completion_tokens` for OpenAI): replay must send exactly the bodies that were recorded."""
    if record:
        return (RECORD_MODEL or "gpt-4o-mini", "auto") if RECORD_BASE_URL else (MODEL_ALIAS, "auto")
    data = yaml.safe_load((CASSETTES / f"{name}.yaml").read_text(encoding="utf-8"))
    body = json.loads(data["interactions"][0]["request"]["body"])
    return str(body["model"]), "max_tokens" if "max_tokens" in body else "max_completion_tokens"


def cassette_engine(
    name: str,
    base_url: str,
    rubrics: Rubrics,
    record: bool = RECORDING,
    rules: RuleGrader | None = None,
    **overrides: Any,
) -> OpenAIEngine:
    """The engine a cassette was recorded with. Record and replay must agree on every setting:
    they are all in the request bodies a cassette matches on. `rules`: the rule grades it builds on
    (by default those pinned with the cassette, see `cassette_rules`)."""
    model, reply_limit = recorded_style(name, record)
    key = os.environ.get("OPENAI_API_KEY", "") if record and RECORD_BASE_URL else DUMMY_KEY
    settings = EngineSettings(
        api_key=key,
        base_url=base_url,
        model=model,
        temperature=0.0,
        # Not in the request bodies; long when recording, as a call cut off has no reply to replay.
        timeout=600.0 if record else 120.0,
        max_retries=0,
        token_budget=LOCAL_TOKEN_BUDGET,
        context_tokens=0 if RECORD_BASE_URL and record else CONTEXT_TOKENS,
        reply_limit=reply_limit,
        max_output_tokens=120,  # short replies keep a recording of the whole session to minutes
        judge_output_tokens=450,
    )
    return engine_from_settings(
        settings.with_overrides(**overrides), rubrics, rules=rules or cassette_rules(name, rubrics, record)
    )


def cassette_rules(name: str, rubrics: Rubrics, record: bool = RECORDING) -> RuleGrader:
    """The rule grades the engine builds on: those pinned with the cassette on replay; the live
    grader's, pinned as they are given, when recording (or re-pinning, ROUNDTWO_PIN_RULES=1)."""
    if record or PINNING:
        return PinningRules(OfflineEngine(rubrics), name)
    return PinnedRules(name)


def _said(body: Any) -> str:
    """The end of a request's last message: enough to recognise which turn it was."""
    try:
        data = json.loads(body) if isinstance(body, str | bytes) else {}
    except ValueError:
        return "(not JSON)"
    messages = data.get("messages") or [{}]
    text = str(messages[-1].get("content") or "")
    return " ".join(text.split())[-160:]


def check_replayed(recorded: Any, record: bool = RECORDING) -> None:
    """Every recorded request was made again, in order; if not, say which one changed and how to fix it."""
    if record or recorded.all_played:
        return
    played = recorded.play_counts
    missing = [i for i in range(len(recorded.data)) if not played[i]]
    first = missing[0]
    request = recorded.data[first][0]
    raise AssertionError(
        f"{len(missing)} of {len(recorded.data)} recorded requests were not made again; the first is "
        f"#{first} ({request.method} {request.path}), whose last message ended: ...{_said(request.body)!r}. "
        "A prompt or the request sequence changed: re-record with `make record` (needs `make local`)."
    )
