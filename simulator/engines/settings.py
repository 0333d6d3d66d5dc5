"""Settings of the LLM engines, read from the environment and overridden by CLI flags or the page.

The API key comes from the environment only (never a flag: flags end up in shell history) and is
kept out of `repr`, so printing or logging settings cannot leak it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from simulator import redact

StructuredMethod = Literal["function_calling", "json_schema"]
METHODS: tuple[str, ...] = get_args(StructuredMethod)
# How the reply limit is sent. OpenAI's own API wants `max_completion_tokens` (its newer models refuse
# `max_tokens`); other OpenAI-compatible servers (llama.cpp, Ollama, vLLM, LM Studio) honour only
# `max_tokens`. "auto" picks by endpoint; "both" sends both for servers that accept either.
ReplyLimit = Literal["auto", "max_tokens", "max_completion_tokens", "both"]
REPLY_LIMITS: tuple[str, ...] = get_args(ReplyLimit)

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_BASE_URL = "https://api.openai.com/v1"  # where the SDK goes when no base URL is set
CONTEXT_SLACK = 64  # tokens kept free besides the reply: chat-template markup the counts do not see
DEFAULT_TIMEOUT = 20.0  # seconds per model call in all: a trickling endpoint costs at most this

# environment variable -> settings field. OPENAI_* are the names every OpenAI-compatible tool reads.
ENV_NAMES = {
    "OPENAI_API_KEY": "api_key",
    "OPENAI_BASE_URL": "base_url",
    "ROUNDTWO_MODEL": "model",
    "ROUNDTWO_TEMPERATURE": "temperature",
    "ROUNDTWO_STRUCTURED_OUTPUT": "structured_method",
    "ROUNDTWO_TIMEOUT": "timeout",
    "ROUNDTWO_MAX_RETRIES": "max_retries",
    "ROUNDTWO_TOKEN_BUDGET": "token_budget",
    "ROUNDTWO_REPLY_LIMIT": "reply_limit",
    "ROUNDTWO_JUDGE_BUDGET": "judge_budget",
    "ROUNDTWO_CONTEXT_TOKENS": "context_tokens",
    "ROUNDTWO_CONTEXT_SIZE": "context_tokens",  # the same setting, by the name the README uses
}


class SettingsError(ValueError):
    """A setting has a value the engine cannot use; the message names the setting."""


@dataclass(frozen=True)
class EngineSettings:
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    temperature: float = 0.4
    structured_method: StructuredMethod = "function_calling"
    # Seconds one model call may take in all (retries, streaming, the judge's re-ask included);
    # past it the turn falls back to offline. A dead or trickling endpoint costs seconds, not minutes.
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = 2  # retries for 429 and 5xx only; timeouts and refused connections are not retried
    reply_retries: int = 1  # an unusable reply (empty, malformed) is asked for again this many times
    token_budget: int = 2400  # prompt tokens per call, everything sent included (the judge's rubric too)
    # The judge's prompt holds the rubric files (1.5-2.2k tokens) besides the answer and round one.
    judge_budget: int = 4200
    # The server's context window (prompt and reply together); 0 when unknown. When known, every
    # prompt is kept under it with room for the reply, whatever the budget says.
    context_tokens: int = 0
    reply_limit: ReplyLimit = "auto"
    max_output_tokens: int = 220  # per spoken reply
    judge_output_tokens: int = 700  # the judge's structured verdict
    failure_threshold: int = 3  # consecutive failures before the engine stops calling for a while
    cooldown_seconds: float = 120.0

    def __post_init__(self) -> None:
        redact.remember(self.api_key)  # whatever a model says back, this key is never written
        if self.structured_method not in METHODS:
            raise SettingsError(
                f"structured output method '{self.structured_method}' is not one of {', '.join(METHODS)}"
            )
        if not 0.0 <= self.temperature <= 2.0:
            raise SettingsError(f"temperature {self.temperature} must be between 0 and 2")
        if not 0 < self.timeout <= 600:  # also refuses nan and inf
            raise SettingsError(f"timeout {self.timeout} must be more than 0 and at most 600 seconds")
        if self.base_url is not None:
            endpoint(self.base_url)  # refuses anything that is not an http(s) URL, in one line
        if not 0 <= self.max_retries <= 5:
            raise SettingsError(f"max retries {self.max_retries} must be between 0 and 5")
        if not 0 <= self.reply_retries <= 2:
            raise SettingsError(f"reply retries {self.reply_retries} must be between 0 and 2")
        if self.reply_limit not in REPLY_LIMITS:
            raise SettingsError(f"reply limit '{self.reply_limit}' is not one of {', '.join(REPLY_LIMITS)}")
        if self.context_tokens and not 512 <= self.context_tokens <= 2_000_000:
            raise SettingsError(
                f"context size {self.context_tokens} must be 0 (unknown) or at least 512 tokens"
            )
        if self.judge_budget < 1000:
            raise SettingsError(f"judge budget {self.judge_budget} is too small (at least 1000)")
        if self.token_budget < 300:
            raise SettingsError(f"token budget {self.token_budget} is too small (at least 300)")
        if not self.model.strip():
            raise SettingsError("model name is empty")

    def limit_fields(self) -> tuple[str, ...]:
        """The request fields that carry the reply limit for this endpoint."""
        if self.reply_limit == "both":
            return ("max_tokens", "max_completion_tokens")
        if self.reply_limit != "auto":
            return (self.reply_limit,)
        own = self.base_url is None or endpoint(self.base_url) == DEFAULT_BASE_URL
        return ("max_completion_tokens",) if own else ("max_tokens",)

    def prompt_budget(self, reply_tokens: int, budget: int | None = None) -> int:
        """Prompt tokens one call may use: the budget (`token_budget` unless given), and never more
        than the context leaves once the reply has its room (a prompt that fills the context gets a
        cut-off reply, or HTTP 400)."""
        budget = budget or self.token_budget
        if not self.context_tokens:
            return budget
        return max(min(budget, self.context_tokens - reply_tokens - CONTEXT_SLACK), 0)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> EngineSettings:
        """Defaults, then the environment, then explicit overrides (None means 'not given')."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for env_name, field_name in ENV_NAMES.items():
            raw = env.get(env_name, "").strip()
            if raw:
                values[field_name] = _convert(field_name, raw, env_name)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise SettingsError(f"unknown engine setting: {', '.join(sorted(unknown))}")
        return cls(**values)

    def with_overrides(self, **overrides: Any) -> EngineSettings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def describe(self) -> str:
        """One line for logs and the page: never the key, only whether one is set."""
        where = self.base_url or "api.openai.com"
        key = "key set" if self.api_key else "no key"
        return f"{self.model} at {where} ({key}, {self.structured_method}, {self.timeout:g}s a call at most)"


