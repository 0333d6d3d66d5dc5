"""tiktoken with no network: the bundled tables are unpacked under ROUNDTWO_HOME as tiktoken's cache."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from simulator.engines.tokens import ENCODING_URLS, TokenCounter, encoding_name

ROOT = Path(__file__).resolve().parent.parent


def test_tables_unpacked_once_under_roundtwo_home_and_tiktoken_counts_offline(tmp_path: Path) -> None:
    # A fresh interpreter, so nothing is cached yet; an unreachable proxy makes any download fail loudly.
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "TIKTOKEN_CACHE_DIR"}
    env.update(
        {"ROUNDTWO_HOME": str(home), "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    )
    code = (
        "from simulator.engines.tokens import TokenCounter\n"
        "print(TokenCounter('gpt-4o-mini').count('Tell me about a time you changed your mind.'))\n"
        "print(TokenCounter('gpt-4').count('Tell me about a time you changed your mind.'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert [int(n) for n in done.stdout.split()] == [10, 10]
    folder = home / "cache" / "tiktoken"
    for url in ENCODING_URLS.values():
        assert (folder / hashlib.sha1(url.encode()).hexdigest()).stat().st_size > 1_000_000


def test_model_names_pick_their_encoding() -> None:
    assert encoding_name("gpt-4o-mini") == "o200k_base"
    assert encoding_name("openai/gpt-4.1") == "o200k_base"
    assert encoding_name("gpt-3.5-turbo") == "cl100k_base"
    assert encoding_name("gpt-4-turbo") == "cl100k_base"
    assert encoding_name("smollm2-135m-instruct") == "o200k_base"  # an estimate is all a budget needs


def test_truncate_cuts_at_a_word_and_marks_the_cut() -> None:
    counter = TokenCounter("gpt-4o-mini")
    text = "We rebuilt the nightly ticketing import so depot managers saw yesterday's numbers by seven."
    short = counter.truncate(text, 8)
    assert short.endswith(" [...]")
    assert counter.count(short) <= 8
    assert text.startswith(short.removesuffix(" [...]"))
    assert counter.truncate(text, 500) == text
    assert counter.truncate(text, 0) == ""


def test_keep_newest_keeps_the_latest_lines_in_order() -> None:
    counter = TokenCounter("gpt-4o-mini")
    lines = [f"Candidate: answer number {i} with a few more words in it" for i in range(10)]
    budget = counter.count(lines[0]) * 3 + 3
    kept, dropped = counter.keep_newest(lines, budget)
    assert kept == lines[-3:]
    assert dropped == 7
