"""How many tokens the server's context holds (prompt and reply together), and who said so.

Set by the user (`--context-size`, `ROUNDTWO_CONTEXT_SIZE`), or read from the server when it says:
llama.cpp's own server answers `GET /props` with `default_generation_settings.n_ctx`; vLLM lists
`max_model_len` for each model in `GET /v1/models`. llama-cpp-python's server (0.3.x, the local
engine's) offers neither, but the local engine starts it with a size it knows. When nobody says, the
budgets alone bound the prompts, as before, and the usage summary says the size was unknown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import httpx

from simulator.engines.settings import DEFAULT_BASE_URL, EngineSettings, endpoint

Source = Literal["user", "server", "local", "unknown"]
PROBE_SECONDS = 3.0  # a server that does not answer this quickly is not asked again
MIN_CONTEXT = 512  # smaller than any real model's window: a figure like that is a misreading


@dataclass(frozen=True)
class ContextSize:
    tokens: int  # 0 when unknown
    source: Source

    def line(self, token_budget: int, judge_budget: int) -> str:
        """For the usage summary: the size and where it came from, or that the budgets alone applied."""
        said = {
            "user": "as set",
            "server": "read from the server",
            "local": "the local server's own",
        }
        if self.tokens and self.source in said:
            return f"context {self.tokens:,} tokens ({said[self.source]})"
        return (
            f"context size unknown: prompts kept to the budgets ({token_budget:,} tokens; "
            f"the judge {judge_budget:,})"
        )


def _origin(base_url: str) -> str:
    """The server's root: `http://host:8080/v1` -> `http://host:8080` (llama.cpp's /props lives there)."""
    parts = urlsplit(base_url.strip())
    path = parts.path.rstrip("/")
    if path.endswith("/v1"):
        path = path[: -len("/v1")]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _get(client: httpx.Client, url: str) -> Any:
    try:
        response = client.get(url)
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        return None


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= MIN_CONTEXT else None


def context_from_props(body: Any) -> int | None:
    """llama.cpp's `/props`: `default_generation_settings.n_ctx` (or `n_ctx` at the top, in some builds)."""
    if not isinstance(body, dict):
        return None
    settings = body.get("default_generation_settings")
    inner = settings.get("n_ctx") if isinstance(settings, dict) else None
    return _whole(inner) or _whole(body.get("n_ctx"))


def context_from_models(body: Any, model: str) -> int | None:
    """vLLM's `/v1/models`: `max_model_len` of the model in use (or of the only model served)."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        return None
    entries = [e for e in data if isinstance(e, dict)]
    chosen = [e for e in entries if e.get("id") == model] or (entries if len(entries) == 1 else [])
    return _whole(chosen[0].get("max_model_len")) if chosen else None


def read_server_context(base_url: str, model: str, api_key: str | None = None) -> int | None:
    """The context size the server reports, or None when it does not say (or does not answer)."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    with httpx.Client(timeout=PROBE_SECONDS, headers=headers, follow_redirects=False) as client:
        size = context_from_props(_get(client, f"{_origin(base_url)}/props"))
        if size is None:
            size = context_from_models(_get(client, f"{base_url.rstrip('/')}/models"), model)
    return size


def resolve_context(settings: EngineSettings) -> tuple[EngineSettings, ContextSize]:
    """The settings with the context size filled in when the server says it, and where it came from.
    Only a server of the user's own (a base URL that is not OpenAI's) is asked."""
    if settings.context_tokens:
        return settings, ContextSize(settings.context_tokens, "user")
    if settings.base_url and endpoint(settings.base_url) != DEFAULT_BASE_URL:
        size = read_server_context(settings.base_url, settings.model, settings.api_key)
        if size:
            return replace(settings, context_tokens=size), ContextSize(size, "server")
    return settings, ContextSize(0, "unknown")