def endpoint(url: str) -> str:
    """The endpoint a base URL names, in one spelling (scheme and host lower-case, default port and
    trailing slash dropped), so two spellings of one URL compare equal. SettingsError if not http(s)."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"base URL {text[:80]!r} is not an http(s) URL such as http://127.0.0.1:11434/v1")
    if parts.username or parts.password:
        raise SettingsError("base URL must not carry a user name or password")
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    shown_port = "" if port is None or port == {"http": 80, "https": 443}[scheme] else f":{port}"
    return f"{scheme}://{host}{shown_port}{parts.path.rstrip('/')}"


def _convert(field_name: str, raw: str, source: str) -> Any:
    kinds = {f.name: f.type for f in fields(EngineSettings)}
    kind = str(kinds[field_name])
    try:
        if kind.startswith("float"):
            return float(raw)
        if kind.startswith("int"):
            return int(raw)
    except ValueError:
        raise SettingsError(f"{source}={raw!r} is not a number") from None
    return raw


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """The LLM flags for `run`, `interview` and `grade`. The key stays in OPENAI_API_KEY."""
    group = parser.add_argument_group("LLM engine (openai, local)")
    group.add_argument("--model", help="model name (default: $ROUNDTWO_MODEL or gpt-4o-mini)")
    group.add_argument(
        "--base-url", dest="base_url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)"
    )
    group.add_argument("--temperature", type=float)
    group.add_argument(
        "--structured-output",
        dest="structured_method",
        choices=METHODS,
        help="how the judge asks for structured output; some servers support only one",
    )
    group.add_argument(
        "--timeout",
        type=float,
        help=f"seconds one model call may take in all, retries included (default {DEFAULT_TIMEOUT:g})",
    )
    group.add_argument("--max-retries", dest="max_retries", type=int, help="retries on 429/5xx (default 2)")
    group.add_argument("--token-budget", dest="token_budget", type=int, help="prompt tokens per call")
    group.add_argument(
        "--context-size",
        "--context-tokens",
        dest="context_tokens",
        type=int,
        help="the server's context size in tokens (default: read from the server when it says); "
        "prompts keep room for the reply inside it",
    )
    group.add_argument(
        "--reply-limit",
        dest="reply_limit",
        choices=REPLY_LIMITS,
        help="how the reply limit is sent (default auto: max_completion_tokens to OpenAI, max_tokens elsewhere)",
    )


def settings_from_args(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> EngineSettings:
    names = (
        "model",
        "base_url",
        "temperature",
        "structured_method",
        "timeout",
        "max_retries",
        "token_budget",
        "context_tokens",
        "reply_limit",
    )
    return EngineSettings.from_env(env, **{name: getattr(args, name, None) for name in names})
