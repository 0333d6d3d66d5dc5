"""Secrets never written: API keys are replaced with `[redacted]` in everything saved or exported.

A model can repeat what it was sent, or be talked into printing a key it should never have seen;
whatever it says goes into turns, grades, the report and the exports. So every text written by the
store (see store.py: its connection redacts every value it writes) and every export passes
through `redact`, which knows:

- the key in `OPENAI_API_KEY`, read at each call (a test or the page may set it later);
- every key an engine's settings held in this process (`remember`, called by EngineSettings);
- anything shaped like an OpenAI-style key (`sk-` and a long run of key characters).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from typing import Any

REDACTED = "[redacted]"
KEY_ENV = "OPENAI_API_KEY"
# sk-..., sk-proj-..., sk-ant-...: the prefix and at least 20 key characters (so "sk-learn" stays).
_KEY_SHAPE = re.compile(r"\bsk-[A-Za-z0-9_\-]{20,}")
# Shorter strings are not secrets worth matching, and would redact ordinary words.
_MIN_SECRET = 8

_known: set[str] = set()
_lock = threading.Lock()


def remember(secret: str | None) -> None:
    """Redact this secret (say, a key an engine was given) from everything written from now on."""
    if secret and len(secret.strip()) >= _MIN_SECRET:
        with _lock:
            _known.add(secret.strip())


def known_secrets() -> list[str]:
    """The secrets to replace, longest first (so a key that contains another goes whole)."""
    with _lock:
        secrets = set(_known)
    from_env = os.environ.get(KEY_ENV, "").strip()
    if len(from_env) >= _MIN_SECRET:
        secrets.add(from_env)
    # A secret inside JSON text is written with its quotes and backslashes escaped.
    escaped = {json.dumps(s, ensure_ascii=False)[1:-1] for s in secrets}
    return sorted(secrets | escaped, key=len, reverse=True)


def redact(text: str) -> str:
    """`text` with every known secret and key-shaped token replaced by `[redacted]`."""
    for secret in known_secrets():
        if secret in text:
            text = text.replace(secret, REDACTED)
    return _KEY_SHAPE.sub(REDACTED, text)


def _redacted(value: object) -> object:
    return redact(value) if isinstance(value, str) else value


class RedactingConnection(sqlite3.Connection):
    """A SQLite connection that redacts every text value it is given: the store's one write path.

    Opened with `sqlite3.connect(..., factory=RedactingConnection)`, so no write (a turn, a grade,
    the report, usage, state) can reach the file without passing through `redact`.
    """

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return super().execute(sql, _clean(parameters))

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> sqlite3.Cursor:
        return super().executemany(sql, (_clean(row) for row in seq_of_parameters))


def _clean(parameters: Any) -> Any:
    if isinstance(parameters, Mapping):
        return {name: _redacted(value) for name, value in parameters.items()}
    if isinstance(parameters, list | tuple):
        return tuple(_redacted(value) for value in parameters)
    return parameters
